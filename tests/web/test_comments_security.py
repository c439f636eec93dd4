"""Comments that must not leak, markup that must not run, text that must not be lost."""

from __future__ import annotations

import io
import zipfile
from collections import deque
from urllib.parse import parse_qs, urldefrag, urlsplit

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient

from consult.extensions import db
from consult.models import Clause, Comment, User, Version
from consult.services import comments, sessions
from tests import factories
from tests.web.support import get_page, soup
from tests.web.test_comments import (
    comment_count,
    comment_url,
    fresh,
    hidden_fields,
    make_setup,
    other_stakeholder,
    signed_in,
    textarea,
)
from tests.web.test_comments_lists import count_on

SCRIPT = '<script>alert("owned")</script><img src=x onerror=alert(1)> & <b>bold</b>'
SENTINEL = "SENTINEL-7f3c1e"


def clause_of(version: Version, key: str) -> Clause:
    return next(c for c in version.clauses if c.key == key)


def assert_shown_as_text(html: str) -> None:
    page = soup_of(html)
    assert page.find_all("script") == []
    assert page.find_all("img") == []
    assert page.find_all("b") == []
    assert SCRIPT in page.get_text()


def soup_of(html: str):  # type: ignore[no-untyped-def]
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "html.parser")


def test_markup_in_comments_shows_as_text_on_every_page(app: Flask, users: dict[str, User]) -> None:
    setup = make_setup()
    dignity = clause_of(setup.version, "principle-dignity-p1")
    comment = factories.comment(
        setup.round.id, users["stakeholder"], dignity, body=SCRIPT, proposed_text=SCRIPT
    )
    comments.edit_comment(
        comment.id,
        comments.CommentInput("general", SCRIPT + " again", SCRIPT),
        users["stakeholder"],
        1,
    )
    for role in ("stakeholder", "secretariat"):
        client = signed_in(app, users[role])
        for url in (
            f"/comments/{comment.id}",
            f"/rounds/{setup.round.id}/comments",
            "/documents/sample/v1/clauses/principle-dignity-p1",
        ):
            assert_shown_as_text(client.get(url).get_data(as_text=True))
    client = signed_in(app, users["stakeholder"])
    assert_shown_as_text(client.get("/our-comments").get_data(as_text=True))
    edit = get_page(client, f"/comments/{comment.id}/edit")
    assert edit.find_all("script") == []
    assert textarea(edit, "proposed_text").strip() == SCRIPT
    shown = get_page(client, f"/comments/{comment.id}")
    diff = shown.find(class_="proposed-diff")
    assert diff.find_all(["script", "img", "b"]) == []
    assert "<script>" in diff.get_text()


def test_markup_in_a_refused_form_stays_text(app: Flask, users: dict[str, User]) -> None:
    setup = make_setup()
    client = signed_in(app, users["stakeholder"])
    fields = hidden_fields(get_page(client, comment_url(setup.round.id)))
    fields.update({"type": "bad", "body": SCRIPT, "proposed_text": SCRIPT})
    response = client.post(comment_url(setup.round.id), data=fields)
    page = soup(response)
    assert page.find_all("script") == [] and textarea(page, "body").strip() == SCRIPT


# --- the sentinel: a hidden comment reaches no one who may not see it ---------------


def readable_text(data: bytes, content_type: str) -> str:
    """Return what a person could read in a response: a page's text, or a file's.

    The matrix's XLSX and DOCX files are zip archives of XML: their text is
    read from every member, so that a hidden comment cannot leave in a file.
    """
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "\n".join(
                archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
            )
    return data.decode("utf-8-sig")


def crawl(client: FlaskClient, start: list[str], limit: int = 400) -> dict[str, str]:
    """GET every same-site link reachable from `start`; return the pages by URL."""
    seen: dict[str, str] = {}
    queue = deque(start)
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen:
            continue
        response = client.get(url)
        body = readable_text(response.get_data(), response.content_type)
        seen[url] = body
        response.close()
        if response.status_code != 200 or "html" not in response.content_type:
            continue
        for link in soup_of(body).find_all("a", href=True):
            href = urldefrag(str(link["href"]))[0]
            local = href.startswith("/") and not href.startswith(("//", "/static/", "/logout"))
            if local and href not in seen:
                queue.append(href)
    return seen


