"""Statuses of matched clauses, and the order in which a comparison lists them.

A one-to-one pair's status follows this precedence:

1. ``moved``: its parent is not the old parent's counterpart (moved to another
   guideline, article, ...), or it left its order among the siblings it kept
   (it is outside the longest run of pairs that kept their relative order);
2. ``renumbered``: same place, but the display number differs;
3. ``changed``: same place and number, different heading or text;
4. ``unchanged``: same place, number and text.

A moved or renumbered clause may also be reworded: ``text_changed`` says so
independently of the status. Pairs are listed in the newer version's order as given (a
split at its first part, its other parts
possibly further on); a removed clause follows the pair of the nearest
earlier old clause that was not moved, or opens the list when there is none.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Protocol

from .groups import Group
from .model import AlignedPair, Alignment, ClauseText
from .words import flat

Similarity = Callable[[Sequence[int], Sequence[int]], float]


class Matched(Protocol):
    """What the matching stages leave: both versions, their ties, a similarity measure."""

    @property
    def old(self) -> Sequence[ClauseText]: ...
    @property
    def new(self) -> Sequence[ClauseText]: ...
    @property
    def old_norm(self) -> Sequence[str]: ...
    @property
    def new_norm(self) -> Sequence[str]: ...
    @property
    def old_to_new(self) -> dict[int, int]: ...

    def similarity(self, old: Sequence[int], new: Sequence[int]) -> float:
        """Return the word similarity of the old clauses against the new ones."""
        ...


def build_pairs(matched: Matched, splits: Sequence[Group], merges: Sequence[Group]) -> Alignment:
    """Return the alignment with a status for every tie, group and leftover clause."""
    old, new, old_to_new = matched.old, matched.new, matched.old_to_new
    similarity = matched.similarity
    counterpart: dict[str, str] = {}  # old key -> new key, to compare parents
    for i, j in old_to_new.items():
        counterpart[old[i].key] = new[j].key
    for group in splits:
        counterpart[old[group.whole].key] = new[group.parts[0]].key
    for group in merges:
        for i in group.parts:
            counterpart[old[i].key] = new[group.whole].key
    out_of_order = _out_of_order(old, new, old_to_new, counterpart)

    placed: list[tuple[tuple[float, int, int], AlignedPair]] = []
    anchor: dict[int, float] = {}  # old index -> new position of its pair (when not moved)
    for i, j in old_to_new.items():
        a, b = old[i], new[j]
        text_changed = matched.old_norm[i] != matched.new_norm[j]
        same_parent = _same_parent(a, b, counterpart)
        if not same_parent or j in out_of_order:
            status = "moved"
        elif a.number != b.number:
            status = "renumbered"
        elif text_changed:
            status = "changed"
        else:
            status = "unchanged"
        score = similarity([i], [j]) if text_changed else 1.0
        placed.append(((j, 0, 0), AlignedPair(status, (a,), (b,), score, text_changed)))
        if status != "moved":
            anchor[i] = j
    for group in splits:
        parts = tuple(new[j] for j in group.parts)
        pair = _group_pair(
            "split", (old[group.whole],), parts, [group.whole], group.parts, similarity
        )
        placed.append(((group.parts[0], 0, 0), pair))
        anchor[group.whole] = group.parts[0]
    for group in merges:
        wholes = tuple(old[i] for i in group.parts)
        pair = _group_pair(
            "merged", wholes, (new[group.whole],), group.parts, [group.whole], similarity
        )
        placed.append(((group.whole, 0, 0), pair))
        for i in group.parts:
            anchor[i] = group.whole
    matched_new = set(old_to_new.values())
    matched_new.update(p for g in splits for p in g.parts)
    matched_new.update(g.whole for g in merges)
    for j, clause in enumerate(new):
        if j not in matched_new:
            placed.append(((j, 0, 0), AlignedPair("added", (), (clause,), 0.0, True)))
    last: float = -1
    matched_old = set(old_to_new) | {g.whole for g in splits}
    matched_old.update(i for g in merges for i in g.parts)
    for i, clause in enumerate(old):
        if i in anchor:
            last = anchor[i]
        if i not in matched_old:
            placed.append(((last, 1, i), AlignedPair("removed", (clause,), (), 0.0, True)))
    placed.sort(key=lambda item: item[0])
    return Alignment(tuple(pair for _, pair in placed))


def _group_pair(
    status: str,
    olds: tuple[ClauseText, ...],
    news: tuple[ClauseText, ...],
    old_index: Sequence[int],
    new_index: Sequence[int],
    similarity: Similarity,
) -> AlignedPair:
    before = " ".join(flat(c) for c in olds)
    after = " ".join(flat(c) for c in news)
    text_changed = before != after
    score = similarity(old_index, new_index) if text_changed else 1.0
    return AlignedPair(status, olds, news, score, text_changed)


def _same_parent(a: ClauseText, b: ClauseText, counterpart: dict[str, str]) -> bool:
    if a.parent_key is None or b.parent_key is None:
        return a.parent_key is None and b.parent_key is None
    return counterpart.get(a.parent_key) == b.parent_key


def _out_of_order(
    old: Sequence[ClauseText],
    new: Sequence[ClauseText],
    old_to_new: dict[int, int],
    counterpart: dict[str, str],
) -> set[int]:
    """Return the new indices of pairs that left the order of their siblings."""
    siblings: defaultdict[str | None, list[tuple[int, int]]] = defaultdict(list)
    for i, j in sorted(old_to_new.items(), key=lambda item: item[1]):
        if _same_parent(old[i], new[j], counterpart):
            siblings[new[j].parent_key].append((j, i))
    moved: set[int] = set()
    for members in siblings.values():
        keep = _longest_increasing([i for _, i in members])
        moved.update(j for index, (j, _) in enumerate(members) if index not in keep)
    return moved


def _longest_increasing(values: Sequence[int]) -> set[int]:
    """Return the indices of one longest strictly increasing subsequence of ``values``."""
    tails: list[int] = []  # values
    tail_index: list[int] = []
    previous = [-1] * len(values)
    for index, value in enumerate(values):
        at = bisect_left(tails, value)
        if at == len(tails):
            tails.append(value)
            tail_index.append(index)
        else:
            tails[at] = value
            tail_index[at] = index
        previous[index] = tail_index[at - 1] if at > 0 else -1
    result: set[int] = set()
    index = tail_index[-1] if tail_index else -1
    while index >= 0:
        result.add(index)
        index = previous[index]
    return result
