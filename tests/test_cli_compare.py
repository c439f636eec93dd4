"""`flask compare`: the summary, and every clause's fate as JSON."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import CliRunner

from consult.models import Document
from consult.services import demo, drafts

DRAFTS = Path(__file__).resolve().parent.parent / "drafts"


def get_document() -> Document:
    return drafts.get_document("human-rights-borders")


@pytest.fixture
def samples(app: Flask) -> None:
    demo.load_drafts(DRAFTS, demo.DemoReport())


def test_summary_has_one_line_per_status(runner: CliRunner, samples: None) -> None:
    result = runner.invoke(args=["compare", "human-rights-borders", "1", "2"])
    assert result.exit_code == 0, result.output
    lines = dict(line.split() for line in result.output.splitlines()[1:])
    assert lines == {
        "unchanged": "70",
        "changed": "6",
        "moved": "1",
        "renumbered": "5",
        "split": "1",
        "merged": "1",
        "added": "4",
        "removed": "1",
    }


def test_json_lists_every_clause_of_either_version_once(runner: CliRunner, samples: None) -> None:
    result = runner.invoke(args=["compare", "human-rights-borders", "1", "2", "--json"])
    assert result.exit_code == 0, result.output
    entries = json.loads(result.output)
    old_keys = [e["old_key"] for e in entries if e["old_key"] is not None]
    new_keys = [e["new_key"] for e in entries if e["new_key"] is not None]
    versions = {v.number: {c.key for c in v.clauses} for v in get_document().versions}
    assert set(old_keys) == versions[1] and set(new_keys) == versions[2]
    assert len(old_keys) == len(versions[1]) + 1  # the split's whole, once per part
    assert len(new_keys) == len(versions[2]) + 1  # the merge's result, once per part
    assert Counter(e["status"] for e in entries)["split"] == 2  # one entry per part
    moved = next(e for e in entries if e["status"] == "moved")
    assert (moved["old_number"], moved["new_number"]) == ("5.", "4.")  # as written
    assert (moved["old_citation"], moved["new_citation"]) == (
        "Guideline 2, paragraph 5",
        "Guideline 9, paragraph 4",
    )
    assert "diff" not in moved  # text unchanged
    changed = [e for e in entries if e["status"] == "changed"]
    assert len(changed) == 6 and all(e["diff"] for e in changed)
    for entry in changed:
        assert {op for op, _text in entry["diff"]} <= {"equal", "insert", "delete"}
    capacity = next(e for e in changed if e["new_key"] == "guideline-capacity.1")
    assert ["insert", "responsive"] in capacity["diff"]
    assert ["delete", "sensitive"] in capacity["diff"]


def test_json_gives_a_changed_heading_its_diff(runner: CliRunner, samples: None) -> None:
    result = runner.invoke(args=["compare", "human-rights-borders", "2", "3", "--json"])
    assert result.exit_code == 0, result.output
    entries = json.loads(result.output)
    renamed = [e for e in entries if "heading_diff" in e]
    assert len(renamed) == 1
    assert renamed[0]["heading_diff"] == [
        ["delete", "Avoiding"],
        ["insert", "Alternatives to"],
        ["equal", " immigration detention"],
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nothing", "1", "2"], "there is no document 'nothing'"),
        (["human-rights-borders", "1", "9"], "has no version 9"),
    ],
)
def test_unknown_document_or_version_fails(
    runner: CliRunner, samples: None, args: list[str], message: str
) -> None:
    result = runner.invoke(args=["compare", *args])
    assert result.exit_code != 0 and message in result.output
