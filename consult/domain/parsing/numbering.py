"""Recognising the numbering written at the start of a clause.

A ``Marker`` is what ``parse_marker`` finds at the start of a line: its display
number ("§ 12a", "(b)", "4.1.2"), a *style* (used to nest clauses: the same
style means a sibling, a new style means a child), a kind and a key token.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .marker import (
    LABELS,
    SEPARATORS,
    Marker,
    alternatives,
    label_marker,
    roman_value,
    value_of,
)
from .numerals import (
    LATIN_ORDINALS,
    ascii_digits,
    word_token,
)
from .uncased import uncased_labelled, uncased_plain

# Labels of cased scripts: a label starting lowercase is running text ("article 5 of").
_LABEL_RE = re.compile(
    rf"(?P<label>{alternatives([w for w in LABELS if w[0].upper() != w[0]])})"
    rf"(?:\s+(?P<num>\d{{1,4}}[a-z]?|[IVXLC]{{1,7}}|[A-Z]|{alternatives(list(LATIN_ORDINALS))})"
    # Spanish "Artículo 1.º", "Sección 2ª"; French "Article 1er", "Chapitre Ier", "Section 1re".
    r"(?:(?P<ordinal>\.?[º°ª]|(?:er|re|ère|ᵉʳ|ʳᵉ)\b)|\b))?\.?",
    re.IGNORECASE,
)
_PARAGRAPH_SIGN_RE = re.compile(r"§\s*(?P<num>\d{1,4}[a-z]?)\b\.?")
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("paren-num", re.compile(r"\((?P<num>\d{1,3}[a-z]?)\)")),
    ("paren-lower", re.compile(r"\((?P<num>[a-z]{1,4})\)")),
    ("paren-upper", re.compile(r"\((?P<num>[A-Z])\)")),
    ("dotted", re.compile(r"(?P<num>\d{1,3}(?:\.\d{1,3})+)(?P<dot>\.)?")),
    ("num-paren", re.compile(r"(?P<num>\d{1,3}[a-z]?)\)")),
    ("num-dot", re.compile(r"(?P<num>\d{1,3}[a-z]?)\.")),
    ("lower-paren", re.compile(r"(?P<num>[a-z]{1,4})\)")),
    ("lower-dot", re.compile(r"(?P<num>[a-z]|[ivx]{2,4})\.")),
    ("upper-roman-dot", re.compile(r"(?P<num>[IVX]{2,5})\.")),
    ("upper-dot", re.compile(r"(?P<num>[A-Z])\.")),
    ("upper-paren", re.compile(r"(?P<num>[A-Z])\)")),
)
# A section of a lettered appendix, in a heading: "C.3 String length", "A.1.2. Scope".
_LETTER_DOTTED_RE = re.compile(r"(?P<num>[A-Z](?:\.\d{1,3})+)\.?(?=\s+\S)")
_BARE_NUMBER_RE = re.compile(r"(?P<num>\d{1,3}(?:\.\d{1,3})*)(?=\s+\S)")
# "25 July 2021", "1. Januar 2005": a date, not a numbered heading.
_DATE_REST_RE = re.compile(
    r"(January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Januar|Jänner|Februar|März|Juni|Juli|Oktober|Dezember|janvier|février"
    r"|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre)"
    r",?\s+\d{4}\b",
    re.IGNORECASE,
)
_EMPHASIS = ("**", "__", "*", "_")
# Styles of items (as opposed to paragraphs and sections): an unnumbered
# paragraph that follows one belongs to the enclosing paragraph instead.
ITEM_STYLES = frozenset(
    {"paren-lower", "paren-roman", "paren-upper", "lower-paren", "roman-paren", "lower-dot"}
    | {"roman-dot", "upper-dot", "upper-paren", "dletter-paren", "paren-dletter"}
    | {"dletter-dot", "upper-roman-dot"}
    | {"paren-abjad", "abjad-paren", "abjad-dash"}  # Arabic "(أ)", "أ)", "أ -"
)
# Paragraph numbers written as words: "一、" and "（一）" (read as "1." and "(1)",
# with styles of their own so that "1." and "(1)" nest inside them), "أولاً".
WORD_PARAGRAPH_STYLES = frozenset({"cjk-dot", "cjk-paren", "word-ordinal"})


def _strip_emphasis(line: str) -> tuple[str, str]:
    for mark in _EMPHASIS:
        if line.startswith(mark) and len(line) > len(mark) and not line[len(mark)].isspace():
            return line[len(mark) :], mark
    return line, ""


def _clean_rest(rest: str, emphasis: str) -> tuple[str, bool]:
    """Return the rest without separators, and whether all of it was emphasised."""
    whole = False
    if emphasis:
        stripped = rest.lstrip()
        if stripped.startswith(emphasis):
            rest = stripped[len(emphasis) :]
        elif rest.rstrip().endswith(emphasis):
            rest, whole = rest.rstrip()[: -len(emphasis)], True
    return rest.lstrip(SEPARATORS).strip(), whole


def _labelled(line: str, heading: bool) -> Marker | None:
    match = _PARAGRAPH_SIGN_RE.match(line)
    label = "§"
    if match is None:
        match = _LABEL_RE.match(line)
        if match is None:
            return None
        written = " ".join(match.group("label").split())
        label = written.lower()
        if written.isupper() and len(written) > 1:
            written = written.capitalize()
        if written[0].islower():
            return None  # "article 5 of ..." inside running text
    kind = LABELS[label][0]
    num = match.group("num")
    if num is None and kind != "annex":
        return None
    after = line[match.end() :]
    if after and after[0].isalnum():
        return None  # "Sections", "Articles"
    if not heading:
        # In a body paragraph a label must be set off by a separator: "Principle 3."
        # or "Guideline 4:", not "§ 12 Abs. 2 gilt ...".
        ends_with_dot = match.group(0).endswith(".") and label != "art."
        if not ends_with_dot and not after.lstrip(" ").startswith(("-", "–", "—", ":", "*", "_")):
            return None
    if num is not None and num.lower() in LATIN_ORDINALS:
        token = word_token(kind, LATIN_ORDINALS[num.lower()])  # "Article premier"
    else:
        token = ascii_digits(num or "").lower()
    if label == "§":
        display = f"§ {num}"
    else:
        written = " ".join(match.group("label").split())
        display = f"{written} {num}{match.group('ordinal') or ''}" if num else written
    return label_marker(display, label, token, after)


def _plain(line: str, heading: bool) -> Marker | None:
    for style, pattern in _PATTERNS:
        match = pattern.match(line)
        if match is None:
            continue
        after = line[match.end() :]
        num = match.group("num")
        if style == "dotted":
            if not match.group("dot") and after[:1].islower():
                continue  # "1.5 million"
            if after and not (after[0].isspace() or after[0].isupper() or after[0] in "‘“\"'*_"):
                continue
            depth = num.count(".") + 1
            token = ascii_digits(num)
            return Marker(num, f"dotted-{depth}", token, "paragraph", after, value=value_of(token))
        if style in ("num-dot", "upper-dot") and after[:1] not in ("", " ", "\t"):
            if not (style == "num-dot" and (after[0].isupper() or after[0] in "‘“\"'*_")):
                continue  # "1.Definitions" is fine, "3.5" or "e.g." is not
        elif after[:1] not in ("", " ", "\t"):
            continue
        kind = "paragraph" if style in ("paren-num", "num-paren", "num-dot") else "item"
        ambiguous = False
        if style in ("paren-lower", "lower-paren", "lower-dot"):
            if len(num) > 1 and len(set(num)) == 1:
                style = style.replace("lower", "dletter")  # "aa)", "bb)"
                ambiguous = roman_value(num) > 0
            elif len(num) > 1:
                if not roman_value(num):
                    continue
                style = style.replace("lower", "roman")
            else:
                ambiguous = num in "ivx"
        if style == "num-dot":
            style = "dotted-1"
        display = match.group(0)
        token = ascii_digits(num).lower()
        # "iv" counts as 4 (not as the letter i), so that "v." can follow it.
        value = roman_value(token) if "roman" in style else value_of(token)
        return Marker(display, style, token, kind, after, value=value, ambiguous=ambiguous)
    if heading:
        match = _LETTER_DOTTED_RE.match(line)
        if match is not None:  # "C.3 String length" under "Appendix C"
            num = match.group("num")
            depth = num.count(".") + 1
            rest = line[match.end() :]
            return Marker(num, f"dotted-{depth}", num.lower(), "section", rest, value=value_of(num))
        match = _BARE_NUMBER_RE.match(line)
        if match is not None and not _DATE_REST_RE.match(line[match.end() :].lstrip()):
            num = match.group("num")
            depth = num.count(".") + 1
            rest = line[match.end() :]
            token = ascii_digits(num)
            return Marker(num, f"dotted-{depth}", token, "section", rest, value=value_of(token))
    return None


def parse_marker(line: str, heading: bool = False) -> Marker | None:
    """Return the numbering at the start of ``line``, or None when it has none.

    ``heading`` allows forms only used in headings ("1 Introduction",
    "§ 12 Abs" without a separator).
    """
    stripped, emphasis = _strip_emphasis(line.lstrip())
    if not stripped or not (stripped[0].isalnum() or stripped[0] in "(§（’‘"):
        return None
    marker = (
        _labelled(stripped, heading)
        or uncased_labelled(stripped, heading)
        or _plain(stripped, heading)
        or uncased_plain(stripped, heading)
    )
    if marker is None:
        return None
    rest, closed = _clean_rest(marker.rest, emphasis)
    return replace(marker, rest=rest, emphasised=closed)


def as_roman(marker: Marker) -> Marker:
    """Return ``marker`` read as a roman numeral instead of a letter."""
    style = marker.style.replace("lower", "roman").replace("dletter", "roman")
    return replace(marker, style=style, value=roman_value(marker.token), ambiguous=False)


def previous_letter(token: str) -> str:
    """Return the letter token before ``token`` ("h" for "i", "hh" for "ii")."""
    if not token or token[0] == "a":
        return ""
    return chr(ord(token[0]) - 1) * len(token)
