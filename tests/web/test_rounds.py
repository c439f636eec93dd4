"""Rounds in the browser: the list, a round's page, opening a round, moving its close."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask, url_for
from flask.testing import FlaskClient
from sqlalchemy import select

from consult.extensions import db
from consult.models import Round, User, Version
from tests import factories
from tests.web.support import (
    audit_actions,
    count,
    flash_messages,
    fresh,
    get_page,
    post_form,
    set_clock,
    sign_in,
    soup,
)

ROLES = ("anonymous", "stakeholder", "drafter", "secretariat", "admin")
T0 = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)  # rounds below open at T0 and close a week later


def text(page: BeautifulSoup, selector: str) -> str:
    found = page.select_one(selector)
    assert found is not None, selector
    return " ".join(found.get_text(" ", strip=True).split())


def field_error(page: BeautifulSoup, name: str) -> str:
    """Return the error shown for the field `name`, checking it is tied to the control."""
    control = page.find(attrs={"name": name})
    assert control is not None, name
    group = control.find_parent("fieldset")  # radio and checkbox groups
    field_id = group["id"] if group is not None and group.get("id") == name else control["id"]
    error = page.find(id=f"{field_id}-error")
    assert error is not None, f"no error for {name}: {page.select('.error')}"
    assert f"{field_id}-error" in control["aria-describedby"].split()
    return str(error.get_text(" ", strip=True))


def web_url(client: FlaskClient, endpoint: str, **values: Any) -> str:
    with client.application.test_request_context():
        return url_for(endpoint, **values)


def open_round(version: Version, **settings: Any) -> Round:
    """A round opening at T0 and closing a week later (unless `settings` say otherwise)."""
    values: dict[str, Any] = {"opens_at": T0, "closes_at": T0 + timedelta(days=7)}
    values.update(settings)
    return factories.round_(version, **values)


@pytest.fixture
def world(app: Flask, client: FlaskClient, users: dict[str, User]) -> dict[str, Any]:
    """A published v1 and a draft v2; an open round on v1 (clock at T0 + 1 day)."""
    v1 = factories.version(publish=True)
    v2 = factories.version(factories.SAMPLE_DRAFT + "\nOne more paragraph.\n", publish=False)
    set_clock(app, client, T0 + timedelta(days=1))
    round_ = factories.round_(
        v1,
        title="Second expert meeting",
        opens_at=T0,
        closes_at=T0 + timedelta(days=3, hours=3),
        place="Palais Wilson, Geneva",
        time_zone="Europe/Zurich",
    )
    return {"v1": v1, "v2": v2, "round": round_}


# --- who may use which route ------------------------------------------------

PAGES: list[tuple[str, Callable[[dict[str, Any]], str], dict[str, int]]] = [
    ("GET", lambda w: "/rounds", dict.fromkeys(ROLES[1:], 200)),
    ("GET", lambda w: f"/rounds/{w['round'].id}", dict.fromkeys(ROLES[1:], 200)),
    (
        "GET",
        lambda w: "/documents/sample/v1/rounds/new",
        {"stakeholder": 403, "drafter": 403, "secretariat": 200, "admin": 403},
    ),
    (
        "POST",
        lambda w: "/documents/sample/v1/rounds/new",
        {"stakeholder": 403, "drafter": 403, "secretariat": 200, "admin": 403},
    ),
    (
        "POST",
        lambda w: f"/rounds/{w['round'].id}/closing",
        {"stakeholder": 403, "drafter": 403, "secretariat": 400, "admin": 403},
    ),
]


@pytest.mark.parametrize(
    ("method", "url_of", "expected"), PAGES, ids=["index", "show", "new", "create", "closing"]
)
@pytest.mark.parametrize("role", ROLES)
def test_every_route_for_every_role(
    client: FlaskClient,
    users: dict[str, User],
    world: dict[str, Any],
    method: str,
    url_of: Callable[[dict[str, Any]], str],
    expected: dict[str, int],
    role: str,
) -> None:
    url = url_of(world)
    if role != "anonymous":
        sign_in(client, users[role])
    before = (count(Round), audit_actions())
    response = client.get(url) if method == "GET" else post_form(client, url, {})
    if role == "anonymous":
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login?next=")
    else:
        assert response.status_code == expected[role], (method, url, role)
    assert (count(Round), audit_actions()) == before


# --- the list of rounds -------------------------------------------------------


def test_index_lists_rounds_with_state_and_times_in_zone_and_utc(
    client: FlaskClient, users: dict[str, User], world: dict[str, Any]
) -> None:
    sign_in(client, users["drafter"])
    page = get_page(client, "/rounds")
    row = page.select("table.rounds tbody tr")[0]
    cells = [" ".join(c.get_text(" ", strip=True).split()) for c in row.find_all(["th", "td"])]
    assert cells[0] == "Second expert meeting"
    assert "Sample Principles" in cells[1] and "Version 1" in cells[1]
    assert cells[2] == "Open — closes in 2 days 3 hours"
    assert cells[3] == "10 March 2026, 12:00 UTC (13:00 Zurich)"
    assert cells[4] == "13 March 2026, 15:00 UTC (16:00 Zurich)"
    assert cells[5] == "0"
    link = row.find("a")
    assert link["href"] == f"/rounds/{world['round'].id}"


def test_index_shows_a_stakeholder_only_rounds_its_organisation_takes_part_in(
    app: Flask, client: FlaskClient, users: dict[str, User], world: dict[str, Any]
) -> None:
    other = factories.organisation(name="Elsewhere Institute")
    open_round(world["v1"], title="Closed-door round", participation="invited", invited=[other])
    open_round(
        world["v1"],
        title="Our invited round",
        participation="invited",
        invited=[users["stakeholder"].organisation],
    )
    sign_in(client, users["stakeholder"])
    titles = [a.get_text(strip=True) for a in get_page(client, "/rounds").select("tbody th a")]
    assert sorted(titles) == ["Our invited round", "Second expert meeting"]
    for role in ("secretariat", "admin"):
        staff = app.test_client()
        sign_in(staff, users[role])
        titles = [a.get_text(strip=True) for a in get_page(staff, "/rounds").select("tbody th a")]
        assert "Closed-door round" in titles and len(titles) == 3


def test_index_for_admin_shows_no_counts(
    client: FlaskClient, users: dict[str, User], world: dict[str, Any]
) -> None:
    factories.comment(world["round"].id, users["stakeholder"])
    sign_in(client, users["admin"])
    page = get_page(client, "/rounds")
    headers = [th.get_text(strip=True) for th in page.select("thead th")]
    assert headers == ["Round", "Document and version", "State", "Opens", "Closes"]
    assert not page.select(".comment-count")


def test_index_offers_the_secretariat_to_open_rounds_on_published_versions(
    client: FlaskClient, users: dict[str, User], world: dict[str, Any]
) -> None:
    sign_in(client, users["secretariat"])
    links = [a["href"] for a in get_page(client, "/rounds").select("#open-round + ul a")]
    assert links == ["/documents/sample/v1/rounds/new"]  # not the draft v2


def test_index_without_rounds_says_so(client: FlaskClient, users: dict[str, User]) -> None:
    sign_in(client, users["stakeholder"])
    page = get_page(client, "/rounds")
    assert "no consultation rounds" in text(page, ".empty-state")
    assert page.find("table") is None


# --- a round's page -----------------------------------------------------------


def test_round_page_shows_facts_rules_and_links(
    client: FlaskClient, users: dict[str, User], world: dict[str, Any]
) -> None:
    round_id = world["round"].id
    sign_in(client, users["stakeholder"])
    page = get_page(client, f"/rounds/{round_id}")
    assert page.find("h1").get_text(strip=True) == "Second expert meeting"
    assert page.select_one(".round-version a")["href"] == "/documents/sample/v1"
    assert text(page, ".round-state") == "Open — closes in 2 days 3 hours"
    assert text(page, "dd.opens") == "10 March 2026, 12:00 UTC (13:00 Zurich)"
    assert text(page, "dd.place") == "Palais Wilson, Geneva"
    assert text(page, ".participation") == "Every stakeholder organisation may comment."
    assert "as soon as they are posted" in text(page, ".visibility")
    assert "name of the organisation" in text(page, ".attribution")
    hrefs = [a["href"] for a in page.select(".actions a")]
    assert hrefs == [
        web_url(client, "comments.new", round_id=round_id),
        web_url(client, "comments.round_comments", round_id=round_id),
        web_url(client, "matrix.page", slug="sample", round=round_id),
        web_url(client, "pdf.version", slug="sample", number=1, variant="comments", round=round_id),
    ]
    assert page.find(id="secretariat") is None
    assert page.find("form", action=f"/rounds/{round_id}/closing") is None


@pytest.mark.parametrize(
    ("at", "state"),
    [
        (T0 - timedelta(days=1, minutes=30), "Upcoming — opens in 1 day"),
        (T0 - timedelta(minutes=90), "Upcoming — opens in 1 hour 30 minutes"),
        (T0 + timedelta(days=3, hours=3, seconds=-20), "Open — closes in less than a minute"),
        (T0 + timedelta(days=3, hours=3), "Closed"),
    ],
)
def test_round_state_follows_the_clock(
    app: Flask,
    client: FlaskClient,
    users: dict[str, User],
    world: dict[str, Any],
    at: datetime,
    state: str,
) -> None:
    set_clock(app, client, at)
    sign_in(client, users["stakeholder"])
    page = get_page(client, f"/rounds/{world['round'].id}")
    assert text(page, ".round-state") == state
    new_comment = web_url(client, "comments.new", round_id=world["round"].id)
    comment_links = [a for a in page.select(".actions a") if a["href"] == new_comment]
    assert bool(comment_links) == state.startswith("Open")


def test_round_page_for_the_secretariat_has_counts_and_tools(
    client: FlaskClient, users: dict[str, User], world: dict[str, Any]
) -> None:
    round_id = world["round"].id
    other = factories.user("stakeholder", factories.organisation(name="Beta Org"))
    factories.comment(round_id, users["stakeholder"], type="editorial")
    factories.comment(round_id, other, type="substantive")
    factories.comment(round_id, other, type="substantive")
    sign_in(client, users["secretariat"])
    page = get_page(client, f"/rounds/{round_id}")
    assert text(page, ".comment-count") == "3"
    by_type = [
        [c.get_text(strip=True) for c in tr.find_all(["th", "td"])]
        for tr in page.select("table.by-type tbody tr")
    ]
    assert by_type == [["Editorial", "1"], ["Substantive", "2"]]
    by_org = [
        [c.get_text(strip=True) for c in tr.find_all(["th", "td"])]
        for tr in page.select("table.by-organisation tbody tr")
    ]
    assert by_org == [["Beta Org", "2"], ["Test NGO", "1"]]
    assert page.find("a", href=f"/rounds/{round_id}/responses") is not None
    form = page.find("form", action=f"/rounds/{round_id}/closing")
    assert form.find("input", attrs={"name": "closes_at"})["value"] == "2026-03-13T16:00"
    assert form.find("input", attrs={"name": "time_zone"})["value"] == "Europe/Zurich"
    # no comment link for the secretariat: only stakeholders comment
    assert web_url(client, "comments.new", round_id=round_id) not in [
        a["href"] for a in page.select("a")
    ]


def test_an_invitation_only_round_is_unknown_to_an_uninvited_stakeholder(
    client: FlaskClient, users: dict[str, User], world: dict[str, Any]
) -> None:
    beta = factories.organisation(name="Beta Org")
    invited_round = open_round(
        world["v1"], title="Invited only", participation="invited", invited=[beta]
    )
    factories.comment(invited_round.id, factories.user("stakeholder", beta))
    sign_in(client, users["stakeholder"])
    # As in the list of rounds: neither its facts nor who is invited.
    page = get_page(client, f"/rounds/{invited_round.id}", status=404)
    assert "Invited only" not in page.get_text() and "Beta Org" not in page.get_text()
    assert "Invited only" not in get_page(client, "/rounds").get_text()
    # An invited organisation's stakeholder sees it.
    member = factories.user("stakeholder", beta)
    other = client.application.test_client()
    sign_in(other, member)
    assert get_page(other, f"/rounds/{invited_round.id}").find("h1").get_text(strip=True) == (
        "Invited only"
    )


def test_round_page_for_admin_shows_no_counts(
    client: FlaskClient, users: dict[str, User], world: dict[str, Any]
) -> None:
    factories.comment(world["round"].id, users["stakeholder"])
    sign_in(client, users["admin"])
    page = get_page(client, f"/rounds/{world['round'].id}")
    assert page.find(id="counts") is None
    assert text(page, ".round-state").startswith("Open")


def test_unknown_round_is_404(client: FlaskClient, users: dict[str, User]) -> None:
    sign_in(client, users["stakeholder"])
    get_page(client, "/rounds/999", status=404)


# --- counts a stakeholder sees under each visibility rule ---------------------


def _round_with_comments(
    app: Flask, client: FlaskClient, users: dict[str, User], visibility: str
) -> Round:
    version = factories.version(publish=True)
    set_clock(app, client, T0 + timedelta(hours=1))
    round_ = factories.round_(
        version, opens_at=T0, closes_at=T0 + timedelta(days=2), visibility=visibility
    )
    other = factories.user("stakeholder", factories.organisation(name="Beta Org"))
    factories.comment(round_.id, users["stakeholder"])
    for _ in range(3):
        factories.comment(round_.id, other)
    return round_


@pytest.mark.parametrize(
    ("visibility", "before_close", "after_close"),
    [("open", 4, 4), ("own_until_close", 1, 4), ("secretariat", 1, 1)],
)
def test_stakeholder_counts_follow_the_visibility_rule(
    app: Flask,
    client: FlaskClient,
    users: dict[str, User],
    visibility: str,
    before_close: int,
    after_close: int,
) -> None:
    round_ = _round_with_comments(app, client, users, visibility)
    sign_in(client, users["stakeholder"])
    for at, expected in (
        (T0 + timedelta(days=1), before_close),
        (T0 + timedelta(days=3), after_close),
    ):
        set_clock(app, client, at)
        page = get_page(client, f"/rounds/{round_.id}")
        assert text(page, ".comment-count") == str(expected), (visibility, at)
        assert page.select_one("table.by-organisation") is None
        assert "Beta Org" not in page.get_text()
        index = get_page(client, "/rounds")
        assert text(index, "td.comment-count") == str(expected)
        staff = app.test_client()
        sign_in(staff, users["drafter"])
        assert text(get_page(staff, f"/rounds/{round_.id}"), ".comment-count") == "4"


def test_own_until_close_says_why_only_own_comments_are_counted(
    app: Flask, client: FlaskClient, users: dict[str, User]
) -> None:
    round_ = _round_with_comments(app, client, users, "own_until_close")
    sign_in(client, users["stakeholder"])
    page = get_page(client, f"/rounds/{round_.id}")
    assert text(page, ".count-label") == "Your organisation's comments"
    assert "Until the round closes" in text(page, "section[aria-labelledby=counts] .hint")


# --- opening a round ------------------------------------------------------------


def _good_form(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "Third expert meeting",
        "place": "Geneva",
        "meeting_starts_on": "2026-04-01",
        "meeting_ends_on": "2026-04-02",
        "opens_at": "2026-03-12T09:00",
        "closes_at": "2026-03-31T18:00",
        "time_zone": "Europe/Zurich",
        "participation": "all",
        "visibility": "own_until_close",
        "attribution": "anonymous",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def secretariat_client(client: FlaskClient, users: dict[str, User]) -> FlaskClient:
    sign_in(client, users["secretariat"])
    return client


NEW_URL = "/documents/sample/v1/rounds/new"


def test_new_round_form_has_labelled_fields(
    secretariat_client: FlaskClient, world: dict[str, Any]
) -> None:
    page = get_page(secretariat_client, NEW_URL)
    assert len(page.find_all("h1")) == 1
    for name in ("title", "place", "meeting_starts_on", "opens_at", "closes_at", "time_zone"):
        control = page.find("input", attrs={"name": name})
        assert page.find("label", attrs={"for": control["id"]}) is not None, name
    assert page.find("input", attrs={"name": "opens_at"})["type"] == "datetime-local"
    assert page.find("input", attrs={"name": "time_zone"})["value"] == "UTC"
    legends = [legend.get_text(strip=True) for legend in page.find_all("legend")]
    assert legends == [
        "Who may comment",
        "Invited organisations",
        "Who sees the comments",
        "Attribution",
    ]
    assert len(page.find_all("input", attrs={"name": "visibility", "type": "radio"})) == 3
    assert len(page.find_all("input", attrs={"name": "attribution", "type": "radio"})) == 2
    invitable = [
        page.find("label", attrs={"for": box["id"]}).get_text(strip=True)
        for box in page.find_all("input", attrs={"name": "invited"})
    ]
    assert invitable == ["Test NGO"]


def test_new_round_is_stored_in_utc_and_shown_in_its_zone(
    secretariat_client: FlaskClient, world: dict[str, Any]
) -> None:
    response = post_form(secretariat_client, NEW_URL, _good_form())
    fresh()
    created = db.session.scalars(select(Round).where(Round.title == "Third expert meeting")).one()
    assert response.status_code == 302
    assert response.headers["Location"] == f"/rounds/{created.id}"
    assert created.opens_at == datetime(2026, 3, 12, 8, 0, tzinfo=UTC)  # CET = UTC+1
    assert created.closes_at == datetime(2026, 3, 31, 16, 0, tzinfo=UTC)  # CEST = UTC+2
    assert created.time_zone == "Europe/Zurich"
    assert (created.visibility, created.attribution, created.participation) == (
        "own_until_close",
        "anonymous",
        "all",
    )
    assert str(created.meeting_starts_on) == "2026-04-01"
    assert audit_actions()[-1] == "round.create"
    page = get_page(secretariat_client, f"/rounds/{created.id}")
    assert flash_messages(page) == ["The round “Third expert meeting” is created."]
    assert text(page, "dd.closes") == "31 March 2026, 16:00 UTC (18:00 Zurich)"
    assert text(page, "dd.meeting") == "1 April 2026 to 2 April 2026"
    assert "not told which organisation" in text(page, ".attribution")


def test_new_invited_round_stores_the_chosen_organisations(
    secretariat_client: FlaskClient, users: dict[str, User], world: dict[str, Any]
) -> None:
    beta = factories.organisation(name="Beta Org")
    factories.organisation(name="Gamma Org")
    data = _good_form(
        participation="invited", invited=[str(beta.id), str(users["stakeholder"].organisation_id)]
    )
    assert post_form(secretariat_client, NEW_URL, data).status_code == 302
    fresh()
    created = db.session.scalars(select(Round).where(Round.title == "Third expert meeting")).one()
    assert sorted(i.organisation.name for i in created.invitations) == ["Beta Org", "Test NGO"]
    page = get_page(secretariat_client, f"/rounds/{created.id}")
    assert [li.get_text(strip=True) for li in page.select("ul.invited li")] == [
        "Beta Org",
        "Test NGO",
    ]


def test_invitations_are_ignored_when_every_organisation_takes_part(
    secretariat_client: FlaskClient, users: dict[str, User], world: dict[str, Any]
) -> None:
    data = _good_form(invited=[str(users["stakeholder"].organisation_id)])
    assert post_form(secretariat_client, NEW_URL, data).status_code == 302
    fresh()
    created = db.session.scalars(select(Round).where(Round.title == "Third expert meeting")).one()
    assert created.participation == "all" and created.invitations == []


BAD_NEW_ROUNDS = [
    ("title", {"title": "   "}, "Give the round a title."),
    ("closes_at", {"closes_at": "2026-03-12T08:59"}, "must come after the opening time"),
    ("closes_at", {"closes_at": "2026-03-12T09:00"}, "must come after the opening time"),
    ("closes_at", {"closes_at": ""}, "Enter the date and time when commenting closes."),
    ("opens_at", {"opens_at": "next tuesday"}, "Enter the date and time when commenting opens."),
    ("time_zone", {"time_zone": "Mars/Olympus"}, "“Mars/Olympus” is not a time zone"),
    ("time_zone", {"time_zone": ""}, "Enter a time zone"),
    ("invited", {"participation": "invited"}, "Choose at least one organisation"),
    ("meeting_ends_on", {"meeting_ends_on": "2026-03-31"}, "cannot end before it starts"),
    ("meeting_starts_on", {"meeting_starts_on": "1 April"}, "Not a valid date"),
    ("participation", {"participation": "everyone"}, "Choose who may comment"),
    ("visibility", {"visibility": "public"}, "Choose who sees the comments"),
    ("attribution", {"attribution": "signed"}, "Choose how comments are attributed"),
    ("invited", {"participation": "invited", "invited": ["99999"]}, "from the list"),
    ("invited", {"participation": "invited", "invited": ["abc"]}, "from the list"),
]


@pytest.mark.parametrize(("name", "changes", "message"), BAD_NEW_ROUNDS)
def test_bad_new_round_gets_a_message_and_stores_nothing(
    secretariat_client: FlaskClient,
    world: dict[str, Any],
    name: str,
    changes: dict[str, Any],
    message: str,
) -> None:
    before = (count(Round), audit_actions())
    response = post_form(secretariat_client, NEW_URL, _good_form(**changes))
    assert response.status_code == 200
    page = soup(response)
    assert message in field_error(page, name)
    assert (count(Round), audit_actions()) == before
    # what was typed is kept
    assert page.find("input", attrs={"name": "place"})["value"] == "Geneva"


def test_new_round_on_a_draft_is_refused_with_a_message(
    secretariat_client: FlaskClient, world: dict[str, Any]
) -> None:
    page = get_page(secretariat_client, "/documents/sample/v2/rounds/new")
    assert "Version 2 is a draft" in text(page, ".warnings")
    assert page.find("input", attrs={"name": "title"}) is None
    response = post_form(secretariat_client, "/documents/sample/v2/rounds/new", _good_form())
    assert response.status_code == 409
    assert "Version 2 is a draft" in text(soup(response), ".warnings")
    assert count(Round) == 1


@pytest.mark.parametrize(
    "url", ["/documents/sample/v9/rounds/new", "/documents/nope/v1/rounds/new"]
)
def test_new_round_on_unknown_version_is_404(
    secretariat_client: FlaskClient, world: dict[str, Any], url: str
) -> None:
    get_page(secretariat_client, url, status=404)


def test_new_round_form_escapes_what_was_typed(
    secretariat_client: FlaskClient, world: dict[str, Any]
) -> None:
    data = _good_form(title="<script>alert(1)</script>")
    assert post_form(secretariat_client, NEW_URL, data).status_code == 302
    fresh()
    created = db.session.scalars(select(Round).order_by(Round.id.desc())).first()
    assert created is not None
    response = secretariat_client.get(f"/rounds/{created.id}")
    assert "<script>alert(1)</script>" not in response.get_data(as_text=True)
    assert soup(response).find("h1").get_text() == "<script>alert(1)</script>"


# --- changing the closing time -------------------------------------------------


def test_change_closing_time_in_another_zone(
    secretariat_client: FlaskClient, world: dict[str, Any]
) -> None:
    round_id = world["round"].id
    url = f"/rounds/{round_id}/closing"
    response = post_form(
        secretariat_client, url, {"closes_at": "2026-03-20T17:30", "time_zone": "America/New_York"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/rounds/{round_id}"
    fresh()
    round_ = db.session.get(Round, round_id)
    assert round_.closes_at == datetime(2026, 3, 20, 21, 30, tzinfo=UTC)  # EDT = UTC-4
    assert audit_actions()[-1] == "round.change_closing"
    page = get_page(secretariat_client, f"/rounds/{round_id}")
    assert flash_messages(page) == [
        "The round now closes at 20 March 2026, 21:30 UTC (22:30 Zurich)."
    ]
    assert text(page, "dd.closes") == "20 March 2026, 21:30 UTC (22:30 Zurich)"


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        ({"closes_at": "", "time_zone": "UTC"}, "closes_at", "Enter the new closing"),
        ({"closes_at": "soon", "time_zone": "UTC"}, "closes_at", "Enter the new closing"),
        (
            {"closes_at": "2026-03-20T10:00", "time_zone": "Nowhere/City"},
            "time_zone",
            "not a time zone",
        ),
        (
            {"closes_at": "2026-03-10T12:00", "time_zone": "UTC"},
            "closes_at",
            "must close after it opens",
        ),
        (
            {"closes_at": "2026-03-01T12:00", "time_zone": "UTC"},
            "closes_at",
            "must close after it opens",
        ),
    ],
)
def test_bad_closing_time_gets_a_message_and_changes_nothing(
    secretariat_client: FlaskClient,
    world: dict[str, Any],
    data: dict[str, str],
    name: str,
    message: str,
) -> None:
    round_id = world["round"].id
    before = (world["round"].closes_at, audit_actions())
    response = post_form(secretariat_client, f"/rounds/{round_id}/closing", data)
    assert response.status_code == 400
    page = soup(response)
    assert message in field_error(page, name)
    assert page.find("h1").get_text(strip=True) == "Second expert meeting"
    fresh()
    round_ = db.session.get(Round, round_id)
    assert (round_.closes_at, audit_actions()) == before


def test_closing_time_of_unknown_round_is_404(
    secretariat_client: FlaskClient, world: dict[str, Any]
) -> None:
    response = post_form(
        secretariat_client,
        "/rounds/999/closing",
        {"closes_at": "2026-03-20T10:00", "time_zone": "UTC"},
    )
    assert response.status_code == 404
