"""The comparison pages: versions compared, renumbering (page and CSV), clause history,
and what became of an organisation's comments."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from consult.domain import alignment
from consult.extensions import db
from consult.models import Clause, Comparison, ComparisonFragment, User, Version
from consult.models.base import utcnow
from consult.services import comments, comparison_view, comparisons, demo, drafts, responses
from tests import factories
from tests.web.support import get_page, login

DRAFTS = Path(__file__).resolve().parents[2] / "drafts"
ROLES = ("stakeholder", "drafter", "secretariat", "admin")
BORDERS = "/documents/human-rights-borders"


@pytest.fixture
def borders(app: Flask) -> list[Version]:
    """The sample drafts, published; returns the borders versions 1 to 3."""
    demo.load_drafts(DRAFTS, demo.DemoReport())
    return [drafts.get_version("human-rights-borders", n) for n in (1, 2, 3)]


def signed_in(client: FlaskClient, user: User) -> FlaskClient:
    login(client, user.email)
    return client


def stored() -> int:
    db.session.rollback()  # see what the requests committed
    return db.session.scalar(select(func.count()).select_from(Comparison)) or 0


def fragments() -> int:
    """How many renderings of comparisons' clauses are stored."""
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(ComparisonFragment)) or 0


def clause_of(version: Version, key: str) -> Clause:
    return next(c for c in version.clauses if c.key == key)


def rows(page: BeautifulSoup) -> list[tuple[str, str]]:
    """(status, title text) of each clause listed on the inline comparison."""
    return [
        (
            li.select_one(".change-status").get_text(strip=True),
            " ".join(li.select_one(".row-title").get_text(" ", strip=True).split()),
        )
        for li in page.select("ol.comparison > li:not(.fold)")
    ]


# Who may open each page

ROUTES = [
    (f"{BORDERS}/compare", {"stakeholder", "drafter", "secretariat", "admin"}),
    (f"{BORDERS}/compare/1/2", {"stakeholder", "drafter", "secretariat", "admin"}),
    (f"{BORDERS}/compare/1/2/renumbering", {"stakeholder", "drafter", "secretariat", "admin"}),
    (f"{BORDERS}/compare/1/2/renumbering.csv", {"stakeholder", "drafter", "secretariat", "admin"}),
    (f"{BORDERS}/history/introduction-p3", {"stakeholder", "drafter", "secretariat", "admin"}),
    ("/rounds/{round_id}/outcome", {"stakeholder"}),
]


@pytest.mark.parametrize(("url", "allowed"), ROUTES)
def test_every_route_for_every_role(
    app: Flask, users: dict[str, User], borders: list[Version], url: str, allowed: set[str]
) -> None:
    round_ = factories.round_(borders[0])
    url = url.format(round_id=round_.id)
    anonymous = app.test_client().get(url)
    assert anonymous.status_code == 302 and "/login?next=" in anonymous.headers["Location"]
    for role in ROLES:
        response = signed_in(app.test_client(), users[role]).get(url)
        assert response.status_code == (200 if role in allowed else 403), (role, url)


# The comparison page


def test_default_compares_the_latest_version_with_the_one_before(
    client: FlaskClient, users: dict[str, User], borders: list[Version]
) -> None:
    page = get_page(signed_in(client, users["stakeholder"]), f"{BORDERS}/compare")
    assert "version 2 compared with version 3" in page.h1.get_text()
    assert page.select_one("select#old option[selected]")["value"] == "2"
    assert page.select_one("select#new option[selected]")["value"] == "3"


