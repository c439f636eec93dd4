"""The PDF pages: the export form, the job's progress page, the download, the receipt.

The jobs run for real, in child processes, as on the embedded default: a test
that needs a finished PDF waits for it (at most a minute) by reading the
progress page, as a person would.
"""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from consult.extensions import db
from consult.models import Comment, ExportJob, Round, User
from consult.models.base import utcnow
from tests import factories
from tests.web.support import count, fresh, get_page, post_form, sign_in, soup

SECOND_DRAFT = factories.SAMPLE_DRAFT.replace(
    "Everyone at a border shall be treated with dignity.",
    "Everyone at a border shall be treated with dignity and respect.",
).replace("label: First draft", "label: Second draft")


@dataclass
class World:
    round: Round
    ours: Comment  # the users fixture's stakeholder's
    theirs: Comment  # beta's: hidden from the stakeholder while the round is open
    beta: User


@pytest.fixture
def world(app: Flask, users: dict[str, User], job_children: list[int]) -> World:
    first = factories.version()
    factories.version(SECOND_DRAFT)
    round_ = factories.round_(first, title="First expert meeting", visibility="own_until_close")
    dignity = next(c for c in first.clauses if c.key == "principle-dignity")
    beta = factories.user("stakeholder", factories.organisation(name="Beta Org"))
    ours = factories.comment(round_.id, users["stakeholder"], dignity, body="Ours: say respect.")
    theirs = factories.comment(round_.id, beta, dignity, body="Theirs: a hidden remark.")
    return World(round_, ours, theirs, beta)


def pdf_text(data: bytes, tmp_path: os.PathLike[str]) -> str:
    """Return the text of a PDF, as pdftotext reads it."""
    path = os.path.join(tmp_path, f"out-{time.monotonic_ns()}.pdf")
    with open(path, "wb") as handle:
        handle.write(data)
    return subprocess.run(
        ["pdftotext", "-layout", path, "-"], check=True, capture_output=True, text=True
    ).stdout


def wait_for_job(client: FlaskClient, url: str, seconds: float = 60) -> TestResponse:
    """Read the progress page at `url` until the job is finished; return the last page."""
    deadline = time.monotonic() + seconds
    while True:
        response = client.get(url)
        assert response.status_code == 200, url
        if "Refresh" not in response.headers:
            return response
        assert time.monotonic() < deadline, "the job did not finish in time"
        time.sleep(0.3)


def ask(client: FlaskClient, **data: str) -> TestResponse:
    return post_form(client, "/documents/sample/v1/pdf", data)


# The export form


def test_the_form_offers_each_reader_what_they_may_ask_for(
    app: Flask, users: dict[str, User], world: World
) -> None:
    offered = {}
    for role in ("stakeholder", "secretariat", "drafter", "admin"):
        client = app.test_client()
        sign_in(client, users[role])
        page = get_page(client, "/documents/sample/v2/pdf")
        offered[role] = {i["value"] for i in page.select("input[name=variant]")}
    assert offered["stakeholder"] == {"clean", "changes"}  # no round on version 2
    assert offered["admin"] == {"clean", "changes"}
    client = app.test_client()
    sign_in(client, users["secretariat"])
    page = get_page(client, "/documents/sample/v1/pdf")
    assert {i["value"] for i in page.select("input[name=variant]")} == {"clean", "comments"}
    # A typed title, isolated from the page's direction (FSI ... PDI).
    assert [o.get_text() for o in page.select("select[name=round] option")] == [
        "\u2068First expert meeting\u2069"
    ]
    assert offered["secretariat"] == offered["drafter"] == {"clean", "changes"}


def test_a_draft_version_is_not_there_for_a_stakeholder(
    app: Flask, client: FlaskClient, users: dict[str, User]
) -> None:
    factories.version()
    factories.version(SECOND_DRAFT, publish=False)
    sign_in(client, users["stakeholder"])
    assert client.get("/documents/sample/v2/pdf").status_code == 404
    assert client.get("/documents/nothing/v1/pdf").status_code == 404
    drafter = app.test_client()
    sign_in(drafter, users["drafter"])
    page = get_page(drafter, "/documents/sample/v2/pdf")
    assert "draft" in page.select_one("main").get_text()


@pytest.mark.parametrize(
    ("number", "data", "problem"),
    [
        (1, {"variant": "poster"}, "Not a valid choice"),
        (1, {"variant": "changes"}, "Not a valid choice"),  # version 1 has nothing before it
        (2, {"variant": "changes"}, "Choose an earlier version"),
        (2, {"variant": "changes", "against": "2"}, "Choose an earlier version"),
        (1, {"variant": "comments", "round": "999"}, "Choose the round"),
        (1, {"variant": "clean", "matrix_annex": "y", "round": "abc"}, "Choose the round"),
        (2, {"variant": "comments"}, "Not a valid choice"),  # no round on version 2
    ],
)
def test_bad_requests_are_answered_and_start_nothing(
    client: FlaskClient,
    users: dict[str, User],
    world: World,
    number: int,
    data: dict[str, str],
    problem: str,
) -> None:
    sign_in(client, users["secretariat"])
    response = post_form(client, f"/documents/sample/v{number}/pdf", data)
    assert response.status_code == 400
    page = soup(response)
    assert page.select_one("#form-problems") is not None
    assert problem in page.get_text()
    assert count(ExportJob) == 0


