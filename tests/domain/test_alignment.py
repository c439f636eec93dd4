"""Clause alignment on small hand-built versions: stages, statuses, forced ties, carried keys."""

from __future__ import annotations

import pytest

from consult.domain.alignment import STATUSES, Alignment, ClauseText, align, carry_keys

LOREM = {
    "a": "States should protect the human rights of all migrants at international borders.",
    "b": "Border officials should receive regular training on human rights and refugee law.",
    "c": "Detention of children for reasons of their migration status is never in their interest.",
    "d": "Returns should be carried out in safety and dignity, with independent monitoring.",
    "e": "Everyone has the right to seek asylum from persecution in other countries.",
}


def clause(
    key: str,
    text: str,
    position: int,
    *,
    number: str = "",
    parent: str | None = "g1",
    heading: str = "",
    kind: str = "paragraph",
) -> ClauseText:
    return ClauseText(key, number, heading, text, parent, position, kind)


def heading(key: str, title: str, position: int, number: str = "") -> ClauseText:
    return clause(key, "", position, number=number, parent=None, heading=title, kind="guideline")


def version(*items: tuple[str, str], parent: str = "g1") -> list[ClauseText]:
    """A guideline heading followed by numbered paragraphs (key, text)."""
    out = [heading(parent, "Guideline", 0, "Guideline 1")]
    for n, (key, text) in enumerate(items, start=1):
        out.append(clause(key, text, n, number=f"{n}.", parent=parent))
    return out


def statuses(alignment: Alignment) -> list[tuple[str, list[str], list[str]]]:
    return [
        (p.status, [c.key for c in p.old], [c.key for c in p.new])
        for p in alignment.pairs
        if p.status != "unchanged"
    ]


def test_identical_versions_are_unchanged() -> None:
    old = version(("p1", LOREM["a"]), ("p2", LOREM["b"]))
    result = align(old, old)
    assert {p.status for p in result.pairs} == {"unchanged"}
    assert result.summary() == {s: (3 if s == "unchanged" else 0) for s in STATUSES}


def test_empty_versions() -> None:
    assert align([], []).pairs == ()
    only_new = align([], version(("p1", LOREM["a"])))
    assert [p.status for p in only_new.pairs] == ["added", "added"]


def test_whitespace_is_not_a_change() -> None:
    old = version(("p1", LOREM["a"]))
    new = version(("p1", LOREM["a"].replace(" ", "  \n ")))
    assert statuses(align(old, new)) == []


def test_insertion_renumbers_the_following_paragraphs() -> None:
    old = version(("g1.1", LOREM["a"]), ("g1.2", LOREM["b"]))
    new = version(("g1.1", LOREM["e"]), ("g1.2", LOREM["a"]), ("g1.3", LOREM["b"]))
    assert statuses(align(old, new)) == [
        ("added", [], ["g1.1"]),
        ("renumbered", ["g1.1"], ["g1.2"]),
        ("renumbered", ["g1.2"], ["g1.3"]),
    ]


def test_derived_key_naming_an_unrelated_clause_is_not_trusted() -> None:
    # The old g1.2 went on as g1.3, word for word; the new g1.2 is another text.
    old = version(("g1.1", LOREM["a"]), ("g1.2", LOREM["b"]))
    new = version(("g1.1", LOREM["a"]), ("g1.2", LOREM["e"]), ("g1.3", LOREM["b"]))
    assert statuses(align(old, new)) == [
        ("added", [], ["g1.2"]),
        ("renumbered", ["g1.2"], ["g1.3"]),
    ]
    # Where nothing else continues it, the text that took its very place is its new wording.
    new = version(("g1.1", LOREM["a"]), ("g1.2", LOREM["e"]))
    assert statuses(align(old, new)) == [("changed", ["g1.2"], ["g1.2"])]
    # Not when another text follows it where the old one ended the document.
    new = version(("g1.1", LOREM["a"]), ("g1.2", LOREM["e"]), ("g1.3", LOREM["c"]))
    assert statuses(align(old, new)) == [
        ("removed", ["g1.2"], []), ("added", [], ["g1.2"]), ("added", [], ["g1.3"])
    ]  # fmt: skip
    trusted = align(old, new, key_threshold=0.0)  # stored versions: the carried key decides
    assert statuses(trusted) == [("changed", ["g1.2"], ["g1.2"]), ("added", [], ["g1.3"])]


def test_reworded_paragraph_is_changed_with_similarity() -> None:
    old = version(("p1", LOREM["a"]))
    new = version(("x1", LOREM["a"].replace("protect", "respect and protect")))
    (pair,) = [p for p in align(old, new).pairs if p.status != "unchanged"]
    assert pair.status == "changed" and pair.text_changed
    assert 0.9 < pair.similarity < 1.0


def test_swap_is_one_move_and_a_moved_clause_keeps_text_changed() -> None:
    old = version(("p1", LOREM["a"]), ("p2", LOREM["b"]), ("p3", LOREM["c"]))
    new = [
        heading("g1", "Guideline", 0, "Guideline 1"),
        clause("p3", LOREM["c"] + " Really.", 1, number="1."),
        clause("p1", LOREM["a"], 2, number="2."),
        clause("p2", LOREM["b"], 3, number="3."),
    ]
    result = align(old, new)
    assert [(p.status, p.text_changed) for p in result.pairs[1:]] == [
        ("moved", True),
        ("renumbered", False),
        ("renumbered", False),
    ]


