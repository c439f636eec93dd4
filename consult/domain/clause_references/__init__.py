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

The reading of a cell into components is ``grammar``; the index of a
version's clauses and the lookup are ``matching``. This package re-exports
the public names of both.

Pure Python: no Flask, no database. Outcomes are codes; the caller words them.
"""

from __future__ import annotations

from .grammar import is_whole_document, parse_reference
from .matching import (
    AMBIGUOUS,
    CLAUSE,
    DOCUMENT,
    NEAREST,
    NOT_FOUND,
    OUTCOMES,
    ClauseEntry,
    ClauseIndex,
    ClauseMatch,
    build_index,
    match_reference,
)

__all__ = [
    "AMBIGUOUS",
    "CLAUSE",
    "DOCUMENT",
    "NEAREST",
    "NOT_FOUND",
    "OUTCOMES",
    "ClauseEntry",
    "ClauseIndex",
    "ClauseMatch",
    "build_index",
    "is_whole_document",
    "match_reference",
    "parse_reference",
]
