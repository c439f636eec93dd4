"""The sample document of the consolidated PDF's tests: two versions, a round, comments, answers.

Version 2 of the factories' sample changes a principle's words, adds a
principle (renumbering the next), moves the evaluation sentence into a
guideline of its own and removes a paragraph, so that the changes variant
has every kind of change to show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from flask import Flask
from sqlalchemy import update

from consult.extensions import db
from consult.models import Comment, Round, User, Version
from consult.services import responses
from tests import factories

SAMPLE_V2 = """---
document: sample
title: Sample Principles
label: Second draft
---

# Sample Principles

## Part I: Principles

### Principle 1: Dignity {#principle-dignity}

Everyone at an international border shall be treated with dignity and respect.

### Principle 2: Non-discrimination

No one shall be discriminated against at a border on any ground.

### Principle 3: Remedies

Everyone whose rights are violated shall have an effective remedy.

## Part II: Guidelines

### Guideline 1: Training

1. States should train border officials in human rights.
2. Training should cover:

   (a) the identification of persons in vulnerable situations.

### Guideline 2: Evaluation

1. Training should be evaluated every year.
"""

#: The moments the sample lives at: the round opens, closes, and the PDFs are made.
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
CLOSES = T0 + timedelta(days=14)
MADE = CLOSES + timedelta(days=2)
PUBLISHED = (datetime(2026, 1, 15, 12, 0, tzinfo=UTC), datetime(2026, 2, 20, 12, 0, tzinfo=UTC))

ARABIC_COMMENT = "ينبغي أن يشمل التدريب حقوق الطفل."


@dataclass
class Sample:
    """The sample document's versions, round, people and comments."""

    v1: Version
    v2: Version
    round: Round
    secretariat: User
    state: User  # a stakeholder of Germany
    ngo: User  # a stakeholder of Border Aid
    outsider: User  # a stakeholder of an organisation that made no comment
    comments: dict[str, Comment]


def clock(app: Flask, moment: datetime) -> None:
    """Set the platform's clock (transactions.now) to `moment`."""
    app.config["CLOCK"] = lambda: moment


def _publish_on(version: Version, moment: datetime) -> None:
    # Published versions are frozen for the ORM; the fixed date keeps the goldens stable.
    db.session.execute(update(Version).where(Version.id == version.id).values(published_at=moment))
    db.session.commit()
    db.session.refresh(version)


def build(app: Flask, *, visibility: str = "open", attribution: str = "named") -> Sample:
    """Create the sample: two published versions, a round on version 2 with comments.

    The clock is left at MADE: the round has closed; answers are drafted, not
    published (`publish` publishes them).
    """
    clock(app, T0 - timedelta(days=30))
    v1 = factories.version()
    v2 = factories.version(SAMPLE_V2)
    for version, moment in zip((v1, v2), PUBLISHED, strict=True):
        _publish_on(version, moment)
    germany = factories.organisation("member_state", "Germany", "DE")
    aid = factories.organisation("ngo", "Border Aid")
    other = factories.organisation("academic", "Quiet University")
    people = {
        "secretariat": factories.user("secretariat"),
        "state": factories.user("stakeholder", germany),
        "ngo": factories.user("stakeholder", aid),
        "outsider": factories.user("stakeholder", other),
    }
    round_ = factories.round_(
        v2,
        title="Second expert meeting",
        opens_at=T0,
        closes_at=CLOSES,
        place="Geneva",
        meeting_starts_on=date(2026, 3, 12),
        meeting_ends_on=date(2026, 3, 13),
        time_zone="Europe/Zurich",
        visibility=visibility,
        attribution=attribution,
    )
    clock(app, T0 + timedelta(days=1))
    clauses = {c.key: c for c in v2.clauses}
    made = {
        "dignity": factories.comment(
            round_.id,
            people["state"],
            clauses["principle-dignity-p1"],
            body="Germany asks for respect to be named first.",
            proposed_text="Everyone at an international border shall be treated with respect "
            "and dignity.",
        ),
        "whole": factories.comment(
            round_.id,
            people["ngo"],
            None,
            body="Border Aid welcomes the draft as a whole.",
            type="general",
        ),
        "training": factories.comment(
            round_.id,
            people["ngo"],
            clauses["guideline-1.2.a"],
            body=ARABIC_COMMENT,
            type="editorial",
        ),
        "evaluation": factories.comment(
            round_.id,
            people["state"],
            clauses["guideline-1.3"],
            body="Every two years would be enough.",
            proposed_text="Training should be evaluated every two years.",
        ),
    }
    secretariat = people["secretariat"]
    responses.respond(made["dignity"].id, "accepted_in_part", "Respect is added.", secretariat)
    responses.respond(made["evaluation"].id, "not_accepted", "Yearly is the norm.", secretariat)
    clock(app, MADE)
    return Sample(v1, v2, round_, comments=made, **people)


def publish(app: Flask, sample: Sample) -> None:
    """Publish the round's answers (the clock at MADE)."""
    clock(app, MADE)
    responses.publish_responses(sample.round.id, sample.secretariat)
