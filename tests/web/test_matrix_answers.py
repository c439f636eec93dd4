"""Answering comments from the matrix: one answer, many at once, conflicts between colleagues,
and the standard answers the secretariat picks from."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from consult.extensions import db
from consult.models import Response, StandardAnswer, User
from consult.services import accounts, responses, standard_answers
from consult.services import comments as comment_service
from consult.services.responses import MAX_EXPLANATION
from tests import factories
from tests.web.support import (
    PASSWORD,
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
T0 = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
CLOSES = T0 + timedelta(days=2)
BACK = "/rounds?from=matrix"  # a local page that shows flashed messages
BULK = "/matrix/answer-in-bulk"


def squash(value: str) -> str:
    return " ".join(value.split())


def answer_url(comment_id: int) -> str:
    return f"/comments/{comment_id}/answer"


def stored(comment_id: int) -> tuple[str, str, int, str] | None:
    """The answer stored now: disposition, explanation, revision, responder's e-mail."""
    fresh()
    response = db.session.scalar(select(Response).where(Response.comment_id == comment_id))
    if response is None:
        return None
    return (response.disposition, response.explanation, response.revision, response.responder.email)


@pytest.fixture
def world(app: Flask, client: FlaskClient, users: dict[str, User]) -> dict[str, Any]:
    """An open round with a comment proposing a change, two more, a withdrawn one, two
    standard answers and a colleague in the secretariat."""
    set_clock(app, client, T0 + timedelta(hours=1))
    version = factories.version(publish=True)
    round_ = factories.round_(version, opens_at=T0, closes_at=CLOSES, title="Expert meeting")
    clauses = {c.key: c for c in version.clauses}
    beta = factories.user("stakeholder", factories.organisation(name="Beta Org"))
    proposing = factories.comment(
        round_.id,
        beta,
        clauses["principle-dignity-p1"],
        body="Drop the <b>border</b>.",
        proposed_text="Everyone shall be treated with dignity.",
    )
    later = factories.comment(round_.id, users["stakeholder"], clauses["guideline-1.3"])
    whole = factories.comment(round_.id, beta, None, body="On the whole text.", type="general")
    withdrawn = factories.comment(round_.id, beta, None, body="Withdrawn remark.")
    comment_service.withdraw_comment(withdrawn.id, beta)
    scope = standard_answers.add_answer(
        "Outside the scope of these Principles.", "not_accepted", None
    )
    revised = standard_answers.add_answer("Addressed in the revised paragraph.", None, None)
    colleague = accounts.create_user(
        "Carla Colleague", "carla@example.org", "secretariat", PASSWORD, None, actor=None
    )
    return {
        "round": round_,
        "proposing": proposing.id,
        "later": later.id,
        "whole": whole.id,
        "withdrawn": withdrawn.id,
        "numbers": {c.id: c.tracking_number for c in (proposing, later, whole, withdrawn)},
        "scope": scope.id,
        "revised": revised.id,
        "colleague": colleague,
    }


@pytest.fixture
def staff(client: FlaskClient, users: dict[str, User], world: dict[str, Any]) -> FlaskClient:
    sign_in(client, users["secretariat"])
    return client


def single(disposition: str, explanation: str, revision: object = 0, **more: str) -> dict[str, Any]:
    return {
        "disposition": disposition,
        "explanation": explanation,
        "standard_answer": "",
        "revision": revision,
        "next": BACK,
        **more,
    }


def bulk(ticked: dict[int, int], disposition: str, explanation: str, **more: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "comment": list(ticked),
        "disposition": disposition,
        "explanation": explanation,
        "standard_answer": "",
        "next": BACK,
        **more,
    }
    data.update({f"revision-{i}": revision for i, revision in ticked.items()})
    return data


# --- who may use which route ----------------------------------------------------------


