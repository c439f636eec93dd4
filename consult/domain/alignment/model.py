"""The alignment's plain data: the clauses compared, and the pairs it finds.

One vocabulary of statuses serves the comparison, the clause history and the
matrix. A one-to-one pair (an old clause and the new clause that continues it)
takes the first status that holds, in this order:

1. ``moved``: its place among the matched clauses changed (see ``ordering``:
   its parent does not continue its old parent, or it left the order of the
   matched clauses); its text may have changed too (``text_changed``);
2. ``changed``: same place, different heading or text, whatever became of its
   number (a page shows the old number beside the new one when they differ);
3. ``renumbered``: same place and text, only the display number differs;
4. ``unchanged``: same place, number and text (a paragraph wrapped at other
   places is the same text).

A clause continued by several is ``split``, several continued by one are
``merged``; a new clause that continues none is ``added``, an old clause that
none continues ``removed``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

#: Every value ``AlignedPair.status`` can take, in the order a summary lists them.
STATUSES: tuple[str, ...] = (
    "unchanged",
    "changed",
    "moved",
    "renumbered",
    "split",
    "merged",
    "added",
    "removed",
)


@dataclass(frozen=True)
class ClauseText:
    """One clause of a version, as plain data (from a parsed draft or a stored version)."""

    key: str
    number: str
    heading: str
    text: str
    parent_key: str | None
    position: int
    kind: str = "paragraph"


@dataclass(frozen=True)
class AlignedPair:
    """One entry of a comparison: old clause(s), new clause(s) and what became of them.

    ``old`` is empty for an added clause, ``new`` is empty for a removed one;
    a split has one old and several new clauses, a merge several old and one new.
    ``similarity`` is the word similarity (0..1) of the texts, 1.0 when identical;
    ``text_changed`` says whether heading or text differ, whatever the status.
    """

    status: str
    old: tuple[ClauseText, ...]
    new: tuple[ClauseText, ...]
    similarity: float
    text_changed: bool


@dataclass(frozen=True)
class Alignment:
    """A whole comparison: pairs in the newer version's order, removed clauses where they stood."""

    pairs: tuple[AlignedPair, ...]

    def summary(self) -> dict[str, int]:
        """Return the number of pairs per status, every status present (zero when unused)."""
        counts = Counter(pair.status for pair in self.pairs)
        return {status: counts.get(status, 0) for status in STATUSES}
