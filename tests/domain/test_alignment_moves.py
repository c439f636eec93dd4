"""Issue 11, rules 3 and 4: "moved" means moved, and one status vocabulary with a precedence.

Texts are long enough (a full sentence each) to be matched on their words alone.
"""

from __future__ import annotations

from consult.domain.alignment import Alignment, ClauseText, align

TEXT = {
    "a": "States should protect the human rights of all migrants at international borders.",
    "b": "Border officials should receive regular training on human rights and refugee law.",
    "c": "Detention of children for reasons of their migration status is never in their interest.",
    "d": "Returns should be carried out in safety and dignity, with independent monitoring.",
    "e": "Everyone has the right to seek asylum from persecution in other countries.",
    "f": "Search and rescue at sea is a duty of every state, whatever the status of the persons.",
}


def c(key: str, text: str, parent: str | None, number: str = "", heading: str = "") -> ClauseText:
    """A clause; positions are given by `numbered`."""
    return ClauseText(key, number, heading, text, parent, 0, "paragraph")


def numbered(*clauses: ClauseText) -> list[ClauseText]:
    return [
        ClauseText(x.key, x.number, x.heading, x.text, x.parent_key, n, x.kind)
        for n, x in enumerate(clauses)
    ]


def changes(result: Alignment) -> list[tuple[str, list[str], list[str]]]:
    return [
        (p.status, [x.key for x in p.old], [x.key for x in p.new])
        for p in result.pairs
        if p.status != "unchanged"
    ]


def test_a_section_that_gains_numbered_paragraphs_moves_nothing() -> None:
    """§ 5's sentence becomes "(1)" over its items; a "(2)" is added: nothing moved."""
    old = numbered(
        c("s5", "", None, "§ 5", "Protection at the border"),
        c("s5-p1", TEXT["a"], "s5"),
        c("s5.1", TEXT["b"], "s5", "1."),
        c("s5.2", TEXT["c"], "s5", "2."),
        c("s5-p2", TEXT["d"], "s5"),
        c("s6", "", None, "§ 6", "Asylum"),
        c("s6-p1", TEXT["e"], "s6"),
    )
    new = numbered(
        c("s5", "", None, "§ 5", "Protection at the border"),
        c("s5.1", TEXT["a"], "s5", "(1)"),
        c("s5.1.1", TEXT["b"], "s5.1", "1."),
        c("s5.1.2", TEXT["c"], "s5.1", "2."),
        c("s5.1-p1", TEXT["d"], "s5.1"),
        c("s5.2", TEXT["f"], "s5", "(2)"),
        c("s6", "", None, "§ 6", "Asylum"),
        c("s6-p1", TEXT["e"], "s6"),
    )
    assert changes(align(old, new)) == [
        ("renumbered", ["s5-p1"], ["s5.1"]),
        ("added", [], ["s5.2"]),
    ]


def test_a_renamed_heading_does_not_move_its_paragraphs() -> None:
    old = numbered(
        c("g1", "", None, "1", "Training"),
        c("g1.1", TEXT["a"], "g1", "1."),
        c("g1.2", TEXT["b"], "g1", "2."),
        c("g2", "", None, "2", "Children"),
        c("g2.1", TEXT["c"], "g2", "1."),
    )
    new = numbered(
        c("capacity", "", None, "1", "Building the capacity of officials"),
        c("capacity.1", TEXT["a"], "capacity", "1."),
        c("capacity.2", TEXT["b"], "capacity", "2."),
        c("g2", "", None, "2", "Children"),
        c("g2.1", TEXT["c"], "g2", "1."),
    )
    result = changes(align(old, new))
    assert not [item for item in result if item[0] == "moved"]
    assert {(s, tuple(o), tuple(n)) for s, o, n in result} <= {
        ("removed", ("g1",), ()),
        ("added", (), ("capacity",)),
        ("changed", ("g1",), ("capacity",)),
    }


