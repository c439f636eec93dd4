"""Numbering in scripts without letter case: Arabic and Chinese.

A cased script tells a label from running text by its capital ("Article 5"
against "article 5 of"); here a label counts only at the very start of a
line, followed by its number, and set apart from what follows.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .marker import BODY_SEPARATORS, LABELS, SEPARATORS, Marker, alternatives, label_marker
from .numerals import (
    ABJAD_CHARS,
    ABJAD_NAMES,
    CHINESE_NUMERAL_CHARS,
    abjad_value,
    arabic_adjective,
    arabic_adverb,
    ascii_digits,
    chinese_value,
    letter_token,
    roman_numeral,
    word_token,
)


def is_arabic(text: str) -> bool:
    return "\u0600" <= text[0] <= "\u06ff"


# Arabic has no case: a label counts only at the start of a line, followed by a
# number (digits, roman numerals or an ordinal adjective: "الفصل الثاني").
_ARABIC_LABEL_RE = re.compile(
    rf"(?P<label>{alternatives([w for w in LABELS if is_arabic(w)])})(?![\w\u064b-\u0652])"
)
_ARABIC_DIGITS_RE = re.compile(r"\s+(?P<num>\d{1,4}|[IVXLC]{1,7})(?!\w)")
_ARABIC_WORDS_RE = re.compile(
    r"(?P<first>(?:[^\W\d_]|[\u064b-\u0652\u0670])+)"
    r"(?P<second>\s+(?:[^\W\d_]|[\u064b-\u0652\u0670])+)?"
)
# Chinese: "第十二条", "第 12 条", "第一章", "第一部分", "第一编" (a code's part);
# "附件", "附件一"; "原则 1", "准则4".
_CJK_NUM = rf"[{CHINESE_NUMERAL_CHARS}]{{1,8}}|\d{{1,4}}"
_CJK_LABEL_RE = re.compile(
    rf"第[ \u3000]*(?P<num>{_CJK_NUM})[ \u3000]*(?P<label>条|條|章|节|節|部分|分编|分編|编|編)"
    rf"|(?P<before>附件|原则|准则)(?:[ \u3000]*(?P<before_num>{_CJK_NUM}|[A-Z](?![A-Za-z])))?"
)
# What directly after "第三条" makes it a reference in a sentence, not a number:
# "第三条规定的权利", "第三条第二款", "第三条、第四条".
_CJK_REFERENCE = ("的", "第", "规定", "所", "中", "至", "之", "、", "和", "及", "或", "与")
# Paragraph numbers in Chinese ("一、", "（一）") and Arabic ordinal adverbs ("أولاً -").
# Digits before the ideographic comma ("1、") are the "1." of a numbered paragraph.
# The full-width full stop ("1．", "一．") is written for the same.
_CJK_PARAGRAPH_RE = re.compile(rf"(?P<num>[{CHINESE_NUMERAL_CHARS}]{{1,8}}|\d{{1,3}})[、．]")
_CJK_PAREN_RE = re.compile(rf"[（(](?P<num>[{CHINESE_NUMERAL_CHARS}]{{1,8}}|\d{{1,3}})[）)]")
# Arabic lettered items, the UN's "(a)", "(b)": "(أ)", "(ب)", ... "(هـ)" (heh with
# its tatweel, or without), also written "أ)" and "أ -". Not "أ." or "د.": those
# are also the abbreviations of titles and words ("د. أحمد", Dr Ahmed).
_ABJAD = rf"(?P<num>ه\u0640*|[{ABJAD_CHARS.replace('ه', '')}])"
_ABJAD_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("paren-abjad", re.compile(rf"\({_ABJAD}\)")),
    ("abjad-paren", re.compile(rf"{_ABJAD}\)")),
    ("abjad-dash", re.compile(rf"{_ABJAD}[ \t]?[-–—]")),
)

# A section lettered by name in a heading, "ألف - مقدمة" (the English "A. Introduction"):
# the dash is required, for "ألف" is also the word for a thousand.
_ABJAD_NAME_RE = re.compile(rf"(?P<num>{alternatives(list(ABJAD_NAMES))})[ \t]*[-–—](?=[ \t]|$)")
# The UN's Arabic texts write the items its English texts number "(i)", "(ii)" as
# "’1‘", "’2‘": digits (of either script) between single quotation marks.
_QUOTED_DIGITS_RE = re.compile(r"[’‘][ \t]?(?P<num>\d{1,2})[ \t]?[‘’](?=[ \t]|$)")
# ... and number paragraphs "1 - ", "٢ - " (the English "1.", "2."), before Arabic text.
_DASHED_DIGITS_RE = re.compile(r"(?P<num>\d{1,3})[ \t]?[-–][ \t]+(?=[\u0600-\u06ff])")


def _set_apart(after: str, heading: bool) -> bool:
    """Return whether the text after a number of an uncased script leaves it a number.

    In a heading a space or a separator must follow; in a body paragraph a
    separator ("أولاً - ", "المادة ٥:"), or nothing: the text is on the next line.
    """
    if not after:
        return True
    if heading:
        return after[0].isspace() or after[0] in SEPARATORS or after[0] in BODY_SEPARATORS
    rest = after.lstrip()
    return not rest or rest.startswith(BODY_SEPARATORS) or rest.startswith(".")


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


def uncased_labelled(line: str, heading: bool) -> Marker | None:
    """Return the Arabic or Chinese label at the very start of ``line``, if any."""
    if is_arabic(line):
        return _arabic_labelled(line, heading)
    match = _CJK_LABEL_RE.match(line)
    if match is None:
        return None
    label = match.group("label") or match.group("before")
    num = match.group("num") or match.group("before_num")
    after = line[match.end() :]
    kind = LABELS[label][0]
    if after.startswith(_CJK_REFERENCE) or (num is None and kind != "annex"):
        return None  # "第三条规定的权利": article 3 cited in a sentence; "原则上"
    if not heading and label != "条" and after[:1].strip() and not _set_apart(after, heading):
        return None  # "附件所列国家": the annex named in a sentence (a space sets it apart)
    if label in ("编", "編", "分编", "分編") and not _set_apart(after, heading=True):
        return None  # "第一编辑室" (the first editorial office): "编" begins many words
    if num is None:
        token = ""
    elif num[0].isdecimal():
        token = ascii_digits(num).lower()
    else:
        value = chinese_value(num)
        if value is None:
            return None
        token = word_token(kind, value)
    return label_marker(match.group(0).strip(), label, token, after)


def _arabic_labelled(line: str, heading: bool) -> Marker | None:
    match = _ARABIC_LABEL_RE.match(line)
    if match is None:
        return None
    label = " ".join(match.group("label").split())
    kind = LABELS[label][0]
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
    return label_marker(number, label, token, after)


def _arabic_item(line: str) -> Marker | None:
    """Return the Arabic lettered item ("(أ)", "ب)", "ج -") at the start of ``line``, if any.

    Its key token is the English letter at the same position ("(ب)" is "b"), so
    that a translation keeps the keys of the original.
    """
    for style, pattern in _ABJAD_PATTERNS:
        match = pattern.match(line)
        if match is None:
            continue
        after = line[match.end() :]
        value = abjad_value(match.group("num"))
        if value is None or (after and not after[0].isspace()):
            return None  # "(أ)ب" or "ب)ب": not a number set apart
        token = letter_token(value)
        return Marker(match.group(0), style, token, "item", after, value=value)
    return None


def _arabic_roman_item(line: str) -> Marker | None:
    """Return the Arabic roman item ("’1‘", "’٢‘") at the start of ``line``, if any.

    Its key token is the roman numeral of the English text ("’2‘" is "ii").
    """
    match = _QUOTED_DIGITS_RE.match(line)
    if match is None:
        return None
    value = int(ascii_digits(match.group("num")))
    if not 0 < value < 40:
        return None
    token = roman_numeral(value)
    return Marker(match.group(0), "paren-roman", token, "item", line[match.end() :], value=value)


def _arabic_dashed_paragraph(line: str) -> Marker | None:
    """Return the paragraph number "1 - " of an Arabic paragraph, read as "1."."""
    match = _DASHED_DIGITS_RE.match(line)
    if match is None:
        return None
    token = ascii_digits(match.group("num"))
    after = line[match.end() :]
    return Marker(match.group(0).strip(), "dotted-1", token, "paragraph", after, value=int(token))


def _arabic_lettered_section(line: str) -> Marker | None:
    """Return the section letter named at the start of an Arabic heading ("باء - ...")."""
    match = _ABJAD_NAME_RE.match(line)
    if match is None:
        return None
    value = ABJAD_NAMES[match.group("num")]
    token = letter_token(value)
    return Marker(match.group("num"), "upper-dot", token, "item", line[match.end() :], value=value)


def uncased_plain(line: str, heading: bool) -> Marker | None:
    """Return a Chinese paragraph number, an Arabic ordinal adverb or an Arabic item letter.

    Chinese: "一、" and "（一）" (styles of their own), "1、" (read as "1.") and
    "（1）" (read as "(1)"). Arabic: "(أ)", "’1‘" (the English "(i)") and, in a
    heading, "ألف -" (the English "A.").
    """
    item = _arabic_item(line) or _arabic_roman_item(line) or _arabic_dashed_paragraph(line)
    if item is not None:
        return item
    if heading and is_arabic(line):
        lettered = _arabic_lettered_section(line)
        if lettered is not None:
            return lettered
    if is_arabic(line):
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
        if num[0].isdecimal():  # "（1）" is "(1)", "1、" is "1."
            token = ascii_digits(num)
            after = line[match.end() :]
            if style == "cjk-dot" and after[:1].isdecimal():
                return None  # "1、2、3": numbers listed in a sentence
            digit_style = "paren-num" if style == "cjk-paren" else "dotted-1"
            return Marker(match.group(0), digit_style, token, "paragraph", after, value=int(token))
        read = chinese_value(num)
        if read is None:
            return None
        after = line[match.end() :]
        return Marker(match.group(0), style, str(read), "paragraph", after, value=read)
    return None
