"""Diffs of a real restructured law show changed words, never a change of wrapping.

The residence act's 2012 and 2022 texts are wrapped at different places: read
as its source lines, about a thousand replacements of the comparison differed
only in line breaks. Read as a reader sees it, none does; what whitespace
changes remain are paragraph breaks, which a reader sees.
"""

from __future__ import annotations

import re
from itertools import pairwise

import pytest

from consult.domain.alignment import ClauseText, align, clause_texts
from consult.domain.diff import LONG_RUN, Op, units, word_diff
from consult.domain.parsing import parse_draft
from tests.corpus import CORPUS, require_corpus

FOLDER = "de-aufenthg-residence-act"
OLD = "AufenthG_2012-08-06_after-bluecard-directive-act.md"
NEW = "AufenthG_2022-01-28_stand.md"


def _clauses(name: str) -> list[ClauseText]:
    path = CORPUS / FOLDER / name
    return clause_texts(parse_draft(path.read_bytes(), path.name).clauses)


@pytest.fixture(scope="module")
def diffs() -> list[list[tuple[Op, str]]]:
    require_corpus()
    found = []
    for pair in align(_clauses(OLD), _clauses(NEW), threshold=0.5, key_threshold=0.0).pairs:
        if pair.old and pair.new and pair.text_changed:
            # Joined as the stored comparison joins a split's or a merge's parts.
            for old, new in (
                ("\n\n".join(c.text for c in pair.old), "\n\n".join(c.text for c in pair.new)),
                (" / ".join(c.heading for c in pair.old), " / ".join(c.heading for c in pair.new)),
            ):
                if old != new:
                    found.append(word_diff(old, new))
    return found


def _replacements(ops: list[tuple[Op, str]]) -> list[tuple[str, str]]:
    return [
        (text, after)
        for (op, text), (next_op, after) in pairwise(ops)
        if op == "delete" and next_op == "insert"
    ]


def test_no_replacement_differs_only_in_wrapping(diffs: list[list[tuple[Op, str]]]) -> None:
    assert len(diffs) > 400
    only_spaces = [
        (old, new)
        for ops in diffs
        for old, new in _replacements(ops)
        if old.split() == new.split() and "\n\n" not in old + new
    ]
    assert only_spaces == []
    # Nor does a diff carry a line break inside a paragraph but before a list or table line.
    for ops in diffs:
        for _op, text in ops:
            for line in re.split(r"\n\n", text):
                assert "\n" not in line or re.search(r"\n[-*+|>#]|\n\d+[.)]", line), line


def test_no_long_unchanged_run_inside_a_replacement(diffs: list[list[tuple[Op, str]]]) -> None:
    for ops in diffs:
        for old, new in _replacements(ops):
            a, b = units(old), units(new)
            runs = {tuple(a[i : i + LONG_RUN]) for i in range(len(a) - LONG_RUN + 1)}
            assert not any(tuple(b[j : j + LONG_RUN]) in runs for j in range(len(b) - LONG_RUN + 1))
