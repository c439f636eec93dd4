"""Who sees what in the consolidated PDF, read back from the PDF's own text.

The comments a PDF shows are the matrix's rows for the person who asked:
hidden comments, hidden organisations and unpublished answers never reach
the PDF of someone the round's rules keep them from.
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import pytest
from flask import Flask

from consult.models import User
from consult.services.consolidated import PdfRequest, render_consolidated
from tests.exports import consolidated_sample as sample
from tests.exports.poppler import one_line, pdf_text

COMMENTS = PdfRequest("sample", 2, "comments", matrix_annex=True)
GERMANY_SAYS = "Germany asks for respect to be named first."
AID_SAYS = "Border Aid welcomes the draft as a whole."
ANSWER = "Respect is added."
WHILE_OPEN = sample.T0 + timedelta(days=3)


def text_for(
    viewer: User | None, request: PdfRequest = COMMENTS, when: datetime = sample.MADE
) -> str:
    out = io.BytesIO()
    render_consolidated(viewer, request, when, out)
    return pdf_text(out.getvalue())


@pytest.mark.parametrize(
    ("visibility", "when"), [("own_until_close", WHILE_OPEN), ("secretariat", sample.MADE)]
)
def test_a_comment_hidden_by_the_round_never_reaches_another_organisation(
    app: Flask, visibility: str, when: datetime
) -> None:
    world = sample.build(app, visibility=visibility)
    aid = text_for(world.ngo, when=when)
    assert AID_SAYS in aid  # its own
    assert GERMANY_SAYS not in aid
    assert "Every two years would be enough." not in aid
    assert "DE-001" not in aid
    staff = text_for(world.secretariat, when=when)
    assert GERMANY_SAYS in staff and AID_SAYS in staff


def test_an_open_round_shows_every_participant_the_comments(app: Flask) -> None:
    world = sample.build(app, visibility="open")
    text = text_for(world.outsider, when=WHILE_OPEN)
    assert GERMANY_SAYS in text and AID_SAYS in text


def test_an_anonymous_round_names_participants_not_organisations(app: Flask) -> None:
    world = sample.build(app, attribution="anonymous")
    aid = one_line(text_for(world.ngo))
    assert GERMANY_SAYS in aid
    assert "Germany" not in aid.replace(GERMANY_SAYS, "")
    assert "DE-001" not in aid and "DE-002" not in aid
    assert "Participant 1" in aid  # Germany commented first
    assert "Border Aid" in aid  # its own organisation is named to it
    assert "Germany" in one_line(text_for(world.secretariat)).replace(GERMANY_SAYS, "")


def test_answers_reach_stakeholders_once_published(app: Flask) -> None:
    world = sample.build(app)
    assert ANSWER not in text_for(world.state)
    assert "Accepted in part" not in text_for(world.state)
    assert ANSWER in text_for(world.secretariat)
    sample.publish(app, world)
    state = text_for(world.state)
    assert ANSWER in state and "Accepted in part" in state


def test_the_clean_and_changes_variants_show_no_comment(app: Flask) -> None:
    world = sample.build(app)
    for request in (PdfRequest("sample", 2), PdfRequest("sample", 2, "changes")):
        text = text_for(world.secretariat, request)
        assert GERMANY_SAYS not in text and AID_SAYS not in text


def test_an_admin_reads_no_comments(app: Flask, users: dict[str, User]) -> None:
    sample.build(app)
    text = text_for(users["admin"])
    assert GERMANY_SAYS not in text and AID_SAYS not in text
    assert "No comment of this round is shown." in text
