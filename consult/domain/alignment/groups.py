"""Split and merge detection: one clause's words largely found in several of the other side.

A split is one old clause whose words are spread over two or more new clauses;
a merge is the reverse. The parts stand together: siblings, a parent and its
children, or neighbours in the text (a clause is not split into a paragraph
here and an item of another section there). A part qualifies when at least
``PART_CONTAINED`` of its words are found in the whole, or, next to a
qualifying part under the same parent, ``NEIGHBOUR_CONTAINED`` (a reworded and
expanded second half). The whole's current partner, if it has one, must
qualify outright, or hold the whole's words in long runs (``NEIGHBOUR_CONTAINED``
of them) while growing past it: a paragraph that kept its opening sentences,
gained a long passage and gave its last sentences to a paragraph of their own.
The parts must together cover ``WHOLE_COVERED`` of the
whole, and each must bring at least ``PART_SHARE`` of it that the others do
not, so that a short unrelated clause that happens to reuse common words is
not swallowed; the partner, which the whole already continues, only has to
bring a word of its own. Two parts that are near copies of each other, together
far longer than the whole, are one text told twice, not two pieces (``REPEATED``).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from .words import Ranking, containment, dice, runs_cover

PART_CONTAINED = 0.7
WHOLE_COVERED = 0.8
NEIGHBOUR_CONTAINED = 0.5
PART_SHARE = 0.15
REPEATED = 0.8  # parts this alike, together this much longer than
REPEATED_LENGTH = 1.2  # the whole, repeat each other: no group
MAX_PARTS = 8  # a clause split in more parts than this is rewritten, not split
_EXTRA = 2  # words added to the prefix filter's prefix, so that one shared rare word is not enough


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
    part_parents: Sequence[str | None],
    part_keys: Sequence[str],
) -> list[Group]:
    """Return the splits (or merges) found, each whole and part used at most once.

    ``wholes`` are the candidate whole clauses (indices on their side), in
    document order; ``partner`` gives the current one-to-one partner of a whole,
    if any, which must then be one of its parts; ``pool`` holds the unmatched
    clauses of the other side that may serve as parts.
    """
    if not wholes:
        return []
    mates = {w: partner[w] for w in wholes if w in partner}
    ranking = Ranking([whole_bags[w] for w in wholes] + [part_bags[p] for p in pool])
    index: defaultdict[str, list[int]] = defaultdict(list)
    for w in wholes:
        for word in whole_bags[w]:
            index[word].append(w)
    candidates: defaultdict[int, dict[int, float]] = defaultdict(dict)
    # A whole's partner can only be a part of that whole: one containment each.
    for w, p in mates.items():
        share = containment(part_bags[p], whole_bags[w])
        if share >= PART_CONTAINED or (
            len(whole_words[w]) < len(part_words[p])
            and runs_cover(whole_words[w], part_words[p]) >= NEIGHBOUR_CONTAINED
        ):
            candidates[w][p] = share
    for p in sorted(pool):
        item = part_bags[p]
        if not item:
            continue
        # Prefix filter: a whole holding PART_CONTAINED of the part's words holds at
        # least `extra + 1` of its `keep + extra` rarest words.
        keep = len(item) - math.ceil(PART_CONTAINED * len(item)) + 1
        extra = min(_EXTRA, len(item) - keep)
        hits = Counter(
            w for word in ranking.prefix(item, keep + extra) for w in index.get(word, ())
        )
        smallest, largest = PART_CONTAINED * len(item), len(item) / PART_SHARE
        for w, count in hits.items():
            if count <= extra or not smallest <= len(whole_bags[w]) <= largest:
                continue  # could not hold it, or it could not bring PART_SHARE of the whole
            share = containment(item, whole_bags[w])
            if share >= PART_CONTAINED:
                candidates[w][p] = share
    for w, found in candidates.items():  # in document order, as ties are broken by it
        candidates[w] = dict(sorted(found.items()))
    used: set[int] = set()
    groups: list[Group] = []
    for w in wholes:
        mate = partner.get(w)
        strong = [p for p in candidates.get(w, {}) if p not in used and (p in pool or p == mate)]
        if not strong or (mate is not None and mate not in strong):
            continue
        strong.sort(key=lambda p: -candidates[w][p])
        for anchor in strong if mate is None else [mate]:  # the best-held part first
            kin = [p for p in strong if _kin(p, anchor, part_parents, part_keys)]
            chosen = _parts(
                w,
                kin,
                mate,
                pool - used,
                part_bags,
                whole_bags,
                whole_words,
                part_words,
                part_parents,
            )
            if chosen is not None:
                used.update(chosen)
                groups.append(Group(w, tuple(sorted(chosen))))
                break
    return groups


def _parts(
    w: int,
    strong: list[int],
    mate: int | None,
    pool: set[int],
    part_bags: Sequence[frozenset[str]],
    whole_bags: Sequence[frozenset[str]],
    whole_words: Sequence[list[str]],
    part_words: Sequence[list[str]],
    part_parents: Sequence[str | None],
) -> list[int] | None:
    """Return the parts of whole ``w`` among the strong candidates that stand together,
    or None when they do not make a split (or merge)."""
    parts = _grow(strong[:MAX_PARTS], pool, part_bags, whole_bags[w], part_parents)
    if len(parts) < 2:
        return None
    chosen = _choose(Counter(whole_words[w]), [(p, Counter(part_words[p])) for p in parts], mate)
    if chosen is None or (mate is not None and mate not in chosen):
        return None
    if _repeats(chosen, part_bags, whole_bags[w]):
        return None  # a scenario told twice is not two pieces of one clause
    return chosen


def _repeats(
    parts: Sequence[int], part_bags: Sequence[frozenset[str]], whole: frozenset[str]
) -> bool:
    """Whether two of the parts are near copies of each other and the whole holds one
    copy only (the parts together are far longer than the whole)."""
    if sum(len(part_bags[p]) for p in parts) <= REPEATED_LENGTH * len(whole):
        return False
    return any(
        dice(part_bags[a], part_bags[b]) >= REPEATED
        for n, a in enumerate(parts)
        for b in parts[n + 1 :]
    )


def _kin(p: int, q: int, parents: Sequence[str | None], keys: Sequence[str]) -> bool:
    """Whether two parts stand together: one clause, siblings, parent and child, or neighbours."""
    return (
        p == q
        or abs(p - q) == 1
        or parents[p] == parents[q]
        or parents[p] == keys[q]
        or parents[q] == keys[p]
    )


def _grow(
    parts: list[int],
    pool: set[int],
    part_bags: Sequence[frozenset[str]],
    whole: frozenset[str],
    parents: Sequence[str | None],
) -> list[int]:
    """Add the pool's weaker candidates that sit next to a chosen part, under the same parent."""
    chosen = set(parts)
    edge = list(parts)
    while edge and len(chosen) < MAX_PARTS:
        q = edge.pop()
        for p in (q - 1, q + 1):
            if p in chosen or p not in pool or parents[p] != parents[q]:
                continue
            if containment(part_bags[p], whole) >= NEIGHBOUR_CONTAINED:
                chosen.add(p)
                edge.append(p)
    return sorted(chosen)


def _choose(
    whole: Counter[str], parts: list[tuple[int, Counter[str]]], mate: int | None = None
) -> list[int] | None:
    """Return the parts that each bring PART_SHARE of the whole and together cover it.

    The whole's current partner (``mate``), which its text already continues,
    need not bring that share: a short first sentence that the rest was joined
    to is still a part (it only has to bring some word of its own).
    """
    size = sum(whole.values())
    if size == 0:
        return None
    kept = list(parts)
    while len(kept) >= 2:
        union: Counter[str] = Counter()
        for _, words in kept:
            union.update(words)
        total = _covered(whole, union)
        brought = [(total - _covered(whole, union - words)) / size for _, words in kept]
        needed = [
            0.0 if p == mate and brought[n] > 0 else PART_SHARE for n, (p, _) in enumerate(kept)
        ]
        weakest = min(range(len(kept)), key=lambda n: brought[n] - needed[n])
        if brought[weakest] >= needed[weakest]:
            return [p for p, _ in kept] if total / size >= WHOLE_COVERED else None
        del kept[weakest]
    return None


def _covered(whole: Counter[str], part: Counter[str]) -> int:
    return sum(min(count, whole[word]) for word, count in part.items() if word in whole)
