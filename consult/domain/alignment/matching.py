"""``align``: account for every clause of two versions exactly once.

Matching runs in stages, each seeing only the clauses the earlier ones left:

1. forced ties from the drafter (``forced``: new key -> old key, or None for "new");
2. same key and identical text (whitespace normalised);
3. identical text, whatever the keys (document order), so that a renumbered
   clause whose derived key now names another clause is still found;
4. same key: with ``key_threshold=0`` the key decides (a stored version's
   carried keys); otherwise keys follow the numbering and an unrelated clause
   may hold the same one, so a shared key is only a bonus in stage 5, where
   it may tie two clauses down to ``key_threshold`` when neither has another
   candidate whose text is closer by more than the bonus ("text decides,
   number helps"); a glossary entry is keyed by its term, which is text, so
   two definitions of the same term are tied whatever their wording;
5. word similarity (Dice on word multisets) of at least ``threshold``, with an
   optimal one-to-one assignment (Hungarian algorithm on candidate pairs;
   matched parents add a small bonus);
6. stages 3 and 5 again for the clauses whose text alone says little: fewer
   than ``SHORT_WORDS`` words ("(weggefallen)", "1) und", a bare heading), or
   a text found more than once in either version; they are tied only beside
   a matched parent, child or neighbour, never to a stranger elsewhere. A
   pair with a clause of fewer than ``MEDIUM_WORDS`` words is tied in stage 5
   away from its surroundings only with ``MEDIUM_THRESHOLD`` of its words
   alike, and otherwise waits for this stage (these rules, and the state
   the stages share, are ``ties``);
7. by structure, repeated until nothing changes: a clause whose matched
   children now stand, most of them, under one new clause is tied to it (a
   renamed heading, a reworded lead-in; or left free for a merge when that
   clause continues another old one and holds both texts); then the free
   children of matched parents are tied by an optimal assignment on a
   similarity that weighs words by their rarity, down to ``CONTEXT_THRESHOLD``;
8. a section still free is tied to the free section of its number under the
   same parent when the two, with all they hold, are ``SECTION_ALIKE`` and no
   other section holds words closer by more than ``KEY_BONUS`` (a section
   rewritten in place: "Ausweisung im Regelfall" -> "Ausweisungsinteresse");
   then a repeated text still free goes to its near copy in the section of its own
   number (the deepest ancestor key the two share), when only one copy is
   that close;
9. splits, then merges (see ``groups``), which may take over a changed pair of
   stage 4 to 8 when its partner is one of the parts.

Before stage 5, the clauses that hold others are tied first, outermost
first, so that their children know which parents are matched; and a clause
is tied to the clause of its number under the matched parent when the
shorter text stands in the longer in long unchanged runs (a provision
extended or cut in place, ``IN_PLACE_COVERED``).

With ``carried`` (keys carried at import) only stages 1, 2, 4 and 9 run: the
keys alone say which clause continues which.

What is left is added or removed. Statuses are then given by ``ordering``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence

from .assignment import best_matching
from .groups import PART_CONTAINED, Group, find_groups
from .model import Alignment, ClauseText
from .ordering import build_pairs
from .ties import MEDIUM_THRESHOLD, SHORT_WORDS, Ties
from .words import bag, containment, dice, runs_cover, similar_pairs

_PROXIMITY = 1e-6  # breaks ties between equally similar candidates by place

#: Added to the word similarity of a pair that shares a derived key, or whose
#: parents are matched: a help between close candidates, never a substitute.
KEY_BONUS = 0.1
PARENT_BONUS = 0.05

#: The share of the shorter clause's words that must stand in long runs of the
#: longer one for two clauses of one number under matched parents to be tied.
IN_PLACE_COVERED = 0.8

#: How alike two sections of one number, with all they hold, must be to be
#: taken as one section rewritten in place.
SECTION_ALIKE = 0.4

#: The share of a merged clause's words each condensed part must bring.
CONDENSED_SHARE = 0.02

#: How alike two copies of a repeated text must be to be told apart by number.
REPEATED_ALIKE = 0.9

#: The least word similarity of two clauses tied because their parents are matched.
CONTEXT_THRESHOLD = 0.3
#: The same for a pair with a short clause (a bare heading): a word or two in
#: common is chance.
SHORT_CONTEXT_THRESHOLD = 0.5


def align(
    old: Sequence[ClauseText],
    new: Sequence[ClauseText],
    *,
    threshold: float = 0.5,
    forced: Mapping[str, str | None] | None = None,
    key_threshold: float = 0.2,
    carried: bool = False,
) -> Alignment:
    """Return the comparison of two versions: every clause of both in exactly one pair.

    ``threshold`` is the least word similarity (0..1] for two different texts to
    be matched; ``forced`` maps a new clause key to the old key it must be tied
    to, or to None to mark it added. With ``carried`` the new version's keys
    were carried from the old one at import (and corrected by the drafter):
    they alone tie one clause to one other (a clause that kept no old key is
    added, even when its text resembles a removed one: the drafter may have
    marked it new), and text only finds splits and merges. Raises ValueError
    for a forced key that is unknown or an old key forced twice.
    """
    if not 0 < threshold <= 1:
        raise ValueError("threshold must be in (0, 1]")
    matcher = _Matcher(list(old), list(new))
    matcher.threshold = threshold
    matcher.force(forced or {})
    matcher.same_key_same_text()
    if carried:
        matcher.same_key(0.0)
    else:
        matcher.same_text(short=False)
        matcher.same_key(key_threshold)
        matcher.containers(threshold)
        matcher.in_place()
        matcher.similar(threshold, short=False)
        matcher.same_text(short=True)
        matcher.similar(threshold, short=True)
        matcher.by_structure()
        matcher.sections_in_place()
        matcher.repeated_by_number()
    splits, merges = matcher.groups()
    return build_pairs(matcher, splits, merges)


class _Matcher(Ties):
    """The stages of one alignment, each tying what the earlier ones left."""

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

    def same_text(self, *, short: bool) -> None:
        """Tie clauses with identical text, in document order within each text.

        Long texts first; then short ones, only in matched surroundings.
        """
        by_text: defaultdict[str, list[int]] = defaultdict(list)
        for i in self._free_old():
            if self.is_short("old", i) == short:
                by_text[self.old_norm[i]].append(i)
        for j in self._free_new():
            candidates = by_text.get(self.new_norm[j])
            if not candidates or self.is_short("new", j) != short:
                continue
            if short:
                fitting = [i for i in candidates if self.in_context(i, j)]
                if fitting:
                    candidates.remove(fitting[0])
                    self._tie(fitting[0], j)
            else:
                self._tie(candidates.pop(0), j)

    def same_key(self, key_threshold: float) -> None:
        """Tie clauses with the same key whose texts are alike enough.

        With ``key_threshold`` 0 (keys carried by the drafter's import) the key
        decides. Otherwise keys follow the numbering, and a shared key is only a
        bonus in the assignment of ``similar``: the pair is tied when no other
        candidate on either side continues the text better.
        """
        if key_threshold > 0:
            self.key_threshold = key_threshold
            self._same_term()
            return
        for j in self._free_new():
            i = self.old_key.get(self.new[j].key)
            if i is None or i in self.old_to_new:
                continue
            if dice(self.old_bags[i], self.new_bags[j]) >= key_threshold:
                self._tie(i, j)

    def _same_term(self) -> None:
        """Tie two definitions of the same term: a glossary entry is named by its text."""
        for j in self._free_new():
            i = self.old_key.get(self.new[j].key)
            if i is None or i in self.old_to_new:
                continue
            a, b = self.old[i], self.new[j]
            if a.kind == b.kind == "definition" and _term(a) == _term(b) != "":
                self._tie(i, j)

    def containers(self, threshold: float) -> None:
        """Tie the clauses that hold others first, outermost first, so that their
        children then know which parents are matched."""
        old_depth, new_depth = _depths(self.old, self.old_index), _depths(self.new, self.new_index)
        deepest = max([0, *(old_depth[i] for i in self.old_children)])
        for depth in range(deepest + 1):
            old_in = {i for i in self.old_children if old_depth[i] <= depth}
            new_in = {j for j in self.new_children if new_depth[j] <= depth}
            self.similar(threshold, short=False, within=(old_in, new_in))

    def in_place(self) -> None:
        """Tie a clause to the clause of the same number under the matched parent when
        the shorter one's words stand in the longer one in long unchanged runs: a
        provision extended or cut in place, however much its word counts differ."""
        for j in self._free_new():
            i = self.old_key.get(self.new[j].key)
            if i is None or i in self.old_to_new or not self._parents_matched(i, j):
                continue
            if self.is_short("old", i) or self.is_short("new", j):
                continue
            if runs_cover(self.old_words[i], self.new_words[j]) >= IN_PLACE_COVERED:
                self._tie(i, j)

    def similar(
        self,
        threshold: float,
        *,
        short: bool,
        within: tuple[set[int], set[int]] | None = None,
    ) -> None:
        """Tie the remaining clauses by an optimal assignment on word similarity.

        The long clauses first (``short`` false), then, with their ties known,
        the pairs with a short clause, which need matched surroundings. A pair
        sharing a derived key may enter below ``threshold`` (down to the key
        threshold) when neither clause has another candidate whose text is
        closer by more than the key's bonus (and the matched parents' bonus).
        """
        free_old = self._free_old()
        free_new = self._free_new()
        if within is not None:
            free_old = [i for i in free_old if i in within[0]]
            free_new = [j for j in free_new if j in within[1]]
        if not short:
            free_old = [i for i in free_old if not self.is_short("old", i)]
            free_new = [j for j in free_new if not self.is_short("new", j)]
        if not free_old or not free_new:
            return
        old_bags = [self.old_bags[i] for i in free_old]
        new_bags = [self.new_bags[j] for j in free_new]
        if short:
            found = self._pairs_in_context(free_old, free_new, threshold)
        else:
            found = similar_pairs(old_bags, new_bags, threshold)
        low = self.key_threshold
        if low is not None and low < threshold:
            found = found + self._keyed_below(free_old, free_new, found, low)
        span_old, span_new = max(len(self.old), 1), max(len(self.new), 1)
        edges = []
        for a, b, score in found:
            i, j = free_old[a], free_new[b]
            if not short and self._far_and_few(i, j, score):
                continue  # a few words alike, far away: left to the pass in context
            weight = score
            if low is not None and self.old[i].key == self.new[j].key:
                weight += KEY_BONUS
            if self._parents_matched(i, j):
                weight += PARENT_BONUS
            place = abs(self.old[i].position / span_old - self.new[j].position / span_new)
            edges.append((i, j, weight + _PROXIMITY * (1 - min(place, 1.0))))
        for i, j, _ in best_matching(edges):
            self._tie(i, j)

    def _pairs_in_context(
        self, free_old: list[int], free_new: list[int], threshold: float
    ) -> list[tuple[int, int, float]]:
        """Return (old place, new place, similarity) of the pairs with a short clause
        that stand in matched surroundings, with similarity >= ``threshold``."""
        at_new = {j: b for b, j in enumerate(free_new)}
        found: list[tuple[int, int, float]] = []
        for a, i in enumerate(free_old):
            short_old = self.is_short("old", i)
            for j in sorted(self._context_candidates(i)):
                b = at_new.get(j)
                if b is None or not (short_old or self.is_short("new", j) or self.is_medium(i, j)):
                    continue
                score = self.dice(i, j)
                if score >= threshold:
                    found.append((a, b, score))
        return found

    def _keyed_below(
        self,
        free_old: list[int],
        free_new: list[int],
        found: list[tuple[int, int, float]],
        low: float,
    ) -> list[tuple[int, int, float]]:
        """Return the same-key pairs of similarity in [low, threshold) that no rival beats.

        A rival is any other pair of either clause, down to the same
        similarity; it beats the keyed pair when its text is closer by more
        than ``KEY_BONUS`` (plus ``PARENT_BONUS`` when the pair's parents are matched).
        """
        at_new = {self.new[j].key: b for b, j in enumerate(free_new)}
        seen = {(a, b) for a, b, _ in found}
        keyed: list[tuple[int, int, float]] = []
        for a, i in enumerate(free_old):
            b = at_new.get(self.old[i].key)
            if b is None or (a, b) in seen:
                continue
            score = self.dice(i, free_new[b])
            if score >= low:
                keyed.append((a, b, score))
        if not keyed:
            return []
        rows = sorted({a for a, _, _ in keyed})
        cols = sorted({b for _, b, _ in keyed})
        best_row: dict[int, float] = {}
        best_col: dict[int, float] = {}
        old_bags = [self.old_bags[i] for i in free_old]
        new_bags = [self.new_bags[j] for j in free_new]
        keyed_at = {(a, b) for a, b, _ in keyed}
        rivals = list(found)
        floor = low + KEY_BONUS  # a weaker rival cannot beat a keyed pair
        for a, b, score in similar_pairs([old_bags[a] for a in rows], new_bags, floor):
            rivals.append((rows[a], b, score))
        for a, b, score in similar_pairs(old_bags, [new_bags[b] for b in cols], floor):
            rivals.append((a, cols[b], score))
        for a, b, score in rivals:
            if (a, b) not in keyed_at:
                best_row[a] = max(best_row.get(a, 0.0), score)
                best_col[b] = max(best_col.get(b, 0.0), score)
        return [
            (a, b, score)
            for a, b, score in keyed
            if score + KEY_BONUS + PARENT_BONUS * self._parents_matched(free_old[a], free_new[b])
            >= max(best_row.get(a, 0.0), best_col.get(b, 0.0))
        ]

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
            inside = self._descendants("new", j) | set(self._lineage(j))
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

    def _lineage(self, j: int) -> list[int]:
        """Return the new clause's ancestors, nearest first."""
        found: list[int] = []
        parent = self.new[j].parent_key
        while parent is not None and parent in self.new_index and len(found) < len(self.new):
            found.append(self.new_index[parent])
            parent = self.new[found[-1]].parent_key
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
            ancestry = self._ancestors(self.old, self.old_index, i)
            depth = {
                j: _shared(ancestry, self._ancestors(self.new, self.new_index, j))
                for j in candidates
            }
            free = [j for j in candidates if j not in self.new_to_old]
            ranked = sorted(free, key=lambda j: -depth[j])
            if not ranked or depth[ranked[0]] == 0:
                continue
            if len(ranked) > 1 and depth[ranked[1]] == depth[ranked[0]]:
                continue
            self._tie(i, ranked[0])

    @staticmethod
    def _ancestors(clauses: Sequence[ClauseText], index: Mapping[str, int], n: int) -> list[str]:
        """Return the keys of a clause's ancestors, outermost first."""
        keys: list[str] = []
        parent = clauses[n].parent_key
        while parent is not None and parent in index and len(keys) < len(clauses):
            keys.append(parent)
            parent = clauses[index[parent]].parent_key
        return keys[::-1]

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
        merges += self._condensed(merges, taken_old, taken_new)
        for group in merges:
            self._untie_new(group.whole)
        return splits, merges

    def _condensed(
        self, merges: list[Group], taken_old: set[int], taken_new: set[int]
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
                if score >= self.threshold and all(self.dice(k, f) <= score for f in free_new):
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


def _shared(a: Sequence[str], b: Sequence[str]) -> int:
    """Return how many keys two ancestries share (as sets: a wrapping level may differ)."""
    return len(set(a) & set(b))


def _depths(clauses: Sequence[ClauseText], index: Mapping[str, int]) -> list[int]:
    """Return each clause's number of ancestors (clauses come after their parents)."""
    depth = [0] * len(clauses)
    for n, clause in enumerate(clauses):
        parent = index.get(clause.parent_key) if clause.parent_key is not None else None
        if parent is not None and parent < n:
            depth[n] = depth[parent] + 1
    return depth


def _term(clause: ClauseText) -> str:
    """Return the term a definition defines (its first line), case and spaces ignored."""
    lines = clause.text.strip().splitlines()
    return " ".join(lines[0].split()).casefold() if lines else ""
