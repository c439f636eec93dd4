"""The sample drafts align as drafts/CHANGES.md says they should, change by change.

Expected results are written by hand from CHANGES.md. Clauses are named by the
keys the parser derives (explicit keys for principle and guideline headings);
every clause not listed must come out unchanged. The "# Title" line is the
document's title, not a clause, so the parser counts one clause fewer than
CHANGES.md does.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from consult.domain.alignment import Alignment, ClauseText, align, carry_keys, clause_texts
from consult.domain.parsing import parse_draft

DRAFTS = Path(__file__).resolve().parents[2] / "drafts"

Expected = set[tuple[str, tuple[str, ...], tuple[str, ...]]]


@cache
def _clauses(name: str) -> tuple[ClauseText, ...]:
    path = DRAFTS / name
    return tuple(clause_texts(parse_draft(path.read_bytes(), path.name).clauses))


def _align(old: str, new: str) -> Alignment:
    return align(_clauses(old), _clauses(new))


def _changes(alignment: Alignment) -> Expected:
    return {
        (pair.status, tuple(c.key for c in pair.old), tuple(c.key for c in pair.new))
        for pair in alignment.pairs
        if pair.status != "unchanged"
    }


def _g(name: str, *numbers: str) -> str:
    return ".".join([f"guideline-{name}", *numbers])


BORDERS_1_2: Expected = {
    ("added", (), ("introduction-p4",)),
    ("added", (), ("principle-due-process",)),
    ("added", (), ("principle-due-process-p1",)),
    ("added", (), (_g("identification", "1", "e"),)),
    ("removed", (_g("rescue", "4"),), ()),
    ("moved", (_g("legal-framework", "5"),), (_g("cooperation", "4"),)),
    ("split", (_g("screening", "4"),), (_g("screening", "4"), _g("screening", "5"))),
    ("merged", (_g("detention", "1"), _g("detention", "5")), (_g("detention", "1"),)),
    ("changed", ("principle-non-discrimination-p1",), ("principle-non-discrimination-p1",)),
    ("changed", ("principle-non-refoulement-p2",), ("principle-non-refoulement-p2",)),
    ("changed", (_g("legal-framework", "2"),), (_g("legal-framework", "2"),)),
    ("changed", (_g("capacity", "1"),), (_g("capacity", "1"),)),
    ("changed", (_g("identification", "1", "d"),), (_g("identification", "1", "d"),)),
    ("changed", (_g("returns", "3"),), (_g("returns", "3"),)),
    ("renumbered", ("principle-right-to-leave",), ("principle-right-to-leave",)),
    ("renumbered", ("principle-child",), ("principle-child",)),
    ("renumbered", ("principle-accountability",), ("principle-accountability",)),
    ("renumbered", (_g("rescue", "5"),), (_g("rescue", "4"),)),
    ("renumbered", (_g("screening", "5"),), (_g("screening", "6"),)),
}

BORDERS_2_3: Expected = {
    ("added", (), (_g("promotion", "4"),)),
    ("added", (), (_g("legal-framework", "2"),)),
    ("removed", (_g("identification", "4"),), ()),
    ("moved", (_g("returns", "5"),), (_g("monitoring", "2"),)),
    ("split", (_g("capacity", "4"),), (_g("capacity", "4"), _g("capacity", "5"))),
    ("merged", (_g("cooperation", "1"), _g("cooperation", "2")), (_g("cooperation", "1"),)),
    ("changed", ("introduction-p3",), ("introduction-p3",)),
    ("changed", ("principle-primacy-p2",), ("principle-primacy-p2",)),
    ("changed", ("principle-child-p2",), ("principle-child-p2",)),
    ("changed", (_g("rescue", "2"),), (_g("rescue", "2"),)),
    ("changed", (_g("identification", "3"),), (_g("identification", "3"),)),
    ("changed", ("guideline-detention",), ("guideline-detention",)),
    ("changed", (_g("detention", "2", "c"),), (_g("detention", "2", "c"),)),
    ("renumbered", (_g("legal-framework", "2"),), (_g("legal-framework", "3"),)),
    ("renumbered", (_g("legal-framework", "3"),), (_g("legal-framework", "4"),)),
    ("renumbered", (_g("legal-framework", "4"),), (_g("legal-framework", "5"),)),
    ("renumbered", (_g("cooperation", "3"),), (_g("cooperation", "2"),)),
    ("renumbered", (_g("cooperation", "4"),), (_g("cooperation", "3"),)),
    ("renumbered", (_g("monitoring", "2"),), (_g("monitoring", "3"),)),
    ("renumbered", (_g("monitoring", "3"),), (_g("monitoring", "4"),)),
    ("renumbered", (_g("monitoring", "4"),), (_g("monitoring", "5"),)),
}

BRIEF_1_2: Expected = {
    ("added", (), ("recommendations.3",)),
    ("removed", ("recommendations.7",), ()),
    ("changed", ("background-p2",), ("background-p2",)),
    ("changed", ("recommendations.2",), ("recommendations.2",)),
    ("renumbered", ("recommendations.3",), ("recommendations.4",)),
    ("changed", ("recommendations.4",), ("recommendations.5",)),  # reworded: changed wins
    ("renumbered", ("recommendations.5",), ("recommendations.6",)),
    ("renumbered", ("recommendations.6",), ("recommendations.7",)),
}

CASES = {
    "borders v1-v2": ("human-rights-borders/v1.md", "human-rights-borders/v2.md", BORDERS_1_2),
    "borders v2-v3": ("human-rights-borders/v2.md", "human-rights-borders/v3.md", BORDERS_2_3),
    "brief v1-v2": ("gmg-issues-brief/v1.md", "gmg-issues-brief/v2.md", BRIEF_1_2),
}


@pytest.mark.parametrize("case", CASES)
def test_every_listed_change_and_nothing_else(case: str) -> None:
    old, new, expected = CASES[case]
    assert _changes(_align(old, new)) == expected


@pytest.mark.parametrize("case", CASES)
def test_every_clause_once_and_unchanged_ones_identical(case: str) -> None:
    old, new, _ = CASES[case]
    alignment = _align(old, new)
    assert sorted(c.key for p in alignment.pairs for c in p.old) == sorted(
        c.key for c in _clauses(old)
    )
    assert [c.key for p in alignment.pairs for c in p.new] == [c.key for c in _clauses(new)]
    for pair in alignment.pairs:
        if pair.status == "unchanged":
            assert not pair.text_changed and pair.similarity == 1.0


def test_text_changed_flags_follow_changes_md() -> None:
    by_new = {p.new[0].key: p for p in _align(*CASES["brief v1-v2"][:2]).pairs if p.new}
    assert by_new["recommendations.5"].text_changed  # renumbered and reworded
    assert not by_new["recommendations.4"].text_changed
    borders = {p.new[0].key: p for p in _align(*CASES["borders v1-v2"][:2]).pairs if p.new}
    punctuation = borders[_g("identification", "1", "d")]
    assert punctuation.text_changed and punctuation.similarity == 1.0  # same words, ";" for "."
    assert not borders[_g("cooperation", "4")].text_changed  # moved, text unchanged


def test_removed_clause_stands_where_it_stood() -> None:
    pairs = _align(*CASES["borders v1-v2"][:2]).pairs
    at = next(i for i, p in enumerate(pairs) if p.status == "removed")
    assert pairs[at - 1].new[0].key == _g("rescue", "3")
    assert pairs[at + 1].new[0].key == _g("rescue", "4")


def test_summary_counts_v1_v2() -> None:
    summary = _align(*CASES["borders v1-v2"][:2]).summary()
    assert summary == {
        "unchanged": 70,
        "changed": 6,
        "moved": 1,
        "renumbered": 5,
        "split": 1,
        "merged": 1,
        "added": 4,
        "removed": 1,
    }


def test_carrying_keys_through_three_versions_keeps_them_stable() -> None:
    """Import v2 then v3 with carried keys: every renumbered clause keeps its v1 key."""
    v1 = list(_clauses("human-rights-borders/v1.md"))
    stored = v1
    for name in ("human-rights-borders/v2.md", "human-rights-borders/v3.md"):
        parsed = list(_clauses(name))
        mapping = carry_keys(stored, parsed, align(stored, parsed))
        stored = [
            ClauseText(
                mapping.get(c.key, c.key),
                c.number,
                c.heading,
                c.text,
                None if c.parent_key is None else mapping.get(c.parent_key, c.parent_key),
                c.position,
                c.kind,
            )
            for c in parsed
        ]
        assert len({c.key for c in stored}) == len(stored)
    by_text = {c.text: c.key for c in stored if c.text}
    moved_twice = next(c.text for c in v1 if c.key == _g("legal-framework", "5"))
    assert by_text[moved_twice] == _g("legal-framework", "5")  # now Guideline 9 para 3
    renumbered = next(c.text for c in v1 if c.key == _g("monitoring", "2"))
    assert by_text[renumbered] == _g("monitoring", "2")  # now Guideline 10 para 3
    inserted = next(c for c in stored if c.number == "2." and c.parent_key == _g("legal-framework"))
    assert inserted.key not in {c.key for c in v1}
