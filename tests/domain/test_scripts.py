"""Direction and language by script: what the PDF templates set as dir and lang."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consult.domain.scripts import script_language, strong_direction, text_direction

ARABIC = "لكل شخص على الحدود الحق في أن يعامل بكرامة."
CHINESE = "边境上的每个人都应受到有尊严的对待。"
RUSSIAN = "Каждый человек на границе имеет право на достойное обращение."
HEBREW = "לכל אדם בגבול הזכות ליחס מכבד."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (ARABIC, "rtl"),
        (HEBREW, "rtl"),
        # Digits, punctuation and spaces do not decide: the first letter does.
        ("12. " + ARABIC, "rtl"),
        ("«" + ARABIC + "»", "rtl"),
        ("Everyone at a border", None),
        (RUSSIAN, None),
        (CHINESE, None),
        # An English sentence quoting Arabic runs left to right, and the reverse.
        ("The phrase " + ARABIC, None),
        (ARABIC + " (ICCPR)", "rtl"),
        ("", None),
        ("2026 — 17:00", None),
    ],
)
def test_text_direction_follows_the_first_strong_character(text: str, expected: str | None) -> None:
    assert text_direction(text) == expected


def test_strong_direction_also_names_left_to_right() -> None:
    assert strong_direction("12. Everyone") == "ltr"
    assert strong_direction("12. " + ARABIC) == "rtl"
    assert strong_direction(RUSSIAN) == "ltr"
    assert strong_direction("12. — (3)") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (ARABIC, "ar"),
        (CHINESE, "zh"),
        (RUSSIAN, "ru"),
        # Latin script could be English, French or Spanish: no guess.
        ("Everyone at a border shall be treated with dignity.", None),
        ("Toute personne à la frontière est traitée avec dignité.", None),
        # Hebrew is no UN language.
        (HEBREW, None),
        ("", None),
        ("12, 13 — 14.", None),
        # A citation in Latin letters does not turn Chinese or Arabic text into something else.
        ("根据《公民权利和政治权利国际公约》(ICCPR) 第12条。", "zh"),
        (ARABIC + " ICCPR", "ar"),
        # A Russian name in an English sentence leaves it English.
        ("As Mr Иванов said, training matters a great deal here.", None),
        # Han with kana is Japanese: not Chinese.
        ("国境では、すべての人が尊厳をもって扱われる。", None),
    ],
)
def test_script_language_names_only_a_clear_script(text: str, expected: str | None) -> None:
    assert script_language(text) == expected


def test_half_and_half_is_no_clear_script() -> None:
    assert script_language("abcd" + "абвг") is None
    assert script_language("abc" + "абвг") == "ru"


@given(st.text(alphabet=st.characters(codec="ascii")))
def test_ascii_text_is_never_rtl_nor_a_script_language(text: str) -> None:
    assert text_direction(text) is None
    assert script_language(text) is None


@given(st.text(), st.text())
def test_the_first_strong_character_decides_whatever_follows(prefix: str, suffix: str) -> None:
    if any(unicodedata.bidirectional(ch) in ("L", "R", "AL") for ch in prefix):
        assert text_direction(prefix + suffix) == text_direction(prefix)
