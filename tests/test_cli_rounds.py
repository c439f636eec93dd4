"""`flask create-round`: opening a round from scripts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import CliRunner
from sqlalchemy import func, select

from consult.extensions import db
from consult.models import AuditEvent, Round, User, Version
from tests import factories


@pytest.fixture
def version(app: Flask) -> Version:
    # The rounds below close in March 2026: a closing time that has passed is refused.
    app.config["CLOCK"] = lambda: datetime(2026, 3, 1, tzinfo=UTC)
    return factories.version(publish=True)


def base_args(*extra: str) -> list[str]:
    return [
        "create-round",
        "sample",
        "1",
        "--title",
        "Online consultation",
        "--opens",
        "2026-03-12T09:00:00Z",
        "--closes",
        "2026-03-31T18:00:00+02:00",
        *extra,
    ]


def round_count() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(Round)) or 0


def test_create_round_prints_its_number(runner: CliRunner, version: Version) -> None:
    result = runner.invoke(args=base_args("--place", "Geneva"))
    assert result.exit_code == 0, result.output
    created = db.session.scalars(select(Round)).one()
    assert result.stdout.startswith(f"Created round {created.id} on sample v1: Online consultation")
    assert "opens 2026-03-12 09:00 UTC, closes 2026-03-31 16:00 UTC" in result.stdout
    assert created.opens_at == datetime(2026, 3, 12, 9, 0, tzinfo=UTC)
    assert created.closes_at == datetime(2026, 3, 31, 16, 0, tzinfo=UTC)
    assert (created.participation, created.visibility, created.attribution) == (
        "all",
        "open",
        "named",
    )
    assert (created.place, created.time_zone) == ("Geneva", "UTC")
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "round.create")).one()
    assert event.actor_id is None and event.object_id == str(created.id)


def test_invitations_by_name_or_code_and_rules(
    runner: CliRunner, version: Version, users: dict[str, User]
) -> None:
    germany = factories.organisation("member_state", name="Germany", code="DE")
    result = runner.invoke(
        args=base_args(
            "--invite",
            "de",
            "--invite",
            "Test NGO",
            "--visibility",
            "own_until_close",
            "--attribution",
            "anonymous",
        )
    )
    assert result.exit_code == 0, result.output
    created = db.session.scalars(select(Round)).one()
    assert created.participation == "invited"
    assert sorted(i.organisation_id for i in created.invitations) == sorted(
        [germany.id, users["stakeholder"].organisation_id]
    )
    assert (created.visibility, created.attribution) == ("own_until_close", "anonymous")


def test_times_without_offset_are_read_in_the_time_zone(
    runner: CliRunner, version: Version
) -> None:
    result = runner.invoke(
        args=[
            "create-round",
            "sample",
            "1",
            "--title",
            "Geneva meeting",
            "--opens",
            "2026-03-12T09:00",
            "--closes",
            "2026-03-31 18:00",
            "--time-zone",
            "Europe/Zurich",
        ]
    )
    assert result.exit_code == 0, result.output
    created = db.session.scalars(select(Round)).one()
    assert created.opens_at == datetime(2026, 3, 12, 8, 0, tzinfo=UTC)
    assert created.closes_at == datetime(2026, 3, 31, 16, 0, tzinfo=UTC)
    assert created.time_zone == "Europe/Zurich"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            [
                "create-round",
                "nope",
                "1",
                "--title",
                "T",
                "--opens",
                "2026-03-12T09:00",
                "--closes",
                "2026-03-13T09:00",
            ],
            "no document",
        ),
        (
            [
                "create-round",
                "sample",
                "7",
                "--title",
                "T",
                "--opens",
                "2026-03-12T09:00",
                "--closes",
                "2026-03-13T09:00",
            ],
            "has no version 7",
        ),
        (
            [
                "create-round",
                "sample",
                "2",
                "--title",
                "T",
                "--opens",
                "2026-03-12T09:00",
                "--closes",
                "2026-03-13T09:00",
            ],
            "published version",
        ),
        (base_args("--invite", "Atlantis"), "no organisation called 'Atlantis'"),
        (base_args("--visibility", "public"), "'public' is not one of"),
        (base_args("--attribution", "signed"), "'signed' is not one of"),
        (base_args("--time-zone", "Mars/Olympus"), "not a known time zone"),
        (
            [
                "create-round",
                "sample",
                "1",
                "--title",
                "T",
                "--opens",
                "2026-03-12T09:00",
                "--closes",
                "2026-03-12T08:00",
            ],
            "close after it opens",
        ),
        (
            [
                "create-round",
                "sample",
                "1",
                "--title",
                "T",
                "--opens",
                "next week",
                "--closes",
                "2026-03-12T08:00",
            ],
            "not an ISO date-time",
        ),
        (
            [
                "create-round",
                "sample",
                "1",
                "--title",
                "  ",
                "--opens",
                "2026-03-12T09:00",
                "--closes",
                "2026-03-13T09:00",
            ],
            "needs a title",
        ),
        (
            [
                "create-round",
                "sample",
                "1",
                "--opens",
                "2026-03-12T09:00",
                "--closes",
                "2026-03-13T09:00",
            ],
            "Missing option '--title'",
        ),
    ],
)
def test_errors_go_to_stderr_and_store_nothing(
    runner: CliRunner, version: Version, args: list[str], message: str
) -> None:
    factories.version(factories.SAMPLE_DRAFT + "\nOne more.\n", publish=False)  # v2, a draft
    result = runner.invoke(args=args)
    assert result.exit_code != 0
    assert message in result.stderr
    assert result.stdout == ""
    assert round_count() == 0