def test_a_round_not_open_to_a_stakeholder_cannot_be_asked_for(
    client: FlaskClient, users: dict[str, User], world: World
) -> None:
    closed_to_them = factories.round_(
        world.round.version,
        title="Invited only",
        participation="invited",
        invited=[world.beta.organisation],
    )
    sign_in(client, users["stakeholder"])
    page = get_page(client, "/documents/sample/v1/pdf")
    assert "Invited only" not in page.get_text()
    response = ask(client, variant="comments", round=str(closed_to_them.id))
    assert response.status_code == 400
    assert count(ExportJob) == 0


# Jobs, downloads and who may see them


def test_a_pdf_is_made_in_the_background_and_downloaded_by_its_requester_only(
    client: FlaskClient, app: Flask, users: dict[str, User], world: World, tmp_path: str
) -> None:
    sign_in(client, users["stakeholder"])
    response = ask(client, variant="comments", round=str(world.round.id))
    assert response.status_code == 303
    job_url = response.headers["Location"]
    assert job_url.startswith("/exports/")
    page = soup(wait_for_job(client, job_url))
    link = page.select_one("a[href$='/file']")
    assert link is not None, page.get_text()
    download = client.get(link["href"])
    assert download.status_code == 200
    assert download.mimetype == "application/pdf"
    assert "no-store" in download.headers["Cache-Control"]
    text = pdf_text(download.data, tmp_path)
    assert "Ours: say respect." in text
    assert "Theirs: a hidden remark." not in text  # own_until_close, still open

    # Another organisation's stakeholder cannot see or download the job.
    other = app.test_client()
    sign_in(other, world.beta)
    assert other.get(job_url).status_code == 404
    assert other.get(link["href"]).status_code == 404

    # Asked again with nothing changed: the stored PDF at once, on a job of its own.
    again = ask(client, variant="comments", round=str(world.round.id))
    assert again.status_code == 303
    assert again.headers["Location"].endswith("/file")
    assert client.get(again.headers["Location"]).data == download.data

    # The secretariat's PDF of the same round shows both comments.
    staff = app.test_client()
    sign_in(staff, users["secretariat"])
    response = post_form(
        staff, "/documents/sample/v1/pdf", {"variant": "comments", "round": world.round.id}
    )
    page = soup(wait_for_job(staff, response.headers["Location"]))
    staff_pdf = staff.get(page.select_one("a[href$='/file']")["href"]).data
    staff_text = pdf_text(staff_pdf, tmp_path)
    assert "Theirs: a hidden remark." in staff_text
    assert "Ours: say respect." in staff_text


def _job(user: User, **values: object) -> ExportJob:
    job = ExportJob(
        kind="pdf",
        params={
            "viewer_id": user.id,
            "requested_at": utcnow().isoformat(),
            "slug": "sample",
            "number": 1,
            "variant": "clean",
            "title": "Sample Principles",
        },
        key="k" * 64,
        file_name="sample-v1.pdf",
        media_type="application/pdf",
        requested_by_id=user.id,
        **values,
    )
    db.session.add(job)
    db.session.commit()
    return job


def test_the_progress_page_refreshes_itself_until_the_job_is_finished(
    client: FlaskClient, users: dict[str, User], world: World
) -> None:
    # A job under way in a worker on another host, with a fresh heartbeat.
    job = _job(
        users["stakeholder"],
        state="rendering",
        step="layout",
        runner="rq",
        pid=12345,
        host="worker-host.example",
        heartbeat_at=utcnow(),
        started_at=utcnow(),
    )
    sign_in(client, users["stakeholder"])
    response = client.get(f"/exports/{job.id}")
    assert response.headers["Refresh"] == "3"
    page = soup(response)
    assert page.select_one("[aria-current=step]").get_text(strip=True) == "Laying out the pages"
    assert page.select_one("a[href$='refresh=off']") is not None
    still = client.get(f"/exports/{job.id}?refresh=off")
    assert "Refresh" not in still.headers
    assert "does not refresh itself" in soup(still).get_text()


