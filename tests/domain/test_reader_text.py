"""The text as a reader sees it: wrapping is not a change, a paragraph break is."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from consult.domain.reader_text import reader_text


def test_line_breaks_inside_a_paragraph_are_spaces() -> None:
    wrapped = "Ein Ausländer, der\neinen Aufenthaltstitel\n  besitzt,   darf"
    assert reader_text(wrapped) == "Ein Ausländer, der einen Aufenthaltstitel besitzt, darf"
    assert reader_text("one two\r\nthree\rfour\t five") == "one two three four five"


def test_a_paragraph_break_stays_one_blank_line() -> None:
    assert reader_text("First.\n\nSecond.") == "First.\n\nSecond."
    assert reader_text("  First.  \n \t \n\n\nSecond.\n") == "First.\n\nSecond."
    assert reader_text("\n\nFirst.\n\n") == "First."
    assert reader_text("First.\nSecond.") != reader_text("First.\n\nSecond.")


def test_lines_a_reader_sees_on_their_own_keep_their_break() -> None:
    assert reader_text("Rights:\n- to leave,\n* to return;\n+ to stay") == (
        "Rights:\n- to leave,\n* to return;\n+ to stay"
    )
    table = "| a |  b |\n|---|---|\n| 1 | 2 |"
    assert reader_text(table) == "| a | b |\n|---|---|\n| 1 | 2 |"
    assert reader_text("Said:\n> quoted\n# Heading") == "Said:\n> quoted\n# Heading"
    assert reader_text("Forced\\\nbreak") == "Forced\\\nbreak"


def test_a_number_after_a_wrap_is_a_list_item_only_in_a_list() -> None:
    # A hard-wrapped sentence may put "2012." or "17)" at the start of a line.
    assert reader_text("in force since\n2012. Then") == "in force since 2012. Then"
    assert reader_text("nach Nummer\n17) gilt") == "nach Nummer 17) gilt"
    assert reader_text("Steps:\n1. one\n2. two") == "Steps:\n1. one\n2. two"
    assert reader_text("- a\n2. b") == "- a\n2. b"


def test_markdown_escapes_read_as_the_page_shows_them() -> None:
    # hrpc-guidelines-02 escapes "[they are]" where -00 did not: the same words.
    assert reader_text("what \\[they are\\] doing") == "what [they are] doing"
    assert reader_text("a\n\\# not a heading\n\\* b") == "a # not a heading * b"
    assert reader_text("keep `\\[code\\]` as written") == "keep `\\[code\\]` as written"
    assert reader_text("a backslash \\\\[x]") == "a backslash \\\\[x]"
    assert reader_text("C:\\path stays") == "C:\\path stays"


def test_code_fences_are_kept_as_they_are() -> None:
    text = "Example:\n```\n  x  =  1\n\n\ny = 2\n```\nafter"
    assert reader_text(text) == text


LINES = st.lists(
    st.sampled_from(
        ["", " ", "word", "two  words", "- item", "1. first", "7) later", "| cell |", "> q",
         "```", "~~~", "end\\", "\t", "\u00a0x", "##", "\\[x\\]", "`\\*`", "\\\\*",
         "\\`a`", "``", "```\\[", "` \\* `"]
    ),
    max_size=12,
)  # fmt: skip


@given(LINES.map("\n".join))
def test_reading_twice_changes_nothing(text: str) -> None:
    once = reader_text(text)
    assert reader_text(once) == once


@given(st.text(max_size=60))
def test_reading_any_text_twice_changes_nothing_and_keeps_its_words(text: str) -> None:
    once = reader_text(text)
    assert reader_text(once) == once
    # Its words stay, escapes read (a "\\" before punctuation is not a word's).
    bare = [word.replace("\\", "") for word in text.split()]
    assert (
        [word.replace("\\", "") for word in once.split()] == bare or "```" in text or "~~~" in text
    )
