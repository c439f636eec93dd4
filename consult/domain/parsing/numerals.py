"""Numbers written in the six official UN languages, read as integers and ASCII tokens.

* digits of any script ("٥", "۵", "５") -> ASCII digits;
* Chinese numerals ("十二", "一百零五", "二〇二一") -> integers;
* Arabic ordinal adverbs ("أولاً", "ثانيا", "حادي عشر") and adjectives after a
  label ("الأول", "الثانية") -> integers, with or without vowel marks;
* French and Spanish ordinal words after a label ("premier", "primero") -> integers;
* Arabic item letters in abjad order ("أ", "ب", "ج", "د", "هـ", ...) -> integers,
  keyed by the English letter at the same position ("أ" -> "a");
* the names of those letters, with which the UN's Arabic texts number the
  sections its English texts number "A.", "B." ("ألف -", "باء -") -> integers.

A number written as a word has no written form of its own: ``word_token`` gives
it the form the UN's English texts use for that kind of division (roman numerals
for parts, chapters and annexes, "Chapter II"; digits for the rest, "Article 2").
"""

from __future__ import annotations

import unicodedata

# Chinese digits and units ("两" is the colloquial two, "〇"/"零" zero).
CHINESE_DIGITS: dict[str, int] = {
    "〇": 0,
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
CHINESE_UNITS: dict[str, int] = {"十": 10, "百": 100, "千": 1000}
CHINESE_NUMERAL_CHARS = "".join(CHINESE_DIGITS) + "".join(CHINESE_UNITS)

# Kinds whose numbers the UN's English texts write in roman numerals.
_ROMAN_KINDS = frozenset({"part", "chapter", "annex"})
_ROMAN_STEPS = (
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
)

# French and Spanish ordinals as written after a label ("Article premier",
# "Capítulo segundo"); both genders.
LATIN_ORDINALS: dict[str, int] = {
    "premier": 1,
    "première": 1,
    "primero": 1,
    "primera": 1,
    "segundo": 2,
    "segunda": 2,
    "tercero": 3,
    "tercera": 3,
    "cuarto": 4,
    "cuarta": 4,
    "quinto": 5,
    "quinta": 5,
    "sexto": 6,
    "sexta": 6,
    "séptimo": 7,
    "séptima": 7,
    "octavo": 8,
    "octava": 8,
    "noveno": 9,
    "novena": 9,
    "décimo": 10,
    "décima": 10,
}

# Arabic: vowel marks (tanween included) and the tatweel are dropped, and the
# forms of alif, alif maqsura and ta marbuta are unified before a word is looked up.
_ARABIC_MARKS = frozenset(chr(c) for c in range(0x064B, 0x0653)) | {"\u0670", "\u0640"}
_ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})
_TANWEEN_FATH = "\u064b"

# Stems of the ordinals 1-10 (first, second, ...), in folded spelling; the
# adverb is stem + alif ("اولا", first(ly)), the adjective "ال" + stem (+ "ه"
# for the feminine); 11-19 take "عشر" after them ("حادي عشر").
_ARABIC_STEMS: tuple[str, ...] = (
    "اول",
    "ثاني",
    "ثالث",
    "رابع",
    "خامس",
    "سادس",
    "سابع",
    "ثامن",
    "تاسع",
    "عاشر",
)


def _arabic_tables() -> tuple[dict[str, int], dict[str, int]]:
    adverbs: dict[str, int] = {}
    adjectives: dict[str, int] = {}
    for value, stem in enumerate(_ARABIC_STEMS, start=1):
        adverbs[stem + "ا"] = value
        adjectives["ال" + stem] = value
        feminine = "الاولي" if value == 1 else "ال" + stem + "ه"
        adjectives[feminine] = value
        if value < 10:
            teen = "حادي" if value == 1 else stem
            adverbs[f"{teen} عشر"] = 10 + value
            adjectives[f"ال{teen} عشر"] = 10 + value
            adjectives[f"ال{'حاديه' if value == 1 else stem + 'ه'} عشره"] = 10 + value
    adverbs["عشرون"] = 20
    adjectives["العشرون"] = 20
    return adverbs, adjectives


ARABIC_ADVERBS, ARABIC_ADJECTIVES = _arabic_tables()

# The Arabic letters in abjad order (أبجد هوز حطي كلمن سعفص قرشت ثخذ ضظغ): the
# UN's Arabic texts letter with them the items its English texts letter (a),
# (b), (c): "أ" is (a), "ط" is (i), "ي" is (j), "ض" is (z); "ظ" and "غ", the 27th
# and 28th, are (aa) and (bb). Bare alif and alif maqsura are read as "أ" and "ي".
ABJAD_LETTERS = "أبجدهوزحطيكلمنسعفصقرشتثخذضظغ"
_ABJAD_VARIANTS = {"ا": "أ", "ى": "ي"}
ABJAD_CHARS = ABJAD_LETTERS + "".join(_ABJAD_VARIANTS)


