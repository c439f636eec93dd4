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
    originals: Sequence[Shape], translated: Sequence[Shape]
) -> list[tuple[Shape, Shape]]:
    keys = SequenceMatcher(
        None,
        [(c.kind, _token(c)) for c in originals],
        [(c.kind, _token(c)) for c in translated],
        autojunk=False,
    )
    out: list[tuple[Shape, Shape]] = []
    for tag, i1, i2, j1, j2 in keys.get_opcodes():
        if tag == "equal":
            out.extend(zip(originals[i1:i2], translated[j1:j2], strict=True))
        elif tag == "replace":
            _pair_in_order(originals[i1:i2], translated[j1:j2], out)
    return out


def pair_clauses(originals: Sequence[Shape], translated: Sequence[Shape]) -> Pairing:
    """Propose which original clause each translated clause renders (see the module's notes)."""
    original_children = _children(originals)
    translated_children = _children(translated)
    pairs: dict[str, str] = {}
    todo: list[tuple[str | None, str | None]] = [(None, None)]
    while todo:
        original_parent, translated_parent = todo.pop()
        for original, rendering in _pair_siblings(
            original_children.get(original_parent, []),
            translated_children.get(translated_parent, []),
        ):
            pairs[rendering.key] = original.key
            todo.append((original.key, rendering.key))
    rendered = set(pairs.values())
    return Pairing(
        pairs=pairs,
        unpaired_translated=tuple(c.key for c in translated if c.key not in pairs),
        untranslated=tuple(c.key for c in originals if c.key not in rendered),
    )
