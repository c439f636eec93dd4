"""``align``: account for every clause of two versions exactly once.

Matching runs in stages, each seeing only the clauses the earlier ones left:

1. forced ties from the drafter (``forced``: new key -> old key, or None for "new");
2. same key and identical text (whitespace normalised);
3. identical text, whatever the keys (same key preferred, then document order),
   so that a renumbered clause whose derived key now names another clause is
   still found;
4. same key with a word similarity of at least ``key_threshold`` (derived keys
   follow the numbering, so an unrelated clause may carry the same key: a
   stored version's carried keys can be trusted fully with ``key_threshold=0``);
5. word similarity (Dice on word multisets) of at least ``threshold``, with an
   optimal one-to-one assignment (Hungarian algorithm on candidate pairs);
6. splits, then merges (see ``groups``), which may take over a changed pair of
   stage 4 or 5 when its partner is one of the parts.

What is left is added or removed. Statuses are then given by ``ordering``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from .assignment import best_matching
from .groups import Group, find_groups
from .model import Alignment, ClauseText
from .ordering import build_pairs
from .words import Lazy, bag, dice, normalised, similar_pairs, words

_PROXIMITY = 1e-6  # breaks ties between equally similar candidates by place


def align(
    old: Sequence[ClauseText],
    new: Sequence[ClauseText],
    *,
    threshold: float = 0.5,
    forced: Mapping[str, str | None] | None = None,
    key_threshold: float = 0.25,
) -> Alignment:
    """Return the comparison of two versions: every clause of both in exactly one pair.

    ``threshold`` is the least word similarity (0..1] for two different texts to
    be matched; ``forced`` maps a new clause key to the old key it must be tied
    to, or to None to mark it added. Raises ValueError for a forced key that is
    unknown or an old key forced twice.
    """
    if not 0 < threshold <= 1:
        raise ValueError("threshold must be in (0, 1]")
    matcher = _Matcher(list(old), list(new))
    matcher.force(forced or {})
    matcher.same_key_same_text()
    matcher.same_text()
    matcher.same_key(key_threshold)
    matcher.similar(threshold)
    splits, merges = matcher.groups()
    return build_pairs(matcher, splits, merges)


class _Matcher:
    """The state of one alignment: which clause is tied to which, stage by stage."""

    def __init__(self, old: list[ClauseText], new: list[ClauseText]) -> None:
        self.old, self.new = old, new
        self.old_norm = [normalised(c) for c in old]
        self.new_norm = [normalised(c) for c in new]
        self.old_words = Lazy(len(old), lambda i: words(old[i]))
        self.new_words = Lazy(len(new), lambda j: words(new[j]))
        self.old_bags = Lazy(len(old), lambda i: bag(self.old_words[i]))
        self.new_bags = Lazy(len(new), lambda j: bag(self.new_words[j]))
        self.old_key = _unique_keys(old)
        self.new_key = _unique_keys(new)
        self.old_to_new: dict[int, int] = {}
        self.new_to_old: dict[int, int] = {}
        self.blocked: set[int] = set()  # new clauses the drafter marked as added
        self.pinned: set[int] = set()  # new clauses tied by the drafter

    def similarity(self, old: Sequence[int], new: Sequence[int]) -> float:
        """Return the word similarity of the old clauses' words against the new ones'."""
        a = bag(w for i in old for w in self.old_words[i])
        b = bag(w for j in new for w in self.new_words[j])
        return dice(a, b)

    def _tie(self, i: int, j: int) -> None:
        self.old_to_new[i] = j
        self.new_to_old[j] = i

    def _free_old(self) -> list[int]:
        return [i for i in range(len(self.old)) if i not in self.old_to_new]

    def _free_new(self) -> list[int]:
        return [
            j for j in range(len(self.new)) if j not in self.new_to_old and j not in self.blocked
        ]

    def force(self, forced: Mapping[str, str | None]) -> None:
        """Apply the drafter's corrections before anything else."""
        for new_key, old_key in forced.items():
            if new_key not in self.new_key:
                raise ValueError(f"forced match names an unknown new clause '{new_key}'")
            j = self.new_key[new_key]
            if old_key is None:
                self.blocked.add(j)
                continue
            if old_key not in self.old_key:
                raise ValueError(f"forced match names an unknown old clause '{old_key}'")
            i = self.old_key[old_key]
            if i in self.old_to_new:
                raise ValueError(f"old clause '{old_key}' is tied to two new clauses")
            self._tie(i, j)
            self.pinned.add(j)

    def same_key_same_text(self) -> None:
        """Tie clauses with the same key and identical text."""
        for j in self._free_new():
            i = self.old_key.get(self.new[j].key)
            if i is not None and i not in self.old_to_new and self.old_norm[i] == self.new_norm[j]:
                self._tie(i, j)

    def same_text(self) -> None:
        """Tie clauses with identical text, in document order within each text."""
        by_text: defaultdict[str, list[int]] = defaultdict(list)
        for i in self._free_old():
            by_text[self.old_norm[i]].append(i)
        for j in self._free_new():
            candidates = by_text.get(self.new_norm[j])
            if candidates:
                self._tie(candidates.pop(0), j)

    def same_key(self, key_threshold: float) -> None:
        """Tie clauses with the same key whose texts are alike enough."""
        for j in self._free_new():
            i = self.old_key.get(self.new[j].key)
            if i is None or i in self.old_to_new:
                continue
            if dice(self.old_bags[i], self.new_bags[j]) >= key_threshold:
                self._tie(i, j)

    def similar(self, threshold: float) -> None:
        """Tie the remaining clauses by an optimal assignment on word similarity."""
        free_old, free_new = self._free_old(), self._free_new()
        if not free_old or not free_new:
            return
        found = similar_pairs(
            [self.old_bags[i] for i in free_old], [self.new_bags[j] for j in free_new], threshold
        )
        span_old, span_new = max(len(self.old), 1), max(len(self.new), 1)
        edges = []
        for a, b, score in found:
            i, j = free_old[a], free_new[b]
            place = abs(self.old[i].position / span_old - self.new[j].position / span_new)
            edges.append((i, j, score + _PROXIMITY * (1 - min(place, 1.0))))
        for i, j, _ in best_matching(edges):
            self._tie(i, j)

    def groups(self) -> tuple[list[Group], list[Group]]:
        """Find splits then merges, and untie the pairs they take over."""
        changed_old = [
            i
            for i, j in sorted(self.old_to_new.items())
            if j not in self.pinned and self.old_norm[i] != self.new_norm[j]
        ]
        split_wholes = sorted(set(self._free_old()) | set(changed_old))
        splits = find_groups(
            split_wholes,
            {i: self.old_to_new[i] for i in split_wholes if i in self.old_to_new},
            set(self._free_new()),
            self.old_bags,
            self.new_bags,
            self.old_words,
            self.new_words,
            [c.parent_key for c in self.new],
        )
        for group in splits:
            self._untie_old(group.whole)
        taken_new = {p for group in splits for p in group.parts}
        taken_old = {group.whole for group in splits}
        changed_new = [
            j
            for j, i in sorted(self.new_to_old.items())
            if j not in self.pinned and self.old_norm[i] != self.new_norm[j]
        ]
        merge_wholes = sorted((set(self._free_new()) | set(changed_new)) - taken_new)
        merges = find_groups(
            merge_wholes,
            {j: self.new_to_old[j] for j in merge_wholes if j in self.new_to_old},
            set(self._free_old()) - taken_old,
            self.new_bags,
            self.old_bags,
            self.new_words,
            self.old_words,
            [c.parent_key for c in self.old],
        )
        for group in merges:
            self._untie_new(group.whole)
        return splits, merges

    def _untie_old(self, i: int) -> None:
        j = self.old_to_new.pop(i, None)
        if j is not None:
            del self.new_to_old[j]

    def _untie_new(self, j: int) -> None:
        i = self.new_to_old.pop(j, None)
        if i is not None:
            del self.old_to_new[i]


def _unique_keys(clauses: Sequence[ClauseText]) -> dict[str, int]:
    """Return key -> index for the keys used once (a repeated key cannot tie anything)."""
    seen: dict[str, int] = {}
    repeated: set[str] = set()
    for index, clause in enumerate(clauses):
        if clause.key in seen:
            repeated.add(clause.key)
        seen.setdefault(clause.key, index)
    return {key: index for key, index in seen.items() if key not in repeated}
