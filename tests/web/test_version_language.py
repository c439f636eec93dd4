"""A version's language: said on the upload form, read from the front matter or guessed
from its words, confirmed by the drafter, and followed by the pages."""

from __future__ import annotations

import io

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from consult.extensions import db
from consult.models import AuditEvent, Version
from tests import factories
from tests.web.support import fresh, get_page, post_form, sign_in, soup

FRENCH = """# Principes

## Principe 1 : Dignité

Les États veillent à ce que toute personne soit traitée avec dignité et que les droits
des migrants soient respectés dans les zones frontalières, pour tous et dans tous les cas.
"""

ENGLISH = """# Principles

## Principle 1: Dignity

States shall ensure that everyone is treated with dignity and that the rights of all
migrants are respected at the border, for all and in all cases, by the authorities.
"""


def new_document(
    client: FlaskClient, text: str, language: str = "", slug: str = "p", other: str = ""
):
    page = get_page(client, "/documents/new")
    token = page.select_one("main form input[name=csrf_token]")["value"]
    return client.post(
        "/documents/new",
        data={
            "csrf_token": token,
            "slug": slug,
            "language": language,
            "other_language": other,
            "draft_file": (io.BytesIO(text.encode()), "draft.md"),
        },
        content_type="multipart/form-data",
    )


def stored_language() -> str:
    fresh()
    version = db.session.scalar(select(Version))
    assert version is not None
    return version.text_language


@pytest.mark.parametrize(
    ("text", "chosen", "expected"),
    [
        (FRENCH, "", "fr"),  # guessed from its words
        (ENGLISH, "", "en"),
        (ENGLISH, "es", "es"),  # the drafter's word wins over a guess
        ("---\nlanguage: ru\n---\n" + ENGLISH, "", "ru"),  # the front matter's too
        ("# Принципы\n\nГосударства обеспечивают права мигрантов.\n", "", "ru"),
    ],
)
def test_the_language_of_a_new_version(client, users, text, chosen, expected) -> None:
    sign_in(client, users["drafter"])
    response = new_document(client, text, chosen)
    assert response.status_code == 302
    assert stored_language() == expected
    preview = get_page(client, response.headers["Location"])
    selected = preview.select_one("#language select option[selected]")
    assert selected is not None and selected["value"] == expected


@pytest.mark.parametrize(
    ("text", "chosen", "message"),
    [
        ("---\nlanguage: fr\n---\n" + FRENCH, "ar", "front matter says its language is “fr”"),
        (ENGLISH, "klingon", "Choose one of the languages of the platform."),
    ],
)
def test_a_language_that_cannot_be_is_refused(client, users, text, chosen, message) -> None:
    sign_in(client, users["drafter"])
    response = new_document(client, text, chosen)
    assert response.status_code == 200
    assert message in soup(response).get_text()
    fresh()
    assert db.session.scalar(select(Version)) is None


@pytest.mark.parametrize(
    ("interface", "said"),
    [
        ("ru", "но вы указали, что он написан на арабском языке."),
        ("fr", "mais vous avez indiqué qu’il est rédigé en arabe."),
        ("es", "pero usted indicó que está redactado en árabe."),
        ("ar", "لكنك اخترت العربية."),
        ("en", "but you chose Arabic."),
    ],
)
def test_the_refusal_names_the_language_as_a_sentence_of_the_reader_takes_it(
    client, users, interface, said
) -> None:
    """Russian wants "на арабском языке", not the name as it stands alone ("арабский")."""
    sign_in(client, users["drafter"])
    post_form(client, "/language", {"language": interface, "next": "/"})
    response = new_document(client, "---\nlanguage: fr\n---\n" + FRENCH, "ar")
    assert response.status_code == 200
    assert said in " ".join(soup(response).get_text().split())


