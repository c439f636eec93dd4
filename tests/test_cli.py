"""The flask commands that scripts rely on."""

from __future__ import annotations

import json
from pathlib import Path

from flask import Flask
from flask.testing import CliRunner
from sqlalchemy import func, select

from consult.extensions import db
from consult.models import Comment, Document, Organisation, Response, Round, User, Version
from tests import factories

DRAFTS = Path(__file__).resolve().parent.parent / "drafts"


def write(tmp_path: Path, text: str | bytes, name: str = "draft.md") -> str:
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return str(path)


def test_import_draft_prints_number_and_clause_count(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        args=["import-draft", write(tmp_path, factories.SAMPLE_DRAFT), "--document", "sample"]
    )
    assert result.exit_code == 0, result.output
    version = db.session.scalars(select(Version)).one()
    assert f"version 1 (draft): {len(version.clauses)} clauses" in result.output
    result = runner.invoke(
        args=[
            "import-draft",
            write(tmp_path, factories.SAMPLE_DRAFT + "\nA closing paragraph.\n", "v2.md"),
            "--document",
            "sample",
            "--label",
            "Second",
            "--publish",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "version 2 (published)" in result.output
    second = db.session.scalars(select(Version).where(Version.number == 2)).one()
    assert second.label == "Second" and second.is_published


def test_import_draft_title_option_for_untitled_text(runner: CliRunner, tmp_path: Path) -> None:
    path = write(tmp_path, "1. First paragraph.\n2. Second paragraph.\n")
    result = runner.invoke(args=["import-draft", path, "--document", "untitled"])
    assert result.exit_code != 0
    assert "line 1" in result.output and "no title" in result.output
    assert db.session.scalar(select(func.count()).select_from(Document)) == 0
    result = runner.invoke(
        args=["import-draft", path, "--document", "untitled", "--title", "A Title"]
    )
    assert result.exit_code == 0, result.output
    assert db.session.scalars(select(Document)).one().title == "A Title"


def test_import_draft_errors_exit_non_zero(runner: CliRunner, tmp_path: Path) -> None:
    missing = runner.invoke(args=["import-draft", str(tmp_path / "nope.md"), "--document", "x"])
    assert missing.exit_code != 0 and "cannot read" in missing.output
    big = tmp_path / "big.md"
    with big.open("wb") as handle:
        handle.truncate(6 * 1024 * 1024)
    too_big = runner.invoke(args=["import-draft", str(big), "--document", "x"])
    assert too_big.exit_code != 0 and "at most 5 MB" in too_big.output
    dup = write(tmp_path, "# T\n\nOne {#a}\n\nTwo {#a}\n")
    result = runner.invoke(args=["import-draft", dup, "--document", "x"])
    assert result.exit_code != 0 and "line 5" in result.output
    assert db.session.scalar(select(func.count()).select_from(Version)) == 0


def test_list_documents(runner: CliRunner) -> None:
    assert "No documents yet." in runner.invoke(args=["list-documents"]).output
    factories.version(publish=True)
    output = runner.invoke(args=["list-documents"]).output
    assert "sample  Sample Principles" in output
    assert "v1  published" in output and "First draft" in output


def test_dump_version_prints_clauses_as_json(runner: CliRunner) -> None:
    version = factories.version()
    result = runner.invoke(args=["dump-version", "sample", "1"])
    assert result.exit_code == 0, result.output
    clauses = json.loads(result.output)
    assert [c["key"] for c in clauses] == [c.key for c in version.clauses]
    assert set(clauses[0]) == {"key", "number", "citation", "kind", "heading", "text", "parent"}
    keys = {c["key"] for c in clauses}
    assert all(c["parent"] is None or c["parent"] in keys for c in clauses)
    item = next(c for c in clauses if c["number"] == "(b)")
    assert item["text"].startswith("the use of force")
    assert item["citation"].endswith(", item (b)") and item["citation"] != item["number"]
    assert len({c["citation"] for c in clauses}) == len(clauses)
    missing = runner.invoke(args=["dump-version", "sample", "9"])
    assert missing.exit_code != 0 and "has no version 9" in missing.output


def test_load_demo_is_idempotent(app: Flask, runner: CliRunner) -> None:
    first = runner.invoke(args=["load-demo"])
    assert first.exit_code == 0, first.output

    def counts() -> tuple[int, ...]:
        return tuple(
            db.session.scalar(select(func.count()).select_from(m)) or 0
            for m in (Organisation, User, Document, Version, Round, Comment, Response)
        )

    after_first = counts()
    assert after_first[3] == 5  # three versions of the principles, two of the brief
    rounds, comments, responses = after_first[4:]
    assert rounds == 2 and comments >= 25 and 0 < responses < comments
    assert f"2 rounds, {comments} comments, {responses} responses and 5 versions" in first.output
    second = runner.invoke(args=["load-demo"])
    assert second.exit_code == 0, second.output
    assert (
        "Added 0 organisations, 0 accounts, 0 rounds, 0 comments, 0 responses and 0 versions."
        in second.output
    )
    assert counts() == after_first
    kinds = set(db.session.scalars(select(Organisation.kind)))
    assert kinds >= {"member_state", "un_entity", "igo", "ngo", "nhri", "academic"}
    roles = set(db.session.scalars(select(User.role)))
    assert roles == {"admin", "secretariat", "drafter", "stakeholder"}
    states = db.session.scalars(select(Organisation).where(Organisation.kind == "member_state"))
    assert all(len(s.country_code or "") == 2 for s in states)
    borders = db.session.scalars(select(Document).where(Document.slug == "human-rights-borders"))
    longest = max(len(v.clauses) for v in borders.one().versions)
    assert longest >= 40
    assert {p.name for p in DRAFTS.iterdir() if p.is_dir()} == {
        "human-rights-borders",
        "gmg-issues-brief",
    }


def test_init_db_reports_up_to_date(runner: CliRunner) -> None:
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "up to date" in result.output
