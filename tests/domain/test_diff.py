"""Word diff: whole words only, both texts rebuilt exactly, and escaped HTML."""

from __future__ import annotations

import html
import re

from bs4 import BeautifulSoup
from hypothesis import given
from hypothesis import strategies as st

from consult.domain.diff import DIFF_LEGEND_HTML, Op, diff_html, tokens, word_diff


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


def test_html_is_escaped_and_readable_without_colour() -> None:
    html = diff_html(word_diff("a <b> & c", "a <i> & c"))
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("script") is None
    deleted, inserted = soup.find("del"), soup.find("ins")
    assert deleted is not None and inserted is not None
    assert deleted.get_text() == "deleted: b"
    assert inserted.get_text() == "inserted: i"
    assert soup.get_text() == "a <deleted: binserted: i> & c"
    hidden = soup.find_all("span", class_="visually-hidden")
    assert len(hidden) == 2
    assert "&lt;" in html and "<b>" not in html


def test_legend_names_both_marks() -> None:
    soup = BeautifulSoup(DIFF_LEGEND_HTML, "html.parser")
    assert soup.find("del") is not None and soup.find("ins") is not None


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


@given(TEXT, TEXT)
def test_html_text_is_the_union_of_both_sides(old: str, new: str) -> None:
    """Unescaped, the markup minus the screen-reader words gives every piece of text back."""
    ops = word_diff(old, new)
    markup = re.sub(r'<span class="visually-hidden">[^<]*</span>', "", diff_html(ops))
    assert "<" not in re.sub(r"</?(del|ins)>", "", markup)
    assert html.unescape(re.sub(r"</?(del|ins)>", "", markup)) == "".join(t for _, t in ops)
