"""The matcher's last stage: splits, then merges, taking over the pairs they hold.

``groups`` finds them by containment of words; this stage gives it the
clauses still free and the changed pairs, unties what a group takes over,
and adds the merges of parallel clauses condensed into one, which share
words with their whole without being contained in it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from .groups import Group, find_groups
from .ties import Ties

#: The share of a merged clause's words each condensed part must bring.
CONDENSED_SHARE = 0.02


class Grouping(Ties):
    """Splits and merges over the ties the earlier stages made."""

    def groups(self, threshold: float) -> tuple[list[Group], list[Group]]:
        """Find splits then merges, and untie the pairs they take over.

        ``threshold`` is the least word similarity of a condensed part to its whole.
        """
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
            [c.key for c in self.new],
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
            [c.key for c in self.old],
        )
        merges += self._condensed(merges, taken_old, taken_new, threshold)
        for group in merges:
            self._untie_new(group.whole)
        return splits, merges

    def _condensed(
        self, merges: list[Group], taken_old: set[int], taken_new: set[int], threshold: float
    ) -> list[Group]:
        """Return the merges of parallel clauses condensed into one.

        A new clause tied to an old one also continues the old one's free
        siblings of some length that are as alike to it as ``threshold``, alike
        to no free clause more, and each bring ``CONDENSED_SHARE`` of its words
        that the others do not (three royalty schemes told in parallel, now one
        sentence; not an item deleted beside one kept word for word).
        """
        used = taken_old | {i for group in merges for i in group.parts}
        wholes = taken_new | {group.whole for group in merges}
        free_new = self._free_new()
        found: list[Group] = []
        for j, i in sorted(self.new_to_old.items()):
            if j in self.pinned or j in wholes or i in used:
                continue
            parent = self.old[i].parent_key
            pi = self.old_index.get(parent) if parent is not None else None
            if pi is None:
                continue
            if self.old_norm[i] == self.new_norm[j]:
                continue  # it continues its old clause word for word: the siblings went
            alike = []
            for k in self.old_children.get(pi, ()):
                if k == i or k in used or k in self.old_to_new or self.is_short("old", k):
                    continue
                score = self.dice(k, j)
                if score >= threshold and all(self.dice(k, f) <= score for f in free_new):
                    alike.append((score, k))
            whole = Counter(self.new_words[j])
            parts: list[int] = []
            covered = _covered(whole, [self.old_words[i]])
            for _, k in sorted(alike, reverse=True):
                more = _covered(whole, [self.old_words[x] for x in (i, *parts, k)])
                if more - covered >= CONDENSED_SHARE:
                    parts.append(k)
                    covered = more
            if parts:
                used.update(parts)
                found.append(Group(j, tuple(sorted([i, *parts]))))
        return found


def _covered(whole: Counter[str], texts: Sequence[list[str]]) -> float:
    """Return the share of ``whole``'s words (with their counts) found in the texts together."""
    found: Counter[str] = Counter()
    for text in texts:
        found.update(text)
    size = sum(whole.values())
    return sum(min(count, found[word]) for word, count in whole.items()) / size if size else 0.0