@pytest.mark.parametrize(
    "what", ["answer page", "answer", "bulk", "standard answers", "add", "remove"]
)
@pytest.mark.parametrize("role", ROLES)
def test_answering_is_for_the_secretariat_only(
    client: FlaskClient, users: dict[str, User], world: dict[str, Any], what: str, role: str
) -> None:
    comment_id = world["proposing"]
    if role != "anonymous":
        sign_in(client, users[role])
    before = (count(Response), count(StandardAnswer), audit_actions())
    if what == "answer page":
        response = client.get(answer_url(comment_id))
    elif what == "answer":
        response = post_form(client, answer_url(comment_id), single("noted", ""))
    elif what == "bulk":
        response = post_form(client, BULK, bulk({comment_id: 0}, "noted", ""))
    elif what == "standard answers":
        response = client.get("/standard-answers")
    elif what == "add":
        response = post_form(client, "/standard-answers", {"text": "New.", "disposition": ""})
    else:
        response = post_form(client, f"/standard-answers/{world['scope']}/remove")
    if role == "anonymous":
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login?next=")
    elif role != "secretariat":
        assert response.status_code == 403
    else:
        assert response.status_code == (200 if what in ("answer page", "standard answers") else 302)
    if role != "secretariat":
        assert (count(Response), count(StandardAnswer), audit_actions()) == before


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("answer", single("noted", "")),
        (BULK, bulk({1: 0}, "noted", "")),
        ("/standard-answers", {"text": "New.", "disposition": ""}),
        ("remove", {}),
    ],
)
def test_a_post_without_its_csrf_token_is_refused(
    staff: FlaskClient, world: dict[str, Any], url: str, data: dict[str, Any]
) -> None:
    url = {
        "answer": answer_url(world["proposing"]),
        "remove": f"/standard-answers/{world['scope']}/remove",
    }.get(url, url)
    if "comment" in data:
        data = bulk({world["proposing"]: 0}, "noted", "")
    before = (count(Response), count(StandardAnswer), audit_actions())
    response = staff.post(url, data=data)
    assert response.status_code == 400
    assert (count(Response), count(StandardAnswer), audit_actions()) == before


def test_an_unknown_comment_is_404(staff: FlaskClient, world: dict[str, Any]) -> None:
    get_page(staff, answer_url(99999), status=404)
    assert post_form(staff, answer_url(99999), single("noted", "")).status_code == 404
    assert count(Response) == 0


# --- the answer page ----------------------------------------------------------------


def test_the_answer_page_shows_the_comment_in_full_with_its_form(
    staff: FlaskClient, world: dict[str, Any]
) -> None:
    comment_id = world["proposing"]
    next_url = f"/documents/sample/matrix?round={world['round'].id}&page=2#comment-{comment_id}"
    page = get_page(
        staff, f"{answer_url(comment_id)}?next={next_url.replace('&', '%26').replace('#', '%23')}"
    )
    assert squash(page.find("h1").get_text()) == f"Answer to comment {world['numbers'][comment_id]}"
    facts = {
        squash(dt.get_text()): squash(dt.find_next_sibling("dd").get_text())
        for dt in page.select(".answer-facts dt")
    }
    assert facts == {
        "Organisation": "Beta Org",
        "Tracking no.": world["numbers"][comment_id],
        "Type of comment": "Substantive",
        "Clause": "Principle 1, paragraph 1",
    }
    clause_link = page.select_one(".answer-facts .clause a")
    assert clause_link["href"] == "/documents/sample/v1/clauses/principle-dignity-p1"
    assert "treated with dignity" in page.select_one(".clause-quote").get_text()
    body = page.select_one(".comment-body")
    assert body.get_text(strip=True) == "Drop the <b>border</b>." and body.find("b") is None
    diff = page.select_one(".proposed-diff")
    assert [squash(d.get_text()) for d in diff.find_all("del")] == ["deleted: at a border"]
    assert page.select_one(".diff-legend") is not None
    assert "Not answered yet." in page.select_one(".no-answer").get_text()
    form = page.find("form", action=answer_url(comment_id))
    assert form.find("input", attrs={"name": "csrf_token"})["value"]
    assert form.find("input", attrs={"name": "revision"})["value"] == "0"
    assert form.find("input", attrs={"name": "next"})["value"] == next_url
    for name in ("disposition", "standard_answer", "explanation"):
        control = form.find(attrs={"name": name})
        assert form.find("label", attrs={"for": control["id"]}) is not None, name
    dispositions = form.find("select", attrs={"name": "disposition"}).find_all("option")
    assert [o.get_text() for o in dispositions][1:] == [
        "Accepted",
        "Accepted in part",
        "Not accepted",
        "Noted",
        "Addressed elsewhere",
    ]
    offered = form.find("select", attrs={"name": "standard_answer"}).find_all("option")
    assert [(o["value"], o.get_text()) for o in offered] == [
        ("", "None"),
        (str(world["revised"]), "Addressed in the revised paragraph."),
        (str(world["scope"]), "Outside the scope of these Principles."),
    ]
    assert len(page.find_all("h1")) == 1


