"""Statuses of matched clauses, and the order in which a comparison lists them.

The precedence of a one-to-one pair's status is written down in ``model``.
A pair is ``moved`` only when its place among the matched clauses changed:

* its parent does not continue its old parent. Both parents are taken as the
  nearest matched ancestors: an added level (a new wrapping part, a renamed
  heading the matching could not pair) is looked through on the new side, a
  removed one on the old side, and so is a new ancestor whose old counterpart
  lay inside the old parent (a sentence that became "(1)" over the items
  that followed it), unless that counterpart was a section beside it,
  numbered alike (Section 6 that became 5(b) has moved);
* or it left the order of the matched clauses that share its parent (the
  increasing run of old positions, taken in the new order, that holds the
  most clauses counting what each holds: of two sections that swapped
  places, the smaller one moved);
* or it left the order of the whole document (the longest common subsequence of
  all matched clauses) while its parent kept its place: the clauses of a moved
  section move with it and are not each reported.

Pairs are listed in the newer version's order as given (a split at its first
part, its other parts possibly further on); a removed clause follows the pair
of the nearest earlier old clause that was not moved, or opens the list when
there is none.
"""

from __future__ import annotations

import re
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
    moved = _moved(old, new, old_to_new, splits, merges)
    placed: list[tuple[tuple[float, int, int], AlignedPair]] = []
    anchor: dict[int, float] = {}  # old index -> new position of its pair (when not moved)
    for i, j in old_to_new.items():
        a, b = old[i], new[j]
        text_changed = matched.old_norm[i] != matched.new_norm[j]
        status = _status(j in moved, a.number != b.number, text_changed)
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


def _status(moved: bool, renumbered: bool, text_changed: bool) -> str:
    """Return a one-to-one pair's status by the precedence written in ``model``."""
    if moved:
        return "moved"
    if text_changed:
        return "changed"
    return "renumbered" if renumbered else "unchanged"


class _Tree:
    """One version's parents by index, and the matched clauses of the other side."""

    def __init__(self, clauses: Sequence[ClauseText], matched: dict[int, tuple[int, ...]]) -> None:
        at: dict[str, int] = {}
        for index, clause in enumerate(clauses):
            at.setdefault(clause.key, index)
        self.parent = [at.get(c.parent_key) if c.parent_key is not None else None for c in clauses]
        self.matched = matched
        self._anchor: dict[int | None, int | None] = {None: None}
        self._holders: set[int] | None = None

    def anchor(self, index: int | None) -> int | None:
        """Return ``index`` or its nearest ancestor that is matched (None for the root)."""
        if index in self._anchor:
            return self._anchor[index]
        chain: list[int] = []
        found: int | None = None
        current: int | None = index
        while current is not None and current not in self._anchor:
            if current in chain:  # a loop of parents (not from a parsed text): the root
                break
            if current in self.matched:
                found = current
                break
            chain.append(current)
            current = self.parent[current]
        else:
            found = self._anchor.get(current) if current is not None else None
        for item in chain:
            self._anchor[item] = found
        if index is not None:
            self._anchor[index] = found
        return found

    def holds(self, index: int) -> bool:
        """Return whether the clause at ``index`` holds others."""
        if self._holders is None:
            self._holders = {up for up in self.parent if up is not None}
        return index in self._holders

    def within(self, index: int, ancestor: int | None) -> bool:
        """Return whether ``index`` lies strictly inside ``ancestor`` (None: the root)."""
        if ancestor is None:
            return True
        current = self.parent[index]
        for _ in range(len(self.parent)):  # bounded: a loop of parents ends the walk
            if current is None:
                return False
            if current == ancestor:
                return True
            current = self.parent[current]
        return False


