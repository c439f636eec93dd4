"""Finding the clause a commenter meant from what they wrote: "3.1", "Guideline 4, para 2".

Comments that arrive by e-mail name their clause as people write it, not by
key: "3.1", "Guideline 4, para 2", "§ 5 (1)", "4.2 a)", "Principle 3",
"Annex", "Item 2-13.1", or "General" for the whole document. This module
reads such a reference into *components* ("guideline:4", "n:2") and looks
them up in an index of a version's clauses built from their numbers, the same
numbers the draft parser stored (``consult.domain.parsing``).

Each clause has a *path*: its own component, preceded by those of its
ancestors up to the first one that is cited on its own (a labelled number
such as "Guideline 4" or "§ 5", a dotted number such as "4.2") or the top of
the text. "Guideline 4" > "2." has the path ``("guideline:4", "n:2")``;
"4.2" > "a)" has ``("n:4.2", "n:a")``; an unnumbered paragraph counts by its
place among its parent's unnumbered paragraphs, as its citation does
("Principle 1, paragraph 2").

A written reference matches the clause whose path it equals; failing that,
one whose path it ends with ("Part II, Guideline 4" for "Guideline 4"), or
the only clause whose path ends with it ("2.3" for "2" > "2.3"). When nothing
matches, usual variations are tried (the ISO item "2-13.1" means 13.1 of
part 2; "4.2.1" may be paragraph 1 of 4.2), then the nearest enclosing
clause ("4.2.7" that does not exist lands on "4.2", marked as *nearest*).
The paragraph column of the template may then narrow the match to a clause
inside it ("Guideline 4" with "para 2").

Pure Python: no Flask, no database. Outcomes are codes; the caller words them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from consult.domain.parsing.keys import slugify
from consult.domain.parsing.numbering import parse_marker

#: What a match can come to.
CLAUSE = "clause"  # the clause named
NEAREST = "nearest"  # the nearest enclosing clause of one that does not exist
DOCUMENT = "document"  # the document as a whole
NOT_FOUND = "not_found"  # no clause of the version fits
AMBIGUOUS = "ambiguous"  # several clauses fit equally well
OUTCOMES: tuple[str, ...] = (CLAUSE, NEAREST, DOCUMENT, NOT_FOUND, AMBIGUOUS)

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
_STANDALONE_PREFIXES = frozenset({"part", "annex", "art", "s", "principle", "guideline"})
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
class ClauseEntry:
    """A clause of the version, as stored: key, display number, kind, heading, parent."""

    key: str
    number: str
    kind: str
    heading: str = ""
    parent_key: str | None = None


@dataclass(frozen=True)
class ClauseMatch:
    """What a written reference came to.

    ``key`` is the clause found (for CLAUSE and NEAREST), ``candidates`` the
    clauses that fit equally (AMBIGUOUS), ``refined`` whether the paragraph
    column narrowed the match.
    """

    outcome: str
    key: str | None = None
    candidates: tuple[str, ...] = ()
    refined: bool = False


@dataclass(frozen=True)
class _Part:
    """One component of a written reference, and how it may join the one before."""

    text: str  # "guideline:4", "n:2"
    kind: str  # "label", "number", "sub" (a parenthesised or lettered number)


@dataclass
class ClauseIndex:
    """A version's clauses by path, heading and key, for matching references."""

    order: list[str] = field(default_factory=list)
    paths: dict[str, tuple[str, ...]] = field(default_factory=dict)
    by_path: dict[tuple[str, ...], list[str]] = field(default_factory=dict)
    by_last: dict[str, list[str]] = field(default_factory=dict)
    by_heading: dict[str, list[str]] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)  # casefolded key -> key
    parents: dict[str, str | None] = field(default_factory=dict)

    def descendants(self, key: str) -> set[str]:
        """Return the keys of every clause inside clause ``key``."""
        found: set[str] = set()
        for candidate in self.order:
            parent = self.parents.get(candidate)
            while parent is not None:
                if parent == key:
                    found.add(candidate)
                    break
                parent = self.parents.get(parent)
        return found


def _fold(text: str) -> str:
    """Return ``text`` lowercased, without accents, dashes made plain."""
    text = unicodedata.normalize("NFKD", text.translate(_DASHES))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def _token_text(token: str) -> str:
    return token.strip().strip("().").lower()


def _own_component(entry: ClauseEntry, ordinal: int) -> tuple[str, bool]:
    """Return a clause's own component and whether it is cited on its own."""
    number = entry.number.strip()
    if not number:
        if entry.kind in ("heading", "preamble"):
            return f"h:{slugify(entry.heading) or entry.kind}", False
        return f"p:{ordinal}", False
    marker = parse_marker(number, heading=True)
    if marker is not None and marker.prefix:
        prefix = "sec" if marker.prefix == "subsec" else marker.prefix
        return f"{prefix}:{marker.token}", marker.prefix in _STANDALONE_PREFIXES
    token = marker.token if marker is not None else _token_text(_fold(number))
    token = token.rstrip(".")
    return f"n:{token}", "." in token