def test_the_answer_page_shows_the_current_answer_and_its_revision(
    staff: FlaskClient, world: dict[str, Any]
) -> None:
    comment_id = world["whole"]
    responses.respond(comment_id, "accepted", "Agreed.\n\nThanks.", world["colleague"])
    page = get_page(staff, answer_url(comment_id))
    current = page.select_one(".current-answer")
    assert current.select_one(".disposition").get_text() == "Accepted"
    assert "saved by Carla Colleague at 10 March 2026, 13:00 UTC" in squash(current.get_text())
    assert [p.get_text() for p in current.select(".explanation p")] == ["Agreed.", "Thanks."]
    assert page.select_one(".answer-facts .clause").get_text(strip=True) == "Whole document"
    form = page.find("form", action=answer_url(comment_id))
    assert form.find("input", attrs={"name": "revision"})["value"] == "1"
    assert form.find("option", selected=True)["value"] == "accepted"
    assert form.find("textarea").get_text().strip() == "Agreed.\n\nThanks."
    assert form.find("input", attrs={"name": "next"})["value"] == ""


def test_a_withdrawn_comment_is_shown_without_a_form_and_cannot_be_answered(
    staff: FlaskClient, world: dict[str, Any]
) -> None:
    comment_id = world["withdrawn"]
    page = get_page(staff, answer_url(comment_id))
    assert "withdrawn by its organisation" in page.select_one(".withdrawn-notice").get_text()
    assert page.find("form", action=answer_url(comment_id)) is None
    response = post_form(staff, answer_url(comment_id), single("noted", ""))
    assert response.status_code == 400
    assert "withdrawn" in soup(response).select_one(".warnings").get_text()
    assert stored(comment_id) is None


@pytest.mark.parametrize("evil", [None, "https://evil.example/", "//evil", "/\\evil", "/\t/evil"])
def test_saving_goes_back_to_next_only_when_it_is_a_local_path(
    staff: FlaskClient, world: dict[str, Any], evil: str | None
) -> None:
    comment_id = world["proposing"]
    data = single("accepted_in_part", "  Partly.\r\nSee below. ")
    if evil is not None:
        data["next"] = evil
    response = post_form(staff, answer_url(comment_id), data)
    assert response.status_code == 302
    expected = BACK if evil is None else answer_url(comment_id)
    assert response.headers["Location"] == expected
    assert stored(comment_id) == (
        "accepted_in_part",
        "Partly.\nSee below.",
        1,
        "secretariat@example.org",
    )
    assert audit_actions()[-1] == "response.create"
    page = get_page(staff, expected)
    assert flash_messages(page) == [f"The answer to {world['numbers'][comment_id]} is saved."]


def test_an_evil_next_given_to_the_page_is_not_carried(
    staff: FlaskClient, world: dict[str, Any]
) -> None:
    page = get_page(staff, answer_url(world["proposing"]) + "?next=//evil.example/x")
    assert page.select_one("main input[name=next]")["value"] == ""
    assert not any(a["href"].startswith("//") for a in page.find_all("a", href=True))


