"""Properties of ``align`` over generated versions (hypothesis)."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from consult.domain.alignment import Alignment, ClauseText, align, carry_keys

WORDS = [
    "state", "border", "migrant", "right", "law", "child", "return", "protect", "shall",
    "should", "the", "of", "and", "to", "detention", "asylum", "monitor", "data", "official",
    "train", "safety", "dignity", "remedy", "access", "review", "assess", "refugee", "sea",
]  # fmt: skip

TEXTS = st.lists(st.sampled_from(WORDS), min_size=1, max_size=25).map(" ".join)


@st.composite
def versions(draw: st.DrawFn, max_size: int = 25) -> list[ClauseText]:
    """A flat-ish version: headings with numbered paragraphs under them, unique texts."""
    texts = draw(st.lists(TEXTS, min_size=0, max_size=max_size, unique=True))
    clauses: list[ClauseText] = []
    parent: str | None = None
    count = 0
    for n, text in enumerate(texts):
        if parent is None or draw(st.integers(0, 5)) == 0:
            parent, count = f"h{n}", 0
            clauses.append(ClauseText(parent, "", text, "", None, len(clauses), "heading"))
            continue
        count += 1
        clauses.append(ClauseText(f"{parent}.{count}", f"{count}.", "", text, parent, len(clauses)))
    return clauses


def accounted(old: list[ClauseText], new: list[ClauseText], result: Alignment) -> None:
    olds = [c.key for p in result.pairs for c in p.old]
    news = [c.key for p in result.pairs for c in p.new]
    assert sorted(olds) == sorted(c.key for c in old)
    assert sorted(news) == sorted(c.key for c in new)
    at = {c.key: n for n, c in enumerate(new)}
    firsts = [at[p.new[0].key] for p in result.pairs if p.new]
    assert firsts == sorted(firsts)  # the newer version's order (a split at its first part)
    for pair in result.pairs:
        assert 0.0 <= pair.similarity <= 1.0
        assert (len(pair.old), len(pair.new)) != (0, 0)
        if pair.status == "split":
            assert len(pair.old) == 1 and len(pair.new) >= 2
        elif pair.status == "merged":
            assert len(pair.old) >= 2 and len(pair.new) == 1
        elif pair.status == "added":
            assert not pair.old and len(pair.new) == 1
        elif pair.status == "removed":
            assert len(pair.old) == 1 and not pair.new
        else:
            assert len(pair.old) == len(pair.new) == 1


@given(versions())
def test_identical_versions_are_all_unchanged(old: list[ClauseText]) -> None:
    result = align(old, old)
    assert all(p.status == "unchanged" for p in result.pairs)
    assert len(result.pairs) == len(old)


@given(versions(), st.randoms(use_true_random=False))
def test_a_shuffle_with_the_same_keys_gives_moves_only(
    old: list[ClauseText], rng: random.Random
) -> None:
    top = [c for c in old if c.parent_key is None]
    order = top[:]
    rng.shuffle(order)
    new: list[ClauseText] = []
    for head in order:  # move whole sections, and shuffle paragraphs within each
        children = [c for c in old if c.parent_key == head.key]
        rng.shuffle(children)
        for c in [head, *children]:
            new.append(
                ClauseText(c.key, c.number, c.heading, c.text, c.parent_key, len(new), c.kind)
            )
    result = align(old, new)
    accounted(old, new, result)
    assert {p.status for p in result.pairs} <= {"unchanged", "moved"}


@given(versions(), st.integers(0, 25))
def test_a_new_wrapping_level_moves_nothing(old: list[ClauseText], at: int) -> None:
    """A new part heading wrapping the sections from one point on: added, nothing moved."""
    tops = [n for n, c in enumerate(old) if c.parent_key is None]
    start = tops[at % len(tops)] if tops else 0
    wrapper = ClauseText("part", "Part I", "Wrapping part heading", "", None, start, "heading")
    new = [*old[:start], wrapper]
    for c in old[start:]:
        parent = c.parent_key if c.parent_key is not None else "part"
        new.append(ClauseText(c.key, c.number, c.heading, c.text, parent, len(new), c.kind))
    result = align(old, new)
    accounted(old, new, result)
    assert [p.status for p in result.pairs if p.status != "unchanged"] == ["added"]


@given(versions())
def test_a_sentence_that_becomes_the_parent_of_its_section_moves_nothing(
    old: list[ClauseText],
) -> None:
    """Each section's first paragraph becomes "(1)" over the paragraphs after it."""
    firsts: dict[str, str] = {}
    for c in old:
        if c.parent_key is not None:
            firsts.setdefault(c.parent_key, c.key)
    new: list[ClauseText] = []
    for c in old:
        number, parent = c.number, c.parent_key
        if c.key in firsts.values():
            number = "(1)"
        elif parent in firsts:
            parent = firsts[parent]
        new.append(ClauseText(c.key, number, c.heading, c.text, parent, c.position, c.kind))
    result = align(old, new)
    accounted(old, new, result)
    assert {p.status for p in result.pairs} <= {"unchanged", "renumbered"}
    assert [p.status == "renumbered" for p in result.pairs] == [
        c.key in firsts.values() for c in old
    ]


