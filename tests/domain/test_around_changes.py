"""Shortening a word diff to the words around its changes, as the matrix shows proposals."""

from __future__ import annotations

from consult.domain.diff import around_changes, word_diff

CLAUSE = (
    "International borders are not zones of exception from human rights and every measure "
    "States take at their borders must conform with their obligations under international law."
)


def test_long_unchanged_stretches_are_shortened_around_the_change() -> None:
    proposal = CLAUSE.replace("every measure", "each and every measure")
    ops = around_changes(tuple(word_diff(CLAUSE, proposal)), context=3)
    assert [op for op, _ in ops] == ["equal", "insert", "equal"]
    assert ops[0][1] == "… human rights and "
    assert ops[1][1] == "each and "
    assert ops[2][1].startswith("every measure States") and ops[2][1].endswith(" …")


def test_short_texts_and_changes_are_kept_whole() -> None:
    ops = tuple(word_diff("a short text", "a shorter text"))
    assert around_changes(ops) == ops
    rewritten = tuple(word_diff(CLAUSE, "Something else entirely."))
    shown = around_changes(rewritten)
    assert "".join(t for op, t in shown if op == "insert") == "Something else entirely"
    assert "".join(t for op, t in shown if op != "delete") == "Something else entirely."


def test_a_stretch_between_two_changes_keeps_words_on_both_sides() -> None:
    proposal = CLAUSE.replace("International", "All international").replace(
        "international law", "international human rights law"
    )
    ops = around_changes(tuple(word_diff(CLAUSE, proposal)), context=2)
    middle = [t for op, t in ops if op == "equal" and "…" in t]
    assert middle and middle[0].count("…") == 1
