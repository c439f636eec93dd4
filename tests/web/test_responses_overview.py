"""The secretariat's answers page is an overview: counts, filters, pages, links to answer."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from consult.extensions import db
from consult.models import Comment, Round
from consult.services import demo
from tests.web.support import get_page, login, set_clock
from tests.web.test_demo_matrix import DRAFTS, NOW, PASSWORD


def _first_round() -> Round:
    rounds = db.session.scalars(select(Round).order_by(Round.opens_at)).all()
    return rounds[0]


def _listed(client: FlaskClient, url: str) -> tuple[list[int], list[str]]:
    """The comment ids listed on the overview at `url` and its page links."""
    page = get_page(client, url)
    ids = [int(li["id"].removeprefix("comment-")) for li in page.select("li.response-row")]
    pages = [a["href"] for a in page.select("nav.pagination a")]
    return ids, pages


def test_the_demo_round_fits_on_short_pages_and_every_comment_is_reachable(
    app: Flask, client: FlaskClient
) -> None:
    set_clock(app, client, NOW)
    demo.load_demo(DRAFTS, PASSWORD)
    round_ = _first_round()
    standing = [
        c.id
        for c in db.session.scalars(select(Comment).where(Comment.round_id == round_.id))
        if c.status == "active"
    ]
    assert len(standing) >= 20
    login(client, "secretariat@consult.example", PASSWORD)
    url = f"/rounds/{round_.id}/responses"
    page = get_page(client, url)
    # No form per comment: only the filters and the publication.
    assert page.select("textarea") == []
    assert len(page.find("main").select("form")) <= 2
    rows = page.select("li.response-row")
    assert 0 < len(rows) <= 10
    answered = sum(
        1 for c in db.session.scalars(select(Comment).where(Comment.id.in_(standing))) if c.response
    )
    progress = page.select_one(".progress").get_text(" ", strip=True)
    assert progress.startswith(f"{answered} of {len(standing)} answered")
    # Waiting comments come first.
    states = ["waiting" in (li.get("class") or []) for li in rows]
    assert states == sorted(states, reverse=True)
    # Every comment is reached through the page links, once.
    seen, links = _listed(client, url)
    for link in links:
        more, _links = _listed(client, link)
        seen += [i for i in more if i not in seen]
    assert sorted(seen) == sorted(standing)
    # Each row leads to the one-comment answer page, which comes back here.
    link = rows[0].select_one("a.answer-link")["href"]
    target = urlsplit(link)
    assert target.path.endswith("/answer")
    assert parse_qs(target.query)["next"] == [url]
    assert client.get(link).status_code == 200
    # The matrix, which has the table, is linked.
    assert page.find(
        "a", href=f"/documents/{round_.version.document.slug}/matrix?round={round_.id}"
    )


def test_filters_narrow_the_list_and_bad_ones_say_so(app: Flask, client: FlaskClient) -> None:
    set_clock(app, client, NOW)
    demo.load_demo(DRAFTS, PASSWORD)
    round_ = _first_round()
    comments = [
        c
        for c in db.session.scalars(select(Comment).where(Comment.round_id == round_.id))
        if c.status == "active"
    ]
    login(client, "secretariat@consult.example", PASSWORD)
    url = f"/rounds/{round_.id}/responses"
    waiting = {c.id for c in comments if c.response is None}
    ids, pages = _listed(client, f"{url}?show=waiting")
    for link in pages:
        ids += [i for i in _listed(client, link)[0] if i not in ids]
    assert set(ids) == waiting
    some = comments[0]
    ids, _pages = _listed(client, f"{url}?show=waiting_first&organisation={some.organisation_id}")
    assert ids and all(c.organisation_id == some.organisation_id for c in comments if c.id in ids)
    if some.clause is not None:
        ids, _pages = _listed(client, f"{url}?clause={some.clause.key}")
        assert some.id in ids
        assert all(c.clause and c.clause.key == some.clause.key for c in comments if c.id in ids)
    answered = next(c for c in comments if c.response is not None)
    ids, _pages = _listed(client, f"{url}?show=answered&status={answered.response.disposition}")
    assert answered.id in ids and not set(ids) & waiting
    # An unknown filter: a message by the field, and the whole list instead.
    page = get_page(client, f"{url}?show=everything&organisation=abc")
    assert page.select_one("#show-error") is not None
    assert "Choose an organisation" in page.select_one("#organisation-error").get_text()
    assert len(page.select("li.response-row")) == 10
    # A page past the last shows the last.
    assert _listed(client, f"{url}?page=99")[0]
