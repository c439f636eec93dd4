"""Permanent steps of a round in the browser: closing early (confirmed), past closing times,
settled rounds, and the secretariat's corrections of a round."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from consult.extensions import db
from consult.models import AuditEvent, Comment, Round, User
from consult.services import responses
from tests import factories
from tests.web.support import (
    audit_actions,
    flash_messages,
    fresh,
    get_page,
    post_form,
    set_clock,
    sign_in,
    soup,
)
from tests.web.test_rounds import (
    NEW_URL,
    ROLES,
    T0,
    _good_form,
    field_error,
    secretariat_client,
    text,
    world,
)

__all__ = ["secretariat_client", "world"]

CLOSES = T0 + timedelta(days=3, hours=3)  # the world's round: 13 March 2026, 15:00 UTC


def stored(round_id: int) -> Round:
    fresh()
    found = db.session.get(Round, round_id)
    assert found is not None
    return found


def said(page: Any) -> str:
    return " ".join(page.select_one(".confirmation").get_text(" ").split())


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "close"), ("POST", "close"), ("GET", "edit"), ("POST", "edit")],
)
@pytest.mark.parametrize("role", ROLES)
def test_close_and_correct_are_for_the_secretariat(
    client: FlaskClient,
    users: dict[str, User],
    world: dict[str, Any],
    method: str,
    path: str,
    role: str,
) -> None:
    url = f"/rounds/{world['round'].id}/{path}"
    if role != "anonymous":
        sign_in(client, users[role])
    before = (stored(world["round"].id).closes_at, audit_actions())
    response = client.get(url) if method == "GET" else post_form(client, url, {"confirm": "yes"})
    if role == "anonymous":
        assert response.headers["Location"].startswith("/login?next=")
    elif role != "secretariat":
        assert response.status_code == 403
    elif method == "GET":
        assert response.status_code == 200
    if role != "secretariat" or method == "GET":
        assert (stored(world["round"].id).closes_at, audit_actions()) == before


# --- closing now -------------------------------------------------------------


def test_close_now_is_confirmed_on_a_page_that_says_what_happens(
    app: Flask, secretariat_client: FlaskClient, world: dict[str, Any]
) -> None:
    round_id = world["round"].id
    url = f"/rounds/{round_id}/close"
    page = get_page(secretariat_client, f"/rounds/{round_id}")
    assert page.find("a", class_="close-now-link")["href"] == url
    confirm = get_page(secretariat_client, url)
    assert confirm.find("h1").get_text() == "Close “Second expert meeting” now?"
    assert "announced to close at 13 March 2026, 15:00 UTC (16:00 Zurich)" in said(confirm)
    assert "no organisation can submit, edit or withdraw a comment" in said(confirm)
    assert confirm.find("a", string="Keep the round open")["href"] == f"/rounds/{round_id}"
    # A POST without the confirmation field changes nothing and leads to the page.
    response = post_form(secretariat_client, url)
    assert (response.status_code, response.headers["Location"]) == (303, url)
    assert stored(round_id).closes_at == CLOSES
    moment = T0 + timedelta(days=1, hours=2)
    set_clock(app, secretariat_client, moment)
    response = post_form(secretariat_client, url, {"confirm": "yes"})
    assert response.status_code == 303
    assert stored(round_id).closes_at == moment
    assert audit_actions()[-1] == "round.close_now"
    page = get_page(secretariat_client, f"/rounds/{round_id}")
    assert flash_messages(page) == ["The round closed at 11 March 2026, 14:00 UTC (15:00 Zurich)."]
    assert page.find("a", class_="close-now-link") is None
    # Closed: nothing to close, and the page says so.
    before = audit_actions()
    get_page(secretariat_client, url, status=303)
    post_form(secretariat_client, url, {"confirm": "yes"})
    assert audit_actions() == before
    page = get_page(secretariat_client, f"/rounds/{round_id}")
    assert flash_messages(page)[0] == "This round is not open: there is nothing to close now."


def test_own_until_close_rounds_say_that_comments_become_visible(
    secretariat_client: FlaskClient, world: dict[str, Any]
) -> None:
    private = factories.round_(
        world["v1"], opens_at=T0, closes_at=CLOSES, visibility="own_until_close"
    )
    confirm = get_page(secretariat_client, f"/rounds/{private.id}/close")
    assert "then read one another's comments" in said(confirm)
    open_round = get_page(secretariat_client, f"/rounds/{world['round'].id}/close")
    assert "one another's comments" not in said(open_round)


# --- moving the close ----------------------------------------------------------


def test_an_earlier_close_is_confirmed_first(
    secretariat_client: FlaskClient, world: dict[str, Any]
) -> None:
    round_id = world["round"].id
    data = {"closes_at": "2026-03-12T10:00", "time_zone": "UTC"}
    response = post_form(secretariat_client, f"/rounds/{round_id}/closing", data)
    assert response.status_code == 200
    assert stored(round_id).closes_at == CLOSES

    page = soup(response)
    assert page.find("h1").get_text() == "Close “Second expert meeting” earlier?"
    assert "It will close at 12 March 2026, 10:00 UTC (11:00 Zurich) instead" in said(page)
    form = page.find("form", class_="confirm-form")
    fields = {str(i["name"]): str(i["value"]) for i in form.find_all("input")}
    assert {k: fields[k] for k in ("closes_at", "time_zone", "confirm")} == {
        **data,
        "confirm": "yes",
    }
    response = secretariat_client.post(str(form["action"]), data=fields)
    assert response.status_code == 302
    assert stored(round_id).closes_at.isoformat() == "2026-03-12T10:00:00+00:00"
    assert audit_actions()[-1] == "round.change_closing"


def test_a_later_close_needs_no_confirmation(
    secretariat_client: FlaskClient, world: dict[str, Any]
) -> None:
    data = {"closes_at": "2026-03-20T10:00", "time_zone": "UTC"}
    response = post_form(secretariat_client, f"/rounds/{world['round'].id}/closing", data)
    assert response.status_code == 302
    assert stored(world["round"].id).closes_at.isoformat() == "2026-03-20T10:00:00+00:00"


def test_a_closing_time_in_the_past_is_refused_with_a_message(
    secretariat_client: FlaskClient, world: dict[str, Any]
) -> None:
    round_id = world["round"].id
    before = audit_actions()
    for confirm in ("", "yes"):  # clock: 11 March 2026, 12:00 UTC
        response = post_form(
            secretariat_client,
            f"/rounds/{round_id}/closing",
            {"closes_at": "2026-03-11T11:00", "time_zone": "UTC", "confirm": confirm},
        )
        assert response.status_code == 400
        from tests.web.support import soup

        assert "This time has passed" in field_error(soup(response), "closes_at")
    assert stored(round_id).closes_at == CLOSES
    assert audit_actions() == before


def test_a_new_round_that_has_already_closed_is_refused(
    secretariat_client: FlaskClient, world: dict[str, Any]
) -> None:
    count = len(db.session.scalars(select(Round.id)).all())
    response = post_form(
        secretariat_client,
        NEW_URL,
        _good_form(opens_at="2026-03-01T09:00", closes_at="2026-03-11T09:00"),
    )
    assert response.status_code == 200

    assert "This time has passed" in field_error(soup(response), "closes_at")
    fresh()
    assert len(db.session.scalars(select(Round.id)).all()) == count


# --- a settled round -------------------------------------------------------------


def test_a_published_round_cannot_be_reopened_nor_its_comments_changed(
    app: Flask, client: FlaskClient, users: dict[str, User], world: dict[str, Any]
) -> None:
    round_id = world["round"].id
    comment = factories.comment(round_id, users["stakeholder"])
    set_clock(app, client, CLOSES + timedelta(hours=1))
    responses.publish_responses(round_id, users["secretariat"])
    sign_in(client, users["secretariat"])
    before = audit_actions()
    response = post_form(
        client, f"/rounds/{round_id}/closing", {"closes_at": "2026-03-30T10:00", "time_zone": "UTC"}
    )
    assert response.status_code == 400

    assert "can no longer be reopened" in field_error(soup(response), "closes_at")
    assert get_page(client, f"/rounds/{round_id}/edit").find("form", class_="correct-form") is None
    assert post_form(client, f"/rounds/{round_id}/edit", {"title": "X"}).status_code == 409
    assert stored(round_id).closes_at == CLOSES
    assert audit_actions() == before
    # Even with a close moved by an older release, the organisation cannot change its comment.
    stored(round_id).closes_at = CLOSES + timedelta(days=30)
    db.session.commit()
    client = client.application.test_client()
    sign_in(client, users["stakeholder"])
    page = get_page(client, f"/comments/{comment.id}")
    assert page.find("a", class_="withdraw-link") is None
    response = client.get(f"/comments/{comment.id}/withdraw")
    assert response.status_code == 409
    assert "answers of this round are published" in response.get_data(as_text=True)
    assert client.get(f"/comments/{comment.id}/edit").status_code == 409
    post_form(client, f"/comments/{comment.id}/withdraw", {"confirm": "yes"})
    fresh()
    assert db.session.get(Comment, comment.id).status == "active"


# --- correcting a round ----------------------------------------------------------


def _upcoming(world: dict[str, Any], **settings: Any) -> Round:
    values: dict[str, Any] = {
        "title": "Third expert meeting",
        "opens_at": T0 + timedelta(days=5),
        "closes_at": T0 + timedelta(days=12),
        "time_zone": "Europe/Zurich",
    }
    values.update(settings)
    return factories.round_(world["v1"], **values)


def _details(**changes: str) -> dict[str, str]:
    data = {
        "title": "Third expert meeting",
        "place": "Vienna",
        "meeting_starts_on": "2026-03-20",
        "meeting_ends_on": "2026-03-21",
        "opens_at": "2026-03-16T09:00",
    }
    data.update(changes)
    return data


def test_the_secretariat_corrects_an_upcoming_round(
    secretariat_client: FlaskClient, world: dict[str, Any]
) -> None:
    round_ = _upcoming(world)
    page = get_page(secretariat_client, f"/rounds/{round_.id}")
    assert page.find("a", class_="correct-link")["href"] == f"/rounds/{round_.id}/edit"
    form = get_page(secretariat_client, f"/rounds/{round_.id}/edit").find(
        "form", class_="correct-form"
    )
    assert form.find("input", attrs={"name": "title"})["value"] == "Third expert meeting"
    assert form.find("input", attrs={"name": "opens_at"})["value"] == "2026-03-15T13:00"
    for control in form.select("input:not([type=hidden])"):
        assert form.find("label", attrs={"for": control["id"]}) is not None, control
    response = post_form(
        secretariat_client, f"/rounds/{round_.id}/edit", _details(title="Third meeting, Vienna")
    )
    assert response.status_code == 303
    fresh()
    changed = stored(round_.id)
    assert (changed.title, changed.place) == ("Third meeting, Vienna", "Vienna")
    assert changed.opens_at.isoformat() == "2026-03-16T08:00:00+00:00"
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.action == "round.correct"
    assert event.details["changes"]["title"] == ["Third expert meeting", "Third meeting, Vienna"]
    assert set(event.details["changes"]) == {
        "title",
        "place",
        "meeting_starts_on",
        "meeting_ends_on",
        "opens_at",
    }
    page = get_page(secretariat_client, f"/rounds/{round_.id}")
    assert flash_messages(page) == ["The round's corrections are saved."]
    assert text(page, "dd.place") == "Vienna"


@pytest.mark.parametrize(
    ("changes", "name", "message"),
    [
        ({"title": "  "}, "title", "Give the round a title"),
        ({"opens_at": ""}, "opens_at", "Enter the date and time"),
        ({"opens_at": "2026-03-23T09:00"}, "opens_at", "must open before it closes"),
        ({"meeting_ends_on": "2026-03-19"}, "meeting_ends_on", "cannot end before it starts"),
    ],
)
def test_bad_corrections_get_a_message_and_change_nothing(
    secretariat_client: FlaskClient,
    world: dict[str, Any],
    changes: dict[str, str],
    name: str,
    message: str,
) -> None:
    round_ = _upcoming(world)
    before = audit_actions()
    response = post_form(secretariat_client, f"/rounds/{round_.id}/edit", _details(**changes))
    assert response.status_code == 400

    page = soup(response)
    assert message in field_error(page, name)
    assert (
        page.find("input", attrs={"name": "title"})["value"]
        == changes.get("title", "Third expert meeting").strip()
    )
    assert stored(round_.id).title == "Third expert meeting"
    assert audit_actions() == before


def test_invitations_change_while_open_but_a_commenter_stays(
    secretariat_client: FlaskClient, users: dict[str, User], world: dict[str, Any]
) -> None:
    ours = users["stakeholder"].organisation
    beta = factories.organisation(name="Beta Org")
    gamma = factories.organisation(name="Gamma Org")
    round_ = factories.round_(
        world["v1"], opens_at=T0, closes_at=CLOSES, participation="invited", invited=[ours, beta]
    )
    factories.comment(round_.id, users["stakeholder"])
    url = f"/rounds/{round_.id}/edit"
    form = get_page(secretariat_client, url).find("form", class_="correct-form")
    assert form.find("input", attrs={"name": "title"}) is None  # open: details are settled
    ticked = {
        i["value"]
        for i in form.find_all("input", attrs={"name": "invited"})
        if i.has_attr("checked")
    }
    assert ticked == {str(ours.id), str(beta.id)}
    before = audit_actions()
    response = post_form(secretariat_client, url, {"invited": [str(beta.id)]})
    assert response.status_code == 400

    assert (
        "Test NGO has already commented in this round and stays invited"
        in soup(response).select_one(".warnings").get_text()
    )
    for bad in ([], ["99999"]):
        response = post_form(secretariat_client, url, {"invited": bad})
        assert response.status_code == 400
        assert field_error(soup(response), "invited")
    # A forged title is not a correction of an open round: only invitations are read.
    response = post_form(
        secretariat_client, url, {"invited": [str(ours.id), str(gamma.id)], "title": "Forged"}
    )
    assert response.status_code == 303
    changed = stored(round_.id)
    assert changed.title == "First expert meeting"
    assert sorted(i.organisation.name for i in changed.invitations) == ["Gamma Org", "Test NGO"]
    assert audit_actions() == [*before, "round.correct"]


def test_an_open_round_for_every_organisation_has_nothing_to_correct(
    app: Flask, secretariat_client: FlaskClient, world: dict[str, Any]
) -> None:
    round_ = world["round"]
    assert round_.participation == "all"  # and open: the clock is a day after it opened
    assert (
        get_page(secretariat_client, f"/rounds/{round_.id}").find("a", class_="correct-link")
        is None
    )
    page = get_page(secretariat_client, f"/rounds/{round_.id}/edit")
    assert page.find("form", class_="correct-form") is None
    assert "there is nothing left to correct" in page.select_one(".warnings").get_text()
    before = audit_actions()
    response = post_form(secretariat_client, f"/rounds/{round_.id}/edit", _details())
    assert response.status_code == 409
    assert audit_actions() == before


def test_a_closed_round_cannot_be_corrected(
    app: Flask, secretariat_client: FlaskClient, world: dict[str, Any]
) -> None:
    set_clock(app, secretariat_client, CLOSES)
    page = get_page(secretariat_client, f"/rounds/{world['round'].id}")
    assert page.find("a", class_="correct-link") is None
    page = get_page(secretariat_client, f"/rounds/{world['round'].id}/edit")
    assert "can no longer be corrected" in page.select_one(".warnings").get_text()
    before = audit_actions()
    response = post_form(secretariat_client, f"/rounds/{world['round'].id}/edit", _details())
    assert response.status_code == 409
    assert audit_actions() == before
