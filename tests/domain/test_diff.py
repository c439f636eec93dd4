"""Word diff: whole words only, both texts rebuilt exactly (its HTML: tests/web/test_macros.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from consult.domain.diff import Op, tokens, word_diff


def sides(ops: list[tuple[Op, str]]) -> tuple[str, str]:
    old = "".join(text for op, text in ops if op != "insert")
    new = "".join(text for op, text in ops if op != "delete")
    return old, new


def test_identical_and_empty() -> None:
    assert word_diff("", "") == []
    assert word_diff("same text", "same text") == [("equal", "same text")]
    assert word_diff("", "new") == [("insert", "new")]
    assert word_diff("old", "") == [("delete", "old")]


def test_never_half_a_word() -> None:
    ops = word_diff("gender-sensitive training", "gender-responsive training")
    assert ops == [
        ("equal", "gender-"),
        ("delete", "sensitive"),
        ("insert", "responsive"),
        ("equal", " training"),
    ]


def test_inserted_words_in_a_sentence() -> None:
    old = "used only as a measure of last resort"
    new = "used only as an exceptional measure of last resort"
    assert word_diff(old, new) == [
        ("equal", "used only as "),
        ("delete", "a"),
        ("insert", "an exceptional"),
        ("equal", " measure of last resort"),
    ]


def test_deletion_comes_before_insertion_and_runs_are_joined() -> None:
    ops = word_diff("one two three four", "one five six four")
    kinds = [op for op, _ in ops]
    assert kinds == ["equal", "delete", "insert", "equal"]


def test_punctuation_change_only() -> None:
    assert word_diff("older persons.", "older persons;") == [
        ("equal", "older persons"),
        ("delete", "."),
        ("insert", ";"),
    ]


def test_many_distinct_tokens_beyond_the_first_private_area() -> None:
    old = " ".join(f"w{n}" for n in range(8000))
    new = old.replace("w7999", "changed")
    assert sides(word_diff(old, new)) == (old, new)


PIECES = [*"ab cé\n\t.,;-–«»ßü漢字\u00a0💡", "  ", "word", "Straße", "\r\n"]
TEXT = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


@given(TEXT, TEXT)
def test_both_sides_rebuild_exactly(old: str, new: str) -> None:
    assert sides(word_diff(old, new)) == (old, new)


@given(st.text(max_size=80), st.text(max_size=80))
def test_both_sides_rebuild_exactly_for_any_unicode(old: str, new: str) -> None:
    assert sides(word_diff(old, new)) == (old, new)


@given(TEXT, TEXT)
def test_edits_cover_whole_tokens(old: str, new: str) -> None:
    """Every edit boundary is a token boundary of the side it belongs to."""
    for side, skip in ((old, "insert"), (new, "delete")):
        boundaries = {0}
        at = 0
        for token in tokens(side):
            at += len(token)
            boundaries.add(at)
        at = 0
        for op, text in word_diff(old, new):
            if op == skip:
                continue
            assert at in boundaries
            at += len(text)
            assert at in boundaries
