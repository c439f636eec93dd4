"""The state of one alignment, and what a clause's surroundings say.

``Ties`` holds both versions with their normalised texts, words and keys,
and which old clause is tied to which new one. It answers the questions the
matching stages (``matching``) ask before tying a pair: is a clause *short*
(fewer than ``SHORT_WORDS`` words, or boilerplate found more than once), do
two clauses stand in *matched surroundings* (parents, neighbours or a child
already tied), and is a pair of few words too unlike to be tied away from
its surroundings (``MEDIUM_WORDS``, ``MEDIUM_THRESHOLD``).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence

from .model import ClauseText
from .words import Lazy, bag, dice, normalised, words

#: A clause of fewer words than this ("(weggefallen)", "1) und", a bare heading) is
#: matched on its text only beside a matched parent, child or neighbour.
SHORT_WORDS = 4

#: A clause of fewer words than this is matched away from its surroundings only
#: when at least ``MEDIUM_THRESHOLD`` of its words are alike.
MEDIUM_WORDS = 12
MEDIUM_THRESHOLD = 0.8

#: Added to the word similarity of a pair that shares a derived key, or whose
#: parents are matched: a help between close candidates, never a substitute.
KEY_BONUS = 0.1
PARENT_BONUS = 0.05

_SMOOTHING = 0.05  # a word found in every clause still weighs a little


class Ties:
    """Which clause is tied to which, and whether a pair stands in matched surroundings."""

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
        self.old_count = Counter(self.old_norm)
        self.new_count = Counter(self.new_norm)
        self.key_threshold: float | None = None  # set when shared keys are only a bonus
        self.old_index = {c.key: i for i, c in enumerate(old)}
        self.new_index = {c.key: j for j, c in enumerate(new)}
        self._rarity: Callable[[str], float] | None = None
        self.old_children = _children(old, self.old_index)
        self.new_children = _children(new, self.new_index)

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

    def is_short(self, side: str, index: int) -> bool:
        """Whether a clause's text alone cannot tell where it went.

        It has fewer than ``SHORT_WORDS`` words, or its exact text stands more
        than once in either version (boilerplate: "(weggefallen)", "eine
        Abschiebung des Ausländers.").
        """
        found = self.old_words[index] if side == "old" else self.new_words[index]
        if len(found) < SHORT_WORDS:
            return True
        text = self.old_norm[index] if side == "old" else self.new_norm[index]
        return self.old_count.get(text, 0) > 1 or self.new_count.get(text, 0) > 1

    def is_medium(self, i: int, j: int) -> bool:
        """Whether either clause has fewer than ``MEDIUM_WORDS`` words."""
        return min(len(self.old_words[i]), len(self.new_words[j])) < MEDIUM_WORDS

    def _far_and_few(self, i: int, j: int, score: float) -> bool:
        """Whether a pair of few words is too unlike to be matched away from its surroundings."""
        return (
            score < MEDIUM_THRESHOLD
            and self.is_medium(i, j)
            and not self._parents_matched(i, j)
            and self.old[i].key != self.new[j].key
        )

    def in_context(self, i: int, j: int) -> bool:
        """Whether old ``i`` and new ``j`` stand in matched surroundings.

        Their parents are matched, or (both at the top) a neighbour is (the
        document's start and end count as matched), or one of their children is.
        """
        a, b = self.old[i], self.new[j]
        if a.parent_key is not None and b.parent_key is not None:
            pi, pj = self.old_index.get(a.parent_key), self.new_index.get(b.parent_key)
            if pi is not None and pj is not None and self._continues(pi, pj):
                return True
        elif a.parent_key is None and b.parent_key is None:
            if (i, j) == (0, 0) or (i, j) == (len(self.old) - 1, len(self.new) - 1):
                return True  # the document's start or end is a matched neighbour
            for step in (-1, 1):
                if self.old_to_new.get(i + step, -2) == j + step:
                    return True
        return self._holds_children(i, j)

    def _holds_children(self, i: int, j: int) -> bool:
        """Whether new ``j`` holds at least half of old ``i``'s matched children (one or more)."""
        kids = set(self.new_children.get(j, ()))
        went = [self.old_to_new[k] for k in self.old_children.get(i, ()) if k in self.old_to_new]
        held = sum(1 for jk in went if jk in kids)
        return held > 0 and 2 * held >= len(went)

    def _context_candidates(self, i: int) -> set[int]:
        """Return the new clauses that stand where old ``i``'s surroundings went."""
        found: set[int] = set()
        parent = self.old[i].parent_key
        if parent is not None:
            pi = self.old_index.get(parent)
            for continued in self._continuations(pi):
                found.update(self.new_children.get(continued, ()))
        else:
            found.update((0, len(self.new) - 1))
            for step in (-1, 1):
                j = self.old_to_new.get(i + step)
                if j is not None and 0 <= j - step < len(self.new):
                    found.add(j - step)
        for k in self.old_children.get(i, ()):
            jk = self.old_to_new.get(k)
            parent_of = self.new[jk].parent_key if jk is not None else None
            pj = self.new_index.get(parent_of) if parent_of is not None else None
            if pj is not None:
                found.add(pj)
        return {j for j in found if self.in_context(i, j)}

    def weighted_dice(self, i: int, j: int) -> float:
        """Return the word similarity of old ``i`` and new ``j`` with each word weighed by
        its rarity in both versions: "the" and "Ausländer" count for little, the
        words that tell a provision apart for much."""
        if self._rarity is None:
            self._rarity = _rarity([*self.old_words, *self.new_words])
        rarity = self._rarity
        a, b = self.old_bags[i], self.new_bags[j]
        total = sum(rarity(t) for t in a) + sum(rarity(t) for t in b)
        return 2 * sum(rarity(t) for t in a & b) / total if total else 1.0

    def _continues(self, pi: int, pj: int) -> bool:
        """Whether new ``pj`` continues old ``pi``: they are tied, or one level was added
        between them (``pj`` free, its parent tied to ``pi``) or removed."""
        if self.old_to_new.get(pi) == pj:
            return True
        if pj not in self.new_to_old:
            up = self.new[pj].parent_key
            upper = self.new_index.get(up) if up is not None else None
            if upper is not None and self.old_to_new.get(pi) == upper:
                return True
        if pi not in self.old_to_new:
            up = self.old[pi].parent_key
            upper = self.old_index.get(up) if up is not None else None
            if upper is not None and self.old_to_new.get(upper) == pj:
                return True
        return False

    def _continuations(self, pi: int | None) -> list[int]:
        """Return the new clauses that continue old ``pi`` (see ``_continues``)."""
        if pi is None:
            return []
        pj = self.old_to_new.get(pi)
        if pj is not None:
            added = [k for k in self.new_children.get(pj, ()) if k not in self.new_to_old]
            return [pj, *added]
        up = self.old[pi].parent_key
        upper = self.old_index.get(up) if up is not None else None
        above = self.old_to_new.get(upper) if upper is not None else None
        return [] if above is None else [above]

    def dice(self, i: int, j: int) -> float:
        """Return the word similarity of old ``i`` and new ``j``."""
        return dice(self.old_bags[i], self.new_bags[j])

    def _parents_matched(self, i: int, j: int) -> bool:
        a, b = self.old[i].parent_key, self.new[j].parent_key
        if a is None or b is None:
            return False
        pi, pj = self.old_index.get(a), self.new_index.get(b)
        return pi is not None and pj is not None and self.old_to_new.get(pi) == pj

    def _untie_old(self, i: int) -> None:
        j = self.old_to_new.pop(i, None)
        if j is not None:
            del self.new_to_old[j]

    def _untie_new(self, j: int) -> None:
        i = self.new_to_old.pop(j, None)
        if i is not None:
            del self.old_to_new[i]


def _rarity(texts: Sequence[list[str]]) -> Callable[[str], float]:
    """Return a bag token's weight: the log of how rare its word is among the clauses."""
    found: Counter[str] = Counter()
    for text in texts:
        found.update(set(text))
    size = max(len(texts), 1)
    weight = {word: math.log(size / count) + _SMOOTHING for word, count in found.items()}

    def rarity(token: str) -> float:
        return weight.get(token.split("\x00", 1)[0], _SMOOTHING)

    return rarity


def _children(clauses: Sequence[ClauseText], index: dict[str, int]) -> dict[int, list[int]]:
    """Return parent index -> indices of its children."""
    found: defaultdict[int, list[int]] = defaultdict(list)
    for n, clause in enumerate(clauses):
        if clause.parent_key is not None and clause.parent_key in index:
            found[index[clause.parent_key]].append(n)
    return dict(found)


def _unique_keys(clauses: Sequence[ClauseText]) -> dict[str, int]:
    """Return key -> index for the keys used once (a repeated key cannot tie anything)."""
    seen: dict[str, int] = {}
    repeated: set[str] = set()
    for index, clause in enumerate(clauses):
        if clause.key in seen:
            repeated.add(clause.key)
        seen.setdefault(clause.key, index)
    return {key: index for key, index in seen.items() if key not in repeated}
