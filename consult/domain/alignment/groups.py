"""Split and merge detection: one clause's words largely found in several of the other side.

A split is one old clause whose words are spread over two or more new clauses;
a merge is the reverse. A part qualifies when at least ``PART_CONTAINED`` of its
words are found in the whole; the parts must together cover ``WHOLE_COVERED`` of
the whole, and each must bring at least ``PART_SHARE`` of it, so that a short
unrelated clause that happens to reuse common words is not swallowed.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from .words import Ranking, containment

PART_CONTAINED = 0.8
WHOLE_COVERED = 0.7
PART_SHARE = 0.15


@dataclass(frozen=True)
class Group:
    """One whole clause and the two or more parts it was split into or merged from."""

    whole: int
    parts: tuple[int, ...]


def find_groups(
    wholes: Sequence[int],
    partner: dict[int, int],
    pool: set[int],
    whole_bags: Sequence[frozenset[str]],
    part_bags: Sequence[frozenset[str]],
    whole_words: Sequence[list[str]],
    part_words: Sequence[list[str]],
) -> list[Group]:
    """Return the splits (or merges) found, each whole and part used at most once.

    ``wholes`` are the candidate whole clauses (indices on their side), in
    document order; ``partner`` gives the current one-to-one partner of a whole,
    if any, which must then be one of its parts; ``pool`` holds the unmatched
    clauses of the other side that may serve as parts.
    """
    if not wholes:
        return []
    eligible = pool | {partner[w] for w in wholes if w in partner}
    ranking = Ranking([whole_bags[w] for w in wholes] + [part_bags[p] for p in eligible])
    index: defaultdict[str, list[int]] = defaultdict(list)
    for w in wholes:
        for word in whole_bags[w]:
            index[word].append(w)
    candidates: defaultdict[int, list[int]] = defaultdict(list)
    for p in sorted(eligible):
        item = part_bags[p]
        if not item:
            continue
        keep = len(item) - math.ceil(PART_CONTAINED * len(item)) + 1
        hits = {w for word in ranking.prefix(item, keep) for w in index.get(word, ())}
        for w in sorted(hits):
            if containment(item, whole_bags[w]) >= PART_CONTAINED:
                candidates[w].append(p)
    used: set[int] = set()
    groups: list[Group] = []
    for w in wholes:
        mate = partner.get(w)
        parts = [p for p in candidates.get(w, ()) if p not in used and (p in pool or p == mate)]
        if len(parts) < 2 or (mate is not None and mate not in parts):
            continue
        chosen = _choose(Counter(whole_words[w]), [(p, Counter(part_words[p])) for p in parts])
        if chosen is None or (mate is not None and mate not in chosen):
            continue
        used.update(chosen)
        groups.append(Group(w, tuple(sorted(chosen))))
    return groups


def _choose(whole: Counter[str], parts: list[tuple[int, Counter[str]]]) -> list[int] | None:
    size = sum(whole.values())
    if size == 0:
        return None
    kept = [(p, words) for p, words in parts if _covered(whole, words) / size >= PART_SHARE]
    if len(kept) < 2:
        return None
    union: Counter[str] = Counter()
    for _, words in kept:
        union.update(words)
    if _covered(whole, union) / size < WHOLE_COVERED:
        return None
    return [p for p, _ in kept]


def _covered(whole: Counter[str], part: Counter[str]) -> int:
    return sum(min(count, whole[word]) for word, count in part.items() if word in whole)
