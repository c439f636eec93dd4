"""Recognising the numbering written at the start of a clause.

A ``Marker`` is what ``parse_marker`` finds at the start of a line: its display
number ("§ 12a", "(b)", "4.1.2"), a *style* (used to nest clauses: the same
style means a sibling, a new style means a child), a kind and a key token.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from .numerals import (
    CHINESE_NUMERAL_CHARS,
    LATIN_ORDINALS,
    arabic_adjective,
    arabic_adverb,
    ascii_digits,
    chinese_value,
    word_token,
)

# Labelled numbers; the label decides the kind and, for nesting, a fixed rank
# (lower ranks contain higher ones; unranked styles nest dynamically). Labels
# of the six UN languages (and German) share their English label's key prefix,
# so that "Article 5", "Статья 5", "المادة ٥" and "第五条" are all ``art-5``.
_LABELS: dict[str, tuple[str, str, int]] = {
    # label (lowercase, words separated by one space): (kind, key prefix, rank)
    "part": ("part", "part", 0),
    "teil": ("part", "part", 0),
    "partie": ("part", "part", 0),
    "parte": ("part", "part", 0),
    "часть": ("part", "part", 0),
    "الباب": ("part", "part", 0),
    "الجزء": ("part", "part", 0),
    "部分": ("part", "part", 0),
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
    "章": ("chapter", "ch", 1),
    "section": ("section", "sec", 2),
    "abschnitt": ("section", "sec", 2),
    "sección": ("section", "sec", 2),
    "seccion": ("section", "sec", 2),
    "раздел": ("section", "sec", 2),
    "الفرع": ("section", "sec", 2),
    "节": ("section", "sec", 2),
    "unterabschnitt": ("section", "subsec", 3),
    "article": ("article", "art", 4),
    "artikel": ("article", "art", 4),
    "art.": ("article", "art", 4),
    "artículo": ("article", "art", 4),
    "articulo": ("article", "art", 4),
    "статья": ("article", "art", 4),
    "المادة": ("article", "art", 4),
    "条": ("article", "art", 4),
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


def _alternatives(words: list[str]) -> str:
    """Return a regex alternation of ``words``, longest first ("Partie" before "Part")."""
    ordered = sorted(words, key=len, reverse=True)
    return "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in ordered)


def _is_arabic(text: str) -> bool:
    return "\u0600" <= text[0] <= "\u06ff"


# Labels of cased scripts: a label starting lowercase is running text ("article 5 of").
_LABEL_RE = re.compile(
    rf"(?P<label>{_alternatives([w for w in _LABELS if w[0].upper() != w[0]])})"
    rf"(?:\s+(?P<num>\d{{1,4}}[a-z]?|[IVXLC]{{1,7}}|[A-Z]|{_alternatives(list(LATIN_ORDINALS))})"
    r"(?:(?P<ordinal>\.?[º°ª])|\b))?\.?",  # Spanish "Artículo 1.º", "Sección 2ª"
    re.IGNORECASE,
)
# Arabic has no case: a label counts only at the start of a line, followed by a
# number (digits, roman numerals or an ordinal adjective: "الفصل الثاني").
_ARABIC_LABEL_RE = re.compile(
    rf"(?P<label>{_alternatives([w for w in _LABELS if _is_arabic(w)])})(?![\w\u064b-\u0652])"
)
_ARABIC_DIGITS_RE = re.compile(r"\s+(?P<num>\d{1,4}|[IVXLC]{1,7})(?!\w)")
_ARABIC_WORDS_RE = re.compile(
    r"(?P<first>(?:[^\W\d_]|[\u064b-\u0652\u0670])+)"
    r"(?P<second>\s+(?:[^\W\d_]|[\u064b-\u0652\u0670])+)?"
)
# Chinese: "第十二条", "第 12 条", "第一章", "第一部分"; "附件", "附件一"; "原则 1", "准则4".
_CJK_NUM = rf"[{CHINESE_NUMERAL_CHARS}]{{1,8}}|\d{{1,4}}"
_CJK_LABEL_RE = re.compile(
    rf"第[ \u3000]*(?P<num>{_CJK_NUM})[ \u3000]*(?P<label>条|章|节|部分)"
    rf"|(?P<before>附件|原则|准则)(?:[ \u3000]*(?P<before_num>{_CJK_NUM}|[A-Z](?![A-Za-z])))?"
)
# What directly after "第三条" makes it a reference in a sentence, not a number:
# "第三条规定的权利", "第三条第二款", "第三条、第四条".
_CJK_REFERENCE = ("的", "第", "规定", "所", "中", "至", "之", "、", "和", "及", "或", "与")
# Paragraph numbers in Chinese ("一、", "（一）") and Arabic ordinal adverbs ("أولاً -").
_CJK_PARAGRAPH_RE = re.compile(rf"(?P<num>[{CHINESE_NUMERAL_CHARS}]{{1,8}})、")
_CJK_PAREN_RE = re.compile(rf"[（(](?P<num>[{CHINESE_NUMERAL_CHARS}]{{1,8}}|\d{{1,3}})[）)]")
# Separators that set a label or an Arabic ordinal apart in a body paragraph.
_BODY_SEPARATORS = ("-", "–", "—", ":", "：", "*", "_")
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
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
_SEPARATORS = " \t-–—:.|：\u3000"
_EMPHASIS = ("**", "__", "*", "_")
# Styles of items (as opposed to paragraphs and sections): an unnumbered
# paragraph that follows one belongs to the enclosing paragraph instead.
ITEM_STYLES = frozenset(
    {"paren-lower", "paren-roman", "paren-upper", "lower-paren", "roman-paren", "lower-dot"}
    | {"roman-dot", "upper-dot", "upper-paren", "dletter-paren", "paren-dletter"}
    | {"dletter-dot", "upper-roman-dot"}
)
# Paragraph numbers written as words: "一、" and "（一）" (read as "1." and "(1)",
# with styles of their own so that "1." and "(1)" nest inside them), "أولاً".
WORD_PARAGRAPH_STYLES = frozenset({"cjk-dot", "cjk-paren", "word-ordinal"})


@dataclass(frozen=True)
class Marker:
    """Numbering found at the start of a line, and the text after it."""

    number: str  # as displayed: "1.", "(a)", "§ 12a", "Article 5", "4.1.2"
    style: str  # nesting style, e.g. "paren-lower", "dotted-2", "label-article"
    token: str  # key token: "1", "a", "12a", "4.1.2"
    kind: str  # clause kind when used for a body block
    rest: str  # the line after the marker (separators and emphasis removed)
    rank: int | None = None  # fixed nesting rank of labelled numbers
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


def _value(token: str) -> int:
    digits = "".join(c for c in token if c.isdigit())
    if digits:
        return int(digits.split(".")[-1] or 0) if "." not in token else int(token.split(".")[-1])
    if token.isalpha():
        return ord(token[0].lower()) - 96
    return 0


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
    return rest.lstrip(_SEPARATORS).strip(), whole


def _label_marker(number: str, label: str, token: str, rest: str) -> Marker:
    kind, prefix, rank = _LABELS[label]
    return Marker(
        number=number,
        style=f"label-{prefix}",
        token=token,
        kind=kind,
        rest=rest,
        rank=rank,
        prefix=prefix,
        value=_value(token) if token else 0,
        labelled=True,
    )


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
    kind = _LABELS[label][0]
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
    return _label_marker(display, label, token, after)


def _set_apart(after: str, heading: bool) -> bool:
    """Return whether the text after a number of an uncased script leaves it a number.

    In a heading a space or a separator must follow; in a body paragraph a
    separator ("أولاً - ", "المادة ٥:"), or nothing: the text is on the next line.
    """
    if not after:
        return True
    if heading:
        return after[0].isspace() or after[0] in _SEPARATORS or after[0] in _BODY_SEPARATORS
    rest = after.lstrip()
    return not rest or rest.startswith(_BODY_SEPARATORS) or rest.startswith(".")


def _arabic_ordinal(text: str, read: Callable[[str], int | None]) -> tuple[int, int] | None:
    """Return the value of the one- or two-word ordinal at the start of ``text`` and its length."""
    match = _ARABIC_WORDS_RE.match(text)
    if match is None:
        return None
    if match.group("second"):
        both = read(match.group(0))
        if both is not None:
            return both, match.end()
    first = read(match.group("first"))
    return (first, match.end("first")) if first is not None else None


def _uncased_labelled(line: str, heading: bool) -> Marker | None:
    """Return the Arabic or Chinese label at the very start of ``line``, if any."""
    if _is_arabic(line):
        return _arabic_labelled(line, heading)
    match = _CJK_LABEL_RE.match(line)
    if match is None:
        return None
    label = match.group("label") or match.group("before")
    num = match.group("num") or match.group("before_num")
    after = line[match.end() :]
    kind = _LABELS[label][0]
    if after.startswith(_CJK_REFERENCE) or (num is None and kind != "annex"):
        return None  # "第三条规定的权利": article 3 cited in a sentence; "原则上"
    if not heading and label != "条" and after[:1].strip() and not _set_apart(after, heading):
        return None  # "附件所列国家": the annex named in a sentence (a space sets it apart)
    if num is None:
        token = ""
    elif num[0].isdecimal():
        token = ascii_digits(num).lower()
    else:
        value = chinese_value(num)
        if value is None:
            return None
        token = word_token(kind, value)
    return _label_marker(match.group(0).strip(), label, token, after)


def _arabic_labelled(line: str, heading: bool) -> Marker | None:
    match = _ARABIC_LABEL_RE.match(line)
    if match is None:
        return None
    label = " ".join(match.group("label").split())
    kind = _LABELS[label][0]
    end, token = match.end(), ""
    digits = _ARABIC_DIGITS_RE.match(line, end)
    if digits is not None:
        end, token = digits.end(), ascii_digits(digits.group("num")).lower()
    else:
        spaced = line[end:]
        if spaced[:1].isspace():
            start = len(spaced) - len(spaced.lstrip())
            found = _arabic_ordinal(spaced[start:], arabic_adjective)
            if found is not None:
                end, token = end + start + found[1], word_token(kind, found[0])
    if not token and kind != "annex":
        return None
    after = line[end:]
    if not _set_apart(after, heading):
        return None  # "المادة ٥ من الاتفاقية ...": article 5 cited in a sentence
    number = f"{label} {' '.join(line[match.end() : end].split())}" if token else label
    return _label_marker(number, label, token, after)


def _uncased_plain(line: str, heading: bool) -> Marker | None:
    """Return a Chinese paragraph number ("一、", "（一）") or an Arabic ordinal adverb."""
    if _is_arabic(line):
        found = _arabic_ordinal(line, arabic_adverb)
        if found is None:
            return None
        value, end = found
        after = line[end:]
        if not _set_apart(after, heading):
            return None  # "أولاً، ..." (first, ...) in a sentence
        return Marker(line[:end], "word-ordinal", str(value), "paragraph", after, value=value)
    for style, pattern in (("cjk-dot", _CJK_PARAGRAPH_RE), ("cjk-paren", _CJK_PAREN_RE)):
        match = pattern.match(line)
        if match is None:
            continue
        num = match.group("num")
        if num[0].isdecimal():  # "（1）" is "(1)"
            token = ascii_digits(num)
            after = line[match.end() :]
            return Marker(match.group(0), "paren-num", token, "paragraph", after, value=int(token))
        read = chinese_value(num)
        if read is None:
            return None
        after = line[match.end() :]
        return Marker(match.group(0), style, str(read), "paragraph", after, value=read)
    return None


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
            return Marker(num, f"dotted-{depth}", token, "paragraph", after, value=_value(token))
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
        value = roman_value(token) if "roman" in style else _value(token)
        return Marker(display, style, token, kind, after, value=value, ambiguous=ambiguous)
    if heading:
        match = _LETTER_DOTTED_RE.match(line)
        if match is not None:  # "C.3 String length" under "Appendix C"
            num = match.group("num")
            depth = num.count(".") + 1
            rest = line[match.end() :]
            return Marker(num, f"dotted-{depth}", num.lower(), "section", rest, value=_value(num))
        match = _BARE_NUMBER_RE.match(line)
        if match is not None and not _DATE_REST_RE.match(line[match.end() :].lstrip()):
            num = match.group("num")
            depth = num.count(".") + 1
            rest = line[match.end() :]
            token = ascii_digits(num)
            return Marker(num, f"dotted-{depth}", token, "section", rest, value=_value(token))
    return None


def parse_marker(line: str, heading: bool = False) -> Marker | None:
    """Return the numbering at the start of ``line``, or None when it has none.

    ``heading`` allows forms only used in headings ("1 Introduction",
    "§ 12 Abs" without a separator).
    """
    stripped, emphasis = _strip_emphasis(line.lstrip())
    if not stripped or not (stripped[0].isalnum() or stripped[0] in "(§（"):
        return None
    marker = (
        _labelled(stripped, heading)
        or _uncased_labelled(stripped, heading)
        or _plain(stripped, heading)
        or _uncased_plain(stripped, heading)
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
