"""The version page runs the same SQL statements for 10 clauses as for 200, comments or not.

Its text is made once per published version and language; what is the
reader's own (the round shown, the counts of the comments they may see, the
links to comment) comes from a fixed number of queries, never one per clause
or per comment. The counts stay the reader's: a stakeholder of a round whose
comments only the secretariat sees counts their own organisation's comments
alone, the secretariat all of them.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from consult.extensions import db
from consult.models import Clause, User, Version
from consult.services import reading
from tests import factories
from tests.web.support import counted_statements, get_page
from tests.web.test_comments import other_stakeholder, signed_in
from tests.web.test_comments_lists import count_on


def draft(slug: str, principles: int) -> str:
    """A draft of `principles` principles, each a heading and a paragraph: twice the clauses."""
    body = "\n\n".join(
        f"### Principle {n}: Topic {n}\n\nStates shall consider topic {n} with care."
        for n in range(1, principles + 1)
    )
    return f"---\ndocument: {slug}\ntitle: {slug.title()}\nlabel: Draft\n---\n\n{body}\n"


def commented_version(slug: str, clauses: int, ours: User, theirs: User) -> Version:
    """A published version of `clauses` clauses under a round whose comments only the
    secretariat sees, with comments of both organisations on every other clause."""
    version = factories.version(draft(slug, clauses // 2), slug=slug)
    assert len(version.clauses) == clauses
    round_ = factories.round_(version, visibility="secretariat")
    for clause in version.clauses[::2]:
        factories.comment(round_.id, ours, clause)
        factories.comment(round_.id, theirs, clause)
    factories.comment(round_.id, theirs)  # on the document as a whole
    return version


def statements_of(client: FlaskClient, url: str) -> list[str]:
    """The SQL statements of one request of the page, once its text has been made."""
    get_page(client, url)
    with counted_statements(client) as statements:
        get_page(client, url)
    return statements


def counts_by_size(app: Flask, users: dict[str, User]) -> Callable[[str], tuple[int, int]]:
    """Make a version of 10 clauses and one of 200; return a function giving, for a role,
    the number of statements of each version's page."""
    theirs = other_stakeholder()
    small = commented_version("small", 10, users["stakeholder"], theirs)
    large = commented_version("large", 200, users["stakeholder"], theirs)

    def count(role: str) -> tuple[int, int]:
        client = signed_in(app, users[role])
        sizes = []
        for version in (small, large):
            url = f"/documents/{version.document.slug}/v1"
            sizes.append(len(statements_of(client, url)))
        return sizes[0], sizes[1]

    return count


@pytest.mark.parametrize("role", ["stakeholder", "secretariat"])
def test_the_version_page_runs_as_many_statements_for_200_clauses_as_for_10(
    app: Flask, users: dict[str, User], role: str
) -> None:
    count = counts_by_size(app, users)
    small, large = count(role)
    assert small == large, (small, large)
    assert large <= 10, large


def test_the_counts_stay_each_readers_own(app: Flask, users: dict[str, User]) -> None:
    counts_by_size(app, users)
    first = "principle-1"
    stakeholder = get_page(signed_in(app, users["stakeholder"]), "/documents/large/v1")
    secretariat = get_page(signed_in(app, users["secretariat"]), "/documents/large/v1")
    # The text is made once, at the stakeholder's request; the counts are each reader's.
    assert count_on(stakeholder, first) == 1
    assert count_on(secretariat, first) == 2
    assert stakeholder.select_one(".whole-document-count").get_text() == "0"  # type: ignore[union-attr]
    assert secretariat.select_one(".whole-document-count").get_text() == "1"  # type: ignore[union-attr]
    assert len(stakeholder.select("a.comment-link")) == 200
    assert not secretariat.select("a.comment-link")
    assert len(secretariat.select("a.comment-count")) == 100


def test_a_query_per_clause_would_be_seen(
    app: Flask, users: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The count above fails when the page runs a query per clause (here, a made-up one)."""
    header = reading.version_header

    def per_clause(
        version: Version, clause_count: int, translation: object = None
    ) -> reading.VersionHeader:
        for position in range(clause_count):
            db.session.scalar(
                select(func.count())
                .select_from(Clause)
                .where(Clause.version_id == version.id, Clause.position == position)
            )
        return header(version, clause_count, translation)  # type: ignore[arg-type]

    monkeypatch.setattr(reading, "version_header", per_clause)
    small, large = counts_by_size(app, users)("stakeholder")
    assert large - small == 190