def _optional_urls(client: FlaskClient, round_ids: list[int]) -> list[str]:
    """The rounds pages, once they exist."""
    web = client.application
    urls = []
    with web.test_request_context():
        if "rounds.index" in web.view_functions:
            urls.append(url_for("rounds.index"))
        if "rounds.show" in web.view_functions:
            urls += [url_for("rounds.show", round_id=r) for r in round_ids]
    return urls


@pytest.mark.parametrize("viewer", ["other stakeholder", "outsider", "admin"])
def test_a_hidden_comment_reaches_no_page_of_those_it_is_hidden_from(
    app: Flask, users: dict[str, User], viewer: str
) -> None:
    version = factories.version()
    secret_round = factories.round_(version, title="Closed-door round", visibility="secretariat")
    own_round = factories.round_(version, title="Own until close", visibility="own_until_close")
    invited = factories.organisation("ngo", name="Invited elsewhere")
    factories.round_(version, title="Invitation only", participation="invited", invited=[invited])
    dignity = clause_of(version, "principle-dignity-p1")
    author = users["stakeholder"]
    hidden = [
        factories.comment(secret_round.id, author, dignity, body=f"{SENTINEL} secret"),
        factories.comment(own_round.id, author, dignity, body=f"{SENTINEL} own"),
        factories.comment(
            own_round.id, author, None, body="whole", proposed_text=f"{SENTINEL} wording"
        ),
    ]
    fresh()
    reader = {
        "other stakeholder": lambda: other_stakeholder("Neighbour"),
        "outsider": lambda: factories.user("stakeholder", invited),
        "admin": lambda: users["admin"],
    }[viewer]()
    client = signed_in(app, reader)
    rounds = [secret_round.id, own_round.id]
    start = [
        "/",
        "/documents/sample",
        "/documents/sample/v1",
        *[f"/documents/sample/v1?round={r}" for r in rounds],
        *[f"/documents/sample/v1/clauses/{c.key}" for c in version.clauses],
        *[f"/rounds/{r}/comments" for r in rounds],
        *_optional_urls(client, rounds),
    ]
    matrix = "/documents/sample/matrix"
    files = [f"{matrix}.{fmt}" for fmt in ("xlsx", "csv", "docx")]
    start += [matrix, f"{matrix}/summary", *files, *(f"{f}?public=yes" for f in files)]
    for r in rounds:
        start += [
            f"{matrix}?round={r}",
            f"{matrix}?round={r}&answered=no",
            f"{matrix}.xlsx?round={r}",
        ]
    if reader.role == "stakeholder":
        start.append("/our-comments")
    pages = crawl(client, start)
    assert len(pages) > len(version.clauses)
    leaks = [url for url, body in pages.items() if SENTINEL in body]
    assert leaks == []
    for comment in hidden:
        assert client.get(f"/comments/{comment.id}").status_code == 404
        assert client.get(f"/comments/{comment.id}/edit").status_code in (403, 404)
        assert f"/comments/{comment.id}" not in "".join(pages.values())
    for r in rounds:
        page = soup_of(pages[f"/documents/sample/v1?round={r}"])
        assert count_on(page, "principle-dignity-p1") == 0
        assert page.find(class_="whole-document-count").get_text() == "0"
    # Those allowed do see them, in the matrix's files too.
    for role in ("secretariat", "drafter"):
        staff = signed_in(app, users[role])
        for comment in hidden:
            assert SENTINEL in staff.get(f"/comments/{comment.id}").get_data(as_text=True)
        for url in files:
            response = staff.get(url)
            assert SENTINEL in readable_text(response.get_data(), response.content_type)
        page = get_page(staff, f"/documents/sample/v1?round={secret_round.id}")
        assert count_on(page, "principle-dignity-p1") == 1
    fresh()
    own = signed_in(app, factories.user("stakeholder", author.organisation))
    assert SENTINEL in own.get(f"/rounds/{own_round.id}/comments").get_data(as_text=True)


# --- long comments are never lost --------------------------------------------------

LONG_TEXT = "A carefully argued comment.\n\n" + "Paragraph of reasons. " * 300


def test_an_expired_form_token_gives_the_form_back_with_the_text(
    app: Flask, users: dict[str, User]
) -> None:
    setup = make_setup()
    client = signed_in(app, users["stakeholder"])
    url = comment_url(setup.round.id, "principle-dignity-p1")
    fields = hidden_fields(get_page(client, url))
    fields.update({"csrf_token": "expired", "type": "general", "body": LONG_TEXT})
    response = client.post(url, data=fields)
    assert response.status_code == 400
    page = soup(response)
    assert "expired" in page.find(class_="expired-notice").get_text()
    assert textarea(page, "body").strip() == LONG_TEXT.strip()
    again = hidden_fields(page)
    assert again["idempotency_key"] == fields["idempotency_key"]
    assert again["clause"] == "principle-dignity-p1"
    assert comment_count() == 0
    again.update({"type": "general", "body": textarea(page, "body")})
    assert client.post(url, data=again).status_code == 303
    assert comment_count() == 1