def test_one_wrapping_level_added_moves_nothing() -> None:
    old = numbered(
        c("g1", "", None, "Guideline 1", "Training"),
        c("g1.1", TEXT["a"], "g1", "1."),
        c("g1.2", TEXT["b"], "g1", "2."),
        c("g2", "", None, "Guideline 2", "Children"),
        c("g2.1", TEXT["c"], "g2", "1."),
    )
    new = numbered(
        c("part-1", "", None, "Part I", "Guidelines"),
        *[c(x.key, x.text, x.parent_key or "part-1", x.number, x.heading) for x in old],
    )
    assert changes(align(old, new)) == [("added", [], ["part-1"])]
    # and back: a wrapping level removed moves nothing either.
    assert changes(align(new, old)) == [("removed", ["part-1"], [])]


def test_a_real_move_to_another_section_and_within_a_section() -> None:
    old = numbered(
        c("g1", "", None, "Guideline 1", "Training"),
        c("g1.1", TEXT["a"], "g1", "1."),
        c("g1.2", TEXT["b"], "g1", "2."),
        c("g1.3", TEXT["c"], "g1", "3."),
        c("g2", "", None, "Guideline 2", "Returns"),
        c("g2.1", TEXT["d"], "g2", "1."),
        c("g2.2", TEXT["e"], "g2", "2."),
    )
    new = numbered(
        c("g1", "", None, "Guideline 1", "Training"),
        c("g1.1", TEXT["b"], "g1", "1."),  # swapped with the next: one of them moved
        c("g1.2", TEXT["a"], "g1", "2."),
        c("g2", "", None, "Guideline 2", "Returns"),
        c("g2.1", TEXT["d"], "g2", "1."),
        c("g2.2", TEXT["e"], "g2", "2."),
        c("g2.3", TEXT["c"], "g2", "3."),  # moved to another guideline
    )
    result = changes(align(old, new))
    moved = [item for item in result if item[0] == "moved"]
    assert ("moved", ["g1.3"], ["g2.3"]) in moved
    assert len(moved) == 2
    assert next(o for _, o, _ in moved if o != ["g1.3"]) in (["g1.1"], ["g1.2"])


def test_a_moved_section_moves_alone_its_paragraphs_go_with_it() -> None:
    old = numbered(
        c("g1", "", None, "Guideline 1", "Training"),
        c("g1.1", TEXT["a"], "g1", "1."),
        c("g2", "", None, "Guideline 2", "Children"),
        c("g2.1", TEXT["c"], "g2", "1."),
        c("g2.2", TEXT["d"], "g2", "2."),
        c("g3", "", None, "Guideline 3", "Rescue"),
        c("g3.1", TEXT["f"], "g3", "1."),
    )
    new = numbered(old[0], old[1], old[5], old[6], old[2], old[3], old[4])
    # One section moved (which one is a matter of the longest common order); not its paragraphs.
    assert changes(align(old, new)) in ([("moved", ["g3"], ["g3"])], [("moved", ["g2"], ["g2"])])


def test_a_reworded_and_renumbered_clause_is_changed_with_its_old_number() -> None:
    old = numbered(
        c("g1", "", None, "Guideline 1", "Training"),
        c("g1.1", TEXT["a"], "g1", "1."),
        c("g1.2", TEXT["b"], "g1", "2."),
    )
    new = numbered(
        c("g1", "", None, "Guideline 1", "Training"),
        c("g1.0", TEXT["e"], "g1", "1."),
        c("g1.1", TEXT["a"], "g1", "2."),
        c("g1.2", TEXT["b"] + " Every year.", "g1", "3."),
    )
    pairs = {p.old[0].key: p for p in align(old, new).pairs if p.old}
    assert pairs["g1.1"].status == "renumbered" and not pairs["g1.1"].text_changed
    reworded = pairs["g1.2"]
    assert reworded.status == "changed" and reworded.text_changed
    assert (reworded.old[0].number, reworded.new[0].number) == ("2.", "3.")


def test_a_title_that_now_wraps_the_document_moves_nothing() -> None:
    """The same title, now the parent of every section (as a "#" over "##" headings)."""
    old = numbered(
        c("title", "", None, "", "Principles and guidelines on human rights at borders"),
        c("g1", "", None, "Guideline 1", "Training"),
        c("g1.1", TEXT["a"], "g1", "1."),
        c("g2", "", None, "Guideline 2", "Children"),
        c("g2.1", TEXT["c"], "g2", "1."),
    )
    new = numbered(
        old[0], *[c(x.key, x.text, x.parent_key or "title", x.number, x.heading) for x in old[1:]]
    )
    assert changes(align(old, new)) == []
