"""The matrix page: rows in the template's columns, filters in the URL, and who sees what."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from consult.extensions import db
from consult.models import User
from consult.services import responses
from tests import factories
from tests.web.support import get_page, post_form, set_clock, sign_in

T0 = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
CLOSES = T0 + timedelta(days=2)
URL = "/documents/sample/matrix"

SECOND_DRAFT = factories.SAMPLE_DRAFT.replace(
    "Everyone at a border shall be treated with dignity.",
    "Everyone at a border shall be treated with dignity and respect.",
).replace("label: First draft", "label: Second draft")


@pytest.fixture
def world(app: Flask, client: FlaskClient, users: dict[str, User]) -> dict[str, Any]:
    """A closed round on the sample draft: comments by a State, an NGO and a UN entity."""
    version = factories.version(publish=True)
    set_clock(app, client, T0 + timedelta(hours=1))
    round_ = factories.round_(version, opens_at=T0, closes_at=CLOSES, title="Expert meeting")
    clauses = {c.key: c for c in version.clauses}
    germany = factories.user("stakeholder", factories.organisation("member_state", "Germany", "DE"))
    unhcr = factories.user("stakeholder", factories.organisation("un_entity", "UNHCR"))
    ngo = users["stakeholder"]
    dignity = clauses["principle-dignity-p1"]
    training = clauses["guideline-1"]
    sub = next(c for c in version.clauses if c.parent_key == "guideline-1")
    made = {
        "whole": factories.comment(
            round_.id, ngo, None, body="On the text as a whole.", type="general"
        ),
        "dignity": factories.comment(
            round_.id,
            germany,
            dignity,
            body='=HYPERLINK("x") add respect',
            proposed_text="Everyone at a border shall be treated with dignity and respect.",
        ),
        "training": factories.comment(
            round_.id, unhcr, training, body="Training needs a budget.", type="editorial"
        ),
        "sub": factories.comment(round_.id, germany, sub, body="Sub-clause remark."),
    }
    responses.respond(
        made["dignity"].id, "accepted", "Added in the revised text.", users["secretariat"]
    )
    set_clock(app, client, CLOSES + timedelta(hours=1))
    return {"round": round_, "version": version, "made": made, "germany": germany, "unhcr": unhcr}


def rows(page: BeautifulSoup) -> list[dict[str, str]]:
    found = []
    for tr in page.select("table.matrix tbody tr[id^=comment-]"):
        cells = {
            td["data-label"]: td.get_text(" ", strip=True) for td in tr.select("td[data-label]")
        }
        found.append(cells)
    return found


def tracking(page: BeautifulSoup) -> list[str]:
    return [r["Tracking no."].split()[0] for r in rows(page)]


def test_the_secretariat_sees_every_row_in_document_order(
    client: FlaskClient, users: dict[str, User], world: dict[str, Any]
) -> None:
    sign_in(client, users["secretariat"])
    page = get_page(client, URL)
    found = rows(page)
    made = world["made"]
    assert tracking(page) == [
        made["whole"].tracking_number,
        made["dignity"].tracking_number,
        made["training"].tracking_number,
        made["sub"].tracking_number,
    ]
    headers = [
        th.get_text("", strip=True) for th in page.select("table.matrix thead th:not(.select)")
    ]
    assert headers[:4] == ["No.", "Tracking no.", "MB/NC", "Clause/Subclause"]
    assert headers[-3:] == ["Disposition", "Observations of the secretariat", "In the next version"]
    assert [r["No."] for r in found] == ["1", "2", "3", "4"]
    assert found[0]["Clause/Subclause"] == "Whole document"
    assert found[1]["MB/NC"] == "DE"
    unhcr_code = world["unhcr"].organisation.code
    assert found[2]["MB/NC"] == f"{unhcr_code} (UN entity)"
    assert [r["Type of comment"] for r in found] == ["ge", "te", "ed", "te"]
    # The proposal is shown as a word diff against the clause.
    proposal = page.select_one(
        f"tr#comment-{made['dignity'].id} td[data-label='Proposed change'] ins"
    )
    assert proposal is not None and "respect" in proposal.get_text()
    # Staff answer in the table: the saved answer fills the row's form.
    row = page.select_one(f"tr#comment-{made['dignity'].id}")
    assert isinstance(row, Tag)
    selected = row.select_one("select[name=disposition] option[selected]")
    assert selected is not None and selected["value"] == "accepted"
    assert row.select_one("textarea[name=explanation]").get_text() == "Added in the revised text."
    assert page.select_one("form#bulk") is not None
    # A comment that begins like a formula is shown as text.
    assert found[1]["Comments"].startswith('=HYPERLINK("x")')


def test_each_row_has_its_own_form_and_ids_are_unique(
    client: FlaskClient, users: dict[str, User], world: dict[str, Any]
) -> None:
    sign_in(client, users["secretariat"])
    page = get_page(client, URL)
    ids = [tag["id"] for tag in page.select("[id]")]
    assert len(ids) == len(set(ids))
    for comment in world["made"].values():
        form = page.select_one(f"form#row-{comment.id}")
        assert form is not None
        assert form["action"] == f"/comments/{comment.id}/answer"
        assert page.select(f"[form=row-{comment.id}]")


def test_filters_live_in_the_url(
    client: FlaskClient, users: dict[str, User], world: dict[str, Any]
) -> None:
    sign_in(client, users["secretariat"])
    made = world["made"]
    by_type = get_page(client, URL + "?type=editorial")
    assert tracking(by_type) == [made["training"].tracking_number]
    by_kind = get_page(client, URL + "?kind=member_state")
    assert tracking(by_kind) == [made["dignity"].tracking_number, made["sub"].tracking_number]
    answered = get_page(client, URL + "?answered=yes")
    assert tracking(answered) == [made["dignity"].tracking_number]
    unanswered = get_page(client, URL + "?disposition=none")
    assert made["dignity"].tracking_number not in tracking(unanswered)
    assert len(tracking(unanswered)) == 3
    proposed = get_page(client, URL + "?proposed=yes")
    assert tracking(proposed) == [made["dignity"].tracking_number]
    words = get_page(client, URL + "?q=budget")
    assert tracking(words) == [made["training"].tracking_number]
    # A clause and its sub-clauses, by the number people write.
    clause = get_page(client, URL + "?clause=Guideline+1")
    assert tracking(clause) == [made["training"].tracking_number, made["sub"].tracking_number]
    # The form shows the filters in force, so that the page can be bookmarked.
    assert clause.select_one("#f-clause")["value"] == "Guideline 1"
    missing = get_page(client, URL + "?clause=99.9")
    assert tracking(missing) == []
    assert "No clause numbered" in missing.select_one("[role=alert]").get_text()
    # Nonsense is ignored, never an error.
    assert len(tracking(get_page(client, URL + "?type=bogus&page=x&per_page=7"))) == 4


def test_search_treats_wildcards_as_text(
    client: FlaskClient, users: dict[str, User], world: dict[str, Any]
) -> None:
    sign_in(client, users["secretariat"])
    assert tracking(get_page(client, URL + "?q=%25")) == []
    assert tracking(get_page(client, URL + "?q=_")) == []


def test_sorting_and_paging(
    client: FlaskClient, users: dict[str, User], world: dict[str, Any]
) -> None:
    sign_in(client, users["secretariat"])
    made = world["made"]
    flat = get_page(client, URL + "?view=flat&sort=member")
    members = [r["MB/NC"] for r in rows(flat)]
    assert members == sorted(members)
    header = flat.select_one("th.col-member")
    assert header["aria-sort"] == "ascending"
    backwards = get_page(client, URL + "?view=flat&sort=member&order=desc")
    assert [r["MB/NC"] for r in rows(backwards)] == sorted(members, reverse=True)
    first = get_page(client, URL + "?per_page=25")
    assert len(rows(first)) == 4
    assert first.select_one("nav.pagination") is None
    by_number = get_page(client, URL + "?sort=tracking&view=flat")
    assert tracking(by_number) == sorted(c.tracking_number for c in made.values())


def test_grouped_by_clause_shows_the_clause_text_once(
    client: FlaskClient, users: dict[str, User], world: dict[str, Any]
) -> None:
    sign_in(client, users["secretariat"])
    page = get_page(client, URL)
    groups = [th.get_text(" ", strip=True) for th in page.select("tr.clause-row th")]
    assert groups[0].startswith("Whole document")
    assert any(g.startswith("Principle 1") and "treated with dignity" in g for g in groups)
    flat = get_page(client, URL + "?view=flat")
    assert flat.select("tr.clause-row") == []


def test_paging_a_larger_round(
    app: Flask, client: FlaskClient, users: dict[str, User], world: dict[str, Any]
) -> None:
    set_clock(app, client, T0 + timedelta(hours=2))
    for n in range(30):
        factories.comment(world["round"].id, world["unhcr"], None, body=f"Note {n}")
    sign_in(client, users["secretariat"])
    page = get_page(client, URL + "?per_page=25&view=flat")
    assert len(rows(page)) == 25
    nav = page.select_one("nav.pagination")
    assert nav is not None and nav.select_one("a[rel=next]") is not None
    second = get_page(client, nav.select_one("a[rel=next]")["href"])
    assert len(rows(second)) == 9
    assert rows(second)[0]["No."] == "26"
    assert "26–34 of 34" in second.select_one(".matrix-count").get_text()
    # Past the last page: the last page.
    assert rows(get_page(client, URL + "?per_page=25&page=9"))[0]["No."] == "26"


@contextmanager
def counted_queries() -> Iterator[list[str]]:
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_the_number_of_queries_does_not_grow_with_the_comments(
    app: Flask, client: FlaskClient, users: dict[str, User], world: dict[str, Any]
) -> None:
    sign_in(client, users["secretariat"])
    get_page(client, URL)  # memos warm
    with counted_queries() as few:
        get_page(client, URL)
    set_clock(app, client, T0 + timedelta(hours=2))
    for n in range(60):
        factories.comment(world["round"].id, world["unhcr"], None, body=f"More {n}")
    set_clock(app, client, CLOSES + timedelta(hours=1))
    with counted_queries() as many:
        page = get_page(client, URL + "?per_page=100")
    assert len(rows(page)) == 64
    assert len(many) == len(few)


def test_a_stakeholder_sees_answers_only_once_published(
    client: FlaskClient, users: dict[str, User], world: dict[str, Any]
) -> None:
    sign_in(client, world["unhcr"])
    made = world["made"]
    page = get_page(client, URL)
    assert page.select_one("form#bulk") is None
    assert page.select("textarea") == []
    found = {r["Tracking no."].split()[0]: r for r in rows(page)}
    assert found[made["dignity"].tracking_number]["Disposition"] == ""
    assert "revised" not in page.get_text()
    # Filtering or sorting on answers reveals nothing before publication.
    assert tracking(get_page(client, URL + "?disposition=accepted")) == []
    assert tracking(get_page(client, URL + "?answered=yes")) == []
    assert len(tracking(get_page(client, URL + "?answered=no"))) == 4
    responses.publish_responses(world["round"].id, factories.user("secretariat"))
    published = {r["Tracking no."].split()[0]: r for r in rows(get_page(client, URL))}
    assert published[made["dignity"].tracking_number]["Disposition"] == "Accepted"
    assert tracking(get_page(client, URL + "?disposition=accepted")) == [
        made["dignity"].tracking_number
    ]


def test_a_stakeholder_sees_only_what_the_rounds_rule_allows(
    app: Flask, client: FlaskClient, users: dict[str, User]
) -> None:
    version = factories.version(publish=True)
    set_clock(app, client, T0 + timedelta(hours=1))
    hidden = factories.round_(
        version, opens_at=T0, closes_at=CLOSES, title="Closed doors", visibility="secretariat"
    )
    own_first = factories.round_(
        version,
        opens_at=T0,
        closes_at=CLOSES + timedelta(days=30),
        title="Own until close",
        visibility="own_until_close",
    )
    other = factories.user("stakeholder")
    mine = users["stakeholder"]
    theirs = [
        factories.comment(hidden.id, other, None, body="Secret one."),
        factories.comment(own_first.id, other, None, body="Not yet shown."),
    ]
    own = factories.comment(hidden.id, mine, None, body="My own.")
    set_clock(app, client, CLOSES + timedelta(hours=1))
    sign_in(client, mine)
    page = get_page(client, URL)
    assert tracking(page) == [own.tracking_number]
    assert all(c.body not in page.get_text() for c in theirs)
    # Nor through the organisation filter's choices.
    names = [o.get_text() for o in page.select("#f-organisation option")]
    assert other.organisation.name not in names


def test_anonymous_rounds_number_participants_for_stakeholders(
    app: Flask, client: FlaskClient, users: dict[str, User]
) -> None:
    version = factories.version(publish=True)
    set_clock(app, client, T0 + timedelta(hours=1))
    round_ = factories.round_(
        version, opens_at=T0, closes_at=CLOSES, title="Anonymous", attribution="anonymous"
    )
    first = factories.user("stakeholder", factories.organisation(name="First Org"))
    second = factories.user("stakeholder", factories.organisation(name="Second Org"))
    factories.comment(round_.id, first, None, body="One.")
    factories.comment(round_.id, second, None, body="Two.")
    factories.comment(round_.id, first, None, body="Three.")
    factories.comment(round_.id, users["stakeholder"], None, body="Mine.")
    set_clock(app, client, CLOSES + timedelta(hours=1))
    sign_in(client, users["stakeholder"])
    page = get_page(client, URL + "?view=flat&sort=received")
    members = [r["MB/NC"] for r in rows(page)]
    assert members[:3] == ["Participant 1", "Participant 2", "Participant 1"]
    assert members[3] != "Participant 3"  # their own organisation is named
    text = page.get_text()
    assert "First Org" not in text and "Second Org" not in text
    # Nor through tracking numbers, which carry the organisation's code.
    for hidden in (first, second):
        assert f"{hidden.organisation.code}-00" not in str(page)
    own_code = users["stakeholder"].organisation.code
    assert f"{own_code}-001" in text
    # Filtering by a hidden organisation finds nothing.
    org_id = first.organisation_id
    assert tracking(get_page(client, URL + f"?organisation={org_id}")) == []
    staff_client = app.test_client()
    sign_in(staff_client, users["secretariat"])
    staff = [r["MB/NC"] for r in rows(get_page(staff_client, URL + "?view=flat&sort=received"))]
    assert staff[:2] == [
        f"{first.organisation.code} (NGO)",
        f"{second.organisation.code} (NGO)",
    ]


def test_the_last_column_says_what_became_of_the_clause(
    client: FlaskClient, users: dict[str, User], world: dict[str, Any]
) -> None:
    sign_in(client, users["secretariat"])
    before = {r["Tracking no."].split()[0]: r for r in rows(get_page(client, URL))}
    made = world["made"]
    assert before[made["dignity"].tracking_number]["In the next version"] == "No next version yet"
    factories.version(SECOND_DRAFT, publish=True)
    page = get_page(client, URL)
    after = {r["Tracking no."].split()[0]: r for r in rows(page)}
    assert after[made["dignity"].tracking_number]["In the next version"].startswith("Changed")
    assert after[made["training"].tracking_number]["In the next version"] == "Unchanged"
    assert after[made["whole"].tracking_number]["In the next version"] == ""
    inserted = page.select_one(f"tr#comment-{made['dignity'].id} .next-diff ins")
    assert inserted is not None and "respect" in inserted.get_text()
    changed = get_page(client, URL + "?next=changed")
    assert tracking(changed) == [made["dignity"].tracking_number]
    assert len(tracking(get_page(client, URL + "?next=unchanged"))) == 2


def test_an_unknown_document_is_not_found(
    client: FlaskClient, users: dict[str, User], world: dict[str, Any]
) -> None:
    sign_in(client, users["secretariat"])
    get_page(client, "/documents/nothing-here/matrix", status=404)


@pytest.mark.parametrize("role", ["admin"])
def test_admins_read_no_comments(
    client: FlaskClient, users: dict[str, User], world: dict[str, Any], role: str
) -> None:
    sign_in(client, users[role])
    get_page(client, URL, status=403)


@pytest.mark.parametrize(
    ("interface", "expected"),
    [
        # French and Spanish agree "any" with the filter's noun.
        ("fr", {"organisation": "Toutes", "kind": "Tous", "disposition": "Toutes"}),
        ("es", {"organisation": "Todas", "kind": "Todos", "disposition": "Todas"}),
        ("en", {"organisation": "Any", "kind": "Any", "disposition": "Any"}),
    ],
)
def test_each_filters_any_agrees_with_its_noun(
    client: FlaskClient,
    users: dict[str, User],
    world: dict[str, Any],
    interface: str,
    expected: dict[str, str],
) -> None:
    sign_in(client, users["secretariat"])
    post_form(client, "/language", {"language": interface, "next": "/"})
    page = get_page(client, URL)
    found = {
        name: page.select_one(f"select[name={name}] option[value='']").get_text(strip=True)
        for name in expected
    }
    assert found == expected