def test_summary_counts_of_v1_v2_match_changes_md(
    client: FlaskClient, users: dict[str, User], borders: list[Version]
) -> None:
    page = get_page(signed_in(client, users["stakeholder"]), f"{BORDERS}/compare/1/2")
    table = page.select_one("table.summary")
    assert table.caption is not None
    counts = {
        tr.th.get_text(strip=True): int(tr.td.get_text(strip=True)) for tr in table.tbody("tr")
    }
    assert counts == {
        "Unchanged": 70,
        "Changed": 6,
        "Moved": 1,
        "Renumbered": 5,
        "Split": 1,
        "Merged": 1,
        "Added": 4,
        "Removed": 1,
    }
    assert len(page.select("ol.comparison > li:not(.fold)")) == 19  # the changed clauses
    # What happened to no clause is left out of the summary.
    later = get_page(client, "/documents/gmg-issues-brief/compare/1/2")
    shown = [tr.td.get_text(strip=True) for tr in later.select("table.summary tbody tr")]
    assert shown and "0" not in shown
    assert len(shown) < 8
    page = get_page(
        signed_in(client, users["stakeholder"]), f"{BORDERS}/compare/1/2?unchanged=show"
    )
    assert len(page.select("ol.comparison > li")) == 89  # every pair, in the newer order


def test_moved_and_renumbered_show_old_and_new_numbers_and_removed_stands_in_place(
    client: FlaskClient, users: dict[str, User], borders: list[Version]
) -> None:
    listed = rows(
        get_page(signed_in(client, users["stakeholder"]), f"{BORDERS}/compare/1/2?unchanged=show")
    )
    assert (
        "Moved",
        "Moved Guideline 9, paragraph 4 (was Guideline 2, paragraph 5)",
    ) in listed
    assert (
        "Renumbered",
        "Renumbered Guideline 4, paragraph 4 (was Guideline 4, paragraph 5)",
    ) in listed
    at = listed.index(("Removed", "Removed Guideline 4, paragraph 4"))
    assert listed[at - 1][1] == "Unchanged Guideline 4, paragraph 3"
    assert listed[at + 1][1].startswith("Renumbered Guideline 4, paragraph 4")


def test_changed_text_is_shown_as_an_accessible_word_diff(
    client: FlaskClient, users: dict[str, User], borders: list[Version]
) -> None:
    page = get_page(signed_in(client, users["stakeholder"]), f"{BORDERS}/compare/1/2")
    legend = page.select_one(".diff-legend")
    assert legend.find("ins") and legend.find("del")
    item = next(
        li
        for li in page.select("ol.comparison > li:not(.fold)")
        if "Guideline 3, paragraph 1" in li.h3.text
    )
    inserted = [ins.get_text() for ins in item.select(".diff-text ins")]
    deleted = [d.get_text() for d in item.select(".diff-text del")]
    assert "inserted: responsive" in inserted and "deleted: sensitive" in deleted
    assert all(ins.select_one(".visually-hidden") for ins in item.select("ins"))


def test_a_renamed_heading_is_shown_as_a_word_diff(
    client: FlaskClient, users: dict[str, User], borders: list[Version]
) -> None:
    page = get_page(signed_in(client, users["stakeholder"]), f"{BORDERS}/compare/2/3")
    headings = [p for p in page.select(".diff-heading") if p.select("del, ins")]
    assert len(headings) == 1
    assert [d.get_text() for d in headings[0].select("del")] == ["deleted: Avoiding"]
    assert [i.get_text() for i in headings[0].select("ins")] == ["inserted: Alternatives to"]
    assert "immigration detention" in headings[0].get_text()


def test_changed_only_hides_unchanged_clauses(
    client: FlaskClient, users: dict[str, User], borders: list[Version]
) -> None:
    for query in ("unchanged=hide", "changed=1"):  # changed=1: the links of before folding
        page = get_page(signed_in(client, users["stakeholder"]), f"{BORDERS}/compare/1/2?{query}")
        statuses = [status for status, _ in rows(page)]
        assert len(statuses) == 89 - 70 and "Unchanged" not in statuses
        assert page.select("main li.fold, main details") == []
        assert page.select_one("input[name=unchanged][value=hide]").has_attr("checked")


def folds(page: BeautifulSoup) -> list[tuple[int, str]]:
    """(first row, summary text) of each folded run of unchanged clauses."""
    return [
        (int(fold["id"].removeprefix("clauses-")), fold.select_one("details > summary").get_text())
        for fold in page.select(".fold")
        if fold.select_one("details")
    ]


