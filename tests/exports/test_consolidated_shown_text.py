"""The words of a clause as printed in the changes variant: no Markdown marks in the diff."""

from __future__ import annotations

from consult.services.consolidated.shown_text import shown_diff, shown_text


def test_inline_markdown_gives_its_words() -> None:
    text = (
        'See **the** [full list](https://example.org/a_(b) "title"), <https://example.org>,'
        " *this* and _that_, `code`, snake_case and 2 \\* 3."
    )
    assert shown_text(text) == (
        "See the full list, https://example.org, this and that, code, snake_case and 2 * 3."
    )


def test_lines_of_lists_and_tables_stay_lines() -> None:
    text = "Training covers:\n\n* dignity\n+ force\n\n| a | b |\n| - | - |"
    assert shown_text(text) == "Training covers:\n\n- dignity\n- force\n\n| a | b |\n| - | - |"


def test_a_diff_marks_words_not_marks() -> None:
    old = "Use of an [approved licence](https://a.example) by **all**.\n\n* one\n* two"
    new = "Use of an [approved license](https://b.example) by **all**.\n\n- one\n- three"
    assert shown_diff(old, new) == (
        ("equal", "Use of an approved "),
        ("delete", "licence"),
        ("insert", "license"),
        ("equal", " by all.\n\n• one\n• "),
        ("delete", "two"),
        ("insert", "three"),
    )
    # Only the address changed: nothing to mark in the words.
    assert shown_diff("[x](https://a.example)", "[x](https://b.example)") is None