def test_the_drafter_corrects_the_language_before_publishing(client, users) -> None:
    sign_in(client, users["drafter"])
    new_document(client, ENGLISH)
    response = post_form(client, "/documents/p/v1/language", {"language": "fr"})
    assert response.status_code == 302
    assert stored_language() == "fr"
    fresh()
    event = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event is not None and event.action == "version.language"
    assert post_form(client, "/documents/p/v1/language", {"language": "xx"}).status_code == 302
    assert stored_language() == "fr"
    fresh()
    version = db.session.scalar(select(Version))
    assert version is not None
    post_form(client, "/documents/p/v1/publish", {"confirm": "yes"})
    refused = post_form(client, "/documents/p/v1/language", {"language": "en"})
    page = get_page(client, refused.headers["Location"])
    assert "its language can no longer be changed" in page.get_text()
    assert stored_language() == "fr"
    # Readers' pages follow it.
    text = get_page(client, "/documents/p/v1").select_one("#clauses")
    assert text["lang"] == "fr"


GERMAN = """# Gesetz

## § 1 Zweck

Dieses Gesetz dient der Steuerung und Begrenzung des Zuzugs von Ausländern in die
Bundesrepublik Deutschland und regelt die Aufenthalte.
"""


@pytest.mark.parametrize(
    ("chosen", "typed", "expected"),
    [
        ("", "de", "de"),
        ("en", "de", "de"),  # a typed code is taken before the list
        ("", " pt_br ", "pt-BR"),  # written as a tag is usually written
        ("", "", "en"),  # no guess for German: the document's language, to correct
    ],
)
def test_a_language_outside_the_six_by_its_code(client, users, chosen, typed, expected) -> None:
    sign_in(client, users["drafter"])
    response = new_document(client, GERMAN, chosen, other=typed)
    assert response.status_code == 302
    assert stored_language() == expected
    preview = get_page(client, response.headers["Location"])
    selected = preview.select_one("#language select option[selected]")
    assert selected is not None and selected["value"] == expected


@pytest.mark.parametrize("typed", ["klingon", "xx", "de-", "x" * 40])
def test_a_code_that_names_no_language_is_refused(client, users, typed) -> None:
    sign_in(client, users["drafter"])
    response = new_document(client, GERMAN, other=typed)
    assert response.status_code == 200
    page = soup(response)
    error = page.select_one("#other_language-error")
    assert error is not None
    assert "not a language code" in error.get_text() or "35" in error.get_text()
    fresh()
    assert db.session.scalar(select(Version)) is None


def test_the_drafter_corrects_a_german_law_to_german(client, users) -> None:
    sign_in(client, users["drafter"])
    new_document(client, GERMAN)
    assert stored_language() == "en"
    bad = post_form(client, "/documents/p/v1/language", {"language": "en", "other_language": "xx"})
    # Back to the top of the preview, where the message is.
    assert bad.headers["Location"].endswith("/documents/p/v1/preview")
    page = get_page(client, bad.headers["Location"])
    assert "“xx” is not a language code." in page.get_text()
    assert stored_language() == "en"
    post_form(client, "/documents/p/v1/language", {"language": "en", "other_language": "de"})
    assert stored_language() == "de"
    page = get_page(client, "/documents/p/v1/preview")
    option = page.select_one("#language select option[selected]")
    assert option is not None and option["value"] == "de"
    assert option.get_text() == "German (de)"
    # Readers' pages say the text is German.
    post_form(client, "/documents/p/v1/publish", {"confirm": "yes"})
    assert get_page(client, "/documents/p/v1").select_one("#clauses")["lang"] == "de"


@pytest.mark.parametrize("role", ["stakeholder", "secretariat", "admin"])
def test_only_drafters_say_a_version_language(client, users, role) -> None:
    factories.version(ENGLISH, slug="p", publish=False)
    sign_in(client, users[role])
    response = post_form(client, "/documents/p/v1/language", {"language": "fr"})
    assert response.status_code == 403
    assert stored_language() == "en"