def test_moved_to_another_parent() -> None:
    old = [*version(("p1", LOREM["a"]), ("p2", LOREM["b"])), heading("g2", "Other", 3)]
    new = [*version(("p1", LOREM["a"])), heading("g2", "Other", 2)]
    new.append(clause("q1", LOREM["b"], 3, number="2.", parent="g2"))
    assert statuses(align(old, new)) == [("moved", ["p2"], ["q1"])]


def test_parent_counterpart_follows_the_alignment_not_the_key() -> None:
    """Children of a renamed-key heading are not moved: their parent is its counterpart."""
    old = version(("p1", LOREM["a"]), parent="g1")
    new = version(("p1x", LOREM["a"]), parent="renamed")
    assert statuses(align(old, new)) == []


def test_split_and_merge() -> None:
    whole = f"{LOREM['a']} {LOREM['b']}"
    old = version(("p1", whole), ("p2", LOREM["c"]))
    new = version(("p1", LOREM["a"]), ("p2", LOREM["b"]), ("p3", LOREM["c"]))
    result = align(old, new)
    assert statuses(result)[0] == ("split", ["p1"], ["p1", "p2"])
    assert not result.pairs[1].text_changed
    back = align(new, old)
    assert statuses(back)[0] == ("merged", ["p1", "p2"], ["p1"])


def test_a_short_clause_made_of_common_words_is_not_a_split_part() -> None:
    old = version(("p1", LOREM["a"]))
    new = version(("p1", LOREM["a"][:-1] + ";"), ("p2", "States should protect migrants."))
    assert statuses(align(old, new)) == [
        ("changed", ["p1"], ["p1"]),
        ("added", [], ["p2"]),
    ]


def test_optimal_assignment_beats_greedy() -> None:
    """Greedy would give old x (best score) to new 1 and leave old y unmatched."""
    x = "alpha beta gamma delta epsilon zeta"
    y = "alpha beta gamma eta theta iota"
    old = version(("x", x), ("y", y))
    new = version(
        ("n1", "alpha beta gamma delta epsilon kappa"), ("n2", "delta epsilon zeta lambda")
    )
    pairs = {p.new[0].key: [c.key for c in p.old] for p in align(old, new, threshold=0.4).pairs}
    assert pairs["n1"] == ["y"] or pairs["n2"] == ["x"]


def test_forced_ties_and_forced_new() -> None:
    old = version(("p1", LOREM["a"]), ("p2", LOREM["b"]))
    new = version(("n1", LOREM["a"]), ("n2", LOREM["d"]))
    forced = align(old, new, forced={"n2": "p2", "n1": None})
    assert statuses(forced) == [
        ("removed", ["p1"], []),
        ("added", [], ["n1"]),
        ("changed", ["p2"], ["n2"]),
    ]


@pytest.mark.parametrize(
    ("forced", "message"),
    [
        ({"zz": None}, "unknown new"),
        ({"n1": "zz"}, "unknown old"),
        ({"n1": "p1", "n2": "p1"}, "two"),
    ],
)
def test_bad_forced_ties_are_refused(forced: dict[str, str | None], message: str) -> None:
    old = version(("p1", LOREM["a"]))
    new = version(("n1", LOREM["a"]), ("n2", LOREM["b"]))
    with pytest.raises(ValueError, match=message):
        align(old, new, forced=forced)


def test_threshold_must_be_positive() -> None:
    with pytest.raises(ValueError):
        align([], [], threshold=0)


def test_duplicate_texts_pair_in_order() -> None:
    old = version(("p1", "Repealed."), ("p2", LOREM["a"]), ("p3", "Repealed."))
    new = version(("n1", "Repealed."), ("n2", "Repealed."))
    result = align(old, new)
    assert statuses(result) == [("removed", ["p2"], []), ("renumbered", ["p3"], ["n2"])]


def test_carry_keys_inherits_and_renames_collisions() -> None:
    old = version(("g1.1", LOREM["a"]), ("g1.2", LOREM["b"]), ("g1.3", LOREM["c"]))
    new = version(("g1.1", LOREM["e"]), ("g1.2", LOREM["a"]), ("g1.3", LOREM["b"] + " Now."))
    mapping = carry_keys(old, new, align(old, new))
    # old g1.3 is removed: the new clause now numbered 3 must not inherit its comments.
    assert mapping == {"g1.1": "g1.1-2", "g1.2": "g1.1", "g1.3": "g1.2"}


def test_carry_keys_split_first_part_and_explicit_keys_win() -> None:
    whole = f"{LOREM['a']} {LOREM['b']}"
    old = version(("p1", whole), ("p2", LOREM["c"]))
    new = version(("n1", LOREM["a"]), ("n2", LOREM["b"]), ("p1", LOREM["d"]))
    result = align(old, new)
    assert carry_keys(old, new, result) == {"n1": "p1", "p1": "p1-2"}  # p2 removed, p1 added
    mapping = carry_keys(old, new, result, explicit={"p1"})
    assert "n1" not in mapping  # its carry would collide with an explicit key
    assert "p1" not in mapping
    final = [mapping.get(c.key, c.key) for c in new]
    assert len(set(final)) == len(final)
