"""Factories for test data: organisations, users and imported drafts."""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

from consult.models import Clause, Comment, Organisation, Round, User, Version
from consult.models.base import utcnow
from consult.services import accounts, drafts, rounds

_counter = itertools.count(1)

SAMPLE_DRAFT = """---
document: sample
title: Sample Principles
label: First draft
---

# Sample Principles

## Part I: Principles

### Principle 1: Dignity {#principle-dignity}

Everyone at a border shall be treated with dignity.

### Principle 2: Remedies

Everyone whose rights are violated shall have an effective remedy.

## Part II: Guidelines

### Guideline 1: Training

1. States should train border officials in human rights.
2. Training should cover:

   (a) the identification of persons in vulnerable situations;

   (b) the use of force.
3. Training should be evaluated every year.
"""


def organisation(
    kind: str = "ngo", name: str | None = None, code: str | None = None
) -> Organisation:
    """Create and return an organisation."""
    if kind == "member_state" and code is None:
        code = "DE"
    return accounts.create_organisation(
        name or f"Organisation {next(_counter)}", kind, code, actor=None
    )


def user(
    role: str = "stakeholder", org: Organisation | None = None, email: str | None = None
) -> User:
    """Create and return an active user with the password 'correct horse'."""
    n = next(_counter)
    if role == "stakeholder" and org is None:
        org = organisation()
    return accounts.create_user(
        f"User {n}", email or f"user{n}@example.org", role, "correct horse", org, actor=None
    )


def version(text: str = SAMPLE_DRAFT, slug: str = "sample", publish: bool = True) -> Version:
    """Import `text` as the next version of `slug` and return it."""
    return drafts.import_draft(
        text.encode(), document_slug=slug, filename="draft.md", publish=publish
    ).version


def round_(
    version: Version,
    opens_in: timedelta = timedelta(hours=-1),
    closes_in: timedelta = timedelta(days=7),
    **settings: Any,
) -> Round:
    """Open a round on `version` (by default open now, closing in a week) and return it."""
    start = utcnow()
    values: dict[str, Any] = {
        "title": "First expert meeting",
        "opens_at": start + opens_in,
        "closes_at": start + closes_in,
    }
    values.update(settings)
    return rounds.create_round(
        version, rounds.RoundSettings(**values), actor=None, closed_allowed=True
    )


def comment(
    round_id: int,
    author: User,
    clause: Clause | None = None,
    body: str = "We suggest clarifying this paragraph.",
    type: str = "substantive",
    proposed_text: str | None = None,
) -> Comment:
    """Submit a comment through the service and return it."""
    from consult.extensions import db
    from consult.services import comments

    receipt = comments.submit_comment(
        round_id,
        clause.key if clause else None,
        comments.CommentInput(type, body, proposed_text),
        author,
        idempotency_key=f"key-{next(_counter)}",
    )
    found = db.session.get(Comment, receipt.comment_id)
    assert found is not None
    return found
