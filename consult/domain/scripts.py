"""Which way a text runs and which language its script shows, for typesetting it.

Titles, clauses and comments come in any of the six UN languages, and
nothing records each text's language. WeasyPrint lays a paragraph out right
to left only when its element says `dir="rtl"` (it has no `dir="auto"`), and
picks fonts and hyphenation from `lang`, which also names the language of
the text in a tagged PDF. So the templates ask here:

- `text_direction` follows the rule browsers apply to `dir="auto"` (the
  first strong character decides): "rtl" when that character belongs to a
  right-to-left script (Arabic, Hebrew, Syriac, Thaana, N'Ko), else None,
  for the inherited direction (`strong_direction` also says "ltr", for a
  text set inside right-to-left text);
- `script_language` names the language only where the script leaves no
  doubt among the UN languages: Arabic script "ar", Han "zh", Cyrillic "ru".
  Latin script could be English, French or Spanish, so it gives None, and so
  does a text mixing scripts with none holding most of its letters.
"""

from __future__ import annotations

import unicodedata
from typing import Literal

Direction = Literal["rtl"]
ScriptLanguage = Literal["ar", "zh", "ru"]

# Unicode bidirectional classes of strong right-to-left characters.
_RTL_CLASSES = frozenset({"R", "AL"})

_ARABIC = (
    (0x0600, 0x06FF),
    (0x0750, 0x077F),
    (0x0870, 0x08FF),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFF),
    (0x10E60, 0x10E7F),
    (0x1EE00, 0x1EEFF),
)
_HAN = (
    (0x2E80, 0x2FDF),
    (0x3005, 0x3007),
    (0x3021, 0x3029),
    (0x3038, 0x303B),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x3134F),
)
_CYRILLIC = ((0x0400, 0x052F), (0x1C80, 0x1C8F), (0x2DE0, 0x2DFF), (0xA640, 0xA69F))
# Kana and Hangul: a text with Han characters among these is Japanese or Korean.
_KANA_HANGUL = (
    (0x1100, 0x11FF),
    (0x3040, 0x30FF),
    (0x3130, 0x318F),
    (0x31F0, 0x31FF),
    (0xAC00, 0xD7AF),
    (0xFF66, 0xFF9D),
)

# A Han character carries about what a short word does: it counts as two letters,
# so that a Chinese sentence citing "ICCPR" or a URL still reads as Chinese.
_HAN_WEIGHT = 2


def _within(code: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(low <= code <= high for low, high in ranges)


def strong_direction(text: str) -> Literal["ltr", "rtl"] | None:
    """Return the direction of the first strong character of `text`, None if it has none.

    Digits, punctuation and spaces are not strong: "12. لكل شخص" is "rtl",
    "12. Everyone" is "ltr", "12." is None.
    """
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in _RTL_CLASSES:
            return "rtl"
        if kind == "L":
            return "ltr"
    return None


def text_direction(text: str) -> Direction | None:
    """Return "rtl" if the first strong character of `text` is of a right-to-left script.

    A text with no strong character, or starting with a left-to-right one,
    returns None: the direction of the surrounding text applies.
    """
    return "rtl" if strong_direction(text) == "rtl" else None


def script_language(text: str) -> ScriptLanguage | None:
    """Return "ar", "zh" or "ru" when most of the letters of `text` are of that script.

    Returns None for Latin-script text, for text without letters, for a mix in
    which no script holds more than half the letters, and for Han characters
    written with kana or Hangul (Japanese or Korean, not a UN language).
    """
    counts = {"ar": 0, "zh": 0, "ru": 0}
    letters = 0
    for char in text:
        if not char.isalpha():
            continue
        code = ord(char)
        if _within(code, _HAN):
            counts["zh"] += _HAN_WEIGHT
            letters += _HAN_WEIGHT
            continue
        letters += 1
        if _within(code, _ARABIC):
            counts["ar"] += 1
        elif _within(code, _CYRILLIC):
            counts["ru"] += 1
        elif _within(code, _KANA_HANGUL):
            return None
    if letters == 0:
        return None
    language: ScriptLanguage
    for language in ("ar", "zh", "ru"):
        if counts[language] * 2 > letters:
            return language
    return None