def _moved(
    old: Sequence[ClauseText],
    new: Sequence[ClauseText],
    old_to_new: dict[int, int],
    splits: Sequence[Group],
    merges: Sequence[Group],
) -> set[int]:
    """Return the new indices of the one-to-one pairs whose place changed (see above)."""
    old_side: dict[int, tuple[int, ...]] = {i: (j,) for i, j in old_to_new.items()}
    new_side: dict[int, tuple[int, ...]] = {j: (i,) for i, j in old_to_new.items()}
    sequence = [(j, i) for i, j in old_to_new.items()]  # every match, by its first clauses
    for group in splits:
        old_side[group.whole] = group.parts
        for j in group.parts:
            new_side[j] = (group.whole,)
        sequence.append((group.parts[0], group.whole))
    for group in merges:
        new_side[group.whole] = group.parts
        for i in group.parts:
            old_side[i] = (group.whole,)
        sequence.append((group.whole, group.parts[0]))
    old_tree, new_tree = _Tree(old, old_side), _Tree(new, new_side)

    # Where each pair's parent went: the new ancestor continuing its old parent, if any.
    continued: dict[int, int | None] = {}  # new index -> the new anchor (None: the root)
    broken: set[int] = set()
    groups: defaultdict[int | None, list[tuple[int, int]]] = defaultdict(list)
    for i, j in old_to_new.items():
        was = old_tree.anchor(old_tree.parent[i])
        place = new_tree.anchor(new_tree.parent[j])
        for _ in range(len(new)):  # bounded, should parents loop
            if place is None:
                break
            olds = new_side[place]
            if was in olds or not all(old_tree.within(x, was) for x in olds):
                break
            if any(_peers(old, x, i, old_tree) for x in olds):
                break  # section 6 became 5(b): it went under a section that was its peer
            place = new_tree.anchor(new_tree.parent[place])  # a new level: look through it
        if (place is None and was is None) or (place is not None and was in new_side[place]):
            continued[j] = place
            groups[was].append((j, i))
        else:
            broken.add(j)

    size = _subtree_sizes(old_tree.parent)
    moved = set(broken)
    for members in groups.values():
        members.sort()
        keep = _heaviest_increasing([i for _, i in members], [size[i] for _, i in members])
        moved.update(j for index, (j, _) in enumerate(members) if index not in keep)
    sequence = sorted(item for item in sequence if item[0] not in moved)  # moved: explained
    keep = _heaviest_increasing([i for _, i in sequence], [1] * len(sequence))
    displaced = {j for index, (j, _) in enumerate(sequence) if index not in keep}
    for j, place in sorted(continued.items()):  # parents first
        # Out of the document's order, unless it went along with its parent.
        if j in displaced and (place is None or (place not in displaced and place not in moved)):
            moved.add(j)
    return moved


_DIGITS_RE = re.compile(r"\d+")
_LETTERS_RE = re.compile(r"[^\W\d_]+")


def _peers(old: Sequence[ClauseText], x: int, i: int, tree: _Tree) -> bool:
    """Whether old clause ``x`` was a section beside ``i``: numbered alike ("5.", "6."),
    under the same parent, and holding clauses of its own (not a sentence that
    became the lead-in of what followed it)."""
    a, b = old[x].number, old[i].number
    return (
        bool(a and b)
        and tree.parent[x] == tree.parent[i]
        and _shape(a) == _shape(b)
        and tree.holds(x)
    )


def _shape(number: str) -> str:
    """Return a number's shape: "(12)" and "(3)" are alike, "12." and "(3)" are not."""
    return _LETTERS_RE.sub("a", _DIGITS_RE.sub("9", number))


def _subtree_sizes(parent: Sequence[int | None]) -> list[int]:
    """Return for each clause the number of clauses it holds, itself included."""
    size = [1] * len(parent)
    for index in range(len(parent) - 1, -1, -1):  # children come after their parents
        up = parent[index]
        if up is not None and up < index:
            size[up] += size[index]
    return size


def _heaviest_increasing(values: Sequence[int], weights: Sequence[int]) -> set[int]:
    """Return the indices of a strictly increasing subsequence of ``values`` of greatest
    total weight: among sections reordered, the larger ones are taken to have stayed.

    Weights are positive; a Fenwick tree over the ranks of the values keeps it
    O(n log n). Of two runs of equal weight, the one ending later is kept, as
    the longest increasing run keeps the smallest values.
    """
    ranks = {value: rank for rank, value in enumerate(sorted(set(values)), start=1)}
    tree: list[tuple[int, int]] = [(0, -1)] * (len(ranks) + 1)  # (weight, index) maxima
    previous = [-1] * len(values)
    total = [0] * len(values)
    best: tuple[int, int] = (0, -1)
    for index, value in enumerate(values):
        rank = ranks[value] - 1  # strictly smaller values only
        found: tuple[int, int] = (0, -1)
        while rank > 0:
            if tree[rank][0] > found[0]:
                found = tree[rank]
            rank -= rank & -rank
        previous[index] = found[1]
        total[index] = found[0] + weights[index]
        entry = (total[index], index)
        rank = ranks[value]
        while rank < len(tree):
            if entry[0] > tree[rank][0]:
                tree[rank] = entry
            rank += rank & -rank
        if entry[0] >= best[0]:
            best = entry
    result: set[int] = set()
    index = best[1]
    while index >= 0:
        result.add(index)
        index = previous[index]
    return result
