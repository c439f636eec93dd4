"""Carrying clause keys forward when a new version is imported.

A reworded, moved or renumbered clause keeps the key of the clause it
continues, and with it its comments and history. The rules:

* a one-to-one pair (unchanged, changed, moved, renumbered) passes the old key on;
* a split passes it to its first part; a merge takes the key of its first old part;
* keys in ``explicit`` (written in the new text) are never changed, and a carry
  that would collide with one is skipped;
* any other new clause whose own key is already carried to another clause, or
  names an old clause it does not continue, gets a fresh key (its key plus
  ``-2``, ``-3``, ...), so an old clause's comments never land on a stranger.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from .model import Alignment, ClauseText


def carry_keys(
    old: Sequence[ClauseText],
    new: Sequence[ClauseText],
    alignment: Alignment,
    *,
    explicit: Collection[str] = (),
) -> dict[str, str]:
    """Return new key -> final key for each new clause whose key must change.

    New clauses absent from the result keep their key. Applying the mapping to
    both ``key`` and ``parent_key`` of the new clauses gives unique keys.
    """
    inherit: dict[str, str] = {}
    for pair in alignment.pairs:
        if not pair.old or not pair.new or pair.status in ("added", "removed"):
            continue
        inherit[pair.new[0].key] = pair.old[0].key
    fixed = set(explicit)
    old_keys = {clause.key for clause in old}
    final: dict[str, str] = {}
    taken: set[str] = set(fixed)
    for clause in new:  # carries first: they win over derived keys
        wanted = inherit.get(clause.key)
        if clause.key in fixed or wanted is None or wanted in taken:
            continue
        if wanted in fixed:
            continue
        final[clause.key] = wanted
        taken.add(wanted)
    all_new = {clause.key for clause in new}
    for clause in new:
        if clause.key in final or clause.key in fixed:
            continue
        if clause.key not in taken and clause.key not in old_keys:
            taken.add(clause.key)
            continue
        suffix, fresh = 2, f"{clause.key}-2"
        while fresh in taken or fresh in old_keys or fresh in all_new:
            suffix += 1
            fresh = f"{clause.key}-{suffix}"
        final[clause.key] = fresh
        taken.add(fresh)
    return {key: value for key, value in final.items() if key != value}
