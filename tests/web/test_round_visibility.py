"""A round an organisation is not invited to leaves no trace for its people.

Every page about one round answers 404 to a stakeholder whose organisation
may not know it (permissions.knows_round), as for a round that does not
exist; every list, selector and count leaves it out (permissions.known_rounds).
"""

from __future__ import annotations

from collections import deque
from datetime import timedelta
from urllib.parse import urldefrag

import pytest
from flask import Flask
from flask.testing import FlaskClient

from consult.models import Round, User
from tests import factories
from tests.web.test_comments import fresh, signed_in
from tests.web.test_comments_security import clause_of, readable_text, soup_of

SECOND_DRAFT = factories.SAMPLE_DRAFT.replace(
    "Everyone at a border shall be treated with dignity.",
    "Everyone at a border shall be treated with dignity and respect.",
).replace("label: First draft", "label: Second draft")
HIDDEN_TITLE = "Zeta closed-door consultation"
OPEN_TITLE = "Open online consultation"


def crawl(client: FlaskClient, start: list[str], limit: int = 400) -> dict[str, str]:
    """GET every same-site link reachable from `start`; return the readable text by URL.

    A PDF (a receipt of one's own comment) is kept as its bytes read leniently.
    """
    seen: dict[str, str] = {}
    queue = deque(start)
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        data = response.get_data()
        if response.content_type.startswith("application/pdf"):
            seen[url] = data.decode("latin-1")
        else:
            seen[url] = readable_text(data, response.content_type)
        response.close()
        if response.status_code != 200 or "html" not in response.content_type:
            continue
        for link in soup_of(seen[url]).find_all("a", href=True):
            href = urldefrag(str(link["href"]))[0]
            local = href.startswith("/") and not href.startswith(("//", "/static/", "/logout"))
            if local and href not in seen:
                queue.append(href)
    return seen


def round_urls(round_: Round) -> list[str]:
    """Every page about one round that a stakeholder could ask for."""
    r = round_.id
    return [
        f"/rounds/{r}",
        f"/rounds/{r}/comments",
        f"/rounds/{r}/outcome",
        f"/rounds/{r}/comment",
        f"/rounds/{r}/comment?clause=principle-dignity-p1",
    ]


def hidden_world(users: dict[str, User]) -> tuple[Round, Round, User]:
    """An invitation-only round with comments and published answers, beside an open round.

    Returns the hidden round, the open round and a stakeholder of the invited organisation.
    """
    from consult.services import responses

    version = factories.version()
    invited = factories.organisation("ngo", name="Invited Alliance")
    hidden = factories.round_(
        version,
        title=HIDDEN_TITLE,
        participation="invited",
        invited=[invited],
        opens_in=timedelta(days=-10),
        closes_in=timedelta(days=20),
    )
    public = factories.round_(version, title=OPEN_TITLE, visibility="open")
    member = factories.user("stakeholder", invited)
    dignity = clause_of(version, "principle-dignity-p1")
    for _n in range(3):
        comment = factories.comment(hidden.id, member, dignity, body="Hidden remark.")
    factories.comment(hidden.id, member, None, body="On the whole text.")
    factories.comment(public.id, users["stakeholder"], dignity, body="Public remark.")
    responses.respond(comment.id, "noted", "", users["secretariat"])
    factories.version(SECOND_DRAFT)  # a next version, so that outcomes compare
    fresh()
    return hidden, public, member


def test_an_uninvited_stakeholder_finds_the_round_on_no_page(
    app: Flask, users: dict[str, User]
) -> None:
    hidden, public, _member = hidden_world(users)
    client = signed_in(app, users["stakeholder"])
    start = [
        "/",
        "/rounds",
        "/our-comments",
        "/documents/sample/v1",
        f"/documents/sample/v1?round={hidden.id}",
        f"/documents/sample/v1/clauses/principle-dignity-p1?round={hidden.id}",
        "/documents/sample/history/principle-dignity-p1",
        f"/documents/sample/v1/pdf?round={hidden.id}",
        f"/documents/sample/v1/pdf?variant=comments&round={hidden.id}",
        *round_urls(public),
        *round_urls(hidden),
    ]
    pages = crawl(client, start)
    assert len(pages) > 20
    assert OPEN_TITLE in "".join(pages.values())
    leaks = [url for url, body in pages.items() if HIDDEN_TITLE in body]
    assert leaks == []
    assert "Invited Alliance" not in "".join(pages.values())
    for url in round_urls(hidden):
        assert client.get(url).status_code == 404, url
    # A round that does not exist answers the same.
    assert client.get(f"/rounds/{hidden.id + 100}").status_code == 404
    # The round's comments are not counted on the version page either.
    for url in ("/documents/sample/v1", f"/documents/sample/v1?round={hidden.id}"):
        page = soup_of(client.get(url).get_data(as_text=True))
        switch = page.select_one("form.languages")
        assert switch is not None
        switch.decompose()  # its way back is only the address the reader typed
        assert f"round={hidden.id}" not in str(page)


@pytest.mark.parametrize("role", ["invited stakeholder", "drafter", "secretariat", "admin"])
def test_those_who_may_know_the_round_reach_its_page(
    app: Flask, users: dict[str, User], role: str
) -> None:
    hidden, public, member = hidden_world(users)
    reader = member if role == "invited stakeholder" else users[role]
    client = signed_in(app, reader)
    page = client.get(f"/rounds/{hidden.id}")
    assert page.status_code == 200
    assert HIDDEN_TITLE in page.get_data(as_text=True)
    assert HIDDEN_TITLE in client.get("/rounds").get_data(as_text=True)
    # The administrator manages accounts and reads no comment: refused, not an empty list.
    expected = 403 if role == "admin" else 200
    assert client.get(f"/rounds/{hidden.id}/comments").status_code == expected
    assert client.get(f"/rounds/{public.id}/comments").status_code == expected
    if role == "invited stakeholder":
        assert client.get(f"/rounds/{hidden.id}/outcome").status_code == 200
        assert client.get(f"/rounds/{hidden.id}/comment").status_code == 200


def test_an_anonymous_visitor_is_sent_to_sign_in_for_every_round_page(
    client: FlaskClient, users: dict[str, User]
) -> None:
    hidden, public, _member = hidden_world(users)
    for url in round_urls(hidden) + round_urls(public):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url