def build_index(entries: Sequence[ClauseEntry]) -> ClauseIndex:
    """Return the index of a version's clauses, given in document order."""
    index = ClauseIndex()
    own: dict[str, tuple[str, bool]] = {}
    ordinals: dict[tuple[str | None, str], int] = {}
    for entry in entries:
        ordinal = 0
        if not entry.number.strip():
            slot = (entry.parent_key, entry.kind)
            ordinal = ordinals[slot] = ordinals.get(slot, 0) + 1
        own[entry.key] = _own_component(entry, ordinal)
        index.parents[entry.key] = entry.parent_key
        index.order.append(entry.key)
        index.keys.setdefault(entry.key.casefold(), entry.key)
        if entry.heading.strip():
            slug = slugify(entry.heading)
            if slug:
                index.by_heading.setdefault(slug, []).append(entry.key)
    for key in index.order:
        path: list[str] = []
        current: str | None = key
        while current is not None and current in own:
            component, standalone = own[current]
            path.insert(0, component)
            if standalone:
                break
            current = index.parents.get(current)
        as_tuple = tuple(path)
        index.paths[key] = as_tuple
        index.by_path.setdefault(as_tuple, []).append(key)
        index.by_last.setdefault(as_tuple[-1], []).append(key)
    return index


def is_whole_document(text: str) -> bool:
    """Return whether a clause cell means the document as a whole ("General", "All", empty)."""
    plain = " ".join(re.sub(r"[^\w]+", " ", _fold(text)).replace("_", " ").split())
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

    folded = _fold(text)
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


def _component_variants(component: str) -> list[tuple[str, ...]]:
    """Return the other ways one component may have been meant, most likely first."""
    prefix, _, token = component.partition(":")
    found: list[tuple[str, ...]] = []
    if "-" in token:
        before, _, after = token.partition("-")
        # ISO items: "2-13.1" is item 13.1 of part 2; "3-5" is a range from 3.
        token = after if "." in after else before
        found.append((f"{prefix}:{token}",))
    if prefix == "sec":
        found.append((f"n:{token}",))  # "Section 3.1" for the numbered heading 3.1
    if "." in token:
        parent, _, child = token.rpartition(".")
        found.append((f"{prefix}:{parent}", f"n:{child}"))  # "Guideline 6.1" for 6, para 1
    letters = re.match(r"^(.*\d)([a-z])$", token)
    if letters:
        found.append((f"{prefix}:{letters.group(1)}", f"n:{letters.group(2)}"))  # "4.2a"
    return found


_MAX_VARIANTS = 32


def _counted(reference: tuple[str, ...], as_ordinal: bool = False) -> list[tuple[str, ...]]:
    """Return ``reference`` with each "q:" number read as a number, then as an ordinal."""
    found = [tuple("n:" + c[2:] if c.startswith("q:") else c for c in reference)]
    for position, component in enumerate(reference):
        if component.startswith("q:") or (as_ordinal and re.match(r"^n:\d+$", component)):
            for each in list(found):
                candidate = (*each[:position], "p:" + component[2:], *each[position + 1 :])
                if candidate not in found:
                    found.append(candidate)
    return found


