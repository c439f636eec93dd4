"""What a clause's numbering is once recognised, and the table of labels that name it.

Shared by the recognisers of ``numbering`` (cased scripts, plain numbers) and
``uncased`` (Arabic and Chinese).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Labelled numbers; the label decides the kind and, for nesting, a fixed rank
# (lower ranks contain higher ones; unranked styles nest dynamically). Labels
# of the six UN languages (and German) share their English label's key prefix,
# so that "Article 5", "Статья 5", "المادة ٥" and "第五条" are all ``art-5``.
LABELS: dict[str, tuple[str, str, float]] = {
    # label (lowercase, words separated by one space): (kind, key prefix, rank)
    "part": ("part", "part", 0),
    "teil": ("part", "part", 0),
    "partie": ("part", "part", 0),
    "parte": ("part", "part", 0),
    "часть": ("part", "part", 0),
    "الباب": ("part", "part", 0),
    "الجزء": ("part", "part", 0),
    "部分": ("part", "part", 0),
    "编": ("part", "part", 0),  # "第一编 总则": the part of a Chinese code, above its chapters
    "編": ("part", "part", 0),  # the same in Traditional characters
    # "第一分编 通则": a sub-part of a Chinese code's part, above its chapters.
    "分编": ("part", "subpart", 0.5),
    "分編": ("part", "subpart", 0.5),
    "annex": ("annex", "annex", 0),
    "anlage": ("annex", "annex", 0),
    "appendix": ("annex", "annex", 0),
    "schedule": ("annex", "annex", 0),
    "exhibit": ("annex", "annex", 0),
    "annexe": ("annex", "annex", 0),
    "anexo": ("annex", "annex", 0),
    "приложение": ("annex", "annex", 0),
    "المرفق": ("annex", "annex", 0),
    "附件": ("annex", "annex", 0),
    "chapter": ("chapter", "ch", 1),
    "kapitel": ("chapter", "ch", 1),
    "chapitre": ("chapter", "ch", 1),
    "capítulo": ("chapter", "ch", 1),
    "capitulo": ("chapter", "ch", 1),
    "глава": ("chapter", "ch", 1),
    "الفصل": ("chapter", "ch", 1),
    "章": ("chapter", "ch", 1),  # the same in Simplified and Traditional characters
    "section": ("section", "sec", 2),
    "abschnitt": ("section", "sec", 2),
    "sección": ("section", "sec", 2),
    "seccion": ("section", "sec", 2),
    "раздел": ("section", "sec", 2),
    "الفرع": ("section", "sec", 2),
    "节": ("section", "sec", 2),
    "節": ("section", "sec", 2),
    "unterabschnitt": ("section", "subsec", 3),
    "article": ("article", "art", 4),
    "artikel": ("article", "art", 4),
    "art.": ("article", "art", 4),
    "artículo": ("article", "art", 4),
    "articulo": ("article", "art", 4),
    "статья": ("article", "art", 4),
    "المادة": ("article", "art", 4),
    "条": ("article", "art", 4),
    "條": ("article", "art", 4),
    "§": ("section", "s", 4),
    "principle": ("principle", "principle", 4),
    "principe": ("principle", "principle", 4),
    "principio": ("principle", "principle", 4),
    "принцип": ("principle", "principle", 4),
    "المبدأ": ("principle", "principle", 4),
    "原则": ("principle", "principle", 4),
    "guideline": ("guideline", "guideline", 4),
    "ligne directrice": ("guideline", "guideline", 4),
    "directriz": ("guideline", "guideline", 4),
    "руководящее положение": ("guideline", "guideline", 4),
    "المبدأ التوجيهي": ("guideline", "guideline", 4),
    "准则": ("guideline", "guideline", 4),
}


def alternatives(words: list[str]) -> str:
    """Return a regex alternation of ``words``, longest first ("Partie" before "Part")."""
    ordered = sorted(words, key=len, reverse=True)
    return "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in ordered)


_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
SEPARATORS = " \t-–—:.|：\u3000"
# Separators that set a label or an Arabic ordinal apart in a body paragraph.
BODY_SEPARATORS = ("-", "–", "—", ":", "：", "*", "_")


@dataclass(frozen=True)
class Marker:
    """Numbering found at the start of a line, and the text after it."""

    number: str  # as displayed: "1.", "(a)", "§ 12a", "Article 5", "4.1.2"
    style: str  # nesting style, e.g. "paren-lower", "dotted-2", "label-article"
    token: str  # key token: "1", "a", "12a", "4.1.2"
    kind: str  # clause kind when used for a body block
    rest: str  # the line after the marker (separators and emphasis removed)
    rank: float | None = None  # fixed nesting rank of labelled numbers
    prefix: str = ""  # key prefix of labelled numbers ("art", "s", ...)
    value: int = 0  # ordinal value, to tell a restarted list from a continued one
    labelled: bool = False
    emphasised: bool = False  # the whole line is bold: "**9a) Data Privacy**"
    ambiguous: bool = False  # letters that also read as roman numerals ("i", "v", "x", "ii")


def roman_value(text: str) -> int:
    """Return the value of a lowercase roman numeral (0 when it is not one)."""
    total = 0
    prev = 0
    for char in reversed(text):
        val = _ROMAN.get(char, 0)
        if not val:
            return 0
        total = total - val if val < prev else total + val
        prev = max(prev, val)
    return total


def value_of(token: str) -> int:
    digits = "".join(c for c in token if c.isdigit())
    if digits:
        return int(digits.split(".")[-1] or 0) if "." not in token else int(token.split(".")[-1])
    if token.isalpha():
        return ord(token[0].lower()) - 96
    return 0


def label_marker(number: str, label: str, token: str, rest: str) -> Marker:
    kind, prefix, rank = LABELS[label]
    return Marker(
        number=number,
        style=f"label-{prefix}",
        token=token,
        kind=kind,
        rest=rest,
        rank=rank,
        prefix=prefix,
        value=value_of(token) if token else 0,
        labelled=True,
    )