def ascii_digits(text: str) -> str:
    """Return ``text`` with the decimal digits of every script as ASCII ("٥" -> "5")."""
    if text.isascii():
        return text
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)


def chinese_value(text: str) -> int | None:
    """Return the value of a Chinese numeral ("二十一" -> 21), or None when it is not one.

    Digits without units are read positionally ("二〇二一" -> 2021). A digit
    after a unit above ten must follow a zero ("一百零五" is 105; "一百五",
    colloquially 150, is refused).
    """
    if not text or any(c not in CHINESE_NUMERAL_CHARS for c in text):
        return None
    if not any(c in CHINESE_UNITS for c in text):
        return int("".join(str(CHINESE_DIGITS[c]) for c in text))
    total, digit, last_unit, zero = 0, None, 10_000, False
    for char in text:
        if char in CHINESE_DIGITS:
            value = CHINESE_DIGITS[char]
            if digit is not None:
                return None  # two digits in a row
            if value == 0:
                zero = True
                continue
            digit = value
            continue
        unit = CHINESE_UNITS[char]
        if unit >= last_unit:
            return None  # "十十", "十百"
        if digit is None:
            if unit != 10:
                return None  # "百" without its digit
            digit = 1  # "十二", "一百十"
        total += digit * unit
        digit, last_unit, zero = None, unit, False
    if digit is not None:
        if last_unit > 10 and not zero:
            return None
        total += digit
    return total


def fold_arabic(text: str) -> str:
    """Return ``text`` without Arabic vowel marks and with unified letter forms."""
    return "".join(c for c in text if c not in _ARABIC_MARKS).translate(_ARABIC_FOLD)


def arabic_adverb(words: str) -> int | None:
    """Return the value of an ordinal adverb ("أولاً", "أولا", "حادي عشر"), else None.

    The adverb of 1-10 must end in alif or carry tanween ("أولً"); the bare
    stem ("أول", first) is an adjective of running text.
    """
    folded = " ".join(fold_arabic(words).split())
    if folded in ARABIC_ADVERBS:
        return ARABIC_ADVERBS[folded]
    if words.rstrip().endswith(_TANWEEN_FATH):
        return ARABIC_ADVERBS.get(folded + "ا")
    return None


def arabic_adjective(words: str) -> int | None:
    """Return the value of an ordinal adjective after a label ("الأولى", "الثاني عشر")."""
    return ARABIC_ADJECTIVES.get(" ".join(fold_arabic(words).split()))


# The letters' names, in the same order: "ألف" is the section "A.", "باء" "B.", "طاء" "I.".
ABJAD_NAMES: dict[str, int] = {
    name: position
    for position, name in enumerate(
        [
            "ألف",
            "باء",
            "جيم",
            "دال",
            "هاء",
            "واو",
            "زاي",
            "حاء",
            "طاء",
            "ياء",
            "كاف",
            "لام",
            "ميم",
            "نون",
            "سين",
            "عين",
            "فاء",
            "صاد",
            "قاف",
            "راء",
            "شين",
            "تاء",
            "ثاء",
            "خاء",
            "ذال",
            "ضاد",
            "ظاء",
            "غين",
        ],
        start=1,
    )
}


def abjad_value(letter: str) -> int | None:
    """Return the position of an Arabic item letter in abjad order ("أ" -> 1, "هـ" -> 5)."""
    letter = letter.rstrip("\u0640")  # the tatweel of "هـ"
    if len(letter) != 1:
        return None
    index = ABJAD_LETTERS.find(_ABJAD_VARIANTS.get(letter, letter))
    return index + 1 if index >= 0 else None


def letter_token(value: int) -> str:
    """Return the English item letter at position ``value`` (1 -> "a", 26 -> "z", 27 -> "aa")."""
    repeat, index = divmod(value - 1, 26)
    return chr(ord("a") + index) * (repeat + 1)


def roman_numeral(value: int) -> str:
    """Return ``value`` (1-3999) as a lowercase roman numeral."""
    parts: list[str] = []
    for step, letters in _ROMAN_STEPS:
        count, value = divmod(value, step)
        parts.append(letters * count)
    return "".join(parts)


def word_token(kind: str, value: int) -> str:
    """Return the key token of a number written as a word, for a division of ``kind``."""
    if kind in _ROMAN_KINDS and 0 < value < 4000:
        return roman_numeral(value)
    return str(value)
