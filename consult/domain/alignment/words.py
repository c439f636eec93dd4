"""Words of a clause and how alike two clauses are.

A clause's words are kept as a multiset encoded as a set: the second "the" of a
text is the token ``"the\\x002"``. Intersections and sizes of such sets are exact
multiset figures computed at C speed, which keeps the similarity of hundreds of
candidate pairs cheap.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from difflib import SequenceMatcher
from typing import TypeVar, overload

from ..reader_text import reader_text
from .model import ClauseText

T = TypeVar("T")

_WORD_RE = re.compile(r"\w+")
_SPACE_RE = re.compile(r"\s+")


def normalised(clause: ClauseText) -> str:
    """Return heading and text as a reader sees them (`reader_text`): equal means identical text.

    A paragraph wrapped at other places is the same text; a new paragraph break is a change.
    """
    return f"{reader_text(clause.heading)}\n{reader_text(clause.text)}"


def flat(clause: ClauseText) -> str:
    """Return heading and text as one line, whitespace collapsed (to compare joined parts)."""
    return _SPACE_RE.sub(" ", f"{clause.heading} {clause.text}").strip()


def words(clause: ClauseText) -> list[str]:
    """Return the lowercase words of heading and text, in order."""
    return _WORD_RE.findall(f"{clause.heading} {clause.text}".lower())


def bag(tokens: Iterable[str]) -> frozenset[str]:
    """Return a multiset of words as a set of numbered occurrences."""
    counts = Counter(tokens)
    items = list(counts)
    for token, count in counts.items():
        if count > 1:
            items.extend(f"{token}\x00{n}" for n in range(2, count + 1))
    return frozenset(items)


class Lazy(Sequence[T]):
    """A list whose items are computed on first use: most clauses never need their words."""

    def __init__(self, size: int, make: Callable[[int], T]) -> None:
        self._items: list[T | None] = [None] * size
        self._make = make

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[T]: ...
    def __getitem__(self, index: int | slice) -> T | Sequence[T]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        item = self._items[index]
        if item is None:
            item = self._items[index] = self._make(index)
        return item


def dice(a: frozenset[str], b: frozenset[str]) -> float:
    """Return the Dice coefficient of two word multisets (1.0 for two empty texts)."""
    if not a and not b:
        return 1.0
    return 2 * len(a & b) / (len(a) + len(b))


def runs_cover(a: Sequence[str], b: Sequence[str], run: int = 5) -> float:
    """Return the share of the shorter word list found in the other in runs of ``run``
    or more words in the same order (0.0 when the shorter one has fewer than ``run``)."""
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    if len(shorter) < run:
        return 0.0
    matcher = SequenceMatcher(None, shorter, longer, autojunk=False)
    found = sum(block.size for block in matcher.get_matching_blocks() if block.size >= run)
    return found / len(shorter)


def containment(part: frozenset[str], whole: frozenset[str]) -> float:
    """Return the share of ``part``'s words found in ``whole`` (0.0 for an empty part)."""
    return len(part & whole) / len(part) if part else 0.0


class Ranking:
    """A global order of words, rarest first, for prefix filtering."""

    def __init__(self, bags: Iterable[frozenset[str]]) -> None:
        frequency: Counter[str] = Counter()
        for item in bags:
            frequency.update(item)
        self._frequency = frequency

    def prefix(self, item: frozenset[str], keep: int) -> list[str]:
        """Return the ``keep`` rarest words of ``item``."""
        ordered = sorted(item, key=lambda word: (self._frequency[word], word))
        return ordered[: max(keep, 0)]


def similar_pairs(
    old: Sequence[frozenset[str]], new: Sequence[frozenset[str]], threshold: float
) -> list[tuple[int, int, float]]:
    """Return every (old index, new index, Dice) with Dice >= threshold, threshold > 0.

    Prefix filtering makes this exact without comparing every pair: a pair with
    Dice >= t shares at least t/(2-t) of the larger bag, so the rarest words
    beyond that share, on both sides, must meet.
    """
    ratio = threshold / (2 - threshold)
    ranking = Ranking([*old, *new])
    index: defaultdict[str, list[int]] = defaultdict(list)
    for i, item in enumerate(old):
        keep = len(item) - math.ceil(ratio * len(item)) + 1
        for word in ranking.prefix(item, keep):
            index[word].append(i)
    found: list[tuple[int, int, float]] = []
    for j, item in enumerate(new):
        keep = len(item) - math.ceil(ratio * len(item)) + 1
        candidates = {i for word in ranking.prefix(item, keep) for i in index.get(word, ())}
        # Dice >= t also needs the smaller bag to hold at least t/(2-t) of the larger one.
        smallest, largest = ratio * len(item), len(item) / ratio if ratio else math.inf
        for i in sorted(candidates):
            if not smallest <= len(old[i]) <= largest:
                continue
            score = dice(old[i], item)
            if score >= threshold:
                found.append((i, j, score))
    return found
