"""The key a consolidated PDF is stored under changes exactly when what it shows changes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask

from consult.extensions import db
from consult.services import comments, responses
from consult.services.consolidated import PdfRequest, pdf_key
from tests import factories
from tests.exports import consolidated_sample as sample

CLEAN = PdfRequest("sample", 2)
COMMENTS = PdfRequest("sample", 2, "comments")
WHILE_OPEN = sample.T0 + timedelta(days=3)


@pytest.fixture
def world(app: Flask) -> sample.Sample:
    return sample.build(app)


def test_a_key_is_a_sha256(world: sample.Sample) -> None:
    key = pdf_key(None, CLEAN, sample.MADE)
    assert len(key) == 64 and int(key, 16) >= 0
    assert pdf_key(None, CLEAN, sample.MADE) == key
    # The moment alone (the PDF says when it was made) does not change it.
    assert pdf_key(None, CLEAN, sample.MADE + timedelta(days=1)) == key


def test_different_requests_have_different_keys(world: sample.Sample) -> None:
    requests = [
        CLEAN,
        PdfRequest("sample", 1),
        PdfRequest("sample", 2, "changes"),
        COMMENTS,
        PdfRequest("sample", 2, matrix_annex=True),
        PdfRequest("sample", 2, "comments", matrix_annex=True),
    ]
    keys = {pdf_key(world.secretariat, r, sample.MADE) for r in requests}
    assert len(keys) == len(requests)
    # A request with its defaults written out is the same request.
    explicit = PdfRequest("sample", 2, "changes", against=1, round_id=world.round.id)
    assert pdf_key(None, explicit, sample.MADE) == pdf_key(
        None, PdfRequest("sample", 2, "changes"), sample.MADE
    )


def test_an_edited_comment_changes_the_comments_key_only(app: Flask, world: sample.Sample) -> None:
    sample.clock(app, WHILE_OPEN)
    before = {r: pdf_key(world.ngo, r, WHILE_OPEN) for r in (CLEAN, COMMENTS)}
    comment = world.comments["whole"]
    comments.edit_comment(
        comment.id,
        comments.CommentInput("general", "Border Aid welcomes the draft warmly.", None),
        world.ngo,
        expected_revision=comment.revision,
    )
    assert pdf_key(world.ngo, COMMENTS, WHILE_OPEN) != before[COMMENTS]
    assert pdf_key(world.ngo, CLEAN, WHILE_OPEN) == before[CLEAN]


def test_an_answer_changes_the_key_of_those_who_may_see_it(
    app: Flask, world: sample.Sample
) -> None:
    staff = pdf_key(world.secretariat, COMMENTS, sample.MADE)
    state = pdf_key(world.state, COMMENTS, sample.MADE)
    dignity = world.comments["dignity"]
    responses.respond(dignity.id, "accepted", "Respect comes first now.", world.secretariat)
    changed = pdf_key(world.secretariat, COMMENTS, sample.MADE)
    assert changed != staff
    # Not published: the stakeholder's PDF shows no answer, so it is the same PDF.
    assert pdf_key(world.state, COMMENTS, sample.MADE) == state
    sample.publish(app, world)
    published = pdf_key(world.state, COMMENTS, sample.MADE)
    assert published != state
    responses.respond(dignity.id, "accepted", "Respect first.", world.secretariat)
    assert pdf_key(world.state, COMMENTS, sample.MADE) != published


def test_organisations_get_keys_of_their_own_for_comments(app: Flask, world: sample.Sample) -> None:
    colleague = factories.user("stakeholder", world.state.organisation)
    assert pdf_key(world.state, COMMENTS, sample.MADE) != pdf_key(world.ngo, COMMENTS, sample.MADE)
    assert pdf_key(world.state, COMMENTS, sample.MADE) == pdf_key(colleague, COMMENTS, sample.MADE)
    assert pdf_key(world.state, COMMENTS, sample.MADE) != pdf_key(None, COMMENTS, sample.MADE)
    # The clean text is the same PDF for every reader of the version.
    assert pdf_key(world.state, CLEAN, sample.MADE) == pdf_key(world.ngo, CLEAN, sample.MADE)


def test_the_documents_cover_facts_are_in_the_key(world: sample.Sample) -> None:
    before = pdf_key(None, CLEAN, sample.MADE)
    document = world.v2.document
    document.symbol = "A/HRC/1"
    db.session.commit()
    assert pdf_key(None, CLEAN, sample.MADE) != before


def test_a_new_published_version_changes_the_annex(app: Flask, world: sample.Sample) -> None:
    annex = PdfRequest("sample", 2, matrix_annex=True)
    before, clean = pdf_key(None, annex, sample.MADE), pdf_key(None, CLEAN, sample.MADE)
    factories.version(sample.SAMPLE_V2.replace("every year", "every second year"))
    # "In the next version" now says what became of each commented clause.
    assert pdf_key(None, annex, sample.MADE) != before
    assert pdf_key(None, CLEAN, sample.MADE) == clean
