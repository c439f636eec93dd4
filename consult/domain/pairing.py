"""Pairing a translation's clauses with the original's, by structure and numbering.

A UN text and its language versions correspond paragraph by paragraph: the
same parts, the same principles, the same numbered paragraphs in the same
order. The parser gives a numbered clause the same ASCII key in every
language ("art-1", "principle-3-p2"), but an original whose headings carry
explicit keys ("{#principle-primacy}") or unnumbered headings in another
script ("مقدمة") do not share keys with their translation, and an original
whose keys were carried from earlier versions has keys that no longer follow
its numbers (its paragraph 3 may be "guideline-2.2"). So the pairing walks
both trees from the top: under each pair of parents, the children are paired
first where their kind and their number agree (digits in any script, or a
letter: "3." and "٣."; "(b)" and "(ب)"), then, in what is left between
those, in order where the kinds agree. What stays unpaired is for the
drafter to tie by hand.

Pure Python: no Flask, no SQLAlchemy.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from consult.domain.parsing.marker import roman_value
from consult.domain.parsing.numerals import (
    CHINESE_NUMERAL_CHARS,
    arabic_adjective,
    ascii_digits,
    chinese_value,
)

_DIGITS = re.compile(r"[0-9]+")
_CHINESE = re.compile(f"[{CHINESE_NUMERAL_CHARS}]+")
_LATIN_LETTERS = re.compile(r"^[a-z]{1,4}$")
#: Kinds numbered in roman numerals in one language and in words or digits in another.
_ROMAN_KINDS = frozenset({"part", "chapter", "section", "annex"})


@dataclass(frozen=True)
class Shape:
    """What the pairing reads of a clause: its key, its kind, its parent's key, its number."""

    key: str
    kind: str
    parent_key: str | None
    number: str = ""
    size: int = 0  # how many characters its heading and text have


@dataclass(frozen=True)
class Pairing:
    """The proposed pairing: each translated key's original key, and what is left."""

    pairs: dict[str, str]  # translated clause key -> original clause key
    unpaired_translated: tuple[str, ...]  # in the translation's order
    untranslated: tuple[str, ...]  # original keys no translated clause renders, in order


def _children(clauses: Iterable[Shape]) -> dict[str | None, list[Shape]]:
    out: dict[str | None, list[Shape]] = {}
    for clause in clauses:
        out.setdefault(clause.parent_key, []).append(clause)
    return out


def _below(clause: Shape) -> str:
    """The clause's key below its parent's: "p2" of "principle-3-p2", its whole key at the top."""
    parent = clause.parent_key
    if (
        parent
        and clause.key.startswith(parent)
        and clause.key[len(parent) : len(parent) + 1] in "-."
    ):
        return clause.key[len(parent) + 1 :]
    return clause.key


def _token(clause: Shape) -> str:
    """What a clause's number says in any language: its value ("3", "4.1"; "第四条" and
    "Part IV" and "الجزء الرابع" all "4"), its Latin letter ("b"), else the key the parser
    derived below its parent ("b" for "(ب)")."""
    number = ascii_digits(clause.number).strip()
    if not number:
        return ""
    digits = _DIGITS.findall(number)
    if digits:
        return ".".join(str(int(d)) for d in digits)
    chinese = _CHINESE.findall(number)
    if chinese and (value := chinese_value(chinese[-1])) is not None:
        return str(value)
    words = number.split()
    if clause.kind in _ROMAN_KINDS and (value := roman_value(words[-1].lower())):
        return str(value)
    for size in (2, 1):
        if len(words) > size and (value := arabic_adjective(" ".join(words[-size:]))):
            return str(value)
    letters = number.strip("()[].,:;-– ").lower()
    if _LATIN_LETTERS.match(letters):
        return letters
    return _below(clause)


#: What leaving a clause unpaired costs, against pairing two of unlike length: the log of
#: their length ratio (after the texts' overall ratio), so about 4.5 times as long.
_SKIP = 1.5
#: Above this many cells, a stretch is paired in order instead (a flat text of thousands
#: of unnumbered paragraphs in one stretch).
_MOST_CELLS = 250_000


def _cost(original: Shape, rendering: Shape, ratio: float) -> float:
    if original.kind != rendering.kind:
        return math.inf
    return abs(math.log((rendering.size + 20) / (original.size + 20)) - ratio)


