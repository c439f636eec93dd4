"""The matrix summary page: its tables and charts per role, and what each reader may not learn."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime

import pytest
from bs4 import BeautifulSoup, Tag
from flask import Flask
from flask.testing import FlaskClient

from consult.models import User
from consult.services import rounds
from tests import factories
from tests.services.test_matrix_summary import AFTER, CLOSES, DURING, T0, Dataset, build, publish
from tests.web.support import get_page, set_clock, sign_in

SVG = "{http://www.w3.org/2000/svg}"
URL = "/documents/sample/matrix/summary"


def open_as(
    app: Flask, client: FlaskClient, user: User, at: datetime, url: str = URL
) -> tuple[BeautifulSoup, str]:
    """Sign `user` in at the moment `at`; return the page at `url`, parsed and as text."""
    set_clock(app, client, at)
    sign_in(client, user)
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    text = response.get_data(as_text=True)
    return BeautifulSoup(text, "html.parser"), text


def table(page: BeautifulSoup, css: str) -> list[list[str]]:
    """The body rows of the table `css`: header cell, then data cells, as text."""
    found = page.select_one(f"table.{css}")
    assert isinstance(found, Tag), css
    body = found.find("tbody")
    assert isinstance(body, Tag)
    return [
        [" ".join(cell.get_text(" ", strip=True).split()) for cell in row.find_all(["th", "td"])]
        for row in body.find_all("tr")
    ]


def column_heads(page: BeautifulSoup, css: str) -> list[str]:
    found = page.select_one(f"table.{css} thead")
    assert isinstance(found, Tag)
    return [th.get_text(strip=True) for th in found.find_all("th")]


def counts(page: BeautifulSoup, css: str) -> dict[str, int]:
    """A two-column table of counts as {label: count}."""
    return {row[0]: int(row[1]) for row in table(page, css)}


def charts(text: str) -> dict[str, ET.Element]:
    """Every SVG chart of the page, parsed from the markup as sent, by id."""
    found = [ET.fromstring(m) for m in re.findall(r"<svg\b.*?</svg>", text, re.S)]
    return {svg.get("id", ""): svg for svg in found}


def bars(svg: ET.Element) -> list[tuple[str, str]]:
    texts = list(svg.iter(f"{SVG}text"))
    labels = [t.text or "" for t in texts if t.get("class") == "bar-label"]
    values = [t.text or "" for t in texts if t.get("class") == "bar-value"]
    return list(zip(labels, values, strict=True))


@pytest.fixture
def data(app: Flask, users: dict[str, User]) -> Dataset:
    return build(app, users)


def test_the_secretariat_sees_every_count_in_tables_and_charts(
    app: Flask, client: FlaskClient, users: dict[str, User], data: Dataset
) -> None:
    page, _text = open_as(app, client, users["secretariat"], DURING)
    totals = page.select_one(".totals")
    assert totals is not None
    assert totals.select_one(".total").get_text(strip=True) == "5 comments counted."  # type: ignore[union-attr]
    assert "1 withdrawn comment is left out of every count." in totals.get_text(" ", strip=True)
    assert counts(page, "by-answer") == {"Answered": 3, "Unanswered": 2}
    assert counts(page, "by-type") == {"General": 2, "Substantive": 2, "Editorial": 1}
    assert column_heads(page, "by-kind") == [
        "Kind of organisation",
        "Accepted",
        "Accepted in part",
        "Not accepted",
        "Noted",
        "Addressed elsewhere",
        "Unanswered",
        "Total",
    ]
    assert table(page, "by-kind") == [
        ["Member State", "0", "0", "1", "0", "0", "1", "2"],
        ["UN entity", "0", "0", "0", "1", "0", "0", "1"],
        ["NGO", "1", "0", "0", "0", "0", "1", "2"],
    ]
    assert table(page, "by-clause") == [
        ["Whole document", "1"],
        ["Principle 1", "3"],
        ["Guideline 1, paragraph 2", "1"],
    ]
    link = page.select_one("table.by-clause a")
    assert link is not None and link["href"] == "/documents/sample/v1/clauses/principle-dignity"
    assert page.select_one(".limited") is None


def test_each_chart_draws_the_numbers_of_the_table_after_it(
    app: Flask, client: FlaskClient, users: dict[str, User], data: Dataset
) -> None:
    page, text = open_as(app, client, users["secretariat"], DURING)
    drawn = charts(text)
    assert set(drawn) == {
        "chart-answers",
        "chart-dispositions",
        "chart-kinds",
        "chart-types",
        "chart-clauses",
    }
    for ident, svg in drawn.items():
        assert svg.get("role") == "img"
        assert svg.get("width") == "100%" and svg.get("viewBox")
        title = svg.find(f"{SVG}title")
        assert title is not None and title.get("id") == svg.get("aria-labelledby")
        assert title.text
        assert svg.find(f"{SVG}desc") is not None
        figure = page.find(id=ident)
        assert isinstance(figure, Tag)
        following = figure.find_next("table")
        assert isinstance(following, Tag)
        rows = table(page, ".".join(following["class"][1:]))  # the table's own class
        # The label and the last number of each line (a count, or the kind's total).
        assert bars(svg) == [(row[0], row[-1]) for row in rows], ident


def test_a_stakeholder_sees_no_answer_before_publication_then_every_one(
    app: Flask, client: FlaskClient, users: dict[str, User], data: Dataset
) -> None:
    page, text = open_as(app, client, data.ngo, DURING)
    assert counts(page, "by-answer") == {
        "Answered": 0,
        "Unanswered": 0,
        "Answer not yet published": 5,
    }
    dispositions = counts(page, "by-disposition")
    assert dispositions.pop("Answer not yet published") == 5
    assert set(dispositions.values()) == {0}
    assert page.select_one(".answers-hidden") is not None
    assert page.select_one(".limited") is not None
    assert "Accepted" not in {label for label, value in bars(charts(text)["chart-answers"])}
    assert [row[-1] for row in table(page, "by-kind")] == ["2", "1", "2"]
    publish(app, data, users)
    page, _text = open_as(app, client, data.ngo, AFTER)
    assert counts(page, "by-answer") == {"Answered": 3, "Unanswered": 2}
    assert counts(page, "by-disposition")["Accepted"] == 1
    assert page.select_one(".answers-hidden") is None


def test_own_until_close_shows_a_stakeholder_only_their_own_counts(
    app: Flask, client: FlaskClient, users: dict[str, User]
) -> None:
    data = build(app, users, visibility="own_until_close")
    page, _text = open_as(app, client, data.state, DURING)
    assert counts(page, "by-type") == {"General": 0, "Substantive": 1, "Editorial": 1}
    assert table(page, "by-kind") == [["Member State", "0", "0", "0", "0", "0", "0", "2", "2"]]
    assert page.select_one(".only-own") is not None
    page, _text = open_as(app, client, data.state, AFTER)
    assert sum(counts(page, "by-type").values()) == 5
    assert page.select_one(".only-own") is None


def test_an_anonymous_round_hides_other_organisations_kinds(
    app: Flask, client: FlaskClient, users: dict[str, User]
) -> None:
    data = build(app, users, attribution="anonymous")
    page, text = open_as(app, client, data.ngo, DURING)
    assert [row[0] for row in table(page, "by-kind")] == ["NGO", "Other participants"]
    assert "Member State" not in " ".join(label for label, _v in bars(charts(text)["chart-kinds"]))
    assert page.select_one(".organisations-hidden") is not None
    page, _text = open_as(app, client, data.ngo, DURING, URL + "?kind=member_state")
    assert page.select_one(".empty-state") is not None


def test_filters_narrow_the_counts_and_the_form_keeps_the_others(
    app: Flask, client: FlaskClient, users: dict[str, User], data: Dataset
) -> None:
    url = URL + f"?round={data.round.id}&type=general&q=fine&sort=member&page=3"
    page, _text = open_as(app, client, users["secretariat"], DURING, url)
    assert counts(page, "by-type") == {"General": 1, "Substantive": 0, "Editorial": 0}
    in_force = page.select_one("dl.filters-in-force")
    assert in_force is not None
    assert [dd.get_text(strip=True) for dd in in_force.find_all("dd")] == ["General", "fine"]
    form = page.select_one("details.summary-filters form")
    assert isinstance(form, Tag) and form["method"] == "get"
    hidden = {(i["name"], i["value"]) for i in form.select("input[type=hidden]")}
    assert hidden == {("q", "fine")}  # sorting and paging mean nothing here
    ticked = form.select_one(f"input[name=round][value='{data.round.id}']")
    assert ticked is not None and ticked.has_attr("checked")
    chosen = form.select_one("select[name=type] option[selected]")
    assert chosen is not None and chosen["value"] == "general"
    for control in form.select("input[type=checkbox], select"):
        assert form.select_one(f"label[for='{control['id']}']") is not None


def test_a_round_of_another_document_is_left_out_and_named(
    app: Flask, client: FlaskClient, users: dict[str, User], data: Dataset
) -> None:
    other = factories.version(factories.SAMPLE_DRAFT.replace("sample", "other"), slug="other")
    elsewhere = rounds.create_round(
        other, rounds.RoundSettings(title="Elsewhere", opens_at=T0, closes_at=CLOSES), None
    )
    factories.comment(elsewhere.id, data.ngo, None, "Elsewhere.")
    url = f"{URL}?round={elsewhere.id}"
    page, _text = open_as(app, client, users["secretariat"], DURING, url)
    notice = page.select_one(".ignored-rounds")
    assert notice is not None and f"Round {elsewhere.id} is not a round" in notice.get_text()
    # As in the matrix, which shows no row for it: nothing is counted, and the page says why.
    assert page.select(".rounds-counted li") == []
    no_rounds = page.select_one(".no-rounds")
    assert no_rounds is not None and "No round is counted" in no_rounds.get_text()
    assert page.select_one(".empty-state") is not None
    offered = page.select("details.summary-filters input[name=round]")
    assert [i["value"] for i in offered] == [str(data.round.id)]
    page, _text = open_as(app, client, users["secretariat"], DURING, f"{url}&round={data.round.id}")
    assert page.select_one(".ignored-rounds") is not None
    assert [
        li.get_text(" ", strip=True).split(" (")[0] for li in page.select(".rounds-counted li")
    ] == ["Expert meeting"]
    assert sum(counts(page, "by-type").values()) == 5


def test_the_filters_the_matrix_applies_apply_here_and_are_said_in_words(
    app: Flask, client: FlaskClient, users: dict[str, User]
) -> None:
    data = build(app, users, attribution="anonymous")
    germany = data.state.organisation_id
    staff = app.test_client()
    # Another organisation of an anonymous round: counted as the matrix shows it, not named.
    url = f"{URL}?organisation={germany}"
    page, text = open_as(app, client, data.ngo, DURING, url)
    assert page.select_one(".empty-state") is not None
    in_force = page.select_one("dl.filters-in-force")
    assert in_force is not None
    assert in_force.get_text(" ", strip=True) == (
        "Organisation An organisation with no comment shown to you: no comment matches"
    )
    assert "Germany" not in text
    page, _text = open_as(app, staff, users["secretariat"], DURING, url)
    assert "Germany" in page.select_one("dl.filters-in-force").get_text()  # type: ignore[union-attr]
    assert sum(counts(page, "by-type").values()) == 2
    # A clause by its citation; a clause that does not exist is said to be missing.
    page, _text = open_as(app, staff, users["secretariat"], DURING, URL + "?clause=Principle+1")
    assert sum(counts(page, "by-type").values()) == 3
    assert page.select_one(".clause-not-found") is None
    page, _text = open_as(app, staff, users["secretariat"], DURING, URL + "?clause=9.9")
    missing = page.select_one(".clause-not-found")
    assert missing is not None and "9.9" in missing.get_text()
    # Before publication, a stakeholder's unanswered comments are all of those shown.
    page, _text = open_as(app, client, data.ngo, DURING, URL + "?answered=no")
    assert counts(page, "by-answer") == {
        "Answered": 0,
        "Unanswered": 0,
        "Answer not yet published": 5,
    }
    page, _text = open_as(app, client, data.ngo, DURING, URL + "?next=changed")
    assert page.select_one(".unapplied") is None
    assert page.select_one(".empty-state") is not None


def test_who_may_open_the_summary(
    app: Flask, client: FlaskClient, users: dict[str, User], data: Dataset
) -> None:
    set_clock(app, client, DURING)
    anonymous = client.get(URL)
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    for role, status in (
        ("admin", 403),
        ("stakeholder", 200),
        ("drafter", 200),
        ("secretariat", 200),
    ):
        each = app.test_client()
        sign_in(each, users[role])
        assert each.get(URL).status_code == status, role


def test_an_unknown_or_unreadable_document_is_not_found(
    app: Flask, client: FlaskClient, users: dict[str, User]
) -> None:
    set_clock(app, client, DURING)
    factories.version(publish=False)
    sign_in(client, users["stakeholder"])
    get_page(client, "/documents/nothing/matrix/summary", 404)
    get_page(client, URL, 404)
    staff = app.test_client()
    sign_in(staff, users["secretariat"])
    page = get_page(staff, URL)
    assert page.select_one(".no-rounds") is not None
    assert page.select_one(".empty-state") is not None
    assert not page.select("svg")
