"""The drafter's preview: a summary first, the pairings that need a decision with their word
diffs, unchanged clauses folded, and the preview computed once and stored."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from sqlalchemy import select

from consult.extensions import db
from consult.models import DraftPreview, User, Version
from consult.services import draft_preview, drafts
from tests.web.support import get_page, login, post_form, soup

OLD = """# Terms

## 1. Scope

This text applies to every border crossing in the region.

## 2. Remedies

States shall provide effective remedies to every person at a border.

## 3. Review

Each State shall review its practice every year.
"""

NEW = OLD.replace(
    "States shall provide effective remedies", "States shall provide prompt and effective remedies"
) + ("\n## 4. Reports\n\nStates shall publish a yearly report on their borders.\n")

PREVIEW = "/documents/terms/v2/preview"


@pytest.fixture
def draft(app: object) -> Version:
    drafts.import_draft(
        OLD.encode(), document_slug="terms", filename="v1.md", title="Terms", publish=True
    )
    return drafts.import_draft(NEW.encode(), document_slug="terms", filename="v2.md").version


@pytest.fixture
def drafter(client: FlaskClient, users: dict[str, User]) -> FlaskClient:
    assert login(client, users["drafter"].email).status_code == 302
    db.session.rollback()
    return client


def _summary(page: BeautifulSoup) -> dict[str, str]:
    section = page.find("section", class_="preview-summary")
    assert section is not None
    facts = {
        dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(strip=True)
        for dt in section.find_all("dt")
    }
    for item in section.select("ul.match-summary li"):
        label, count = item.get_text().split(": ")
        facts[label] = count
    return facts


def test_the_summary_comes_first_with_the_counts(draft: Version, drafter: FlaskClient) -> None:
    page = get_page(drafter, PREVIEW)
    summary = _summary(page)
    assert summary["Clauses"] == "8" and summary["Warnings"] == "None"
    assert summary["Unchanged"] == "5" and summary["Changed"] == "1" and summary["Added"] == "2"
    assert "Removed" not in summary  # no zero counts
    # The summary stands before the matching and the publishing.
    headings = [h.get_text() for h in page.find("main").find_all("h2")]
    assert headings.index("Summary") == 0
    assert headings.index("Summary") < headings.index("Matching with version 1")
    assert "3 pairings need your check" in page.find("section", class_="preview-summary").get_text()


def test_a_changed_pairing_shows_the_word_diff_of_its_whole_text(
    draft: Version, drafter: FlaskClient
) -> None:
    page = get_page(drafter, PREVIEW)
    [changed] = page.select("li.match-pair.match-changed")
    text = changed.select_one(".diff-text")
    assert text is not None
    inserted = " ".join(ins.get_text(" ", strip=True) for ins in text.find_all("ins"))
    assert "prompt and" in inserted and text.find("del") is None
    # The whole text is shown, not an excerpt cut short.
    assert "to every person at a border." in text.get_text()
    assert page.select_one(".diff-legend") is not None
    added = page.select("li.match-pair.match-added")
    assert "States shall publish a yearly report on their borders." in added[-1].get_text()


def test_a_removed_word_is_struck_through(app: object, drafter: FlaskClient) -> None:
    drafts.import_draft(
        OLD.encode(), document_slug="terms", filename="v1.md", title="Terms", publish=True
    )
    shorter = OLD.replace("every border crossing in the region", "every border crossing")
    drafts.import_draft(shorter.encode(), document_slug="terms", filename="v2.md")
    page = get_page(drafter, PREVIEW)
    [changed] = page.select("li.match-pair.match-changed")
    deleted = " ".join(d.get_text(" ", strip=True) for d in changed.find_all("del"))
    assert "in the region" in deleted


def test_unchanged_clauses_are_folded_with_their_count(
    draft: Version, drafter: FlaskClient
) -> None:
    page = get_page(drafter, PREVIEW)
    runs = page.select("li.match-unchanged > details")
    assert runs and all(not run.has_attr("open") for run in runs)
    counted = 0
    for run in runs:
        fields = run.select("li.match-field")
        summary = run.find("summary").get_text(" ", strip=True)
        noun = "unchanged clause" if len(fields) == 1 else "unchanged clauses"
        assert summary.startswith(f"{len(fields)} {noun}")
        counted += len(fields)
    assert counted == 5
    # No JavaScript is needed to unfold them.
    assert page.find("script", src=lambda s: s and "preview" in s) is None


def test_every_correction_input_has_its_own_label(draft: Version, drafter: FlaskClient) -> None:
    page = get_page(drafter, PREVIEW)
    inputs = page.select("form.match-form input[type=text]")
    assert len(inputs) == 8  # every clause, folded or not
    texts = []
    for field in inputs:
        labels = page.find_all("label", attrs={"for": field["id"]})
        assert len(labels) == 1
        texts.append(labels[0].get_text(" ", strip=True))
    assert all(count == 1 for count in Counter(texts).values()), texts
    controls = page.find_all(["input", "select", "textarea"])
    ids = [field["id"] for field in controls if field.get("id")]
    assert len(ids) == len(set(ids))


def test_a_clause_of_a_repeated_number_is_labelled_by_its_key(
    app: object, drafter: FlaskClient
) -> None:
    old = "# T\n\n## A\n\n1. First of A.\n\n## B\n\n1. First of B.\n"
    drafts.import_draft(old.encode(), document_slug="t", filename="v1.md", title="T", publish=True)
    drafts.import_draft(old.replace("B.", "B, changed.").encode(), document_slug="t")
    page = get_page(drafter, "/documents/t/v2/preview")
    texts = [label.get_text(" ", strip=True) for label in page.select("form.match-form label")]
    assert len([t for t in texts if "clause 1." in t]) == 2
    assert len(set(texts)) == len(texts)


def _stored() -> list[DraftPreview]:
    db.session.rollback()
    return list(db.session.scalars(select(DraftPreview)))


def test_the_preview_is_computed_once_and_stored(
    draft: Version, drafter: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    compute = draft_preview.compute_preview

    def counted(*args: Any) -> dict[str, Any]:
        calls.append(1)
        return compute(*args)

    monkeypatch.setattr(draft_preview, "compute_preview", counted)
    first = get_page(drafter, PREVIEW)
    assert len(calls) == 1
    [row] = _stored()
    second = get_page(drafter, PREVIEW)
    assert len(calls) == 1  # read back, not computed again
    assert [r.id for r in _stored()] == [row.id]
    assert _summary(first) == _summary(second)
    # The confirmation page reads the same stored preview.
    get_page(drafter, "/documents/terms/v2/publish")
    assert len(calls) == 1


def test_a_correction_replaces_the_stored_preview(
    draft: Version, drafter: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    get_page(drafter, PREVIEW)
    [stored] = _stored()
    before = stored.digest
    key = next(c.key for c in draft.clauses if "prompt and effective" in c.text)
    response = post_form(drafter, "/documents/terms/v2/match", {f"continues-{key}": ""})
    assert response.status_code == 302
    assert _stored() == []  # the correction deleted it in its own transaction
    page = get_page(drafter, PREVIEW)
    summary = _summary(page)
    assert summary["Added"] == "3" and summary["Removed"] == "1" and "Changed" not in summary
    [after] = _stored()
    assert after.digest != before


def test_a_stale_row_is_not_reused(draft: Version, drafter: FlaskClient) -> None:
    """A row stored under another digest (keys changed by other means) is computed again."""
    get_page(drafter, PREVIEW)
    [row] = _stored()
    row.digest = "0" * 64
    db.session.commit()
    page = get_page(drafter, PREVIEW)
    assert _summary(page)["Changed"] == "1"
    [again] = _stored()
    assert again.digest != "0" * 64


def test_discarding_a_draft_deletes_its_stored_preview(
    draft: Version, drafter: FlaskClient
) -> None:
    get_page(drafter, PREVIEW)
    assert len(_stored()) == 1
    response = post_form(drafter, "/documents/terms/v2/discard")
    assert response.status_code == 302
    assert _stored() == []


@pytest.mark.parametrize("role", ["admin", "secretariat", "stakeholder"])
def test_others_cannot_see_the_preview_or_the_confirmation(
    client: FlaskClient, users: dict[str, User], draft: Version, role: str
) -> None:
    login(client, users[role].email)
    assert get_page(client, PREVIEW, 403) is not None
    assert get_page(client, "/documents/terms/v2/publish", 403) is not None
    assert _stored() == []


def _long_text(changed: bool) -> str:
    """A text of 260 numbered paragraphs; `changed` rewords paragraph 130 and adds one."""
    paragraphs = [
        f"{n}. Paragraph {n} says what States do at border post {n}." for n in range(1, 261)
    ]
    if changed:
        paragraphs[129] = "130. Paragraph 130 now says what every State must do at post 130."
        paragraphs.append("261. A paragraph added at the end.")
    return "# Long Terms\n\n## Part A\n\n" + "\n".join(paragraphs) + "\n"


def test_a_long_versions_unchanged_runs_and_clause_table_come_when_asked_for(
    app: object, drafter: FlaskClient
) -> None:
    drafts.import_draft(
        _long_text(False).encode(), document_slug="long", filename="v1.md", publish=True
    )
    drafts.import_draft(_long_text(True).encode(), document_slug="long", filename="v2.md")
    url = "/documents/long/v2/preview"
    page = get_page(drafter, url)
    assert _summary(page)["Clauses"] == "262"
    # The change and the addition with their fields; each unchanged run a line with a link.
    runs = page.select("li.match-unchanged")
    assert len(runs) == 2 and not page.select("li.match-unchanged details")
    fields = page.select("li.match-field input")
    assert len(fields) == 2
    link = runs[0].find("a")
    assert link["href"] == f"{url}?open=1#run-1"
    assert "unchanged clauses" in runs[0].get_text()
    # The clause table is a link too.
    table_link = page.find("a", href=f"{url}?clauses=show#clauses")
    assert table_link is not None and "262 clauses" in table_link.get_text()
    assert page.find("table", class_="clauses-preview") is None
    # Asked for: the run's fields, open, each with its label; the other run stays a line.
    opened = get_page(drafter, f"{url}?open=1")
    first = opened.find(id="run-1")
    assert first.find("details").has_attr("open")
    inputs = first.select("input")
    assert len(inputs) > 100 and all(opened.find("label", attrs={"for": i["id"]}) for i in inputs)
    assert opened.find(id=runs[1]["id"]).find("details") is None
    shown = get_page(drafter, f"{url}?clauses=show")
    assert len(shown.select("table.clauses-preview tbody tr")) == 262
    # A made-up run number shows every run folded.
    assert get_page(drafter, f"{url}?open=99").select("li.match-unchanged details") == []
    # The page without the runs' fields is much lighter than with them.
    light = len(drafter.get(url).data)
    assert light * 2 < len(drafter.get(f"{url}?open=1&clauses=show").data)


def _many_changes(changed: bool) -> str:
    """120 numbered paragraphs; `changed` rewords the first 110 and adds 5 at the end."""
    paragraphs = [
        f"{n}. Paragraph {n} says what States do at border post {n}."
        if not changed or n > 110
        else f"{n}. Paragraph {n} says what every State shall do at border post {n}."
        for n in range(1, 121)
    ]
    if changed:
        paragraphs += [f"{n}. A paragraph {n} added at the end." for n in range(121, 126)]
    return "# Many Changes\n\n" + "\n".join(paragraphs) + "\n"


@pytest.fixture
def many(app: object) -> Version:
    drafts.import_draft(
        _many_changes(False).encode(), document_slug="many", filename="v1.md", publish=True
    )
    return drafts.import_draft(
        _many_changes(True).encode(), document_slug="many", filename="v2.md"
    ).version


MANY = "/documents/many/v2/preview"


def _pair_numbers(page: BeautifulSoup) -> list[str]:
    return [
        li.select_one(".match-field strong").get_text().rstrip(".")
        for li in page.select("li.match-pair")
    ]


def test_many_pairings_come_in_pages_of_fifty_with_a_filter_by_kind(
    many: Version, drafter: FlaskClient
) -> None:
    first = get_page(drafter, MANY)
    assert _pair_numbers(first) == [str(n) for n in range(1, 51)]
    assert "Pairings 1 to 50 of 115, page 1 of 3." in first.find(id="match-range").get_text()
    pages = first.select("nav.pagination a:not([rel])")
    assert [a.get_text() for a in pages] == ["1", "2", "3"]
    assert pages[0]["aria-current"] == "page" and pages[2]["href"] == f"{MANY}?page=3#matching"
    last = get_page(drafter, f"{MANY}?page=3")
    assert _pair_numbers(last) == [str(n) for n in range(101, 111)] + [
        str(n) for n in range(121, 126)
    ]
    # The unchanged run between the changes comes with the page it falls on.
    assert len(last.select("li.match-unchanged")) == 1
    # The filter: each kind with its count; the added ones alone.
    kinds = [a.get_text() for a in first.select("nav.match-filter a")]
    assert kinds == ["All (115)", "Changed (110)", "Added (5)"]
    added = get_page(drafter, f"{MANY}?show=added")
    assert _pair_numbers(added) == [str(n) for n in range(121, 126)]
    assert added.select("nav.pagination") == [] and not added.select("li.match-unchanged")
    # A page past the last is the last; nonsense is the first; an unknown kind is all.
    assert _pair_numbers(get_page(drafter, f"{MANY}?page=99")) == _pair_numbers(last)
    assert _pair_numbers(get_page(drafter, f"{MANY}?page=-4&show=nonsense"))[0] == "1"
    assert _pair_numbers(get_page(drafter, f"{MANY}?page=x"))[0] == "1"
    # The page is light: no more than a page of fields.
    assert len(first.select("li.match-field input")) == 50


def test_a_correction_saved_on_a_later_page_comes_back_to_that_page(
    many: Version, drafter: FlaskClient
) -> None:
    page = get_page(drafter, f"{MANY}?page=2")
    form = page.find("form", class_="match-form")
    data = {i["name"]: i.get("value", "") for i in form.select("input") if i.get("name")}
    assert data["page"] == "2"
    field = form.select("li.match-pair input")[0]
    data[field["name"]] = ""  # clause 51 becomes a new clause
    response = post_form(drafter, "/documents/many/v2/match", data)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/documents/many/v2/preview?page=2#matching")
    db.session.rollback()
    version = db.session.get(Version, many.id)
    renamed = next(c for c in version.clauses if c.number == "51.")
    assert renamed.key != field["name"].removeprefix("continues-")
    # A refused correction is shown on the page of its field, with its message.
    form = get_page(drafter, f"{MANY}?page=2").find("form", class_="match-form")
    data = {i["name"]: i.get("value", "") for i in form.select("input") if i.get("name")}
    field = form.select("li.match-pair input")[1]
    data[field["name"]] = "no-such-clause"
    data["page"] = "1"
    refused = post_form(drafter, "/documents/many/v2/match", data)
    assert refused.status_code == 400
    again = soup(refused)
    assert "page 2 of 3" in again.find(id="match-range").get_text()
    shown = again.find("input", attrs={"name": field["name"]})
    assert shown["value"] == "no-such-clause" and shown["aria-invalid"] == "true"
    assert "no clause with the key or number" in again.find(id=f"{shown['id']}-error").get_text()
