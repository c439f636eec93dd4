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
7. by structure (``structure``), repeated until nothing changes: a clause whose matched
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
   that close; last, a clause still free is tied to the free clause of its
   number and kind that took its very place (the same matched parent, the
   same matched clause before and after it): rewritten whole, in place;
9. splits, then merges (``grouping``, by the containment rules of
   ``groups``), which may take over a changed pair of
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

from collections import defaultdict
from collections.abc import Mapping, Sequence

from .assignment import best_matching
from .grouping import Grouping
from .model import Alignment, ClauseText
from .ordering import build_pairs
from .structure import Structure
from .ties import KEY_BONUS, PARENT_BONUS
from .words import dice, runs_cover, similar_pairs

_PROXIMITY = 1e-6  # breaks ties between equally similar candidates by place

#: The share of the shorter clause's words that must stand in long runs of the
#: longer one for two clauses of one number under matched parents to be tied.
IN_PLACE_COVERED = 0.8


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
        matcher.replaced_in_place()
    splits, merges = matcher.groups(threshold)
    return build_pairs(matcher, splits, merges)


class _Matcher(Structure, Grouping):
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
