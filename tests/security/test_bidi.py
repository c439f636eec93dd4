"""Typed titles and names keep their bidirectional overrides but are shown isolated.

Attack ("Trojan Source" for people): a drafter, the secretariat or an
organisation types U+202E RIGHT-TO-LEFT OVERRIDE into a document title, a round
title, an organisation's or a person's name. Where the value sits inside one of
the platform's sentences ("Comments: <round>", "saved by <name> at ..."), the
override would reverse the words after it. The value is kept as typed but shown
in <bdi> in the page, and between U+2068 FIRST STRONG ISOLATE and U+2069 POP
DIRECTIONAL ISOLATE in the page's <title>, which cannot hold markup.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from bs4 import BeautifulSoup, NavigableString, Tag
from flask import Flask, render_template_string
from flask.testing import FlaskClient
from markupsafe import Markup

from consult.models import User
from consult.services import accounts, drafts, responses
from consult.services.consolidated import PdfRequest
from consult.web.bidi import FSI, PDI, isolate, isolate_text, plain_text, sentence
from consult.web.pdf.present import describe
from tests import factories
from tests.template_files import ISO_HEADER, docx_bytes, iso_row
from tests.web.support import PASSWORD, get_page, post_form, set_clock, sign_in, soup
from tests.web.test_comment_import import upload

RLO = "\u202e"
TITLE = f"Evil{RLO}eman principles"  # a document's title, typed by a drafter
ROUND = f"Evil{RLO}eman meeting"  # a round's title, typed by the secretariat
ORGANISATION = f"Evil{RLO}eman watch"  # an organisation's name, typed by an administrator
PERSON = f"Evil{RLO}eman clerk"  # a person's name, typed by an administrator

NOW = datetime(2026, 3, 11, 10, 0, tzinfo=UTC)

# Elements that stay in the line of the text around them: a value inside one
# shares its paragraph with whatever else the enclosing block holds.
INLINE = {"a", "abbr", "b", "code", "em", "i", "label", "small", "span", "strong", "time"}
# The classes static/css/consult.css isolates (unicode-bidi: isolate), as <bdi> is.
CSS_ISOLATED = {"comment-body", "comment-title", "explanation", "organisation", "disposition"}


def assert_isolated(page: BeautifulSoup, value: str) -> int:
    """Check every occurrence of `value` in the page's body: inside a <bdi> holding exactly
    the value, or alone in its block (a heading, a list item, a cell that holds nothing
    else), where there is nothing around it to reorder. An <option> holds text only: there
    the value stands between FSI and PDI. Return how many occurrences were in a <bdi>.
    """
    body = page.body
    assert body is not None
    isolated = 0
    for string in body.find_all(string=True):
        assert isinstance(string, NavigableString)
        parent = string.parent
        assert parent is not None
        if parent.name == "option":
            if value in string and string.strip() != value:
                assert f"{FSI}{value}{PDI}" in string, string
            continue
        # The plain-text isolate stays out of the page's text.
        assert FSI not in string and PDI not in string, string
        if value not in string:
            continue
        if parent.name == "bdi":
            assert parent.get_text() == value, parent
            isolated += 1
            continue
        if CSS_ISOLATED & set(parent.get("class") or ()):
            assert parent.get_text() == value, parent
            continue
        block = parent
        while block.name in INLINE and block.parent is not None:
            block = block.parent
        assert block.get_text(strip=True) == value, f"{value!r} not isolated in {block}"
    return isolated


def assert_isolated_in(tag: Tag | None, value: str) -> None:
    """The sentence `tag` holds `value` in a <bdi>, and nowhere else."""
    assert tag is not None
    holders = [b for b in tag.find_all("bdi") if value in b.get_text()]
    assert holders and all(b.get_text() == value for b in holders), tag
    outside = "".join(s for s in tag.find_all(string=True) if s.parent.name != "bdi")
    assert value not in outside, tag


def page_title(page: BeautifulSoup) -> str:
    title = page.find("title")
    assert title is not None
    return title.get_text()


def assert_title_isolates(page: BeautifulSoup, value: str) -> None:
    """The <title> holds `value` between FSI and PDI, and never without them."""
    title = page_title(page)
    assert f"{FSI}{value}{PDI}" in title, title
    assert value not in title.replace(f"{FSI}{value}{PDI}", ""), title
    assert "<bdi>" not in title


@pytest.fixture
def world(app: Flask, client: FlaskClient, users: dict[str, User]) -> dict[str, Any]:
    """A published version and a draft of a document, a round on it, an organisation that
    commented and a secretariat clerk who answered: each named with an override."""
    set_clock(app, client, NOW)
    sample = factories.SAMPLE_DRAFT.encode()
    published = drafts.import_draft(sample, document_slug="sample", title=TITLE, publish=True)
    changed = sample + b"\n### Guideline 2: Review\n\nStates should review the training.\n"
    draft = drafts.import_draft(changed, document_slug="sample", title=TITLE).version
    round_ = factories.round_(
        published.version,
        title=ROUND,
        opens_at=NOW - timedelta(days=3),
        closes_at=NOW + timedelta(days=3),
        time_zone="Europe/Zurich",
    )
    organisation = factories.organisation("ngo", name=ORGANISATION)
    author = factories.user("stakeholder", organisation)
    clerk = accounts.create_user(
        PERSON, "clerk@example.org", "secretariat", PASSWORD, None, actor=None
    )
    comment = factories.comment(round_.id, author, None, body="Say it plainly.")
    responses.respond(comment.id, "accepted", "Done.", clerk)
    return {
        "draft": draft,
        "round": round_,
        "organisation": organisation,
        "clerk": clerk,
        "comment": comment,
    }


def test_the_filters_escape_the_value_and_the_sentence_keeps_the_bdi(app: Flask) -> None:
    """Flask-Babel's `_()` in templates is new-style gettext: with autoescaping on, a plain
    value is escaped and a Markup value (the `isolate` filter's) is kept as markup."""
    value = f"<script>alert(1)</script>{RLO}x"
    with app.test_request_context():
        kept = render_template_string(
            '{{ _("Comments: %(round)s", round=value|isolate) }}', value=value
        )
        escaped = render_template_string('{{ _("Comments: %(round)s", round=value) }}', value=value)
        text = render_template_string("{{ value|isolate_text }}", value=value)
    assert kept == f"Comments: <bdi>&lt;script&gt;alert(1)&lt;/script&gt;{RLO}x</bdi>"
    assert escaped == f"Comments: &lt;script&gt;alert(1)&lt;/script&gt;{RLO}x"
    assert text == f"{FSI}&lt;script&gt;alert(1)&lt;/script&gt;{RLO}x{PDI}"
    assert isolate(value) == Markup(f"<bdi>&lt;script&gt;alert(1)&lt;/script&gt;{RLO}x</bdi>")
    assert isolate_text(value) == f"{FSI}{value}{PDI}"
    assert isolate(None) == "" and isolate_text("") == ""
    made = sentence("“%(title)s” & more", title=isolate(value))
    assert made == Markup(f"“<bdi>&lt;script&gt;alert(1)&lt;/script&gt;{RLO}x</bdi>” &amp; more")
    # For <title> and attributes: the text, <bdi> turned into the plain-text isolate.
    assert plain_text(made) == f"“{FSI}{value}{PDI}” & more"
    assert plain_text("<bdi>typed</bdi>") == "<bdi>typed</bdi>"  # typed, not markup


def test_a_document_title_is_isolated_in_the_preview_heading_and_title(
    client: FlaskClient, users: dict[str, User], world: dict[str, Any]
) -> None:
    sign_in(client, users["drafter"])
    page = get_page(client, f"/documents/sample/v{world['draft'].number}/preview")
    assert_isolated_in(page.find("h1"), TITLE)
    assert page.find("h1").get_text() == f"Preview of version 2 of “{TITLE}”"
    assert assert_isolated(page, TITLE) >= 1
    assert page_title(page) == f"Preview of version 2 of “{FSI}{TITLE}{PDI}” · Consult"


def test_a_round_title_is_isolated_in_the_heading_of_its_comments(
    client: FlaskClient, users: dict[str, User], world: dict[str, Any]
) -> None:
    sign_in(client, users["secretariat"])
    page = get_page(client, f"/rounds/{world['round'].id}/comments")
    assert_isolated_in(page.find("h1"), ROUND)
    assert page.find("h1").get_text() == f"Comments: {ROUND}"
    assert assert_isolated(page, ROUND) >= 1
    assert assert_isolated(page, ORGANISATION) >= 1
    assert_title_isolates(page, ROUND)
    assert page_title(page) == f"Comments · {FSI}{ROUND}{PDI} · Consult"


def test_a_person_name_is_isolated_in_saved_by(
    client: FlaskClient, users: dict[str, User], world: dict[str, Any]
) -> None:
    sign_in(client, users["secretariat"])
    page = get_page(client, f"/comments/{world['comment'].id}/answer")
    answer = page.find(class_="current-answer")
    assert answer is not None
    saved_by = answer.find(class_="muted")
    assert_isolated_in(saved_by, PERSON)
    assert saved_by.get_text(" ", strip=True).startswith(f"saved by {PERSON} at")
    assert assert_isolated(page, PERSON) >= 1
    assert assert_isolated(page, ORGANISATION) >= 1
    assert assert_isolated(page, ROUND) == 0  # only in the breadcrumb, alone


def test_an_organisation_name_is_isolated_on_the_import_result(
    client: FlaskClient, users: dict[str, User], world: dict[str, Any]
) -> None:
    sign_in(client, users["secretariat"])
    # The MB/NC column names the organisation as it is called. (Otherwise a note says
    # which organisation the comment goes to: the import service writes its notes as
    # text, used by the command line too, and they are not isolated.)
    row = iso_row(member=ORGANISATION, clause="General", type_="ge", comment="A good text.")
    rows = [ISO_HEADER, row]
    response = upload(
        client, world["round"], world["organisation"], docx_bytes(rows), emailed_on="2026-03-10"
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    preview = get_page(client, response.headers["Location"])
    assert_isolated_in(preview.find("h1"), ORGANISATION)
    assert assert_isolated(preview, ORGANISATION) >= 2  # the heading and the facts
    assert assert_isolated(preview, ROUND) >= 1  # the facts: "<round> · <document>, version 1"
    assert assert_isolated(preview, TITLE) >= 1
    confirmed = post_form(client, response.headers["Location"] + "/confirm")
    assert confirmed.status_code == 200
    page = soup(confirmed)
    assert_isolated_in(page.find("h1"), ORGANISATION)
    assert page.find("h1").get_text() == f"Comments of {ORGANISATION} imported"
    assert assert_isolated(page, ORGANISATION) >= 1
    assert page_title(page) == (
        f"Comments of {FSI}{ORGANISATION}{PDI} imported · {FSI}{ROUND}{PDI} · Consult"
    )


def test_names_in_the_audit_log_are_isolated(
    client: FlaskClient, users: dict[str, User], world: dict[str, Any]
) -> None:
    sign_in(client, users["admin"])
    page = get_page(client, "/admin/audit")
    events = page.select("tr.event")
    actors = [e.find("td", attrs={"data-label": "Person"}) for e in events]
    assert any(PERSON in a.get_text() for a in actors if a is not None)
    for actor in actors:
        if actor is not None and PERSON in actor.get_text():
            assert_isolated_in(actor, PERSON)
    details = [li for li in page.select("ul.details li") if ORGANISATION in li.get_text()]
    assert details  # organisation.create: name
    for li in details:
        assert_isolated_in(li, ORGANISATION)
    assert assert_isolated(page, PERSON) >= 1
    assert assert_isolated(page, ORGANISATION) >= 1


def test_a_flashed_message_isolates_the_name_it_repeats(
    client: FlaskClient, users: dict[str, User], world: dict[str, Any]
) -> None:
    """The flash goes through the session cookie and comes back as markup, not as text
    in which "<bdi>" would be shown."""
    sign_in(client, users["admin"])
    name = f"Second{RLO}eman"
    response = post_form(client, "/admin/organisations", {"name": name, "kind": "ngo"})
    assert response.status_code == 302
    page = get_page(client, response.headers["Location"])
    message = page.find(class_="message")
    assert_isolated_in(message, name)
    assert message.get_text() == f"The organisation “{name}” is created."
    assert "&lt;bdi" not in str(message)
    assert assert_isolated(page, name) >= 1


def test_a_confirmation_page_isolates_the_round_title(
    client: FlaskClient, users: dict[str, User], world: dict[str, Any]
) -> None:
    sign_in(client, users["secretariat"])
    page = get_page(client, f"/rounds/{world['round'].id}/close")
    assert_isolated_in(page.find("h1"), ROUND)
    assert page.find("h1").get_text() == f"Close “{ROUND}” now?"
    assert page_title(page) == f"Close “{FSI}{ROUND}{PDI}” now? · Consult"


def test_markup_typed_in_a_title_stays_escaped_inside_the_bdi(
    client: FlaskClient, users: dict[str, User], world: dict[str, Any]
) -> None:
    title = f"<script>alert(1)</script>{RLO}x"
    round_ = factories.round_(
        world["round"].version,
        title=title,
        opens_at=NOW - timedelta(days=1),
        closes_at=NOW + timedelta(days=1),
    )
    sign_in(client, users["secretariat"])
    response = client.get(f"/rounds/{round_.id}/comments")
    html = response.get_data(as_text=True)
    assert "<script>alert" not in html
    assert f"<bdi>&lt;script&gt;alert(1)&lt;/script&gt;{RLO}x</bdi>" in html
    page = soup(response)
    assert page.find("script") is None
    assert_isolated_in(page.find("h1"), title)
    assert_title_isolates(page, title)


@pytest.mark.parametrize("role", ["secretariat", "drafter", "stakeholder"])
def test_every_page_showing_the_values_isolates_them_or_shows_them_alone(
    client: FlaskClient, users: dict[str, User], world: dict[str, Any], role: str
) -> None:
    """A sweep of the pages that show the document, the round, the organisation and the
    person: wherever a value shares a line with other words, it is in a <bdi>."""
    round_id, comment_id = world["round"].id, world["comment"].id
    pages = [
        "/",
        "/documents/sample",
        "/documents/sample/v1",
        f"/documents/sample/v1?round={round_id}",
        "/documents/sample/v1/clauses/guideline-1",
        "/documents/sample/compare",
        "/rounds",
        f"/rounds/{round_id}",
        f"/rounds/{round_id}/comments",
        f"/comments/{comment_id}",
        "/documents/sample/matrix",
        "/documents/sample/matrix/summary",
        "/documents/sample/v1/pdf",
    ]
    if role == "secretariat":
        pages += [f"/rounds/{round_id}/responses", f"/comments/{comment_id}/answer"]
    if role == "drafter":
        pages += ["/documents/sample/compare/1/2", "/documents/sample/upload"]
        pages += [f"/documents/sample/v{world['draft'].number}/publish"]
    user = users[role]
    if role == "stakeholder":
        user = factories.user("stakeholder", world["organisation"])
        pages += ["/our-comments", f"/rounds/{round_id}/comment"]
    sign_in(client, user)
    seen: dict[str, list[str]] = {value: [] for value in (TITLE, ROUND, ORGANISATION, PERSON)}
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        page = soup(response)
        for value in seen:
            assert_isolated(page, value)
            if value in page.body.get_text():
                seen[value].append(url)
        title = page_title(page)
        for value in (TITLE, ROUND, ORGANISATION, PERSON):
            if value in title:
                assert_title_isolates(page, value)
    # The sweep saw the values where a reader meets them, not only pages without them.
    for value, url in (
        (TITLE, "/documents/sample/v1"),
        (ROUND, f"/rounds/{round_id}"),
        (ORGANISATION, f"/comments/{comment_id}"),
        (ORGANISATION, f"/rounds/{round_id}/comments"),
    ):
        assert url in seen[value], (value, url, seen[value])
    if role == "secretariat":  # the person who answered, on the answer page
        assert seen[PERSON] == [f"/comments/{comment_id}/answer"]


def test_a_pdf_job_names_its_round_isolated(app: Flask) -> None:
    """What a PDF holds, shown on the job's page and in the list of PDFs, names the round."""
    asked = PdfRequest("sample", 1, variant="comments", round_id=1, matrix_annex=True)
    with app.test_request_context():
        said = describe(asked, ROUND)
        plain = describe(PdfRequest("sample", 2, variant="changes", against=1))
    assert said == Markup(
        f"Version 1 with the comments of “<bdi>{ROUND}</bdi>”, and the comment matrix as an annex"
    )
    assert plain_text(said) == (
        f"Version 1 with the comments of “{FSI}{ROUND}{PDI}”, and the comment matrix as an annex"
    )
    assert plain == "Version 2 with its changes against version 1"