def test_an_expired_form_token_on_an_edit_keeps_the_text(
    app: Flask, users: dict[str, User]
) -> None:
    setup = make_setup()
    comment = factories.comment(setup.round.id, users["stakeholder"], None, body="Before.")
    client = signed_in(app, users["stakeholder"])
    url = f"/comments/{comment.id}/edit"
    fields = hidden_fields(get_page(client, url))
    fields.update({"csrf_token": "", "type": "general", "body": LONG_TEXT})
    response = client.post(url, data=fields)
    assert response.status_code == 400
    page = soup(response)
    assert textarea(page, "body").strip() == LONG_TEXT.strip()
    assert hidden_fields(page)["revision"] == "1"
    fresh()
    assert db.session.get(Comment, comment.id).body == "Before."  # type: ignore[union-attr]


def _end_sessions(user: User) -> None:
    fresh()
    sessions.end_all_sessions(user)
    db.session.commit()


@pytest.mark.parametrize("target", ["new", "edit"])
def test_an_expired_session_shows_the_text_to_copy(
    app: Flask, users: dict[str, User], target: str
) -> None:
    setup = make_setup()
    user = users["stakeholder"]
    comment = factories.comment(setup.round.id, user, None, body="Before.")
    client = signed_in(app, user)
    if target == "new":
        url, back = (
            comment_url(setup.round.id, "principle-dignity-p1"),
            comment_url(setup.round.id, "principle-dignity-p1"),
        )
    else:
        url = back = f"/comments/{comment.id}/edit"
    fields = hidden_fields(get_page(client, url))
    fields.update({"type": "general", "body": LONG_TEXT, "proposed_text": "My wording."})
    _end_sessions(user)
    # As a browser sends it from our own form (tests/security/test_integrity.py
    # checks that a post from another site gets no text back).
    response = client.post(url, data=fields, headers={"Origin": "http://localhost"})
    assert response.status_code == 401
    page = soup(response)
    assert "session ended" in page.find("h1").get_text()
    assert page.find("textarea", id="kept-body").get_text().strip() == LONG_TEXT.strip()
    assert page.find("textarea", id="kept-proposed").get_text().strip() == "My wording."
    link = page.find("a", href=lambda h: bool(h) and h.startswith("/login"))
    assert parse_qs(urlsplit(str(link["href"])).query)["next"] == [back]
    assert comment_count() == 1
    response = login_with_next(client, user, str(link["href"]))
    assert response.status_code == 302 and response.headers["Location"] == back
    assert textarea(get_page(client, back), "body") is not None


def login_with_next(client: FlaskClient, user: User, login_url: str):  # type: ignore[no-untyped-def]
    page = get_page(client, login_url)
    token = page.find("input", attrs={"name": "csrf_token"})["value"]
    return client.post(
        login_url, data={"csrf_token": token, "email": user.email, "password": "correct horse"}
    )


def test_a_post_without_any_session_keeps_nothing_and_shows_no_text(
    app: Flask, users: dict[str, User]
) -> None:
    setup = make_setup()
    client = app.test_client()  # no cookie at all: no session, no form token
    response = client.post(
        comment_url(setup.round.id),
        data={"type": "general", "body": "Typed before lunch."},
        headers={"Origin": "http://localhost"},
    )
    assert response.status_code == 401
    # Without a session of ours, the text may have been planted by another site.
    assert "Typed before lunch." not in response.get_data(as_text=True)
    assert "session ended" in soup(response).find("h1").get_text()
    assert comment_count() == 0


def test_an_empty_anonymous_post_goes_to_login(app: Flask, users: dict[str, User]) -> None:
    setup = make_setup()
    client = signed_in(app, users["stakeholder"])
    fields = hidden_fields(get_page(client, comment_url(setup.round.id)))
    _end_sessions(users["stakeholder"])
    response = client.post(comment_url(setup.round.id), data=fields)  # nothing typed
    assert response.status_code == 302 and "/login?next=" in response.headers["Location"]
