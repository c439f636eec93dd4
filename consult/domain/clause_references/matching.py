"""Finding the clause a parsed reference names among a version's clauses.

Each clause has a *path*: its own component, preceded by those of its
ancestors up to the first one that is cited on its own (a labelled number
such as "Guideline 4" or "§ 5", a dotted number such as "4.2") or the top of
the text. ``build_index`` indexes a version's clauses by path, heading and
key; ``match_reference`` reads a row's clause cell (with ``grammar``) and
looks it up: exact path, then a path it ends with, then the only clause
whose path ends with it, then the usual variations ("2-13.1", "4.2.1" as
paragraph 1 of 4.2), then the nearest enclosing clause. The paragraph
column may then narrow the match to a clause inside it.

Pure Python: no Flask, no database. Outcomes are codes; the caller words them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from consult.domain.parsing.keys import slugify
from consult.domain.parsing.numbering import parse_marker

from .grammar import STANDALONE_PREFIXES, fold, is_whole_document, parse_reference

#: What a match can come to.
CLAUSE = "clause"  # the clause named
NEAREST = "nearest"  # the nearest enclosing clause of one that does not exist
DOCUMENT = "document"  # the document as a whole
NOT_FOUND = "not_found"  # no clause of the version fits
AMBIGUOUS = "ambiguous"  # several clauses fit equally well
OUTCOMES: tuple[str, ...] = (CLAUSE, NEAREST, DOCUMENT, NOT_FOUND, AMBIGUOUS)


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
        return f"{prefix}:{marker.token}", marker.prefix in STANDALONE_PREFIXES
    token = marker.token if marker is not None else _token_text(fold(number))
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
        if tail[0].partition(":")[0] in STANDALONE_PREFIXES or "." in tail[0]:
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
