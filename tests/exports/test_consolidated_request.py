"""Asking for a consolidated PDF: defaults, refusals, parameters, file names, the job."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from flask import Flask

from consult.services import consolidated
from consult.services.consolidated import BadRequest, PdfRequest, check_request, file_name
from consult.services.consolidated.job import run_pdf_job
from consult.services.errors import NotFound
from tests import factories
from tests.exports import consolidated_sample as sample
from tests.exports.poppler import pdf_info, pdf_text


@pytest.fixture
def world(app: Flask) -> sample.Sample:
    return sample.build(app)


def test_defaults_are_filled_in(world: sample.Sample) -> None:
    checked = check_request(world.ngo, PdfRequest("sample", 2, "changes"), sample.MADE)
    assert checked.against == 1
    assert checked.round_id == world.round.id
    clean = check_request(None, PdfRequest("sample", 2, against=1), sample.MADE)
    assert clean.against is None  # only the changes variant compares
    assert clean.round_id == world.round.id  # the cover names the round


def test_the_latest_round_the_viewer_knows_is_the_default(app: Flask, world: sample.Sample) -> None:
    invited_only = factories.round_(
        world.v2,
        title="Closed meeting",
        opens_at=sample.T0 + timedelta(days=20),
        closes_at=sample.T0 + timedelta(days=21),
        participation="invited",
        invited=[world.state.organisation],
    )
    comments = PdfRequest("sample", 2, "comments")
    assert check_request(world.state, comments, sample.MADE).round_id == invited_only.id
    assert check_request(None, comments, sample.MADE).round_id == invited_only.id
    # Border Aid is not invited: the round does not exist for it.
    assert check_request(world.ngo, comments, sample.MADE).round_id == world.round.id
    with pytest.raises(NotFound):
        check_request(
            world.ngo, PdfRequest("sample", 2, "comments", round_id=invited_only.id), sample.MADE
        )


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (PdfRequest("sample", 2, "annotated"), "There is no variant 'annotated'"),
        (PdfRequest("sample", 1, "changes"), "Version 1 has no earlier version to compare with"),
        (PdfRequest("sample", 2, "changes", against=2), "cannot be compared with itself"),
        (PdfRequest("sample", 1, "comments"), "This version has no round to take comments from"),
        (PdfRequest("sample", 1, matrix_annex=True), "no round whose comment matrix"),
    ],
)
def test_requests_that_cannot_be_made_say_why(
    world: sample.Sample, request_: PdfRequest, message: str
) -> None:
    with pytest.raises(BadRequest, match=message):
        check_request(world.secretariat, request_, sample.MADE)


@pytest.mark.parametrize(
    "request_",
    [
        PdfRequest("nothing", 1),
        PdfRequest("sample", 9),
        PdfRequest("sample", 2, "changes", against=7),
        PdfRequest("sample", 2, "comments", round_id=4242),
    ],
)
def test_unknown_things_are_not_found(world: sample.Sample, request_: PdfRequest) -> None:
    with pytest.raises(NotFound):
        check_request(None, request_, sample.MADE)


def test_a_draft_is_not_found_for_a_stakeholder(world: sample.Sample) -> None:
    factories.version(sample.SAMPLE_V2.replace("Second draft", "Third draft"), publish=False)
    with pytest.raises(NotFound):
        check_request(world.ngo, PdfRequest("sample", 3), sample.MADE)
    with pytest.raises(NotFound):
        check_request(world.ngo, PdfRequest("sample", 2, "changes", against=3), sample.MADE)
    assert check_request(world.secretariat, PdfRequest("sample", 3), sample.MADE).number == 3
    # Against a draft the stakeholder cannot see, the default is the version they can.
    checked = check_request(world.secretariat, PdfRequest("sample", 3, "changes"), sample.MADE)
    assert checked.against == 2


def test_a_round_of_another_version_is_not_this_versions(app: Flask, world: sample.Sample) -> None:
    first = factories.round_(world.v1, title="First meeting")
    with pytest.raises(NotFound):
        check_request(None, PdfRequest("sample", 2, "comments", round_id=first.id), sample.MADE)
    assert check_request(None, PdfRequest("sample", 1), sample.MADE).round_id == first.id


def test_parameters_travel_and_come_back() -> None:
    asked = PdfRequest("sample", 2, "changes", against=1, round_id=5, matrix_annex=True)
    params = {"viewer_id": 3, "requested_at": "2026-03-18T09:00:00+00:00", **asked.as_params()}
    assert PdfRequest.from_params(params) == asked
    assert PdfRequest.from_params({"slug": "sample", "number": "2"}) == PdfRequest("sample", 2)
    for broken in ({"slug": "sample"}, {"slug": "sample", "number": "two"}, {"number": 2}):
        with pytest.raises(BadRequest):
            PdfRequest.from_params(broken)
    with pytest.raises(BadRequest):
        PdfRequest.from_params({"slug": "sample", "number": 2, "against": "one"})


def test_file_names_say_what_the_pdf_is() -> None:
    assert file_name(PdfRequest("sample", 2)) == "sample-v2-clean.pdf"
    changes = PdfRequest("sample", 2, "changes", against=1, round_id=3)
    assert file_name(changes) == "sample-v2-changes-against-v1.pdf"
    comments = PdfRequest("sample", 2, "comments", round_id=3, matrix_annex=True)
    assert file_name(comments) == "sample-v2-comments-round-3-with-matrix.pdf"


def test_the_job_renders_as_the_viewer_at_the_moment_asked(world: sample.Sample) -> None:
    steps: list[str] = []
    out = io.BytesIO()
    params = {
        "viewer_id": world.ngo.id,
        "requested_at": sample.MADE.isoformat(),
        **PdfRequest("sample", 2, "comments").as_params(),
    }
    pages = run_pdf_job(params, out, steps.append)
    assert steps == ["layout", "writing"]
    assert pages == int(pdf_info(out.getvalue())["Pages"]) >= 3
    text = pdf_text(out.getvalue())
    assert "Germany asks for respect to be named first." in text
    assert "Respect is added." not in text  # drafted, not published
    with pytest.raises(NotFound):
        run_pdf_job({**params, "viewer_id": 4242}, io.BytesIO(), steps.append)
    with pytest.raises(BadRequest):
        run_pdf_job({**params, "requested_at": "yesterday"}, io.BytesIO(), steps.append)


def test_the_package_offers_the_planned_names() -> None:
    assert consolidated.VARIANTS == ("clean", "changes", "comments")
    for name in ("check_request", "pdf_key", "consolidated_html", "render_consolidated"):
        assert callable(getattr(consolidated, name))