def test_unchanged_clauses_are_folded_in_runs_by_default(
    client: FlaskClient, users: dict[str, User], borders: list[Version]
) -> None:
    signed_in(client, users["stakeholder"])
    page = get_page(client, f"{BORDERS}/compare/1/2")
    every = rows(get_page(client, f"{BORDERS}/compare/1/2?unchanged=show"))
    assert [status for status, _ in rows(page)] == [s for s, _ in every if s != "Unchanged"]
    # Each run of unchanged clauses is one <details>, its summary saying how many.
    expected, start = [], 0
    while start < len(every):
        end = start
        while end < len(every) and every[end][0] == "Unchanged":
            end += 1
        if end > start:
            count = end - start
            expected.append((start, f"{count} unchanged clause{'s' if count != 1 else ''}"))
        start = end + 1
    assert folds(page) == expected
    assert sum(int(text.split()[0]) for _, text in expected) == 70
    assert {text.split()[-1] for _, text in expected} == {"clause", "clauses"}
    # The folded clauses' text is not sent, but where it is and how to see it are.
    assert not page.select("li.row-unchanged") and not page.select("details[open]")
    start, summary = next((start, text) for start, text in expected if text.endswith("clauses"))
    count = int(summary.split()[0])
    fold = page.select_one(f"#clauses-{start}")
    assert (
        f"From {every[start][1].removeprefix('Unchanged ')} to " in fold.select_one("p").get_text()
    )
    link = fold.select_one("details a")
    assert link.get_text() == f"Show the text of these {count} clauses"
    single = next(start for start, text in expected if text.endswith("clause"))
    assert page.select_one(f"#clauses-{single} details a").get_text() == (
        "Show the text of this clause"
    )

    # The link shows that run in full, the others stay folded.
    opened = get_page(client, link["href"])
    assert link["href"].endswith(f"open={start}#clauses-{start}")
    assert len(opened.select("li.row-unchanged")) == count
    assert [f for f in folds(opened) if f[0] != start] == [f for f in expected if f[0] != start]
    title = opened.select_one(f"#clauses-{start} .fold-title")
    assert title.get_text(" ", strip=True).startswith(f"{count} unchanged clauses, shown in full.")
    assert title.a["href"].endswith(f"/compare/1/2#clauses-{start}")


def test_the_view_chooser_is_one_small_get_form_with_labelled_radios(
    client: FlaskClient, users: dict[str, User], borders: list[Version]
) -> None:
    page = get_page(
        signed_in(client, users["stakeholder"]), f"{BORDERS}/compare/1/2?view=side&unchanged=show"
    )
    form = page.select_one("form.pick-form")
    assert form["method"] == "get" and form.select_one("input[name=csrf_token]") is None
    assert form.select_one(":scope > fieldset > legend").get_text() == "Compare versions"
    for menu in form.select("select"):
        assert form.select_one(f"label[for={menu['id']}]") is not None
    groups = {
        group.legend.get_text(): [
            (
                radio["value"],
                radio.find_next_sibling("label").get_text(),
                radio.has_attr("checked"),
            )
            for radio in group.select("input[type=radio]")
        ]
        for group in form.select("fieldset.pick-choices")
    }
    assert groups == {
        "Show": [("inline", "Changes inline", False), ("side", "Side by side", True)],
        "Unchanged clauses": [
            ("fold", "Folded", False),
            ("hide", "Left out", False),
            ("show", "Shown", True),
        ],
    }
    for radio in form.select("input[type=radio]"):
        # Each radio has its own label, right beside it in the same line.
        label = radio.find_next_sibling("label")
        assert label["for"] == radio["id"] and radio.parent.name == "span"
        assert radio.parent == label.parent and "pick-choice" in radio.parent["class"]
    assert form.select_one("button[type=submit]").get_text() == "Compare"
    default = get_page(client, f"{BORDERS}/compare/1/2").select_one("form.pick-form")
    checked = [r["value"] for r in default.select("input[type=radio][checked]")]
    assert checked == ["inline", "fold"]


