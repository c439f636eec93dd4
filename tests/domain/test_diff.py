"""Word diff: whole words only, both reader texts rebuilt exactly, long unchanged runs kept.

"Exactly" is of the texts as a reader sees them (`reader_text`): a diff never
shows a change of wrapping, so joining its parts gives each text with its
paragraphs unwrapped, not the source's line breaks. Its HTML: tests/web/test_macros.py.
"""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from consult.domain.diff import LONG_RUN, Op, tokens, units, word_diff
from consult.domain.reader_text import reader_text


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
    assert sides(word_diff(old, new)) == (reader_text(old), reader_text(new))


@given(st.text(max_size=80), st.text(max_size=80))
def test_both_sides_rebuild_exactly_for_any_unicode(old: str, new: str) -> None:
    assert sides(word_diff(old, new)) == (reader_text(old), reader_text(new))


@given(TEXT, TEXT)
def test_edits_cover_whole_tokens(old: str, new: str) -> None:
    """Every edit boundary is a token boundary of the side it belongs to."""
    for side, skip in ((reader_text(old), "insert"), (reader_text(new), "delete")):
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


def test_a_rewrapped_paragraph_shows_no_change() -> None:
    old = "Ein Ausländer, der einen\nAufenthaltstitel besitzt,\ndarf einreisen."
    new = "Ein Ausländer, der\neinen Aufenthaltstitel\nbesitzt, darf einreisen."
    assert word_diff(old, new) == [("equal", reader_text(old))]
    changed = word_diff(old, new.replace("darf", "kann"))
    assert [op for op, _ in changed] == ["equal", "delete", "insert", "equal"]
    assert not any(op != "equal" and not text.strip() for op, text in changed)


def test_a_new_paragraph_break_is_a_change() -> None:
    assert word_diff("First sentence.\nSecond one.", "First sentence.\n\nSecond one.") == [
        ("equal", "First sentence."),
        ("delete", " "),
        ("insert", "\n\n"),
        ("equal", "Second one."),
    ]


OLD = (
    "Alpha beta gamma delta alpha2 beta2 gamma2 delta2 one two three four five"
    " epsilon zeta eta theta e2 z2 et2 th2"
)
NEW = (
    "Iota kappa lambda mu iota2 kappa2 lambda2 mu2 one two three four five"
    " nu xi omicron pi nu2 xi2 om2 pi2"
)


def test_five_unchanged_words_between_two_edits_stay_unchanged() -> None:
    # The semantic cleanup folds this stretch into one replacement; it is split again.
    ops = word_diff(OLD, NEW)
    assert [op for op, _ in ops] == ["delete", "insert", "equal", "delete", "insert"]
    assert ops[2] == ("equal", " one two three four five ")


def test_four_unchanged_words_may_be_folded_into_a_replacement() -> None:
    old, new = OLD.replace(" five", ""), NEW.replace(" five", "")
    assert [op for op, _ in word_diff(old, new)] == ["delete", "insert"]


def longest_shared_run(old: str, new: str) -> int:
    """Return the most words in a row (`units`) that two texts share, by brute force."""
    a, b = units(old), units(new)
    best = 0
    previous = [0] * (len(b) + 1)
    for i in range(len(a)):
        current = [0] * (len(b) + 1)
        for j in range(len(b)):
            if a[i] == b[j]:
                current[j + 1] = previous[j] + 1
                best = max(best, current[j + 1])
        previous = current
    return best


WORDS = st.lists(st.sampled_from(["a", "b", "law", "the", "a,", "b.", "\n", "\n\n"]), max_size=40)


@given(WORDS, WORDS)
def test_no_long_unchanged_run_inside_a_replacement(
    old_words: list[str], new_words: list[str]
) -> None:
    old, new = " ".join(old_words), " ".join(new_words)
    ops = word_diff(old, new)
    assert sides(ops) == (reader_text(old), reader_text(new))
    for (op, text), (next_op, next_text) in pairwise(ops):
        if op == "delete" and next_op == "insert":
            assert longest_shared_run(text, next_text) < LONG_RUN


@given(WORDS, st.integers(0, 40), st.integers(0, 40), WORDS)
def test_an_edited_text_keeps_its_long_runs(
    words: list[str], start: int, length: int, inserted: list[str]
) -> None:
    old = " ".join(words)
    new = " ".join([*words[:start], *inserted, *words[start + length :]])
    ops = word_diff(old, new)
    assert sides(ops) == (reader_text(old), reader_text(new))
    for (op, text), (next_op, next_text) in pairwise(ops):
        if op == "delete" and next_op == "insert":
            assert longest_shared_run(text, next_text) < LONG_RUN


def _words(prefix: str) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from([f"{prefix}{n}" for n in range(6)] + ["the", ","]), max_size=14)


SHARED = st.lists(st.sampled_from(["one", "two", "three", "the", ",", "\n"]), max_size=9)


@given(_words("old"), SHARED, _words("old"), _words("new"), _words("new"))
def test_a_shared_stretch_between_rewritten_ones_is_not_swallowed(
    before: list[str],
    shared: list[str],
    after: list[str],
    new_before: list[str],
    new_after: list[str],
) -> None:
    old = " ".join([*before, *shared, *after])
    new = " ".join([*new_before, *shared, *new_after])
    ops = word_diff(old, new)
    assert sides(ops) == (reader_text(old), reader_text(new))
    for (op, text), (next_op, next_text) in pairwise(ops):
        if op == "delete" and next_op == "insert":
            assert longest_shared_run(text, next_text) < LONG_RUN
