"""The language of the interface: the person's choice (kept in their account), else the
browser's Accept-Language, else the platform's default; a switch on every page."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from consult.extensions import db
from consult.models import Comment, User
from tests.web.support import csrf_token, fresh, get_page, login, post_form, sign_in, soup
from tests.web.test_comments import make_setup, post_comment, signed_in


def _page_language(client: FlaskClient, url: str = "/login", **headers: str) -> tuple[str, str]:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, (url, response.status_code)
    html = soup(response).html
    assert html is not None
    return str(html["lang"]), str(html["dir"])


def _choose(client: FlaskClient, code: str, back: str = "/login") -> str:
    response = post_form(client, "/language", {"language": code, "next": back})
    assert response.status_code == 303
    return response.headers["Location"]


def _stored_language(user: User) -> str:
    fresh()
    stored = db.session.get(User, user.id)
    assert stored is not None
    return stored.language


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("", ("en", "ltr")),
        ("fr-CH, fr;q=0.9, en;q=0.8", ("fr", "ltr")),
        ("zh-CN,zh;q=0.9", ("zh", "ltr")),
        ("ar-EG", ("ar", "rtl")),
        ("es-419", ("es", "ltr")),
        ("ru", ("ru", "ltr")),
        ("de-DE, de;q=0.9", ("en", "ltr")),  # not one of ours: the platform's default
        ("de;q=0.9, ru;q=0.5", ("ru", "ltr")),  # the best of ours that the browser accepts
    ],
)
def test_without_a_choice_the_browser_decides(
    client: FlaskClient, header: str, expected: tuple[str, str]
) -> None:
    headers = {"Accept-Language": header} if header else {}
    assert _page_language(client, **headers) == expected


def test_the_platform_default_applies_when_the_browser_says_nothing_we_have(
    client: FlaskClient,
) -> None:
    config = client.application.config
    config["BABEL_DEFAULT_LOCALE"] = "fr"
    try:
        assert _page_language(client, **{"Accept-Language": "de"}) == ("fr", "ltr")
    finally:
        config["BABEL_DEFAULT_LOCALE"] = "en"


def test_a_visitor_chooses_and_the_choice_beats_the_browser(client: FlaskClient) -> None:
    assert _choose(client, "ar", "/login?next=/rounds") == "/login?next=/rounds"
    assert _page_language(client, **{"Accept-Language": "fr"}) == ("ar", "rtl")


def test_the_switch_is_on_every_page_and_marks_the_current_language(
    client: FlaskClient, users: dict[str, User]
) -> None:
    for url in ("/login",):
        page = get_page(client, url)
        switch = page.select_one("form.languages")
        assert switch is not None and switch["action"] == "/language"
        current = switch.select_one("[aria-current=true]")
        assert current is not None and current.get_text() == "English"
        buttons = {b["value"]: (b.get_text(), b["lang"], b["dir"]) for b in switch.select("button")}
        assert buttons == {
            "ar": ("العربية", "ar", "rtl"),
            "zh": ("中文", "zh", "ltr"),
            "fr": ("Français", "fr", "ltr"),
            "ru": ("Русский", "ru", "ltr"),
            "es": ("Español", "es", "ltr"),
        }
        assert switch.select_one("input[name=next]")["value"] == url  # type: ignore[index]
    sign_in(client, users["stakeholder"])
    page = get_page(client, "/rounds?page=1")
    switch = page.select_one("form.languages")
    assert switch is not None
    assert switch.select_one("input[name=next]")["value"] == "/rounds?page=1"  # type: ignore[index]


@pytest.mark.parametrize("role", ["stakeholder", "secretariat", "drafter", "admin"])
def test_each_role_s_choice_is_kept_in_the_account(
    app: Flask, users: dict[str, User], role: str
) -> None:
    person = users[role]
    first = app.test_client()
    sign_in(first, person)
    assert _choose(first, "es", "/") == "/"
    assert _stored_language(person) == "es"
    assert _page_language(first, "/", **{"Accept-Language": "fr"}) == ("es", "ltr")
    # Another device, whose browser prefers French: the account's choice follows the person.
    second = app.test_client()
    sign_in(second, person)
    assert _page_language(second, "/", **{"Accept-Language": "fr"}) == ("es", "ltr")


def test_a_choice_made_before_signing_in_is_adopted_by_an_account_without_one(
    client: FlaskClient, users: dict[str, User]
) -> None:
    _choose(client, "zh")
    sign_in(client, users["stakeholder"])
    assert _stored_language(users["stakeholder"]) == "zh"
    assert _page_language(client, "/") == ("zh", "ltr")


@pytest.mark.parametrize(
    ("chosen_before_signing_in", "expected"),
    [("fr", "fr"), (None, "ru")],  # the latest choice wins; without one, the account's
)
def test_an_account_s_language_and_a_choice_made_on_the_sign_in_page(
    app: Flask,
    client: FlaskClient,
    users: dict[str, User],
    chosen_before_signing_in: str | None,
    expected: str,
) -> None:
    person = users["secretariat"]
    elsewhere = app.test_client()
    sign_in(elsewhere, person)
    _choose(elsewhere, "ru", "/")
    if chosen_before_signing_in is not None:
        _choose(client, chosen_before_signing_in)
    sign_in(client, person)
    assert _stored_language(person) == expected
    assert _page_language(client, "/", **{"Accept-Language": "es"}) == (expected, "ltr")


def test_on_a_shared_computer_the_last_person_s_language_is_not_given_to_the_next(
    client: FlaskClient, users: dict[str, User]
) -> None:
    sign_in(client, users["drafter"])
    _choose(client, "ar", "/")
    assert post_form(client, "/logout").status_code == 302
    assert _page_language(client) == ("ar", "rtl")  # the sign-in page goes on in Arabic
    sign_in(client, users["stakeholder"])
    assert _stored_language(users["stakeholder"]) == ""
    assert _page_language(client, "/", **{"Accept-Language": "es"}) == ("es", "ltr")


def test_signing_out_keeps_the_language_for_the_sign_in_page(
    client: FlaskClient, users: dict[str, User]
) -> None:
    sign_in(client, users["drafter"])
    _choose(client, "ar", "/")
    response = post_form(client, "/logout")
    assert response.status_code == 302
    assert _page_language(client, **{"Accept-Language": "en"}) == ("ar", "rtl")


def test_an_unknown_language_is_refused_with_a_message_and_nothing_kept(
    client: FlaskClient, users: dict[str, User]
) -> None:
    sign_in(client, users["stakeholder"])
    for code in ("xx", "", "EN", "fr-FR", "de"):
        location = _choose(client, code, "/rounds")
        assert location == "/rounds"
        page = get_page(client, location)
        assert "There is no interface in that language." in page.get_text()
    assert _stored_language(users["stakeholder"]) == ""
    assert _page_language(client, "/") == ("en", "ltr")


@pytest.mark.parametrize(
    "back",
    ["https://elsewhere.example/", "//elsewhere.example/x", "javascript:alert(1)", "", "rounds"],
)
def test_the_way_back_stays_on_this_site(client: FlaskClient, back: str) -> None:
    assert _choose(client, "fr", back) == "/"


def test_the_switch_needs_the_page_s_form_token(client: FlaskClient) -> None:
    csrf_token(client)  # the session exists, but the token is not sent
    response = client.post("/language", data={"language": "fr", "next": "/login"})
    assert response.status_code == 400
    assert _page_language(client) == ("en", "ltr")


def test_signing_in_with_a_chosen_language_on_a_fresh_client(
    app: Flask, users: dict[str, User]
) -> None:
    """The sign-in form itself, posted after a choice, keeps it."""
    client = app.test_client()
    _choose(client, "fr")
    assert login(client, users["admin"].email).status_code == 302
    assert _page_language(client, "/") == ("fr", "ltr")


def test_numbers_follow_the_language_and_typed_text_finds_its_own_direction(
    app: Flask, users: dict[str, User]
) -> None:
    setup = make_setup()
    client = signed_in(app, users["stakeholder"])
    _choose(client, "fr", "/")
    too_long = post_comment(client, setup.round.id, "principle-dignity", body="x" * 10_001)
    assert too_long.status_code == 200
    error = soup(too_long).find(id="body-error")
    assert error is not None
    said = error.get_text().replace("\u202f", " ").replace("\u00a0", " ")
    assert "10 001" in said and "10 000" in said, said
    # A comment written in Arabic on a page in another language runs right to left.
    stored = post_comment(
        client, setup.round.id, "principle-dignity", body="نقترح توضيح هذه الفقرة."
    )
    assert stored.status_code == 303
    page = get_page(client, stored.headers["Location"])
    body = page.select_one(".comment-body")
    assert body is not None and body["dir"] == "auto"
    assert "نقترح توضيح هذه الفقرة." in body.get_text()
    form = get_page(client, f"/rounds/{setup.round.id}/comment?clause=principle-dignity")
    for name in ("body", "proposed_text"):
        area = form.find("textarea", attrs={"name": name})
        assert area is not None and area["dir"] == "auto"


def test_a_comment_carries_the_language_it_is_written_in(
    app: Flask, users: dict[str, User]
) -> None:
    setup = make_setup()
    client = signed_in(app, users["stakeholder"])
    # On English pages: the script decides where it can; a Latin text is taken as English.
    for body in (
        "Nous proposons de préciser ce paragraphe.",
        "نقترح توضيح هذه الفقرة.",
        "我们建议澄清本段。",
        "Предлагаем уточнить этот пункт.",
    ):
        assert (
            post_comment(client, setup.round.id, "principle-dignity", body=body).status_code == 303
        )
    _choose(client, "es", "/")
    assert (
        post_comment(
            client, setup.round.id, "principle-dignity", body="Proponemos aclarar este párrafo."
        ).status_code
        == 303
    )
    fresh()
    stored = {c.body: c.language for c in db.session.query(Comment)}
    assert stored == {
        "Nous proposons de préciser ce paragraphe.": "en",
        "نقترح توضيح هذه الفقرة.": "ar",
        "我们建议澄清本段。": "zh",
        "Предлагаем уточнить этот пункт.": "ru",
        "Proponemos aclarar este párrafo.": "es",
    }
    page = get_page(client, f"/rounds/{setup.round.id}/comments")
    langs = {b.get_text(strip=True): b.get("lang") for b in page.select(".comment-body")}
    assert langs["نقترح توضيح هذه الفقرة."] == "ar"
    assert langs["Proponemos aclarar este párrafo."] == "es"