@pytest.mark.parametrize("view", ["inline", "side"])
@pytest.mark.parametrize("unchanged", ["fold", "hide", "show"])
def test_every_view_shows_what_it_says(
    client: FlaskClient, users: dict[str, User], borders: list[Version], view: str, unchanged: str
) -> None:
    page = get_page(
        signed_in(client, users["stakeholder"]),
        f"{BORDERS}/compare/1/2?view={view}&unchanged={unchanged}",
    )
    if view == "side":
        shown = page.select("table.side > tbody > tr:not(.fold)")
        folded = page.select("table.side > tbody > tr.fold details")
        assert page.select("ol.comparison") == []
    else:
        shown = page.select("ol.comparison > li:not(.fold)")
        folded = page.select("ol.comparison > li.fold details")
        assert page.select("table.side") == []
    statuses = [row.select_one(".change-status").get_text() for row in shown]
    assert len(statuses) == {"fold": 19, "hide": 19, "show": 89}[unchanged]
    assert ("Unchanged" in statuses) == (unchanged == "show")
    assert bool(folded) == (unchanged == "fold")
    links = {a.get_text(): a["href"] for a in page.select(".fold-modes a")}
    assert len(links) == 2 and all(
        ("view=side" in href) == (view == "side") for href in links.values()
    )


def test_side_by_side_view(
    client: FlaskClient, users: dict[str, User], borders: list[Version]
) -> None:
    page = get_page(
        signed_in(client, users["stakeholder"]), f"{BORDERS}/compare/1/2?view=side&unchanged=hide"
    )
    table = page.select_one("table.side")
    assert [th.get_text() for th in table.thead("th")] == ["Clause", "Version 1", "Version 2"]
    body = table.tbody("tr")
    assert len(body) == 19
    changed = next(tr for tr in body if "Guideline 3, paragraph 1" in tr.th.text)
    old, new = changed("td")
    assert old.select("del") and not old.select("ins")
    assert new.select("ins") and not new.select("del")
    removed = next(tr for tr in body if "Removed" in tr.th.text)
    assert "not in this version" in removed("td")[1].get_text()


def test_clause_text_is_escaped_inside_diffs(
    client: FlaskClient, users: dict[str, User], app: Flask
) -> None:
    evil = factories.SAMPLE_DRAFT.replace(
        "shall be treated with dignity.", "shall be treated <script>alert(1)</script> well."
    )
    factories.version(evil)
    factories.version(evil.replace("well.", "with dignity <b>now</b>."))
    page = get_page(signed_in(client, users["stakeholder"]), "/documents/sample/compare/1/2")
    assert page.find("script") is None and page.find("b") is None
    item = next(li for li in page.select("ol.comparison > li") if li.select(".diff-text ins"))
    assert "<script>alert(1)</script>" in item.select_one(".diff-text").get_text()
    assert "<b>now</b>" in item.select_one(".diff-text ins").get_text()


def test_the_form_redirects_to_the_chosen_pair_and_refuses_the_same_version_twice(
    client: FlaskClient, users: dict[str, User], borders: list[Version]
) -> None:
    signed_in(client, users["stakeholder"])
    response = client.get(f"{BORDERS}/compare?old=1&new=3&view=side&unchanged=show")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/compare/1/3?view=side&unchanged=show")
    response = client.get(f"{BORDERS}/compare?old=1&new=3&view=inline&unchanged=fold")
    assert response.headers["Location"].endswith("/compare/1/3")
    page = get_page(client, f"{BORDERS}/compare?old=2&new=2", status=400)
    error = page.select_one("#new-error")
    assert "two different versions" in error.get_text()
    assert "new-error" in page.select_one("select#new")["aria-describedby"]
    assert page.select("ol.comparison") == [] and stored() == 0
    page = get_page(client, f"{BORDERS}/compare?old=1&new=9", status=400)
    assert page.select_one("#new-error") is not None