def _pair_by_length(
    originals: Sequence[Shape],
    translated: Sequence[Shape],
    ratio: float,
    out: list[tuple[Shape, Shape]],
) -> None:
    """Pair a stretch of clauses that no number tells apart, in order, where their kinds
    agree and their lengths best correspond, leaving out the clauses one side adds: the
    way parallel texts are aligned paragraph by paragraph (Gale and Church, 1993)."""
    n, m = len(originals), len(translated)
    if not n or not m:
        return
    if n * m > _MOST_CELLS:
        _pair_in_order(originals, translated, out)
        return
    best = [[math.inf] * (m + 1) for _ in range(n + 1)]
    step = [[0] * (m + 1) for _ in range(n + 1)]  # 1 paired, 2 original left, 3 rendering left
    best[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            here = best[i][j]
            if here == math.inf:
                continue
            if i < n and j < m:
                paired = here + _cost(originals[i], translated[j], ratio)
                if paired < best[i + 1][j + 1]:
                    best[i + 1][j + 1], step[i + 1][j + 1] = paired, 1
            if i < n and here + _SKIP < best[i + 1][j]:
                best[i + 1][j], step[i + 1][j] = here + _SKIP, 2
            if j < m and here + _SKIP < best[i][j + 1]:
                best[i][j + 1], step[i][j + 1] = here + _SKIP, 3
    found: list[tuple[Shape, Shape]] = []
    i, j = n, m
    while i or j:
        move = step[i][j]
        if move == 1:
            found.append((originals[i - 1], translated[j - 1]))
            i, j = i - 1, j - 1
        elif move == 2:
            i -= 1
        else:
            j -= 1
    out.extend(reversed(found))


def _pair_in_order(
    originals: Sequence[Shape], translated: Sequence[Shape], out: list[tuple[Shape, Shape]]
) -> None:
    """Pair clauses of the same kind in order; a stretch of unequal length pairs its ends."""
    kinds = SequenceMatcher(
        None, [c.kind for c in originals], [c.kind for c in translated], autojunk=False
    )
    for tag, i1, i2, j1, j2 in kinds.get_opcodes():
        if tag == "equal":
            out.extend(zip(originals[i1:i2], translated[j1:j2], strict=True))


def _pair_siblings(
    originals: Sequence[Shape], translated: Sequence[Shape], ratio: float
) -> list[tuple[Shape, Shape]]:
    """Pair siblings by their numbers first; what lies between, by kind and length."""

    # An unnumbered clause is never an anchor: each gets a token of its own.
    def tokens(clauses: Sequence[Shape], side: str) -> list[tuple[str, str]]:
        return [
            (c.kind, token) if (token := _token(c)) else (c.kind, f"\0{side}{n}")
            for n, c in enumerate(clauses)
        ]

    anchors = SequenceMatcher(
        None, tokens(originals, "o"), tokens(translated, "t"), autojunk=False
    ).get_matching_blocks()
    out: list[tuple[Shape, Shape]] = []
    i = j = 0
    for a, b, size in anchors:
        _pair_by_length(originals[i:a], translated[j:b], ratio, out)
        out.extend(zip(originals[a : a + size], translated[b : b + size], strict=True))
        i, j = a + size, b + size
    return out


def pair_clauses(originals: Sequence[Shape], translated: Sequence[Shape]) -> Pairing:
    """Propose which original clause each translated clause renders (see the module's notes)."""
    original_children = _children(originals)
    translated_children = _children(translated)
    # A translation runs longer or shorter than its original as a whole (French about a
    # fifth longer than English, Chinese far shorter): lengths are compared after that.
    ratio = math.log((sum(c.size for c in translated) + 1) / (sum(c.size for c in originals) + 1))
    pairs: dict[str, str] = {}
    todo: list[tuple[str | None, str | None]] = [(None, None)]
    while todo:
        original_parent, translated_parent = todo.pop()
        for original, rendering in _pair_siblings(
            original_children.get(original_parent, []),
            translated_children.get(translated_parent, []),
            ratio,
        ):
            pairs[rendering.key] = original.key
            todo.append((original.key, rendering.key))
    rendered = set(pairs.values())
    return Pairing(
        pairs=pairs,
        unpaired_translated=tuple(c.key for c in translated if c.key not in pairs),
        untranslated=tuple(c.key for c in originals if c.key not in rendered),
    )
