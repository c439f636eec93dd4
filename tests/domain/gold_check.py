"""Check the alignment against hand-checked gold files (tests/domain/gold/*.yaml).

A gold file names two versions of one corpus document and a sample of
clauses whose true fate was decided by reading both texts: for each entry the
old key(s), the new key(s) that truly continue them (none for a removed
clause) and the true status. An added clause is an entry with new keys and no
old ones. Statuses follow the issue's vocabulary: ``moved`` only when the
clause left its place among the matched clauses, ``changed`` when its text
changed (whatever became of its number), ``renumbered`` when only its number
changed.

``check`` runs ``consult.domain.alignment.align`` on the two parsed versions
and says, per entry, whether the pair holding the entry's first clause has the
true status and exactly the true counterparts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from consult.domain.alignment import (
    STATUSES,
    AlignedPair,
    ClauseText,
    align,
    carry_keys,
    clause_texts,
)
from consult.domain.parsing import parse_draft
from consult.services.comparisons import KEY_THRESHOLD, THRESHOLD

GOLD = Path(__file__).resolve().parent / "gold"


@dataclass(frozen=True)
class Entry:
    """One hand-checked clause: what it truly became."""

    old: tuple[str, ...]
    new: tuple[str, ...]
    status: str
    why: str = ""


@dataclass(frozen=True)
class Gold:
    """A gold file: two corpus files and the sampled entries."""

    name: str
    old: str
    new: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Miss:
    """An entry the alignment got wrong, with what it says instead."""

    entry: Entry
    status: str
    old: tuple[str, ...]
    new: tuple[str, ...]

    def describe(self) -> str:
        """Return one line: the clause, what the code says and what is true."""
        keys = ", ".join(self.entry.old or self.entry.new)
        said = f"{self.status} {list(self.old)} -> {list(self.new)}"
        truth = f"{self.entry.status} {list(self.entry.old)} -> {list(self.entry.new)}"
        return f"{keys}: code says {said}; true: {truth}"


@dataclass(frozen=True)
class Report:
    """How one gold file fares: statuses and counterparts right out of the sample."""

    name: str
    sampled: int
    statuses_right: int
    counterparts_right: int
    misses: tuple[Miss, ...]

    @property
    def status_accuracy(self) -> float:
        """Return the share of sampled entries with the true status."""
        return self.statuses_right / self.sampled if self.sampled else 1.0

    @property
    def counterpart_accuracy(self) -> float:
        """Return the share of sampled entries paired with exactly the true counterparts."""
        return self.counterparts_right / self.sampled if self.sampled else 1.0


def _keys(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def load(path: Path) -> Gold:
    """Read a gold file; raise ValueError on an unknown status or an entry without keys."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    entries = []
    for raw in data["clauses"]:
        entry = Entry(
            _keys(raw.get("old")), _keys(raw.get("new")), raw["status"], raw.get("why", "")
        )
        if entry.status not in STATUSES:
            raise ValueError(f"{path.name}: unknown status {entry.status!r}")
        if not entry.old and not entry.new:
            raise ValueError(f"{path.name}: an entry names no clause")
        entries.append(entry)
    return Gold(path.stem, data["old"], data["new"], tuple(entries))


def gold_files() -> list[Path]:
    """Return every gold file, sorted by name."""
    return sorted(GOLD.glob("*.yaml"))


@cache
def clauses(corpus: Path, name: str) -> tuple[ClauseText, ...]:
    """Return the parsed clauses of one corpus file."""
    path = corpus / name
    return tuple(clause_texts(parse_draft(path.read_bytes(), path.name).clauses))


def unknown_keys(gold: Gold, corpus: Path) -> list[str]:
    """Return the gold keys that the parsed versions do not have."""
    old = {c.key for c in clauses(corpus, gold.old)}
    new = {c.key for c in clauses(corpus, gold.new)}
    missing = [f"old {k}" for e in gold.entries for k in e.old if k not in old]
    return missing + [f"new {k}" for e in gold.entries for k in e.new if k not in new]


def as_imported(
    old: Sequence[ClauseText], new: Sequence[ClauseText]
) -> tuple[list[ClauseText], dict[str, str]]:
    """Return ``new`` with the keys an import after ``old`` gives it, and final key -> parsed key.

    This is what the platform stores (``consult.services.carry``) and then compares
    by its keys alone (``consult.services.comparisons``).
    """
    mapping = carry_keys(old, new, align(old, new))
    renamed = [
        replace(
            c,
            key=mapping.get(c.key, c.key),
            parent_key=None if c.parent_key is None else mapping.get(c.parent_key, c.parent_key),
        )
        for c in new
    ]
    return renamed, {mapping.get(c.key, c.key): c.key for c in new}


def check(gold: Gold, corpus: Path, *, imported: bool = False) -> Report:
    """Align the gold file's two versions and compare every entry with the truth.

    By default the parsed versions are aligned as they are (the import's
    preview); with ``imported`` the new version first gets the keys an import
    carries, and the stored versions' comparison is checked.
    """
    old, new = clauses(corpus, gold.old), clauses(corpus, gold.new)
    if imported:
        stored, parsed_key = as_imported(old, new)
        result = align(old, stored, threshold=THRESHOLD, key_threshold=KEY_THRESHOLD, carried=True)
    else:
        parsed_key = {c.key: c.key for c in new}
        result = align(old, new)
    by_old: dict[str, AlignedPair] = {}
    by_new: dict[str, AlignedPair] = {}
    for pair in result.pairs:
        by_old.update((c.key, pair) for c in pair.old)
        by_new.update((parsed_key[c.key], pair) for c in pair.new)
    statuses = counterparts = 0
    misses = []
    for entry in gold.entries:
        pair = by_old[entry.old[0]] if entry.old else by_new[entry.new[0]]
        olds = tuple(c.key for c in pair.old)
        news = tuple(parsed_key[c.key] for c in pair.new)
        status_right = pair.status == entry.status
        counterpart_right = set(olds) == set(entry.old) and set(news) == set(entry.new)
        statuses += status_right
        counterparts += counterpart_right
        if not (status_right and counterpart_right):
            misses.append(Miss(entry, pair.status, olds, news))
    return Report(gold.name, len(gold.entries), statuses, counterparts, tuple(misses))