@pytest.mark.parametrize(
    ("disposition", "explanation", "revision", "field", "message"),
    [
        ("rejected", "Because.", 0, "disposition", "Choose a disposition from the list."),
        ("", "Because.", 0, "disposition", "Choose a disposition from the list."),
        ("accepted", "   ", 0, "explanation", "only “Noted” may go without"),
        ("accepted", "x" * (MAX_EXPLANATION + 1), 0, "explanation", "limited to 10,000"),
        ("accepted", "Because.", "", None, "The form is incomplete"),
        ("accepted", "Because.", "-1", None, "The form is incomplete"),
        ("accepted", "Because.", "two", None, "The form is incomplete"),
        ("accepted", "Because.", "²", None, "The form is incomplete"),
    ],
)
def test_a_bad_answer_is_shown_again_with_the_problem_and_the_text_typed(
    staff: FlaskClient,
    world: dict[str, Any],
    disposition: str,
    explanation: str,
    revision: object,
    field: str | None,
    message: str,
) -> None:
    comment_id = world["proposing"]
    before = audit_actions()
    response = post_form(staff, answer_url(comment_id), single(disposition, explanation, revision))
    assert response.status_code == 400
    page = soup(response)
    form = page.find("form", action=answer_url(comment_id))
    if field is None:
        assert message in page.select_one(".warnings[role=alert]").get_text()
    else:
        control = form.find(attrs={"name": field})
        error = page.find(id=f"{control['id']}-error")
        assert error is not None and message in error.get_text()
        assert control["aria-invalid"] == "true"
    if explanation.strip():
        assert form.find("textarea").get_text().strip() == explanation
    assert form.find("input", attrs={"name": "next"})["value"] == BACK
    assert stored(comment_id) is None and audit_actions() == before


def test_a_standard_answer_fills_what_was_left_empty(
    staff: FlaskClient, world: dict[str, Any]
) -> None:
    first, second, third = world["proposing"], world["later"], world["whole"]
    scope = str(world["scope"])
    post_form(staff, answer_url(first), single("", "", standard_answer=scope))
    assert stored(first) == (
        "not_accepted",
        "Outside the scope of these Principles.",
        1,
        "secretariat@example.org",
    )
    # What was chosen or typed wins over the standard answer.
    post_form(staff, answer_url(second), single("noted", "My own words.", standard_answer=scope))
    assert stored(second) == ("noted", "My own words.", 1, "secretariat@example.org")
    # A standard answer without a disposition still needs one chosen.
    revised = str(world["revised"])
    response = post_form(staff, answer_url(third), single("", "", standard_answer=revised))
    assert response.status_code == 400
    page = soup(response)
    assert "Choose a disposition" in page.find(id="disposition-error").get_text()
    assert page.find("textarea").get_text().strip() == "Addressed in the revised paragraph."
    assert stored(third) is None


def test_a_standard_answer_removed_meanwhile_is_refused(
    staff: FlaskClient, world: dict[str, Any]
) -> None:
    comment_id = world["proposing"]
    response = post_form(staff, answer_url(comment_id), single("", "", standard_answer="4242"))
    assert response.status_code == 400
    assert "removed meanwhile" in soup(response).find(id="standard_answer-error").get_text()
    assert stored(comment_id) is None


# --- two colleagues, one comment ---------------------------------------------------------


