"""A clause's history names each step in the comparison's words (issue 11, rule 4)."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from consult.extensions import db
from consult.models import Clause, User, Version
from consult.services import demo, drafts
from consult.services.clause_history import clause_history
from consult.services.comparisons import compare_versions
from consult.services.transactions import now

DRAFTS = Path(__file__).resolve().parents[2] / "drafts"
SLUG = "human-rights-borders"


@pytest.fixture
def borders(app: Flask) -> list[Version]:
    """The sample drafts, imported and published; returns the borders versions."""
    demo.load_drafts(DRAFTS, demo.DemoReport())
    return [drafts.get_version(SLUG, n) for n in (1, 2, 3)]


def _everyone(_version: Version) -> bool:
    return True


@pytest.mark.parametrize("step", [1, 2])
def test_every_step_of_every_clause_says_what_the_comparison_says(
    borders: list[Version], users: dict[str, User], step: int
) -> None:
    before, after = borders[step - 1], borders[step]
    comparison = compare_versions(before, after)
    expected: dict[str, str] = {}
    for row in comparison.rows:
        for clause in row.new:
            carried = any(c.key == clause.key for c in row.old)
            if carried or row.status in {"split", "merged", "added"}:
                expected[clause.key] = row.status
    seen: dict[str, int] = {}
    for clause in db.session.scalars(select(Clause).where(Clause.version_id == after.id)):
        history = clause_history(users["secretariat"], SLUG, clause.key, _everyone, now())
        change = history.steps[step].change
        seen[change] = seen.get(change, 0) + 1
        if clause.key in expected:
            assert change == expected[clause.key], clause.key
    # The steps use more than two words: the comparison's moves and renumberings show.
    assert {"unchanged", "changed"} < set(seen)
    assert set(seen) & {"moved", "renumbered", "split", "merged"}


def test_a_moved_clause_is_moved_in_its_history_too(
    borders: list[Version], users: dict[str, User]
) -> None:
    row = compare_versions(borders[0], borders[1]).row_for_old_key("guideline-legal-framework.5")
    assert row is not None and row.status == "moved"
    history = clause_history(
        users["secretariat"], SLUG, "guideline-legal-framework.5", _everyone, now()
    )
    assert [s.change for s in history.steps[:2]] == ["added", "moved"]
    assert history.steps[1].previous_number == "Guideline 2, paragraph 5"
