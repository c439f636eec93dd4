"""The preview's proposed matching with the previous published version, and correcting it."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from flask.testing import FlaskClient
from sqlalchemy import select

from consult.extensions import db
from consult.models import AuditEvent, Clause, User, Version
from consult.services import drafts
from tests import factories
from tests.web.support import get_page, login, post_form, soup

BORDERS = Path(__file__).resolve().parents[2] / "drafts" / "human-rights-borders"
PREVIEW = "/documents/human-rights-borders/v2/preview"
MATCH = "/documents/human-rights-borders/v2/match"


def _import(name: str, publish: bool) -> Version:
    path = BORDERS / name
    return drafts.import_draft(
        path.read_bytes(), document_slug="human-rights-borders", filename=name, publish=publish
    ).version


@pytest.fixture
def draft(app: object) -> Version:
    """Borders v1 published, v2 imported as a draft."""
    _import("v1.md", publish=True)
    return _import("v2.md", publish=False)


@pytest.fixture
def drafter(client: FlaskClient, users: dict[str, User]) -> FlaskClient:
    assert login(client, users["drafter"].email).status_code == 302
    db.session.rollback()  # a stale read snapshot would make the test's own writes fail
    return client


def _keys(version_id: int) -> list[tuple[str, str | None]]:
    db.session.rollback()  # end the test's read transaction: see what the requests stored
    query = select(Clause.key, Clause.parent_key).where(Clause.version_id == version_id)
    return [(k, p) for k, p in db.session.execute(query.order_by(Clause.position))]


def _rows(page: BeautifulSoup) -> dict[str, Tag]:
    """Matching entries by the key shown for the clause (new, or old when removed).

    A pairing that needs a decision is its ``li.match-pair`` (under each of its new
    clauses' keys); a folded unchanged clause is its own ``li.match-field``.
    """
    found: dict[str, Tag] = {}
    for pair in page.select("ol.match-list > li.match-pair"):
        codes = pair.select(".new-clause code") or pair.select(".old-clause code")
        for code in codes:
            found[code.get_text()] = pair
    for field in page.select("li.match-unchanged li.match-field"):
        found[field.select_one(".new-clause code").get_text()] = field  # type: ignore[union-attr]
    return found


def _status(row: Tag) -> str:
    if "match-field" in row.get("class", []):
        return "Unchanged"
    return row.find(class_="match-status").get_text(strip=True)  # type: ignore[union-attr]


def _continues(row: Tag) -> list[str]:
    if "match-field" in row.get("class", []):
        return [row.select_one(".new-clause code").get_text()]  # type: ignore[union-attr]
    return [c.get_text() for c in row.select(".old-clause code")]


def _rematches() -> list[AuditEvent]:
    db.session.rollback()
    query = select(AuditEvent).where(AuditEvent.action == "version.rematch")
    return list(db.session.scalars(query))


def test_preview_shows_the_proposed_matching(draft: Version, drafter: FlaskClient) -> None:
    page = get_page(drafter, PREVIEW)
    assert page.find("h2", id="matching").get_text() == "Matching with version 1"  # type: ignore[union-attr]
    summary = [li.get_text() for li in page.select("ul.match-summary li")]
    assert "Moved: 1" in summary and "Removed: 1" in summary and "Unchanged: 70" in summary
    rows = _rows(page)
    moved = rows["guideline-legal-framework.5"]
    assert _status(moved) == "Moved"
    assert _continues(moved) == ["guideline-legal-framework.5"]
    old_side = moved.select_one(".match-old")
    assert old_side is not None and "5." in old_side.get_text()
    assert "Guideline 9" not in moved.get_text()
    assert _status(rows["guideline-rescue.5"]) == "Renumbered"
    assert _status(rows["guideline-rescue.4"]) == "Removed"
    assert _status(rows["introduction-p4"]) == "Added"
    assert _continues(rows["introduction-p4"]) == []
    split = [key for key, row in rows.items() if _status(row) == "Split"]
    # The second part's derived key named an old clause it does not continue: a fresh key.
    assert split == ["guideline-screening.4", "guideline-screening.5-2"]
    assert _status(rows["guideline-screening.5"]) == "Renumbered"  # now para 6
    merged = rows["guideline-detention.1"]
    assert _continues(merged) == ["guideline-detention.1", "guideline-detention.5"]
    # Unchanged clauses are folded, still listed (and correctable).
    assert _status(rows["principle-primacy"]) == "Unchanged"
    assert rows["principle-primacy"].find_parent("details") is not None
    assert len(rows) == len(draft.clauses) + 1  # every clause of v2, and the removed one


def test_inputs_hold_the_key_continued_and_are_labelled(
    draft: Version, drafter: FlaskClient
) -> None:
    page = get_page(drafter, PREVIEW)
    field = page.find("input", attrs={"name": "continues-guideline-rescue.5"})
    assert isinstance(field, Tag) and field["value"] == "guideline-rescue.5"
    label = page.find("label", attrs={"for": field["id"]})
    assert label is not None and label.get_text(strip=True)
    assert "match-hint" in str(field["aria-describedby"])
    added = page.find("input", attrs={"name": "continues-introduction-p4"})
    assert isinstance(added, Tag) and added["value"] == ""
    options = page.select("datalist#old-clauses option")
    assert len(options) == 87 - 1  # every v1 clause but the title
    part = page.find("input", attrs={"name": "continues-guideline-screening.5-2"})
    assert isinstance(part, Tag) and part["value"] == ""


def test_first_version_has_no_matching(app: object, drafter: FlaskClient) -> None:
    _import("v1.md", publish=False)
    page = get_page(drafter, "/documents/human-rights-borders/v1/preview")
    assert page.find(id="matching") is None


def test_marking_a_clause_new(draft: Version, drafter: FlaskClient, users: dict[str, User]) -> None:
    key = "guideline-legal-framework.2"
    response = post_form(drafter, MATCH, {f"continues-{key}": ""})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/v2/preview#matching")
    page = get_page(drafter, PREVIEW)
    assert "The matching was corrected: 1 clause now carries another key." in page.get_text()
    rows = _rows(page)
    assert key in rows and _status(rows[key]) == "Removed"
    fresh = "guideline-legal-framework.2-2"
    assert _status(rows[fresh]) == "Added"
    assert (fresh, "guideline-legal-framework") in _keys(draft.id)
    [event] = _rematches()
    assert event.actor_id == users["drafter"].id
    assert event.details["marked_new"] == [key]
    assert event.details["renamed"] == {key: fresh}


def test_tying_a_clause_to_an_old_one(draft: Version, drafter: FlaskClient) -> None:
    response = post_form(
        drafter,
        MATCH,
        {"continues-introduction-p4": "guideline-rescue.4"},
    )
    assert response.status_code == 302
    rows = _rows(get_page(drafter, PREVIEW))
    assert "introduction-p4" not in rows
    assert _continues(rows["guideline-rescue.4"]) == ["guideline-rescue.4"]
    assert _status(rows["guideline-rescue.4"]) == "Moved"
    [event] = _rematches()
    assert event.details["tied"] == {"introduction-p4": "guideline-rescue.4"}


def test_tying_by_an_unambiguous_number_displaces_the_holder(
    draft: Version, drafter: FlaskClient
) -> None:
    post_form(drafter, MATCH, {"continues-introduction-p4": "(d)"})
    keys = dict(_keys(draft.id))
    assert keys["guideline-identification.1.d"] == "introduction"  # the paragraph took the key
    assert "guideline-identification.1.d-2" in keys  # the old holder got a fresh one
    rows = _rows(get_page(drafter, PREVIEW))
    assert _status(rows["guideline-identification.1.d-2"]) == "Added"


def test_unchanged_form_changes_nothing(draft: Version, drafter: FlaskClient) -> None:
    before = _keys(draft.id)
    page = get_page(drafter, PREVIEW)
    fields = {
        str(i["name"]): str(i.get("value", ""))
        for i in page.select("form.match-form input[type=text]")
    }
    response = post_form(drafter, MATCH, fields)
    assert response.status_code == 302
    assert "The matching was not changed" in get_page(drafter, PREVIEW).get_text()
    assert _keys(draft.id) == before and _rematches() == []


def _refused(client: FlaskClient, data: dict[str, str]) -> BeautifulSoup:
    response = post_form(client, MATCH, data)
    assert response.status_code == 400
    return soup(response)


def _field_error(page: BeautifulSoup, name: str) -> str:
    field = page.find("input", attrs={"name": name})
    assert isinstance(field, Tag) and field.get("aria-invalid") == "true"
    error = page.find(id=f"{field['id']}-error")
    assert error is not None and f"{field['id']}-error" in str(field["aria-describedby"])
    return error.get_text(" ", strip=True)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"continues-introduction-p4": "no-such-clause"},
            "continues-introduction-p4",
            "Version 1 has no clause with the key or number “no-such-clause”",
        ),
        (
            {"continues-introduction-p4": "5."},
            "continues-introduction-p4",
            "Several clauses of version 1 are numbered “5.”",
        ),
        (
            {
                "continues-introduction-p4": "guideline-rescue.4",
                "continues-principle-due-process-p1": "guideline-rescue.4",
            },
            "continues-principle-due-process-p1",
            "chosen for two clauses",
        ),
    ],
)
def test_bad_rows_are_refused_with_a_message(
    draft: Version, drafter: FlaskClient, data: dict[str, str], field: str, message: str
) -> None:
    before = _keys(draft.id)
    page = _refused(drafter, data)
    assert message in _field_error(page, field)
    # What was typed is kept, and nothing was stored.
    assert page.find("input", attrs={"name": field})["value"] == data[field]  # type: ignore[index]
    assert _keys(draft.id) == before and _rematches() == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"continues-no-such-clause": ""}, "not in this version"),
        ({"continues-principle-child": ""}, "written in the draft's text"),
        ({"continues-introduction-p4": "principle-child"}, "written in the draft's text"),
    ],
)
def test_forged_or_impossible_corrections_are_refused(
    draft: Version, drafter: FlaskClient, data: dict[str, str], message: str
) -> None:
    before = _keys(draft.id)
    page = _refused(drafter, data)
    error = page.find(id="match-form-error")
    assert error is not None and message in error.get_text()
    assert _keys(draft.id) == before and _rematches() == []


def test_published_version_is_refused(draft: Version, drafter: FlaskClient) -> None:
    db.session.rollback()
    drafts.publish_version(draft, None)
    before = _keys(draft.id)
    response = post_form(drafter, MATCH, {"continues-introduction-p4": ""})
    assert response.status_code == 302
    page = get_page(drafter, PREVIEW)
    assert "published: its matching can no longer be changed" in page.get_text()
    assert page.find("input", attrs={"name": "continues-introduction-p4"}) is None
    assert _keys(draft.id) == before and _rematches() == []


def test_version_without_published_predecessor_is_refused(
    app: object, drafter: FlaskClient
) -> None:
    version = _import("v1.md", publish=False)
    before = _keys(version.id)
    response = post_form(
        drafter, "/documents/human-rights-borders/v1/match", {"continues-part-i": ""}
    )
    assert response.status_code == 302
    page = get_page(drafter, "/documents/human-rights-borders/v1/preview")
    assert "follows no published version" in page.get_text()
    assert _rematches() == [] and _keys(version.id) == before


def test_unknown_version_is_not_found(draft: Version, drafter: FlaskClient) -> None:
    response = post_form(drafter, "/documents/human-rights-borders/v9/match", {})
    assert response.status_code == 404


def test_post_without_csrf_token_is_refused(draft: Version, drafter: FlaskClient) -> None:
    before = _keys(draft.id)
    assert drafter.post(MATCH, data={"continues-introduction-p4": ""}).status_code == 400
    assert _keys(draft.id) == before


@pytest.mark.parametrize("role", ["admin", "secretariat", "stakeholder"])
def test_only_drafters_may_correct(
    client: FlaskClient, users: dict[str, User], draft: Version, role: str
) -> None:
    login(client, users[role].email)
    before = _keys(draft.id)
    response = post_form(client, MATCH, {"continues-introduction-p4": ""})
    assert response.status_code == 403
    assert get_page(client, PREVIEW, 403) is not None
    assert _keys(draft.id) == before and _rematches() == []


def test_anonymous_is_sent_to_sign_in(client: FlaskClient, draft: Version) -> None:
    before = _keys(draft.id)
    response = post_form(client, MATCH, {"continues-introduction-p4": ""})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    assert _keys(draft.id) == before


def test_sample_document_matching(app: object, drafter: FlaskClient) -> None:
    factories.version(publish=True)
    factories.version(factories.SAMPLE_DRAFT + "\nOne more paragraph.\n", publish=False)
    page = get_page(drafter, "/documents/sample/v2/preview")
    statuses = [_status(row) for row in _rows(page).values()]
    assert statuses.count("Added") == 1 and set(statuses) == {"Added", "Unchanged"}
    assert [p.select_one(".match-status").get_text() for p in page.select("li.match-pair")] == [  # type: ignore[union-attr]
        "Added"
    ]


def test_a_folded_unchanged_clause_can_be_corrected(draft: Version, drafter: FlaskClient) -> None:
    page = get_page(drafter, PREVIEW)
    field = page.find("input", attrs={"name": "continues-principle-primacy-p1"})
    assert isinstance(field, Tag) and field.find_parent("details") is not None
    assert field.find_parent("form", class_="match-form") is not None
    response = post_form(drafter, MATCH, {"continues-principle-primacy-p1": ""})
    assert response.headers["Location"].endswith("/v2/preview#matching")
    rows = _rows(get_page(drafter, PREVIEW))
    assert _status(rows["principle-primacy-p1-2"]) == "Added"
    assert _status(rows["principle-primacy-p1"]) == "Removed"
    # A refusal in a folded run unfolds it, with what was typed and the message.
    page = _refused(drafter, {"continues-principle-primacy": "nowhere"})
    assert len(_rows(page)) == len(draft.clauses) + 2  # two removed clauses now
    assert "nowhere" in _field_error(page, "continues-principle-primacy")
    field = page.find("input", attrs={"name": "continues-principle-primacy"})
    assert field.find_parent("details").has_attr("open")  # type: ignore[union-attr]


def test_a_changed_pairing_says_how_many_words_are_alike_and_asks_to_check_a_weak_one(
    draft: Version, drafter: FlaskClient
) -> None:
    rows = _rows(get_page(drafter, PREVIEW))
    notes = {
        key: row.find(class_="match-alike").get_text(strip=True)  # type: ignore[union-attr]
        for key, row in rows.items()
        if row.find(class_="match-alike") is not None
    }
    changed = [key for key, row in rows.items() if _status(row) == "Changed"]
    assert changed and all(key in notes for key in changed)
    for key in changed:
        percent = int(notes[key].split("%")[0])
        assert 0 < percent <= 100
        assert notes[key].endswith("please check") == (percent < 50)
    unchanged = [key for key, row in rows.items() if _status(row) in ("Unchanged", "Renumbered")]
    assert all(key not in notes for key in unchanged)


def test_a_pairing_made_by_place_asks_the_drafter_to_check_it(
    app: object, drafter: FlaskClient
) -> None:
    waiver = "(a) No waiver of any term is valid unless written"
    void = "(b) A provision held void leaves the rest in force"
    old = f"# Terms\n\n## 1. Miscellaneous\n\n{waiver}.\n\n{void}.\n"
    new = (
        f"# Terms\n\n## 1. Interpretation\n\n{waiver} and signed.\n\n{void} and is read narrowly.\n"
    )
    drafts.import_draft(
        old.encode(), document_slug="terms", filename="v1.md", title="Terms", publish=True
    )
    drafts.import_draft(new.encode(), document_slug="terms", filename="v2.md", publish=False)
    page = get_page(drafter, "/documents/terms/v2/preview")
    weak = [span.get_text(strip=True) for span in page.select(".match-alike.weak")]
    assert weak == ["0% of words alike: please check"]  # the renamed heading, tied by its items


def test_a_preview_where_every_clause_changed_folds_nothing(
    app: object, drafter: FlaskClient
) -> None:
    text = "# Terms\n\n## 1. Scope\n\nThis text applies to every border.\n"
    drafts.import_draft(
        text.encode(), document_slug="terms", filename="v1.md", title="Terms", publish=True
    )
    changed = (
        "# Terms of use\n\n## 1. Scope and reach\n\n"
        "This text applies to every border and airport.\n"
    )
    drafts.import_draft(changed.encode(), document_slug="terms", filename="v2.md", publish=False)
    page = get_page(drafter, "/documents/terms/v2/preview")
    assert page.select("li.match-unchanged") == []
    assert len(page.select("li.match-pair")) == 2