def test_the_second_of_two_colleagues_gets_the_conflict_page_then_may_save_theirs(
    app: Flask, client: FlaskClient, users: dict[str, User], world: dict[str, Any]
) -> None:
    comment_id = world["proposing"]
    number = world["numbers"][comment_id]
    carla = app.test_client()
    sign_in(carla, world["colleague"])
    sign_in(client, users["secretariat"])
    shown = {
        who: get_page(c, f"{answer_url(comment_id)}?next={BACK}")
        for who, c in (("carla", carla), ("me", client))
    }
    revision = {
        who: page.find("input", attrs={"name": "revision"})["value"] for who, page in shown.items()
    }
    assert revision == {"carla": "0", "me": "0"}
    first = post_form(carla, answer_url(comment_id), single("accepted", "Agreed.", 0))
    assert first.status_code == 302
    set_clock(app, client, T0 + timedelta(hours=2))
    before = audit_actions()
    second = post_form(client, answer_url(comment_id), single("not_accepted", "Out of scope.", 0))
    assert second.status_code == 409
    assert stored(comment_id) == ("accepted", "Agreed.", 1, "carla@example.org")
    assert audit_actions() == before
    page = soup(second)
    assert "not saved" in page.find("h1").get_text()
    conflict = page.find(id=f"conflict-{comment_id}")
    assert number in conflict.find("h2").get_text()
    assert "Drop the <b>border</b>." in conflict.select_one(".comment-body").get_text()
    theirs, yours = conflict.select_one(".theirs"), conflict.select_one(".yours")
    assert squash(theirs.find("h3").get_text()) == (
        "Saved meanwhile by Carla Colleague at 10 March 2026, 13:00 UTC"
    )
    assert theirs.select_one(".disposition").get_text() == "Accepted"
    assert theirs.select_one(".explanation").get_text(strip=True) == "Agreed."
    assert squash(yours.find("h3").get_text()) == "Yours (not saved)"
    assert yours.select_one(".disposition").get_text() == "Not accepted"
    assert yours.select_one(".explanation").get_text(strip=True) == "Out of scope."
    links = {squash(a.get_text(" ")): a["href"] for a in conflict.find_all("a")}
    assert links == {f"Keep theirs ({number})": BACK}
    # "Save mine instead" posts mine over theirs, naming the revision it was shown.
    form = conflict.find("form", action=answer_url(comment_id))
    assert form.find("button").get_text(" ", strip=True) == f"Save mine instead ({number})"
    fields = {i["name"]: i["value"] for i in form.find_all("input")}
    assert fields["revision"] == "1" and fields["csrf_token"]
    saved = client.post(answer_url(comment_id), data=fields)
    assert saved.status_code == 302 and saved.headers["Location"] == BACK
    assert stored(comment_id) == ("not_accepted", "Out of scope.", 2, "secretariat@example.org")
    assert audit_actions()[-1] == "response.edit"


def test_the_same_answer_saved_twice_is_no_conflict(
    app: Flask, client: FlaskClient, users: dict[str, User], world: dict[str, Any]
) -> None:
    comment_id = world["whole"]
    responses.respond(comment_id, "noted", "", world["colleague"], expected_revision=0)
    sign_in(client, users["secretariat"])
    response = post_form(client, answer_url(comment_id), single("noted", "", 0))
    assert response.status_code == 302
    assert stored(comment_id) == ("noted", "", 1, "carla@example.org")


# --- many at once ------------------------------------------------------------------------


def test_bulk_gives_the_ticked_comments_one_answer(
    staff: FlaskClient, world: dict[str, Any]
) -> None:
    first, second, untouched = world["proposing"], world["later"], world["whole"]
    data = bulk({first: 0, second: 0}, "", "", standard_answer=str(world["scope"]))
    data[f"revision-{untouched}"] = 0  # on the page, not ticked
    response = post_form(staff, BULK, data)
    assert response.status_code == 302 and response.headers["Location"] == BACK
    text = "Outside the scope of these Principles."
    for comment_id in (first, second):
        assert stored(comment_id) == ("not_accepted", text, 1, "secretariat@example.org")
    assert stored(untouched) is None
    assert audit_actions()[-2:] == ["response.create", "response.create"]
    assert flash_messages(get_page(staff, BACK)) == ["2 answers are saved."]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"comment": []}, "tick the comments to answer first"),
        ({"disposition": ""}, "Choose a disposition from the list."),
        ({"disposition": "rejected"}, "Choose a disposition from the list."),
        ({"explanation": "  "}, "Explain the disposition"),
        ({"standard_answer": "4242"}, "removed meanwhile"),
        ({"revision-X": None}, "the form was incomplete"),
        ({"comment": ["abc"]}, "the form was incomplete"),
        ({"comment": ["²"]}, "the form was incomplete"),
    ],
)
def test_a_bad_bulk_answer_saves_nothing_and_says_why(
    staff: FlaskClient, world: dict[str, Any], data: dict[str, Any], message: str
) -> None:
    first = world["proposing"]
    form = bulk({first: 0}, "accepted", "Agreed.")
    for key, value in data.items():
        if key == "revision-X":
            del form[f"revision-{first}"]
        else:
            form[key] = value
    before = audit_actions()
    response = post_form(staff, BULK, form)
    assert response.status_code == 302 and response.headers["Location"] == BACK
    shown = flash_messages(get_page(staff, BACK))
    assert len(shown) == 1 and shown[0].startswith("Nothing was saved")
    assert message in shown[0]
    assert count(Response) == 0 and audit_actions() == before


