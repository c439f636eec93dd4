"""Factories for test data: organisations, users and imported drafts."""

from __future__ import annotations

import itertools

from consult.models import Organisation, User, Version
from consult.services import accounts, drafts

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
