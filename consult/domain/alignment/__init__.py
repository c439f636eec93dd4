"""Clause alignment between two versions of a document (pure Python).

``align`` accounts for every clause of both versions exactly once: unchanged,
changed, moved, renumbered, split, merged, added or removed (see ``matching``
for the stages, ``model`` for the precedence of statuses and ``ordering``
for what makes a clause moved).
``carry_keys`` turns an alignment into the keys a newly imported version
inherits, so that comments stay attached to reworded, moved or renumbered clauses.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from .keys import carry_keys
from .matching import align
from .model import STATUSES, AlignedPair, Alignment, ClauseText

__all__ = [
    "STATUSES",
    "AlignedPair",
    "Alignment",
    "ClauseText",
    "align",
    "carry_keys",
    "clause_texts",
]


class ClauseLike(Protocol):
    """Anything with a clause's fields: a ParsedClause, a stored clause row."""

    @property
    def key(self) -> str: ...
    @property
    def number(self) -> str: ...
    @property
    def heading(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def parent_key(self) -> str | None: ...
    @property
    def position(self) -> int: ...
    @property
    def kind(self) -> str: ...


def clause_texts(clauses: Iterable[ClauseLike]) -> list[ClauseText]:
    """Return ClauseText copies of any clause objects with the same fields (parsed or stored)."""
    return [
        ClauseText(c.key, c.number, c.heading, c.text, c.parent_key, c.position, c.kind)
        for c in clauses
    ]
