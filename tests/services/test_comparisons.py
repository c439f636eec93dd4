"""Comparing stored versions: results on the sample drafts, and computing each pair once."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, insert, select

from consult.domain import alignment
from consult.domain.reader_text import reader_text
from consult.extensions import db
from consult.models import Comparison as StoredComparison
from consult.models import Version
from consult.models.base import utcnow
from consult.services import comparisons, demo, drafts
from consult.services.comparisons import compare_versions
from tests import factories

DRAFTS = Path(__file__).resolve().parents[2] / "drafts"


@pytest.fixture
def borders(app: Flask) -> list[Version]:
    """The sample drafts, imported and published; returns the borders versions."""
    demo.load_drafts(DRAFTS, demo.DemoReport())
    return [drafts.get_version("human-rights-borders", n) for n in (1, 2, 3)]


def stored_count() -> int:
    return db.session.scalar(select(func.count()).select_from(StoredComparison)) or 0


@pytest.fixture
def align_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the alignments the service computes."""
    calls: list[int] = []

    def counting(*args: Any, **kwargs: Any) -> alignment.Alignment:
        calls.append(1)
        return alignment.align(*args, **kwargs)

    monkeypatch.setattr(comparisons, "align", counting)
    return calls


def test_summary_of_borders_v1_v2_matches_changes_md(borders: list[Version]) -> None:
    result = compare_versions(borders[0], borders[1])
    assert result.summary == {
        "unchanged": 70,
        "changed": 6,
        "moved": 1,
        "renumbered": 5,
        "split": 1,
        "merged": 1,
        "added": 4,
        "removed": 1,
    }


def test_moved_and_renumbered_clauses_have_old_and_new_numbers(borders: list[Version]) -> None:
    rows = {r.old[0].key: r for r in compare_versions(borders[0], borders[1]).rows if r.old}
    moved = rows["guideline-legal-framework.5"]
    assert (moved.status, moved.old_number, moved.new_number) == (
        "moved",
        "Guideline 2, paragraph 5",
        "Guideline 9, paragraph 4",
    )
    renumbered = rows["guideline-rescue.5"]
    assert (renumbered.status, renumbered.old_number, renumbered.new_number) == (
        "renumbered",
        "Guideline 4, paragraph 5",
        "Guideline 4, paragraph 4",
    )
    assert renumbered.number_changed and renumbered.diff is None


def test_removed_clause_stands_where_it_stood(borders: list[Version]) -> None:
    rows = compare_versions(borders[0], borders[1]).rows
    at = next(n for n, r in enumerate(rows) if r.status == "removed")
    assert rows[at].old_number == "Guideline 4, paragraph 4" and not rows[at].new
    assert rows[at - 1].new_number == "Guideline 4, paragraph 3"
    assert rows[at + 1].new_number == "Guideline 4, paragraph 4"


def test_changed_rows_carry_a_diff_that_rebuilds_both_texts(borders: list[Version]) -> None:
    for row in compare_versions(borders[0], borders[1]).rows:
        if row.diff is None:
            assert row.status in {"unchanged", "added", "removed"} or row.old_text == row.new_text
            continue
        old = "".join(text for op, text in row.diff if op != "insert")
        new = "".join(text for op, text in row.diff if op != "delete")
        assert (old, new) == (reader_text(row.old_text), reader_text(row.new_text))
        assert any(op != "equal" for op, _text in row.diff)


def test_a_rewrapped_paragraph_is_unchanged_and_a_diff_shows_words_not_wrapping(
    app: Flask,
) -> None:
    remedy = "Everyone whose rights are violated shall have an effective remedy."
    dignity = "Everyone at a border shall be treated with dignity."
    first = factories.version(factories.SAMPLE_DRAFT)
    assert first.clauses[-1].text  # the sample is what this test edits
    rewrapped = factories.SAMPLE_DRAFT.replace(
        remedy, "Everyone whose rights\nare violated shall have an\neffective remedy."
    ).replace(dignity, "Everyone at a border shall\nbe treated with\nrespect.")
    second = factories.version(rewrapped)
    result = compare_versions(first, second)
    by_text = {row.old_text: row for row in result.rows}
    assert "\n" in by_text[remedy].new[0].text  # stored as written
    assert by_text[remedy].new_text == remedy  # shown as a reader sees it
    assert (by_text[remedy].status, by_text[remedy].diff) == ("unchanged", None)
    assert by_text[dignity].status == "changed"
    assert by_text[dignity].diff == (
        ("equal", "Everyone at a border shall be treated with "),
        ("delete", "dignity"),
        ("insert", "respect"),
        ("equal", "."),
    )


def test_second_comparison_is_read_back_not_computed(
    borders: list[Version], align_calls: list[int]
) -> None:
    first = compare_versions(borders[0], borders[1])
    assert (len(align_calls), stored_count()) == (1, 1)
    db.session.expire_all()
    second = compare_versions(borders[0], borders[1])
    assert (len(align_calls), stored_count()) == (1, 1)
    assert second == first


def test_each_pair_and_direction_is_stored_once(
    borders: list[Version], align_calls: list[int]
) -> None:
    compare_versions(borders[0], borders[1])
    compare_versions(borders[1], borders[2])
    compare_versions(borders[1], borders[0])
    compare_versions(borders[1], borders[2])
    assert (len(align_calls), stored_count()) == (3, 3)


def test_a_new_algorithm_computes_afresh(
    borders: list[Version], align_calls: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    compare_versions(borders[0], borders[1])
    monkeypatch.setattr(comparisons, "ALGORITHM", "align-test")
    compare_versions(borders[0], borders[1])
    assert (len(align_calls), stored_count()) == (2, 2)


def test_comparison_with_a_draft_is_not_stored(app: Flask, align_calls: list[int]) -> None:
    published = factories.version(publish=True)
    draft = factories.version(factories.SAMPLE_DRAFT + "\nOne more paragraph.\n", publish=False)
    result = compare_versions(published, draft)
    compare_versions(published, draft)
    assert result.summary["added"] == 1
    assert (len(align_calls), stored_count()) == (2, 0)


def test_a_comparison_stored_meanwhile_by_another_worker_is_reread(
    borders: list[Version], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two first requests at once: the one that stores second reads the other's row."""
    real = comparisons.compute_payload
    old_id, new_id = borders[0].id, borders[1].id

    def racing(*args: Any) -> dict[str, Any]:
        payload = real(*args)
        rival = dict(payload, rows=[[*row[:3], 0.5, *row[4:]] for row in payload["rows"]])
        with db.engine.begin() as connection:  # another worker, on its own connection
            connection.execute(
                insert(StoredComparison).values(
                    old_version_id=old_id,
                    new_version_id=new_id,
                    algorithm=comparisons.ALGORITHM,
                    payload=json.dumps(rival),
                    created_at=utcnow(),
                )
            )
        return payload

    monkeypatch.setattr(comparisons, "compute_payload", racing)
    result = compare_versions(borders[0], borders[1])
    assert stored_count() == 1
    assert {row.similarity for row in result.rows} == {0.5}  # the rival's row, read back