def test_unknown_or_unreadable_versions_are_404(
    client: FlaskClient, users: dict[str, User], borders: list[Version]
) -> None:
    factories.version(
        DRAFTS.joinpath("human-rights-borders/v1.md").read_text() + "\nMore.\n",
        slug="human-rights-borders",
        publish=False,
    )
    stakeholder = signed_in(client, users["stakeholder"])
    for url in (
        f"{BORDERS}/compare/1/9",
        "/documents/nothing/compare",
        f"{BORDERS}/compare/3/4",
        f"{BORDERS}/compare/3/4/renumbering",
        f"{BORDERS}/compare/3/4/renumbering.csv",
    ):
        assert stakeholder.get(url).status_code == 404, url
    drafter = signed_in(factories_client(client), users["drafter"])
    page = get_page(drafter, f"{BORDERS}/compare/3/4")
    assert rows(page)[-1][0] == "Added"
    assert stored() == 0  # a draft's comparison is never stored
    assert fragments() == 0  # nor its rendered clauses


def factories_client(client: FlaskClient) -> FlaskClient:
    return client.application.test_client()


def test_second_request_is_served_from_the_stored_comparison(
    client: FlaskClient,
    users: dict[str, User],
    borders: list[Version],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[int] = []

    def counting(*args: Any, **kwargs: Any) -> alignment.Alignment:
        calls.append(1)
        return alignment.align(*args, **kwargs)

    read: list[int] = []

    def reading(*args: Any, **kwargs: Any) -> comparisons.Comparison:
        read.append(1)
        return comparisons.compare_versions(*args, **kwargs)

    monkeypatch.setattr(comparisons, "align", counting)
    monkeypatch.setattr(comparison_view, "compare_versions", reading)
    signed_in(client, users["stakeholder"])
    first = client.get(f"{BORDERS}/compare/1/2").get_data(as_text=True)
    other = signed_in(factories_client(client), users["secretariat"])
    second = other.get(f"{BORDERS}/compare/1/2").get_data(as_text=True)
    client.get(f"{BORDERS}/compare/1/2/renumbering.csv")
    assert (len(calls), stored()) == (1, 1)
    # The page's clauses were rendered once and stored: the second request sent them
    # without reading the stored comparison again.
    assert (len(read), fragments()) == (1, 1)
    # Another way of showing them is rendered (from the stored comparison) and stored too.
    client.get(f"{BORDERS}/compare/1/2?view=side")
    assert (len(calls), len(read), fragments()) == (1, 2, 2)
    # A run opened is stored too, but a number that opens no run stores nothing.
    page = get_page(client, f"{BORDERS}/compare/1/2")
    link = page.select_one("li.fold details a")["href"]
    get_page(client, link)
    assert fragments() == 3
    for made_up in (1, 10_000, -3):
        page = get_page(client, f"{BORDERS}/compare/1/2?open={made_up}")
        assert page.select("li.row-unchanged") == [] and page.select("li.fold details")
    assert (len(read), fragments()) == (5, 3)  # open=-3 is the page as stored
    assert BeautifulSoup(first, "html.parser").select("ol.comparison") == BeautifulSoup(
        second, "html.parser"
    ).select("ol.comparison")


def test_a_fragment_stored_by_other_code_is_not_used(
    client: FlaskClient,
    users: dict[str, User],
    borders: list[Version],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A release that changes how citations or labels are written makes fresh HTML."""
    signed_in(client, users["stakeholder"])
    client.get(f"{BORDERS}/compare/1/2")
    assert fragments() == 1
    db.session.execute(update(ComparisonFragment).values(html="<p>stale rendering</p>"))
    db.session.commit()
    assert "stale rendering" in client.get(f"{BORDERS}/compare/1/2").get_data(as_text=True)
    # The same page once the code named in the key has changed (its source digest differs).
    monkeypatch.setattr(comparison_view, "source_digest", lambda *modules: "another release")
    fresh = client.get(f"{BORDERS}/compare/1/2").get_data(as_text=True)
    assert "stale rendering" not in fresh and "ol" in fresh
    assert fragments() == 2


# Renumbering


def test_renumbering_page_and_csv(
    client: FlaskClient, users: dict[str, User], borders: list[Version]
) -> None:
    signed_in(client, users["stakeholder"])
    page = get_page(client, f"{BORDERS}/compare/1/2/renumbering")
    table = page.select_one("table.renumbering")
    assert table.caption is not None and all(th["scope"] for th in table("th"))
    region = table.find_parent("div", class_="table-scroll")  # a phone scrolls it, not the page
    assert region is not None and region["aria-labelledby"] == table.caption["id"]
    pairs = [(tr.th.get_text(), tr("td")[0].get_text()) for tr in table.tbody("tr")]
    assert ("Guideline 4, paragraph 5", "Guideline 4, paragraph 4") in pairs
    assert ("Principle 5", "Principle 6") in pairs
    # Clause keys are for the drafters and the secretariat: a stakeholder reads numbers.
    headers = [th.get_text(strip=True) for th in table.thead("th")]
    assert "Old key" not in headers and table.tbody.find("code") is None
    staff_client = signed_in(factories_client(client), users["secretariat"])
    staff = get_page(staff_client, f"{BORDERS}/compare/1/2/renumbering")
    staff_headers = [th.get_text(strip=True) for th in staff.select("table.renumbering thead th")]
    assert "Old key" in staff_headers and "New key" in staff_headers
    response = client.get(f"{BORDERS}/compare/1/2/renumbering.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response.headers["Content-Disposition"]
    assert disposition == 'attachment; filename="human-rights-borders-v1-v2-renumbering.csv"'
    table_rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert list(table_rows[0]) == ["status", "old_key", "old_number", "new_key", "new_number"]
    assert {
        "status": "moved",
        "old_key": "guideline-legal-framework.5",
        "old_number": "Guideline 2, paragraph 5",
        "new_key": "guideline-legal-framework.5",
        "new_number": "Guideline 9, paragraph 4",
    } in table_rows
    assert len(table_rows) == len(pairs)


# Clause history and what became of comments


def _closed_round_with_comments(
    app: Flask, client: FlaskClient, users: dict[str, User], version: Version, **settings: Any
) -> dict[str, Any]:
    """A round on `version`, our comments and another organisation's, responses published."""
    round_ = factories.round_(version, **settings)
    other = factories.user("stakeholder", factories.organisation("ngo", "Other NGO"))
    ours = factories.comment(
        round_.id, users["stakeholder"], clause_of(version, "guideline-capacity.1"), "Say more."
    )
    moved = factories.comment(
        round_.id, users["stakeholder"], clause_of(version, "guideline-legal-framework.5")
    )
    whole = factories.comment(round_.id, users["stakeholder"], None, "On the whole text.")
    gone = factories.comment(
        round_.id, users["stakeholder"], clause_of(version, "guideline-rescue.4")
    )
    withdrawn = factories.comment(round_.id, users["stakeholder"], None, "Never mind.")
    comments.withdraw_comment(withdrawn.id, users["stakeholder"])
    theirs = factories.comment(
        round_.id, other, clause_of(version, "guideline-capacity.1"), "Their secret view."
    )
    responses.respond(ours.id, "accepted", "Training now covers this.", users["secretariat"])
    later = utcnow() + timedelta(days=8)
    app.config["CLOCK"] = client.application.config["CLOCK"] = lambda: later
    return {
        "round": round_,
        "ours": ours,
        "moved": moved,
        "whole": whole,
        "gone": gone,
        "withdrawn": withdrawn,
        "theirs": theirs,
    }


def test_what_became_of_our_comments(
    app: Flask, client: FlaskClient, users: dict[str, User], borders: list[Version]
) -> None:
    data = _closed_round_with_comments(app, client, users, borders[0], visibility="secretariat")
    signed_in(client, users["stakeholder"])
    url = f"/rounds/{data['round'].id}/outcome"
    page = get_page(client, url)
    sections = {int(s.h2["id"].split("-")[1]): s for s in page.select("section.outcome")}
    assert set(sections) == {data[k].id for k in ("ours", "moved", "whole", "gone")}
    changed = sections[data["ours"].id]
    assert "Changed" in changed.select_one(".fate").get_text()
    assert changed.select(".diff-text ins")
    assert "No answer has been published yet." in changed.get_text()
    assert "Their secret view" not in page.get_text()
    moved = sections[data["moved"].id].select_one(".fate").get_text(" ", strip=True)
    assert "Moved" in moved and "Guideline 9, paragraph 4" in moved
    assert "Guideline 2, paragraph 5" in moved
    assert "Removed" in sections[data["gone"].id].select_one(".fate").get_text()
    assert "document as a whole" in sections[data["whole"].id].select_one(".fate").get_text()
    responses.publish_responses(data["round"].id, users["secretariat"])
    page = get_page(client, url)
    response = page.select_one(f"#comment-{data['ours'].id}").find_parent("section")
    assert "Training now covers this." in response.select_one(".response").get_text()


def test_outcome_without_a_next_version_says_so(
    app: Flask, client: FlaskClient, users: dict[str, User], borders: list[Version]
) -> None:
    round_ = factories.round_(borders[2])
    factories.comment(round_.id, users["stakeholder"], clause_of(borders[2], "introduction-p3"))
    factories.comment(round_.id, users["stakeholder"], None, "On the whole text.")
    page = get_page(signed_in(client, users["stakeholder"]), f"/rounds/{round_.id}/outcome")
    assert page.select_one(".next-version-missing") is not None
    fates = [s.select_one(".fate").get_text(strip=True) for s in page.select("section.outcome")]
    assert fates == [
        "This comment is on the document as a whole.",
        "Not known yet: there is no next version.",
    ]
    assert get_page(client, "/rounds/999999/outcome", status=404)


def test_clause_history_follows_the_key_with_diffs_and_visible_comments(
    app: Flask, client: FlaskClient, users: dict[str, User], borders: list[Version]
) -> None:
    _closed_round_with_comments(app, client, users, borders[0], visibility="secretariat")
    signed_in(client, users["stakeholder"])
    page = get_page(client, f"{BORDERS}/history/guideline-capacity.1")
    assert page.h1.get_text() == "History of Guideline 3, paragraph 1"
    steps = page.select("section.history-step")
    titles = [s.h2.get_text(" ", strip=True)[:9] for s in steps]
    assert titles == ["Version 1", "Version 2", "Version 3"]
    assert steps[1].select(".diff-text ins") and not steps[2].select(".diff-text ins")
    assert "Say more." in steps[0].get_text()
    assert "Their secret view" not in page.get_text()  # the round's rule: secretariat only
    secretariat = signed_in(factories_client(client), users["secretariat"])
    staff_page = get_page(secretariat, f"{BORDERS}/history/guideline-capacity.1")
    assert "Their secret view" in staff_page.get_text()
    assert "Training now covers this." in staff_page.get_text()
    moved = get_page(client, f"{BORDERS}/history/guideline-legal-framework.5")
    numbers = [
        s.select_one(".step-meta").get_text(" ", strip=True)
        for s in moved.select("section.history-step")
    ]
    assert "Guideline 2, paragraph 5" in numbers[0]
    assert "Guideline 9, paragraph 4" in numbers[1] and "was Guideline 2, paragraph 5" in numbers[1]
    removed = get_page(client, f"{BORDERS}/history/guideline-rescue.4")
    assert "removed" in removed.select("section.history-step")[1].get_text()
    assert client.get(f"{BORDERS}/history/no-such-clause").status_code == 404
