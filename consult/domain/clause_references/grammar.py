"""Reading a written clause reference into its components: the reference grammar.

Commenters name their clause as people write it: "3.1", "Guideline 4, para 2",
"§ 12 Abs. 3", "4.2 a)", "Annex II", "Item 2-13.1", or "General" for the whole
document. This module owns the words people use for labelled numbers and
markers ("Guideline", "Abs.", "lit."), the words whose number is not a
clause's ("Table 1", "ISO 80000-3"), the spellings of "the whole document",
and the tokenizer that turns a cell into references, each a tuple of
components ("guideline:4", "n:2"). Finding the clause a reference names is
``consult.domain.clause_references.matching``.

Pure Python: no Flask, no database.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Key prefixes of the parser's labelled numbers, and the words people use for them.
_LABELS: dict[str, str] = {
    "part": "part",
    "teil": "part",
    "partie": "part",
    "annex": "annex",
    "annexe": "annex",
    "anlage": "annex",
    "anhang": "annex",
    "anexo": "annex",
    "appendix": "annex",
    "schedule": "annex",
    "exhibit": "annex",
    "chapter": "ch",
    "ch": "ch",
    "chap": "ch",
    "kapitel": "ch",
    "chapitre": "ch",
    "capitulo": "ch",
    "section": "sec",
    "sec": "sec",
    "sect": "sec",
    "abschnitt": "sec",
    "unterabschnitt": "subsec",
    "article": "art",
    "art": "art",
    "arts": "art",
    "artikel": "art",
    "articulo": "art",
    "principle": "principle",
    "principles": "principle",
    "principe": "principle",
    "principio": "principle",
    "guideline": "guideline",
    "guidelines": "guideline",
}
# The parser's prefixes that are cited on their own ("Guideline 4", not "Part II, Guideline 4").
STANDALONE_PREFIXES = frozenset({"part", "annex", "art", "s", "principle", "guideline"})
# Words that introduce the next number of the same reference ("para 2", "lit. b"); those
# of the first set may count unnumbered paragraphs ("Principle 3, para 2").
_COUNTING_MARKERS = frozenset(
    {
        "para",
        "paras",
        "paragraph",
        "paragraphs",
        "paragraphe",
        "parrafo",
        "abs",
        "absatz",
        "al",
        "alinea",
        "subparagraph",
        "subpara",
        "item",
        "items",
        "point",
        "points",
        "pt",
        "row",
    }
)
_MARKERS = _COUNTING_MARKERS | frozenset(
    {
        "lit",
        "litera",
        "letter",
        "lettre",
        "buchstabe",
        "no",
        "nos",
        "nr",
        "number",
        "num",
        "sub",
        "ziffer",
        "ziff",
        "clause",
        "clauses",
        "cl",
        "subclause",
        "subclauses",
    }
)
# Words whose number is not a clause's: "Table 1", "line 17", "ISO 80000-3".
_SWALLOWING = frozenset(
    {
        "table",
        "tables",
        "tab",
        "figure",
        "figures",
        "fig",
        "note",
        "notes",
        "example",
        "examples",
        "line",
        "lines",
        "column",
        "columns",
        "col",
        "page",
        "pages",
        "p",
        "pp",
        "sentence",
        "sentences",
        "satz",
        "phrase",
        "footnote",
        "fn",
        "equation",
        "eq",
        "formula",
        "bullet",
        "step",
        "version",
        "edition",
        "iso",
        "iec",
        "en",
        "dir",
        "rfc",
        "annotation",
    }
)
# What "the document as a whole" is written as, once lowercased and stripped of punctuation.
_WHOLE_DOCUMENT = frozenset(
    {
        "",
        "general",
        "general comment",
        "general comments",
        "generale",
        "allgemein",
        "allgemeines",
        "whole",
        "whole document",
        "the whole document",
        "whole text",
        "the whole text",
        "entire document",
        "the entire document",
        "entire text",
        "all",
        "all clauses",
        "all sections",
        "all parts",
        "document",
        "the document",
        "whole draft",
        "overall",
        "global",
        "throughout",
        "throughout the document",
        "various",
        "passim",
        "n a",
        "na",
        "none",
        "tout le document",
        "ensemble du document",
        "todo el documento",
        "gesamtes dokument",
        "gesamter text",
    }
)

_TOKEN = re.compile(
    r"""
    (?P<sign>§§?)
    |\((?P<paren>\d{1,4}[a-z]?|[a-z]{1,4})\)
    |(?P<num>\d{1,6}-\d{1,4}(?:\.\d{1,4})+|\d{1,6}(?:\.\d{1,4})*[a-z]?|[a-z](?:\.\d{1,4})+)(?![a-z\d])(?P<close>\))?
    |(?P<junk>\d+[a-z]\w*)
    |(?P<letter>[a-z]{1,4})\)
    |(?P<word>[^\W\d_]+)\.?
    |(?P<sep>[,;/&+]|-)
    """,
    re.VERBOSE,
)
_DASHES = str.maketrans({"–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-", "\u00a0": " "})
_ROMAN = re.compile(r"^[ivxlc]{1,7}$")


@dataclass(frozen=True)
class _Part:
    """One component of a written reference, and how it may join the one before."""

    text: str  # "guideline:4", "n:2"
    kind: str  # "label", "number", "sub" (a parenthesised or lettered number)


def fold(text: str) -> str:
    """Return ``text`` lowercased, without accents, dashes made plain."""
    text = unicodedata.normalize("NFKD", text.translate(_DASHES))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def is_whole_document(text: str) -> bool:
    """Return whether a clause cell means the document as a whole ("General", "All", empty)."""
    plain = " ".join(re.sub(r"[^\w]+", " ", fold(text)).replace("_", " ").split())
    return plain in _WHOLE_DOCUMENT


def _kind(match: re.Match[str]) -> tuple[str, str]:
    """Return the kind of a token and its text; "1)" counts as a sub-number like "a)"."""
    for name in ("sign", "paren", "num", "junk", "letter", "word", "sep"):
        value = match.group(name)
        if value is not None:
            if name == "num" and match.group("close"):
                return "letter", value
            return name, value
    return "sep", ""


def parse_reference(text: str) -> list[tuple[str, ...]]:
    """Return the references written in ``text``, each as its components, in order.

    "Guideline 4, para 2" -> [("guideline:4", "n:2")]; "5.1 and 5.2" ->
    [("n:5.1",), ("n:5.2",)]; "Table 1" -> [].
    """
    references: list[list[_Part]] = []
    current: list[_Part] = []
    pending_label: str | None = None  # a label waiting for its number
    swallow = False  # the next number belongs to a word such as "Table"
    marker = False  # the next number continues the reference ("para 2")
    counting = False  # ... and may count unnumbered paragraphs
    after_number = False  # the token before was a number ("4.2 a")
    swallowed_end = -1  # where the last swallowed number ended ("80000-3:2019" is one)
    separated = False  # a comma or the like since the last component

    def add(part: _Part) -> None:
        nonlocal current, marker, separated
        continues = bool(current) and (
            marker
            or part.kind == "sub"
            # "§ 5 (2) 1.": a plain number right after "(2)" is inside it.
            or (
                part.kind == "number"
                and current[-1].kind == "sub"
                and not separated
                and "." not in part.text
            )
            or (
                part.kind == "label"
                and all(p.kind == "label" for p in current)
                and part.text.split(":")[0] not in {p.text.split(":")[0] for p in current}
            )
        )
        if current and not continues:
            references.append(current)
            current = []
        current.append(part)
        marker = separated = False

    folded = fold(text)
    for match in _TOKEN.finditer(folded):
        kind, value = _kind(match)
        was_after_number, after_number = after_number, False
        joined = swallowed_end >= 0 and not folded[swallowed_end : match.start()].strip("-:/.")
        if kind in ("num", "paren", "letter") and joined:
            swallowed_end = match.end()
            continue
        if kind != "sep":
            swallowed_end = -1
        if kind == "word" and pending_label == "annex":
            pending_label = None
            if len(value) == 1 or _ROMAN.match(value):  # "Annex A", "Annex II"
                add(_Part(f"annex:{value}", "label"))
                continue
            add(_Part("annex:", "label"))  # "Annex" alone
        elif kind == "word" and pending_label == "part" and _ROMAN.match(value):
            add(_Part(f"part:{value}", "label"))
            pending_label = None
            continue
        elif kind in ("sep", "junk") and pending_label == "annex":
            add(_Part("annex:", "label"))
        if kind == "sign":
            pending_label, swallow, marker = "s", False, False
        elif kind == "word":
            if len(value) == 1 and was_after_number and current:
                add(_Part(f"n:{value}", "sub"))  # "4.2 a"
                continue
            pending_label, swallow, marker = None, value in _SWALLOWING, False
            if value in _LABELS:
                pending_label = _LABELS[value]
            elif value in _MARKERS:
                marker, counting = True, value in _COUNTING_MARKERS
        elif kind in ("sep", "junk"):
            pending_label, swallow, separated = None, False, True
            marker = marker and kind == "sep" and value == ","
        elif swallow:
            swallow, swallowed_end = False, match.end()
        elif pending_label is not None:
            add(_Part(f"{pending_label}:{value}", "label"))
            pending_label = None
            after_number = True
        else:
            sub = kind in ("paren", "letter")
            # "para 2" and "(2)" may count an unnumbered paragraph; "2" and "13.1" do not.
            prefix = "q" if (sub or (marker and counting)) and value.isdigit() else "n"
            add(_Part(f"{prefix}:{value}", "sub" if sub else "number"))
            after_number = True
    if pending_label == "annex":
        add(_Part("annex:", "label"))
    if current:
        references.append(current)
    return [tuple(p.text for p in reference) for reference in references]
