"""`flask import-comments`: a commenting template that arrived by e-mail, from the command line."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from consult.extensions import db
from consult.models import AuditEvent, Comment, Upload, User
from tests import factories
from tests.template_files import ISO_HEADER, docx_bytes, iso_row, xlsx_bytes

ROWS = [
    ISO_HEADER,
    iso_row(clause="Guideline 1, para 2", type_="te", comment="Say who trains."),
    iso_row(clause="Whole document", type_="ge", comment="A good text."),
    iso_row(clause="Guideline 9", type_="ed", comment="No such guideline."),
]


@pytest.fixture
def world(app: Flask, users: dict[str, User], tmp_path: Path) -> dict[str, Any]:
    round_ = factories.round_(factories.version())
    germany = factories.organisation("member_state", name="Germany", code="DE")
    path = tmp_path / "germany.docx"
    path.write_bytes(docx_bytes(ROWS))
    return {"round": round_, "germany": germany, "file": path, "secretariat": users["secretariat"]}


def run(
    runner: FlaskCliRunner, world: dict[str, Any], *extra: str, file: Path | None = None
) -> Any:
    return runner.invoke(
        args=[
            "import-comments",
            str(file or world["file"]),
            "--round",
            str(world["round"].id),
            "--organisation",
            "Germany",
            *extra,
        ]
    )


def count(model: type[Any]) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_a_dry_run_prints_the_preview_and_stores_nothing(
    runner: FlaskCliRunner, world: dict[str, Any]
) -> None:
    result = run(runner, world, "--dry-run", "--emailed-on", "2026-01-05")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == (
        f"germany.docx: 3 rows from Germany (DE) for round {world['round'].id} "
        '"First expert meeting", received by e-mail on 2026-01-05'
    )
    assert (
        "row 1 (Table 1, row 2): Guideline 1, para 2 -> Guideline 1, paragraph 2 · substantive · "
        "To be imported"
    ) in lines
    whole = "row 2 (Table 1, row 3): Whole document -> the document as a whole · general · "
    assert f"{whole}To be imported" in lines
    assert any(line.startswith("    error: No clause “Guideline 9” in version 1") for line in lines)
    assert lines[-2] == (
        "Summary: To be imported: 2, Already imported: 0, Repeated in the file: 0, "
        "Not imported: needs a correction: 1"
    )
    assert lines[-1] == "Dry run: nothing was imported."
    assert (count(Comment), count(Upload)) == (0, 0)


def test_an_import_prints_the_receipts(runner: FlaskCliRunner, world: dict[str, Any]) -> None:
    result = run(runner, world, "--emailed-on", "2026-01-05")
    assert result.exit_code == 0, result.output
    db.session.rollback()
    comments = list(db.session.scalars(select(Comment).order_by(Comment.id)))
    assert [c.tracking_number for c in comments] == ["DE-001", "DE-002"]
    assert all(c.emailed_on == date(2026, 1, 5) and c.channel == "email" for c in comments)
    assert all(c.author_id == world["secretariat"].id for c in comments)
    assert "Imported 2 of 3 rows:" in result.output
    for comment in comments:
        receipt = next(
            line
            for line in result.output.splitlines()
            if comment.tracking_number in line and "sha256" in line
        )
        assert comment.content_hash in receipt
        assert "(by e-mail on 2026-01-05)" in receipt
        assert comment.received_at.isoformat(timespec="seconds").replace("+00:00", "Z") in receipt
    assert "1 rows were not imported" in result.output
    assert count(Upload) == 0
    actions = list(db.session.scalars(select(AuditEvent.action)))
    assert actions.count("comment.import") == 2


def test_running_it_again_imports_nothing_more(
    runner: FlaskCliRunner, world: dict[str, Any]
) -> None:
    assert run(runner, world).exit_code == 0
    again = run(runner, world)
    assert again.exit_code == 0, again.output
    assert "Already imported as DE-001: skipped." in again.output
    assert "Imported 0 of 3 rows:" in again.output
    assert count(Comment) == 2


def test_the_day_defaults_to_today_in_the_rounds_zone(
    runner: FlaskCliRunner, world: dict[str, Any]
) -> None:
    assert run(runner, world).exit_code == 0
    db.session.rollback()
    days = set(db.session.scalars(select(Comment.emailed_on)))
    assert days <= {
        date.today(),
        date.today() - timedelta(days=1),
        date.today() + timedelta(days=1),
    }
    assert len(days) == 1


def test_a_spreadsheet_is_imported(
    runner: FlaskCliRunner, world: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "germany.xlsx"
    path.write_bytes(xlsx_bytes(("Comments", ROWS)))
    result = run(runner, world, file=path)
    assert result.exit_code == 0, result.output
    assert "row 1 (Sheet “Comments”, row 2)" in result.output
    assert count(Comment) == 2


def _unread(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"file": "renamed.docx", "content": b"not a template\n"},
            "is not a Word document (.docx)",
        ),
        (
            {"file": "old.doc", "content": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)},
            "(.doc or .xls)",
        ),
        (
            {"file": "none.docx", "content": docx_bytes([["Date", "Today"]])},
            "commenting template's header",
        ),
        ({"file": "missing.docx"}, "cannot read"),
        ({"organisation": "Atlantis"}, "there is no organisation called 'Atlantis'"),
        ({"round": "999"}, "there is no such round"),
        ({"emailed_on": "2999-01-01"}, "cannot have arrived after today"),
        ({"emailed_on": "5 January"}, "Invalid value for '--emailed-on'"),
        ({"by": "nobody@example.org"}, "no active secretariat account nobody@example.org"),
    ],
    ids=[
        "renamed-text",
        "doc",
        "no-header",
        "missing",
        "organisation",
        "round",
        "future",
        "bad-date",
        "by",
    ],
)
def test_what_stops_an_import_exits_with_an_error_and_stores_nothing(
    runner: FlaskCliRunner,
    world: dict[str, Any],
    tmp_path: Path,
    change: dict[str, Any],
    message: str,
) -> None:
    path = world["file"]
    if "file" in change:
        path = tmp_path / change["file"]
        if "content" in change:
            path.write_bytes(change["content"])
    args = [
        "import-comments",
        str(path),
        "--round",
        change.get("round", str(world["round"].id)),
        "--organisation",
        change.get("organisation", "DE"),
    ]
    if "emailed_on" in change:
        args += ["--emailed-on", change["emailed_on"]]
    if "by" in change:
        args += ["--by", change["by"]]
    result = runner.invoke(args=args)
    assert result.exit_code != 0
    assert message in result.output, result.output
    assert (count(Comment), count(Upload)) == (0, 0)


def test_a_round_not_open_yet_and_an_organisation_not_invited_are_refused(
    runner: FlaskCliRunner, world: dict[str, Any]
) -> None:
    france = factories.organisation("member_state", name="France", code="FR")
    version = world["round"].version
    upcoming = factories.round_(version, opens_in=timedelta(days=1))
    invited = factories.round_(version, participation="invited", invited=[france])
    for round_, message in (
        (upcoming, "has not opened yet"),
        (invited, "Germany does not take part"),
    ):
        result = run(runner, {**world, "round": round_})
        assert result.exit_code != 0
        assert message in result.output
    assert count(Comment) == 0


def test_a_file_where_every_row_has_a_problem_is_not_imported(
    runner: FlaskCliRunner, world: dict[str, Any], tmp_path: Path
) -> None:
    path = _unread(tmp_path, "bad.docx", docx_bytes([ISO_HEADER, ROWS[3]]))
    result = run(runner, world, file=path)
    assert result.exit_code != 0
    assert "Nothing can be imported yet" in result.output
    assert count(Comment) == 0


def test_a_file_over_the_limit_is_refused(
    app: Flask, runner: FlaskCliRunner, world: dict[str, Any]
) -> None:
    app.config["COMMENT_IMPORT_MAX_BYTES"] = 1024 * 1024
    big = world["file"].with_name("big.docx")
    big.write_bytes(b"PK\x03\x04" + bytes(1024 * 1024 + 10))
    result = run(runner, world, file=big)
    assert result.exit_code != 0
    assert "a commenting template may be at most 1 MB" in result.output
    assert count(Comment) == 0


def test_the_secretariat_account_is_named_when_there_are_several(
    runner: FlaskCliRunner, world: dict[str, Any]
) -> None:
    colleague = factories.user("secretariat", email="colleague@example.org")
    refused = run(runner, world)
    assert refused.exit_code != 0
    assert "2 active secretariat accounts: name the one to import as" in refused.output
    named = run(runner, world, "--by", "Colleague@example.org")
    assert named.exit_code == 0, named.output
    db.session.rollback()
    assert set(db.session.scalars(select(Comment.author_id))) == {colleague.id}


def test_a_non_secretariat_account_cannot_be_named(
    runner: FlaskCliRunner, world: dict[str, Any], users: dict[str, User]
) -> None:
    result = run(runner, world, "--by", users["drafter"].email)
    assert result.exit_code != 0
    assert "no active secretariat account" in result.output
    assert count(Comment) == 0


def test_an_organisation_is_found_by_its_code(
    runner: FlaskCliRunner, world: dict[str, Any], users: dict[str, User]
) -> None:
    result = runner.invoke(
        args=[
            "import-comments",
            str(world["file"]),
            "--round",
            str(world["round"].id),
            "--organisation",
            "de",
            "--dry-run",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "from Germany (DE)" in result.output