def _variants(reference: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Return ``reference`` and the usual ways it may have been meant, most likely first."""
    found: list[tuple[str, ...]] = _counted(reference)
    at = 0
    while at < len(found) and len(found) < _MAX_VARIANTS:
        current = found[at]
        for position, component in enumerate(current):
            for replacement in _component_variants(component):
                candidate = (*current[:position], *replacement, *current[position + 1 :])
                if candidate not in found:
                    found.append(candidate)
        at += 1
    return found[:_MAX_VARIANTS]


def _shorter(reference: tuple[str, ...]) -> tuple[str, ...]:
    """Return the reference of the clause enclosing ``reference`` ("4.2.7" -> "4.2")."""
    *head, last = reference
    prefix, _, token = last.partition(":")
    if "." in token:
        return (*head, f"{prefix}:{token.rpartition('.')[0]}")
    return tuple(head)


def _exact(index: ClauseIndex, reference: tuple[str, ...]) -> list[str]:
    """The clauses whose path is ``reference``."""
    return list(index.by_path.get(reference, []))


def _over(index: ClauseIndex, reference: tuple[str, ...]) -> list[str]:
    """The clauses cited on their own that ``reference`` ends with ("Part II, Guideline 4")."""
    for start in range(1, len(reference)):
        tail = reference[start:]
        if tail[0].partition(":")[0] in _STANDALONE_PREFIXES or "." in tail[0]:
            found = index.by_path.get(tail, [])
            if found:
                return list(found)
    return []


def _under(index: ClauseIndex, reference: tuple[str, ...]) -> list[str]:
    """The clauses whose path ends with ``reference`` ("2.3" for "2" > "2.3")."""
    size = len(reference)
    return [
        key for key in index.by_last.get(reference[-1], []) if index.paths[key][-size:] == reference
    ]


def _lookup(index: ClauseIndex, variants: Sequence[tuple[str, ...]]) -> list[str]:
    """Return the clauses the first fitting variant names (several when it is ambiguous).

    Every variant is tried as a whole path before any is tried as part of one.
    """
    for strategy in (_exact, _over, _under):
        for variant in variants:
            keys = strategy(index, variant)
            if keys:
                return keys
    return []


def _within(index: ClauseIndex, base: str, reference: tuple[str, ...]) -> list[str]:
    """Return the clauses inside ``base`` that ``reference`` names, relative to it.

    Inside a clause a bare number may count its unnumbered paragraphs ("2" in
    the paragraph column of "Principle 3").
    """
    below = index.descendants(base)
    inside = [key for key in index.order if key in below]
    base_path = index.paths[base]
    for variant in _counted(reference, as_ordinal=True):
        size = len(variant)
        found = [key for key in inside if index.paths[key] == base_path + variant]
        found = found or [key for key in inside if index.paths[key][-size:] == variant]
        if found:
            return found
    return []


def _resolve(index: ClauseIndex, references: Sequence[tuple[str, ...]]) -> ClauseMatch:
    for reference in references:
        keys = _lookup(index, _variants(reference))
        if len(keys) == 1:
            return ClauseMatch(CLAUSE, keys[0])
        if keys:
            return ClauseMatch(AMBIGUOUS, candidates=tuple(keys))
    if not references:
        return ClauseMatch(NOT_FOUND)
    for variant in _variants(references[0]):
        shorter = _shorter(variant)
        while shorter:
            keys = _lookup(index, [shorter])
            if len(keys) == 1:
                return ClauseMatch(NEAREST, keys[0])
            if keys:
                break
            shorter = _shorter(shorter)
    return ClauseMatch(NOT_FOUND)


def _by_heading(index: ClauseIndex, text: str) -> ClauseMatch | None:
    """Return the clause named by its heading ("Bibliography", "Introduction, para 2"), if any."""
    stripped = text.strip()
    keys = index.by_heading.get(slugify(stripped), [])
    if len(keys) == 1:
        return ClauseMatch(CLAUSE, keys[0])
    if keys:
        return ClauseMatch(AMBIGUOUS, candidates=tuple(keys))
    # "Introduction, para 2": a heading, then a reference inside it.
    head, separator, rest = stripped.partition(",")
    keys = index.by_heading.get(slugify(head), []) if separator else []
    if len(keys) == 1:
        inside = parse_reference(rest)
        found = _within(index, keys[0], inside[0]) if inside else []
        if len(found) == 1:
            return ClauseMatch(CLAUSE, found[0])
    return None


def _refine(index: ClauseIndex, found: ClauseMatch, paragraph: str) -> ClauseMatch:
    """Narrow a match with the paragraph column ("para 2" inside "Guideline 4")."""
    if found.key is None or not paragraph.strip():
        return found
    for reference in parse_reference(paragraph)[:1]:
        inside = _within(index, found.key, reference)
        if len(inside) == 1:
            return ClauseMatch(found.outcome, inside[0], refined=True)
    return found


def match_reference(index: ClauseIndex, clause: str, paragraph: str = "") -> ClauseMatch:
    """Return the clause that a row's clause cell (and paragraph cell) names.

    An empty cell, "General", "Whole document" or "All" is the document as a
    whole; otherwise the cell is read as a key, a heading or a reference.
    """
    if is_whole_document(clause):
        return ClauseMatch(DOCUMENT)
    written = clause.strip().casefold()
    key = index.keys.get(written)
    if key is not None and not written.replace(".", "").isdigit() and " " not in written:
        # A key as the platform shows it ("guideline-rescue.2"). A key that is all
        # digits is read as a number below: a carried key may be another clause's number.
        return _refine(index, ClauseMatch(CLAUSE, key), paragraph)
    found = _by_heading(index, clause)
    if found is None:
        found = _resolve(index, parse_reference(clause))
    if found.outcome == NOT_FOUND and key is not None:
        found = ClauseMatch(CLAUSE, key)
    if found.outcome in (CLAUSE, NEAREST):
        return _refine(index, found, paragraph)
    return found