@pytest.mark.parametrize("evil", ["https://evil.example/", "//evil", ""])
def test_bulk_never_goes_back_to_another_site(
    staff: FlaskClient, world: dict[str, Any], evil: str
) -> None:
    response = post_form(staff, BULK, bulk({world["whole"]: 0}, "noted", "", next=evil))
    assert response.status_code == 302 and response.headers["Location"] == "/rounds"
    nothing = post_form(staff, BULK, bulk({}, "noted", "", next=evil))
    assert nothing.headers["Location"] == "/rounds"


def test_bulk_names_the_refused_rows_and_shows_the_conflicts(
    staff: FlaskClient, world: dict[str, Any]
) -> None:
    first, taken, withdrawn = world["proposing"], world["later"], world["withdrawn"]
    numbers = world["numbers"]
    responses.respond(taken, "accepted", "Agreed.", world["colleague"], expected_revision=0)
    response = post_form(
        staff, BULK, bulk({first: 0, taken: 0, withdrawn: 0}, "noted", "Thank you.")
    )
    assert response.status_code == 409
    page = soup(response)
    assert flash_messages(page) == [
        "1 answer is saved.",
        f"Not saved: {numbers[withdrawn]} (this comment was withdrawn: it needs no answer).",
    ]
    conflicts = page.select("article.conflict")
    assert [c["id"] for c in conflicts] == [f"conflict-{taken}"]
    assert conflicts[0].select_one(".theirs .explanation").get_text(strip=True) == "Agreed."
    assert conflicts[0].select_one(".yours .explanation").get_text(strip=True) == "Thank you."
    form = conflicts[0].find("form")
    assert form["action"] == answer_url(taken)
    assert form.find("input", attrs={"name": "next"})["value"] == BACK
    assert stored(first) == ("noted", "Thank you.", 1, "secretariat@example.org")
    assert stored(taken) == ("accepted", "Agreed.", 1, "carla@example.org")
    assert stored(withdrawn) is None


def test_bulk_on_an_unknown_comment_names_it(staff: FlaskClient, world: dict[str, Any]) -> None:
    response = post_form(staff, BULK, bulk({99999: 0, world["whole"]: 0}, "noted", ""))
    assert response.status_code == 302
    assert flash_messages(get_page(staff, BACK)) == [
        "1 answer is saved.",
        "Not saved: #99999 (there is no such comment).",
    ]


# --- standard answers -------------------------------------------------------------------


