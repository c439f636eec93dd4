"""Ties made by the documents' structure where the text alone says little.

These stages run after the ties by text (``matching``): a clause follows its
children into a renamed heading or a reworded lead-in; the free children of
matched parents are paired on their rarer words; a section rewritten in place
keeps its number; a repeated text goes to its copy in its own section. Each
rule is a help where text is weak, never a reason to pair two strangers: short
clauses need more words alike, and a section keeps its number only when no
other section is closer.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from .assignment import best_matching
from .groups import PART_CONTAINED
from .model import ClauseText
from .ties import KEY_BONUS, MEDIUM_THRESHOLD, SHORT_WORDS, Ties
from .words import bag, containment, dice, similar_pairs

#: The least word similarity of two clauses tied because their parents are matched.
CONTEXT_THRESHOLD = 0.3
#: The same for a pair with a short clause (a bare heading): a word or two in
#: common is chance.
SHORT_CONTEXT_THRESHOLD = 0.5

#: How alike two sections of one number, with all they hold, must be to be
#: taken as one section rewritten in place.
SECTION_ALIKE = 0.4

#: How alike two copies of a repeated text must be to be told apart by number.
REPEATED_ALIKE = 0.9


class Structure(Ties):
    """The stages that tie clauses by their place in the documents' trees."""

    def __init__(self, old: list[ClauseText], new: list[ClauseText]) -> None:
        super().__init__(old, new)
        self._subtrees: dict[str, dict[int, frozenset[str]]] = {}
        self._new_sizes: list[int] | None = None

    def by_structure(self) -> None:
        """Tie what the text alone left, where the matched structure says it went."""
        for _ in range(len(self.old) + 1):
            changed = self._parents_from_children()
            changed = self._within_parents(CONTEXT_THRESHOLD) or changed
            if not changed:
                return

    def _parents_from_children(self) -> bool:
        """Let a clause follow its children where its own text says little.

        When most of a clause's matched children (two or more, or one and some
        alike words) now stand under one new clause, and most of that clause's
        matched children come from it, the clause is tied to it: a heading
        renamed, a lead-in sentence reworded. A clause already tied by text to
        a clause that does not hold its children follows them only when its
        text is alike enough too; when their new parent continues another old
        clause and holds the text of both, it is left free, so that the two are
        found merged.
        """
        tied = False
        for i in range(len(self.old)):
            target = self._where_children_went(i)
            if target is None:
                continue
            j, count = target
            now = self.old_to_new.get(i)
            if now == j or (now is not None and (now in self.pinned or count < 2)):
                continue
            if now is not None and self.old_norm[i] == self.new_norm[now]:
                continue  # identical text: the children moved, not the clause
            if j in self.new_to_old:
                held = containment(self.old_bags[i], self.new_bags[j])
                mate = self.new_to_old[j]
                if (
                    now is not None
                    and j not in self.pinned
                    and held >= PART_CONTAINED
                    and held > containment(self.old_bags[i], self.new_bags[now])
                    and containment(self.old_bags[mate], self.new_bags[j]) >= PART_CONTAINED
                ):
                    self._untie_old(i)  # a merge into j, for ``groups``
                    tied = True
                continue
            alike = self.weighted_dice(i, j) >= CONTEXT_THRESHOLD
            if (count < 2 or now is not None) and not alike:
                continue
            self._untie_old(i)
            self._tie(i, j)
            tied = True
        return tied

    def _where_children_went(self, i: int) -> tuple[int, int] | None:
        """Return the new clause holding most of old ``i``'s matched children, and how many,
        when that is more than half of them and of its own matched children."""
        went: Counter[int] = Counter()
        matched = 0
        for k in self.old_children.get(i, ()):
            jk = self.old_to_new.get(k)
            if jk is None:
                continue
            matched += 1
            parent = self.new[jk].parent_key
            pj = self.new_index.get(parent) if parent is not None else None
            if pj is not None:
                went[pj] += 1
        if not went:
            return None
        j, count = went.most_common(1)[0]
        if j in self.blocked or 2 * count <= matched:
            return None
        theirs = sum(1 for k in self.new_children.get(j, ()) if k in self.new_to_old)
        return (j, count) if 2 * count > theirs else None

    def _within_parents(self, threshold: float) -> bool:
        """Tie the free children of matched parents by an optimal assignment on their text."""
        edges = []
        for i in self._free_old():
            parent = self.old[i].parent_key
            pi = self.old_index.get(parent) if parent is not None else None
            pj = self.old_to_new.get(pi) if pi is not None else None
            if pj is None:
                continue
            for j in self.new_children.get(pj, ()):
                if j in self.new_to_old or j in self.blocked:
                    continue
                score = self.weighted_dice(i, j)
                if score < threshold or self._short_and_unlike(i, j, score):
                    continue
                if self.old[i].number == self.new[j].number:
                    score += KEY_BONUS
                edges.append((i, j, score))
        pairs = best_matching(edges)
        for i, j, _ in pairs:
            self._tie(i, j)
        return bool(pairs)

    def _short_and_unlike(self, i: int, j: int, score: float) -> bool:
        """Whether a pair with a short clause has too little in common to be tied by its
        place alone: under ``SHORT_CONTEXT_THRESHOLD``, unless both are of one
        kind and the shorter one's words nearly all stand in the other (an item
        list that grew)."""
        if not (self.is_short("old", i) or self.is_short("new", j)):
            return False
        if score >= SHORT_CONTEXT_THRESHOLD:
            return False
        if self.old[i].kind != self.new[j].kind:
            return True  # a bare heading is not held by a paragraph that uses its words
        a, b = self.old_bags[i], self.new_bags[j]
        shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
        return containment(shorter, longer) < MEDIUM_THRESHOLD

    def sections_in_place(self) -> None:
        """Tie a free section to the free section of its number under the same parent
        when the two, with all they hold, are alike: a section rewritten in place."""
        for j in self._free_new():
            i = self.old_key.get(self.new[j].key)
            if i is None or i in self.old_to_new or i not in self.old_children:
                continue
            if j not in self.new_children:
                continue
            a, b = self.old[i].parent_key, self.new[j].parent_key
            if (a is None) != (b is None):
                continue
            if a is not None and b is not None:
                pi, pj = self.old_index.get(a), self.new_index.get(b)
                if pi is None or pj is None or not self._continues(pi, pj):
                    continue
            whole = self._subtree_bag("old", i)
            score = dice(whole, self._subtree_bag("new", j))
            if score < SECTION_ALIKE:
                continue
            inside = self._descendants("new", j) | set(self._ancestry("new", j))
            sizes = self._new_subtree_sizes()
            bound = score + KEY_BONUS
            rivals = (
                r
                for r in self.new_children
                if r != j
                and r not in inside
                and 2 * min(len(whole), sizes[r]) > bound * (len(whole) + sizes[r])
            )  # the others cannot beat the bound whatever words they share
            if all(dice(whole, self._subtree_bag("new", r)) <= bound for r in rivals):
                self._tie(i, j)

    def _new_subtree_sizes(self) -> list[int]:
        """Return the number of words each new clause holds, with all its descendants."""
        if self._new_sizes is None:
            sizes = [len(self.new_words[j]) for j in range(len(self.new))]
            for j in range(len(self.new) - 1, -1, -1):  # children come after their parents
                parent = self.new[j].parent_key
                up = self.new_index.get(parent) if parent is not None else None
                if up is not None and up < j:
                    sizes[up] += sizes[j]
            self._new_sizes = sizes
        return self._new_sizes

    def _subtree_bag(self, side: str, n: int) -> frozenset[str]:
        """Return the words of a clause and of all it holds, as one bag."""
        cache = self._subtrees.setdefault(side, {})
        if n not in cache:
            clauses_words = self.old_words if side == "old" else self.new_words
            cache[n] = bag(w for k in [n, *self._descendants(side, n)] for w in clauses_words[k])
        return cache[n]

    def _descendants(self, side: str, n: int) -> set[int]:
        children = self.old_children if side == "old" else self.new_children
        found: set[int] = set()
        stack = list(children.get(n, ()))
        while stack:
            k = stack.pop()
            if k not in found:
                found.add(k)
                stack.extend(children.get(k, ()))
        return found

    def _ancestry(self, side: str, n: int) -> list[int]:
        """Return a clause's ancestors on its side, nearest first."""
        clauses, index = (self.old, self.old_index) if side == "old" else (self.new, self.new_index)
        found: list[int] = []
        parent = clauses[n].parent_key
        while parent is not None and parent in index and len(found) < len(clauses):
            found.append(index[parent])
            parent = clauses[found[-1]].parent_key
        return found

    def repeated_by_number(self) -> None:
        """Tie a repeated text (a clause found twice, word for word or nearly) that its
        surroundings could not place to the copy in the section of its own number.

        Of the free new clauses at least ``REPEATED_ALIKE`` alike, the one whose
        ancestors share the deepest key with the old clause's ancestors wins;
        two copies as deep leave it free: the number helps, it does not guess.
        """
        old_free = [i for i in self._free_old() if len(self.old_words[i]) >= SHORT_WORDS]
        new_free = [j for j in self._free_new() if len(self.new_words[j]) >= SHORT_WORDS]
        if not old_free or not new_free:
            return
        found = similar_pairs(
            [self.old_bags[i] for i in old_free],
            [self.new_bags[j] for j in new_free],
            REPEATED_ALIKE,
        )
        by_old: defaultdict[int, list[int]] = defaultdict(list)
        for a, b, _ in found:
            by_old[old_free[a]].append(new_free[b])
        for i, candidates in sorted(by_old.items()):
            if len(candidates) < 2 and not self.is_short("old", i):
                continue  # a text found once was free to be tied by the earlier stages
            ancestry = {self.old[k].key for k in self._ancestry("old", i)}
            depth = {
                j: len(ancestry & {self.new[k].key for k in self._ancestry("new", j)})
                for j in candidates
            }
            free = [j for j in candidates if j not in self.new_to_old]
            ranked = sorted(free, key=lambda j: -depth[j])
            if not ranked or depth[ranked[0]] == 0:
                continue
            if len(ranked) > 1 and depth[ranked[1]] == depth[ranked[0]]:
                continue
            self._tie(i, ranked[0])

    def replaced_in_place(self) -> None:
        """Tie a free clause to the free clause of its number that took its very place:
        the same kind, under the same parent, between the same two matched clauses.

        Nothing else continues either text, so the new one is the old one rewritten
        ("changed"): a list of names replaced by another, a provision reworded whole.
        """
        last_old, last_new = len(self.old) - 1, len(self.new) - 1
        for j in self._free_new():
            i = self.old_key.get(self.new[j].key)
            if i is None or i in self.old_to_new or self.old[i].kind != self.new[j].kind:
                continue
            before = (i == 0 and j == 0) or self.old_to_new.get(i - 1) == j - 1
            after = (i == last_old and j == last_new) or self.old_to_new.get(i + 1) == j + 1
            if not (before and after):
                continue
            a, b = self.old[i].parent_key, self.new[j].parent_key
            if (a is None) != (b is None):
                continue
            if a is not None and b is not None:
                pi, pj = self.old_index.get(a), self.new_index.get(b)
                if pi is None or pj is None or self.old_to_new.get(pi) != pj:
                    continue
            self._tie(i, j)