def test_a_failed_job_says_why_and_can_be_tried_again(
    client: FlaskClient, users: dict[str, User], world: World, tmp_path: str
) -> None:
    job = _job(
        users["stakeholder"],
        state="failed",
        error="The export stopped before it was finished.",
        runner="child",
    )
    sign_in(client, users["stakeholder"])
    response = client.get(f"/exports/{job.id}")
    assert "Refresh" not in response.headers
    page = soup(response)
    assert "The export stopped before it was finished." in page.get_text()
    assert client.get(f"/exports/{job.id}/file").status_code == 303  # not done: back to its page
    retried = post_form(client, f"/exports/{job.id}/retry")
    assert retried.status_code == 303
    page = soup(wait_for_job(client, retried.headers["Location"]))
    download = client.get(page.select_one("a[href$='/file']")["href"])
    assert "Everyone at a border shall be treated with dignity." in pdf_text(
        download.data, tmp_path
    )


def test_only_a_failed_job_is_tried_again(
    client: FlaskClient, users: dict[str, User], world: World
) -> None:
    # Queued a moment ago, not yet given to a runner: not stale, so not failed.
    job = _job(users["stakeholder"], state="queued", runner="child", heartbeat_at=utcnow())
    other = _job(world.beta, state="failed", runner="child", error="x")
    sign_in(client, users["stakeholder"])
    assert post_form(client, f"/exports/{other.id}/retry").status_code == 404
    response = post_form(client, f"/exports/{job.id}/retry")
    assert response.status_code == 409
    assert "Only an export that failed can be tried again." in soup(response).get_text()
    fresh()
    assert db.session.get(ExportJob, job.id).state == "queued"  # type: ignore[union-attr]
    assert db.session.get(ExportJob, other.id).state == "failed"  # type: ignore[union-attr]


# Receipts


def test_a_receipt_is_a_pdf_for_its_organisation_and_the_staff_only(
    client: FlaskClient, app: Flask, users: dict[str, User], world: World, tmp_path: str
) -> None:
    url = f"/comments/{world.ours.id}/receipt.pdf"
    sign_in(client, users["stakeholder"])
    page = get_page(client, f"/comments/{world.ours.id}")
    assert page.select_one(f"a[href='{url}']") is not None
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data, tmp_path)
    assert world.ours.tracking_number in text
    assert world.ours.content_hash[:16] in text.replace("\n", "").replace(" ", "")
    for user, status in ((world.beta, 404), (users["admin"], 404), (users["secretariat"], 200)):
        other = app.test_client()
        sign_in(other, user)
        assert other.get(url).status_code == status, user.role


def test_the_version_page_links_to_its_pdf(
    client: FlaskClient, users: dict[str, User], world: World
) -> None:
    sign_in(client, users["stakeholder"])
    page = get_page(client, "/documents/sample/v1")
    assert page.select_one("a[href='/documents/sample/v1/pdf']") is not None


def test_jobs_listed_on_the_form_are_the_readers_own(
    client: FlaskClient, users: dict[str, User], world: World
) -> None:
    _job(users["stakeholder"], state="failed", runner="child", error="x")
    _job(world.beta, state="failed", runner="child", error="y")
    sign_in(client, users["stakeholder"])
    page = get_page(client, "/documents/sample/v1/pdf")
    rows = page.select("table.recent-pdfs tbody tr")
    assert len(rows) == 1
    assert "Failed" in rows[0].get_text()


def test_the_clock_of_a_job_is_the_moment_it_was_asked_for(
    client: FlaskClient, app: Flask, users: dict[str, User], world: World, tmp_path: str
) -> None:
    # After the close, the stakeholder sees the other organisation's comment too.
    later = world.round.closes_at + timedelta(hours=1)
    app.config["CLOCK"] = client.application.config["CLOCK"] = lambda: later
    sign_in(client, users["stakeholder"])
    response = ask(client, variant="comments", round=str(world.round.id))
    page = soup(wait_for_job(client, response.headers["Location"]))
    text = pdf_text(client.get(page.select_one("a[href$='/file']")["href"]).data, tmp_path)
    assert "Theirs: a hidden remark." in text


def test_the_round_page_leads_to_the_form_with_its_round_chosen(
    client: FlaskClient, users: dict[str, User], world: World
) -> None:
    sign_in(client, users["secretariat"])
    page = get_page(client, f"/rounds/{world.round.id}")
    link = page.select_one("a[href*='/pdf?']")
    assert link is not None and "comments" in link["href"]
    form = get_page(client, link["href"])
    assert form.select_one("input[name=variant][value=comments]").has_attr("checked")
    chosen = form.select_one("select[name=round] option[selected]")
    assert chosen is not None and chosen["value"] == str(world.round.id)
    # A round or variant not on offer is not chosen.
    other = get_page(client, "/documents/sample/v1/pdf?variant=poster&round=999")
    assert other.select_one("input[name=variant][value=clean]").has_attr("checked")


def test_a_job_names_the_round_whose_comments_it_shows(
    client: FlaskClient, users: dict[str, User], world: World
) -> None:
    sign_in(client, users["secretariat"])
    response = ask(client, variant="comments", round=str(world.round.id))
    page = get_page(client, response.headers["Location"] + "?refresh=off")
    assert (
        "Version 1 with the comments of “First expert meeting”" in page.select_one("h1").get_text()
    )