def test_the_standard_answers_page_lists_them_with_the_add_form(
    staff: FlaskClient, world: dict[str, Any]
) -> None:
    page = get_page(staff, "/standard-answers")
    table = page.select_one("table.standard-answers")
    assert [squash(th.get_text()) for th in table.select("thead th")] == [
        "Text of the answer",
        "Disposition it goes with",
        "Added",
        "Actions",
    ]
    assert all(th["scope"] == "col" for th in table.select("thead th"))
    assert table.find("caption") is not None
    rows = [
        [squash(td.get_text()) for td in tr.find_all("td")[:2]] for tr in table.select("tbody tr")
    ]
    assert rows == [
        ["Addressed in the revised paragraph.", "None"],
        ["Outside the scope of these Principles.", "Not accepted"],
    ]
    button = table.find("form", action=f"/standard-answers/{world['scope']}/remove").find("button")
    assert squash(button.get_text(" ")) == (
        "Remove the standard answer “Outside the scope of these Principles.”"
    )
    form = page.find("form", action="/standard-answers")
    for name in ("text", "disposition"):
        control = form.find(attrs={"name": name})
        assert form.find("label", attrs={"for": control["id"]}) is not None


def test_adding_and_removing_a_standard_answer(staff: FlaskClient, world: dict[str, Any]) -> None:
    response = post_form(
        staff, "/standard-answers", {"text": "  Noted with thanks.\r\n", "disposition": "noted"}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/standard-answers"
    fresh()
    added = db.session.scalar(
        select(StandardAnswer).where(StandardAnswer.text == "Noted with thanks.")
    )
    assert added is not None and added.disposition == "noted"
    added_id = added.id
    page = get_page(staff, "/standard-answers")
    assert flash_messages(page) == ["The standard answer is saved."]
    assert "Noted with thanks." in page.select_one("table.standard-answers").get_text()
    removed = post_form(staff, f"/standard-answers/{added_id}/remove")
    assert removed.status_code == 302
    page = get_page(staff, "/standard-answers")
    assert flash_messages(page) == ["The standard answer “Noted with thanks.” is removed."]
    assert "Noted with thanks." not in page.select_one("table.standard-answers").get_text()
    assert audit_actions()[-2:] == ["standard_answer.create", "standard_answer.remove"]
    missing = post_form(staff, f"/standard-answers/{added_id}/remove")
    assert missing.status_code == 404


@pytest.mark.parametrize(
    ("text", "disposition", "field", "message"),
    [
        ("   ", "", "text", "Write the text of the standard answer."),
        ("x" * 2001, "", "text", "limited to 2,000 characters"),
        ("outside the scope of these principles.", "", "text", "saved already"),
        ("Fine.", "rejected", "disposition", "Choose a disposition from the list, or none."),
    ],
)
def test_a_bad_standard_answer_is_shown_again_with_the_problem(
    staff: FlaskClient, world: dict[str, Any], text: str, disposition: str, field: str, message: str
) -> None:
    before = (count(StandardAnswer), audit_actions())
    response = post_form(staff, "/standard-answers", {"text": text, "disposition": disposition})
    assert response.status_code == 400
    page = soup(response)
    control = page.find(attrs={"name": field})
    error = page.find(id=f"{control['id']}-error")
    assert error is not None and message in error.get_text()
    if text.strip():
        assert page.find("textarea", attrs={"name": "text"}).get_text().strip() == text
    assert (count(StandardAnswer), audit_actions()) == before


@pytest.mark.parametrize("role", ["secretariat", "stakeholder", "drafter", "admin"])
def test_only_the_secretariat_finds_the_standard_answers_in_the_menu(
    client: FlaskClient, users: dict[str, User], world: dict[str, Any], role: str
) -> None:
    sign_in(client, users[role])
    page = get_page(client, "/rounds")
    links = [a["href"] for a in page.select("header.site nav a")]
    assert ("/standard-answers" in links) == (role == "secretariat")


def test_a_row_form_without_standard_answers_or_next_saves(
    staff: FlaskClient, world: dict[str, Any]
) -> None:
    """The matrix's row form leaves out the standard answers when there are none."""
    comment_id = world["later"]
    data = {"disposition": "noted", "explanation": "", "revision": "0"}
    response = post_form(staff, answer_url(comment_id), data)
    assert response.status_code == 302
    assert response.headers["Location"] == answer_url(comment_id)
    assert stored(comment_id) == ("noted", "", 1, "secretariat@example.org")