@given(versions())
def test_renamed_keys_are_found_by_text(old: list[ClauseText]) -> None:
    renamed = {c.key: f"x-{c.key}" for c in old}
    new = [
        ClauseText(
            renamed[c.key],
            c.number,
            c.heading,
            c.text,
            None if c.parent_key is None else renamed[c.parent_key],
            c.position,
            c.kind,
        )
        for c in old
    ]
    result = align(old, new)
    assert all(p.status == "unchanged" for p in result.pairs)
    assert carry_keys(old, new, result) == {v: k for k, v in renamed.items()}


@st.composite
def edited(draw: st.DrawFn) -> tuple[list[ClauseText], list[ClauseText]]:
    """Two versions: the second drops, rewords, inserts and renumbers clauses of the first."""
    old = draw(versions())
    new_texts: list[tuple[str, ClauseText]] = []
    for c in old:
        action = draw(st.sampled_from(["keep", "keep", "drop", "reword", "insert"]))
        if action == "drop":
            continue
        if action == "insert":
            new_texts.append(("insert", c))
        if action == "reword":
            words = (c.heading or c.text).split()
            words[draw(st.integers(0, len(words) - 1))] = draw(st.sampled_from(WORDS))
            text = " ".join(words)
            c = ClauseText(
                c.key, c.number, c.heading and text, c.text and text, c.parent_key, c.position
            )
        new_texts.append(("keep", c))
    new: list[ClauseText] = []
    parent: str | None = None
    count = 0
    for n, (action, c) in enumerate(new_texts):
        if c.parent_key is None or parent is None:
            parent, count = f"n{n}", 0
            text = draw(TEXTS) if action == "insert" else c.heading
            new.append(ClauseText(parent, "", text, "", None, len(new), "heading"))
            continue
        count += 1
        text = draw(TEXTS) if action == "insert" else c.text
        new.append(ClauseText(f"{parent}.{count}", f"{count}.", "", text, parent, len(new)))
    return old, new


@settings(max_examples=200)
@given(edited(), st.floats(0.1, 1.0))
def test_every_clause_is_accounted_for_exactly_once(
    versions_: tuple[list[ClauseText], list[ClauseText]], threshold: float
) -> None:
    old, new = versions_
    result = align(old, new, threshold=threshold)
    accounted(old, new, result)
    assert sum(result.summary().values()) == len(result.pairs)
    mapping = carry_keys(old, new, result)
    final = [mapping.get(c.key, c.key) for c in new]
    assert len(set(final)) == len(final)
    inherited = {c.key for p in result.pairs if p.old and p.new for c in p.old}
    old_keys = {c.key for c in old}
    assert all(k in inherited or k not in old_keys for k in final)


@given(edited())
def test_forcing_every_new_clause_as_added_leaves_no_match(
    versions_: tuple[list[ClauseText], list[ClauseText]],
) -> None:
    old, new = versions_
    result = align(old, new, forced=dict.fromkeys((c.key for c in new), None))
    accounted(old, new, result)
    assert {p.status for p in result.pairs} <= {"added", "removed"}


@given(
    st.lists(
        st.tuples(st.integers(0, 4), st.integers(0, 4), st.floats(0.5, 1.0)),
        max_size=12,
        unique_by=lambda edge: (edge[0], edge[1]),
    )
)
def test_assignment_is_optimal(edges: list[tuple[int, int, float]]) -> None:
    """The Hungarian matching's total equals a brute-force maximum over all matchings."""
    from itertools import combinations

    from consult.domain.alignment.assignment import best_matching

    chosen = best_matching(edges)
    assert len({e[0] for e in chosen}) == len(chosen) == len({e[1] for e in chosen})
    best = 0.0
    for size in range(len(edges) + 1):
        for subset in combinations(edges, size):
            if len({e[0] for e in subset}) == size == len({e[1] for e in subset}):
                best = max(best, sum(e[2] for e in subset))
    assert abs(sum(e[2] for e in chosen) - best) < 1e-9


@settings(max_examples=150)
@given(edited())
def test_carried_keys_alone_pair_clauses_as_the_import_carried_them(
    versions_: tuple[list[ClauseText], list[ClauseText]],
) -> None:
    """Compared after an import, every one-to-one pair is the one its carried key names."""
    old, new = versions_
    mapping = carry_keys(old, new, align(old, new))
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
        for c in new
    ]
    result = align(old, stored, key_threshold=0.0, carried=True)
    accounted(old, stored, result)
    old_keys = {c.key for c in old}
    for pair in result.pairs:
        if len(pair.old) == len(pair.new) == 1:
            assert pair.old[0].key == pair.new[0].key
        for clause in pair.new[1:]:  # further parts of a split hold no old key
            assert clause.key not in old_keys
        if not pair.old:
            assert pair.new[0].key not in old_keys
