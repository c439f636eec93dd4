"""The consolidated PDF in any language of the version: its text, and its own words."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from consult.models import User, Version
from consult.services import translations
from tests import factories
from tests.web.support import get_page, post_form, sign_in, soup
from tests.web.test_language_versions import SMALL, SMALL_2, SMALL_FR, SMALL_FR_2
from tests.web.test_pdf_pages import pdf_text, wait_for_job


def with_french(text: str, french: str, drafter: User) -> Version:
    version = factories.version(text, slug="small")
    translation, _w = translations.add_translation(version, french.encode(), language="fr")
    translations.publish_translation(translation, drafter)
    return version


@pytest.fixture
def two(app: Flask, users: dict[str, User], job_children: list[int]) -> None:
    with_french(SMALL, SMALL_FR, users["drafter"])
    with_french(SMALL_2, SMALL_FR_2, users["drafter"])


def made(client: FlaskClient, number: int, tmp_path, **data: str) -> tuple[str, str]:
    """Ask for a PDF, wait for it, and return its file name and its text."""
    response = post_form(client, f"/documents/small/v{number}/pdf", data)
    assert response.status_code == 303, soup(response).select_one("main").get_text()
    location = response.headers["Location"]
    if not location.endswith("/file"):
        wait_for_job(client, location)
        location = location + "/file"
    download = client.get(location)
    assert download.status_code == 200
    name = download.headers["Content-Disposition"]
    return name, pdf_text(download.data, tmp_path)


@pytest.mark.parametrize("role", ["stakeholder", "secretariat", "drafter", "admin"])
def test_the_form_offers_the_languages_of_the_version(client, users, two, role) -> None:
    sign_in(client, users[role])
    page = get_page(client, "/documents/small/v2/pdf")
    options = page.select("select[name=language] option")
    assert [o.get_text() for o in options] == ["English", "Français"]
    assert page.select_one("select[name=language] option[selected]")["value"] == "en"
    post_form(client, "/language", {"language": "fr", "next": "/"})
    page = get_page(client, "/documents/small/v2/pdf")
    assert page.select_one("select[name=language] option[selected]")["value"] == "fr"


def test_a_french_pdf_is_french_throughout(client, users, two, tmp_path) -> None:
    sign_in(client, users["stakeholder"])
    name, text = made(client, 2, tmp_path, variant="clean", language="fr")
    assert name.endswith('-fr.pdf"') or "-fr.pdf" in name
    assert "Principes relatifs aux frontières" in text
    assert "Les États offrent des recours rapides et utiles." in text
    assert "States shall provide" not in text
    # Its own words are French too, though the reader's pages are in English.
    assert "Texte seul" in text and "PROJET : POUR CONSULTATION" in text and "sur 3" in text
    assert "Clean text" not in text


def test_the_changes_are_marked_in_french_against_the_french_text(
    client, users, two, tmp_path
) -> None:
    sign_in(client, users["secretariat"])
    _name, text = made(client, 2, tmp_path, variant="changes", against="1", language="fr")
    assert "rapides et" in text
    assert "prompt" not in text


def test_an_english_pdf_asked_for_in_arabic_has_english_words(client, users, two, tmp_path) -> None:
    sign_in(client, users["stakeholder"])
    post_form(client, "/language", {"language": "ar", "next": "/"})
    _name, text = made(client, 1, tmp_path, variant="clean", language="en")
    assert "Clean text" in text and "Everyone at a border" in text
    assert "النص" not in text


@pytest.mark.parametrize("language", ["ar", "xx", "zh"])
def test_a_language_the_version_lacks_is_refused(client, users, two, language) -> None:
    sign_in(client, users["stakeholder"])
    response = post_form(
        client, "/documents/small/v1/pdf", {"variant": "clean", "language": language}
    )
    assert response.status_code == 400
    assert "Choose one of the languages of this version." in soup(response).get_text()
