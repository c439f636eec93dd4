"""A published version's text in other languages: adding it, tying its clauses, reading it.

Uses the sample principles in drafts/ and their French and Arabic texts,
which have the same structure but none of the original's explicit keys.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from consult.extensions import db
from consult.models import (
    AuditEvent,
    Comment,
    ImmutableVersionError,
    TranslatedClause,
    Translation,
    User,
    Version,
)
from consult.services import translations
from consult.services.errors import Refused, ServiceError
from tests import factories
from tests.web.support import fresh, get_page, post_form, sign_in, soup

DRAFTS = Path(__file__).resolve().parents[2] / "drafts" / "human-rights-borders"
ENGLISH = (DRAFTS / "v3.md").read_text(encoding="utf-8")
FRENCH = (DRAFTS / "v3.fr.md").read_bytes()

SMALL = """---
language: en
---
# Border Principles

## Principle 1: Dignity {#dignity}

Everyone at a border shall be treated with dignity.

## Principle 2: Remedies {#remedies}

1. States shall provide effective remedies.
2. Remedies shall be accessible.
"""

SMALL_FR = """---
language: fr
---
# Principes relatifs aux frontières

## Principe 1 : Dignité

Toute personne à une frontière est traitée avec dignité.

## Principe 2 : Recours

1. Les États offrent des recours utiles.
2. Les recours sont accessibles.
"""


def small_version() -> Version:
    return factories.version(SMALL, slug="small")


def upload(client: FlaskClient, version: Version, data: bytes, language: str, name: str = "t.md"):
    url = f"/documents/{version.document.slug}/v{version.number}/translations/new"
    return client.post(
        url,
        data={
            "csrf_token": _token(client, url),
            "language": language,
            "draft_file": (io.BytesIO(data), name),
        },
        content_type="multipart/form-data",
    )


def _token(client: FlaskClient, url: str) -> str:
    page = get_page(client, url)
    field = page.select_one("main form input[name=csrf_token]")
    assert field is not None
    return str(field["value"])


def test_pairing_ties_every_french_clause_to_the_english_one_it_renders(app, users) -> None:
    version = factories.version(ENGLISH, slug="human-rights-borders")
    translation, _warnings = translations.add_translation(
        version, FRENCH, language="fr", actor=users["drafter"]
    )
    fresh()
    tied = {c.number or c.own_key: c.original_key for c in translation.clauses}
    assert None not in tied.values()
    assert len(translation.clauses) == len(version.clauses)
    by_key = {c.key: c for c in version.clauses}
    # The French file has no explicit keys: "Principe 4" is tied by structure to the
    # English Principle 4, whose key is its own ("principle-non-refoulement").
    assert tied["Principe 4"] == "principle-non-refoulement"
    assert by_key[tied["Ligne directrice 6"]].number == "Guideline 6"
    for clause in translation.clauses:
        original = by_key[clause.original_key]
        assert original.kind == clause.kind
        assert original.number.split()[-1:] == clause.number.split()[-1:]


def test_a_drafter_adds_ties_and_publishes_a_french_text(client, users) -> None:
    version = small_version()
    sign_in(client, users["drafter"])
    response = upload(client, version, SMALL_FR.encode(), "fr")
    assert response.status_code == 302
    preview = get_page(client, response.headers["Location"])
    assert preview.select_one("#summary-unpaired").get_text() == "0"
    assert preview.select_one("#summary-untranslated").get_text() == "0"
    rows = preview.select("table.pairing tbody tr")
    assert [r.select_one("input")["value"] for r in rows] == [
        "dignity",
        "dignity-p1",
        "remedies",
        "remedies.1",
        "remedies.2",
    ]
    # Nobody but the drafter sees a draft text: the version page offers no French yet.
    page = get_page(client, "/documents/small/v1")
    assert page.select_one(".text-languages") is None
    done = post_form(client, "/documents/small/v1/translations/fr/publish")
    assert done.status_code == 302
    assert done.headers["Location"].endswith("/documents/small/v1?text=fr")
    fresh()
    translation = db.session.scalar(select(Translation))
    assert translation is not None and translation.is_published
    actions = list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions[-2:] == ["translation.add", "translation.publish"]


def publish_french(version: Version, drafter: User) -> Translation:
    translation, _warnings = translations.add_translation(
        version, SMALL_FR.encode(), language="fr", actor=drafter
    )
    return translations.publish_translation(translation, drafter)


@pytest.mark.parametrize("role", ["stakeholder", "secretariat", "drafter", "admin"])
def test_every_reader_reads_the_version_in_french_and_side_by_side(client, users, role) -> None:
    version = small_version()
    publish_french(version, users["drafter"])
    sign_in(client, users[role])
    english = get_page(client, "/documents/small/v1")
    assert "Everyone at a border" in english.select_one("#clauses").get_text()
    links = english.select(".text-languages a[href*='text=']")
    assert [a.get_text() for a in links] == ["English", "Français"]
    french = get_page(client, "/documents/small/v1?text=fr")
    text = french.select_one("#clauses")
    assert text["lang"] == "fr"
    assert "Toute personne à une frontière" in text.get_text()
    assert "Everyone" not in text.get_text()
    assert french.select_one("h1").get_text() == "Principes relatifs aux frontières"
    # Links to a clause keep the language chosen.
    assert french.select_one(".permalink")["href"].endswith("?text=fr")
    both = get_page(client, "/documents/small/v1?text=fr&beside=en")
    rows = both.select(".parallel-row:not(.parallel-head)")
    assert len(rows) == 5
    cells = rows[1].select(".parallel-cell")
    assert cells[0]["lang"] == "fr" and "Toute personne" in cells[0].get_text()
    assert cells[1]["lang"] == "en" and "Everyone at a border" in cells[1].get_text()
    clause = get_page(client, "/documents/small/v1/clauses/remedies.1?text=fr")
    assert "Les États offrent des recours utiles." in clause.select_one(".clause-page").get_text()
    # Its breadcrumbs, pager and way back to the whole text keep the language.
    for link in clause.select("nav.breadcrumbs li a, nav.pager a, p.in-context a"):
        if "/documents/small/v1" in link["href"]:
            assert "text=fr" in link["href"], link["href"]


def test_the_interface_language_chooses_the_text_when_the_version_has_it(client, users) -> None:
    version = small_version()
    publish_french(version, users["drafter"])
    sign_in(client, users["stakeholder"])
    post_form(client, "/language", {"language": "fr", "next": "/"})
    page = get_page(client, "/documents/small/v1")
    assert page.select_one("#clauses")["lang"] == "fr"
    chosen = get_page(client, "/documents/small/v1?text=en")
    assert chosen.select_one("#clauses")["lang"] == "en"
    assert chosen.select_one(".permalink")["href"].endswith("?text=en")


@pytest.mark.parametrize(
    "address",
    [
        "/documents/small/v1?text=ar",
        "/documents/small/v1?text=xx",
        "/documents/small/v1?text=fr&beside=fr",
        "/documents/small/v1?beside=ru",
        "/documents/small/v1/clauses/dignity?text=zh",
    ],
)
def test_a_language_the_version_does_not_have_is_not_found(client, users, address) -> None:
    version = small_version()
    publish_french(version, users["drafter"])
    sign_in(client, users["stakeholder"])
    get_page(client, address, status=404)


def test_a_draft_text_is_never_shown_to_readers(client, users) -> None:
    version = small_version()
    translations.add_translation(version, SMALL_FR.encode(), language="fr", actor=users["drafter"])
    sign_in(client, users["stakeholder"])
    get_page(client, "/documents/small/v1?text=fr", status=404)
    page = get_page(client, "/documents/small/v1")
    assert page.select_one(".text-languages") is None


@pytest.mark.parametrize("role", ["stakeholder", "secretariat", "admin"])
def test_only_drafters_add_tie_publish_or_discard_texts(client, users, role) -> None:
    version = small_version()
    translations.add_translation(version, SMALL_FR.encode(), language="fr", actor=users["drafter"])
    sign_in(client, users[role])
    base = "/documents/small/v1/translations"
    assert client.get(f"{base}/new").status_code == 403
    assert client.get(f"{base}/fr").status_code == 403
    for action in ("pairing", "publish", "discard"):
        assert post_form(client, f"{base}/fr/{action}").status_code == 403
    fresh()
    assert db.session.scalar(select(Translation.status)) == "draft"


def test_signed_out_visitors_are_sent_to_sign_in(client, users) -> None:
    small_version()
    response = client.get("/documents/small/v1/translations/new")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize(
    ("language", "data", "message"),
    [
        ("", SMALL_FR.encode(), "Choose the language the text is written in."),
        ("en", SMALL.encode(), "Not a valid choice"),
        ("ar", SMALL_FR.encode(), "the file says its language is “fr”"),
        ("de", SMALL_FR.encode(), "Not a valid choice"),
        ("fr", b"\x00\x81bad", "binary file"),
        ("fr", b"", "the draft is empty"),
    ],
)
def test_bad_uploads_are_refused_with_a_message_and_store_nothing(
    client, users, language, data, message
) -> None:
    small_version()
    sign_in(client, users["drafter"])
    version = db.session.scalar(select(Version))
    assert version is not None
    response = upload(client, version, data, language)
    assert response.status_code == 200
    page = soup(response)
    assert page.select_one("#form-problems") is not None
    problems = " ".join(" ".join(e.get_text().split()) for e in page.select("p.error"))
    assert message.lower() in problems.lower(), problems
    fresh()
    assert db.session.scalar(select(Translation)) is None


def test_a_draft_version_takes_no_translation(client, users) -> None:
    factories.version(SMALL, slug="small", publish=False)
    sign_in(client, users["drafter"])
    assert client.get("/documents/small/v1/translations/new").status_code == 404


def test_ties_are_corrected_and_an_untied_clause_blocks_publishing(client, users) -> None:
    version = small_version()
    translations.add_translation(version, SMALL_FR.encode(), language="fr", actor=users["drafter"])
    sign_in(client, users["drafter"])
    base = "/documents/small/v1/translations/fr"
    response = post_form(client, f"{base}/pairing", {"tie-4": ""})
    assert response.status_code == 302
    page = get_page(client, base)
    assert page.select_one("#summary-unpaired").get_text() == "1"
    # The count leads to the row that needs the drafter.
    assert page.select_one("#summary-unpaired a")["href"] == "#row-4"
    assert page.find(id="row-4") is not None
    refused = post_form(client, f"{base}/publish")
    assert refused.status_code == 400
    assert "1 clause of the French text is tied to no clause" in soup(refused).get_text()
    wrong = post_form(client, f"{base}/pairing", {"tie-4": "no-such-key"})
    assert wrong.status_code == 400
    assert "has no clause “no-such-key”" in soup(wrong).get_text()
    assert post_form(client, f"{base}/pairing", {"tie-x": "dignity"}).status_code == 400
    assert post_form(client, f"{base}/pairing", {"tie-99": "dignity"}).status_code == 400
    # Two translated paragraphs may render one original paragraph.
    post_form(client, f"{base}/pairing", {"tie-4": "remedies.1"})
    assert post_form(client, f"{base}/publish").status_code == 302
    fresh()
    clause = get_page(client, "/documents/small/v1/clauses/remedies.1?text=fr")
    words = clause.select_one(".clause-page-text").get_text()
    assert "Les États offrent des recours utiles." in words
    assert "Les recours sont accessibles." in words
    # remedies.2 has no French now: shown in English, and said so.
    page = get_page(client, "/documents/small/v1?text=fr")
    untranslated = page.find(id="remedies.2")
    assert untranslated["lang"] == "en"
    assert "Remedies shall be accessible." in untranslated.get_text()
    assert untranslated.select_one(".untranslated-note") is not None


def test_a_published_text_never_changes(app, users) -> None:
    version = small_version()
    translation = publish_french(version, users["drafter"])
    with pytest.raises(Refused):
        translations.repair(translation, {1: None}, users["drafter"])
    with pytest.raises(Refused):
        translations.discard_translation(translation, users["drafter"])
    with pytest.raises(Refused):
        translations.add_translation(version, SMALL_FR.encode(), language="fr")
    clause = db.session.scalar(select(TranslatedClause))
    assert clause is not None
    clause.text = "changed"
    with pytest.raises(ImmutableVersionError, match="clause of a published translation"):
        db.session.flush()
    db.session.rollback()
    # Nor behind the services' back: the text itself, its removal, a clause more.
    stored = db.session.get(Translation, translation.id)
    assert stored is not None
    stored.title = "Autre titre"
    with pytest.raises(ImmutableVersionError, match="fr text of a version is published"):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(Translation, translation.id))
    with pytest.raises(ImmutableVersionError, match="is published"):
        db.session.flush()
    db.session.rollback()
    extra = TranslatedClause(
        translation_id=translation.id,
        position=99,
        own_key="extra",
        original_key="dignity",
        kind="paragraph",
        number="",
        heading="",
        text="Un ajout.",
    )
    db.session.add(extra)
    with pytest.raises(ImmutableVersionError, match="cannot gain clauses"):
        db.session.flush()
    db.session.rollback()


def test_uploading_again_replaces_a_draft_and_discarding_deletes_it(client, users) -> None:
    version = small_version()
    sign_in(client, users["drafter"])
    upload(client, version, SMALL_FR.encode(), "fr")
    upload(client, version, SMALL_FR.replace("dignité", "respect").encode(), "fr")
    fresh()
    found = list(db.session.scalars(select(Translation)))
    assert len(found) == 1
    assert "respect" in "".join(c.text for c in found[0].clauses)
    response = post_form(client, "/documents/small/v1/translations/fr/discard")
    assert response.status_code == 302
    fresh()
    assert db.session.scalar(select(Translation)) is None
    assert db.session.scalar(select(TranslatedClause)) is None


def test_service_refuses_unknown_languages(app, users) -> None:
    version = small_version()
    with pytest.raises(ServiceError):
        translations.add_translation(version, SMALL_FR.encode(), language="de")


# --- comments on a translated text ------------------------------------------------------


def comment_setup(users: dict[str, User]) -> int:
    version = small_version()
    publish_french(version, users["drafter"])
    return factories.round_(version).id


def comment_form(client: FlaskClient, round_id: int, query: str) -> tuple[str, dict[str, str]]:
    url = f"/rounds/{round_id}/comment?{query}"
    page = get_page(client, url)
    form = page.select_one("form.comment-form")
    assert form is not None
    fields = {str(i["name"]): str(i.get("value", "")) for i in form.select("input[type=hidden]")}
    chosen = form.select_one("select[name=language] option[selected]")
    fields["language"] = str(chosen["value"]) if chosen else ""
    area = form.select_one("textarea[name=proposed_text]")
    fields["proposed_text"] = area.get_text() if area else ""
    return url, fields


def test_a_comment_made_on_the_french_text_lands_on_the_clause_in_every_language(
    client, users
) -> None:
    round_id = comment_setup(users)
    sign_in(client, users["stakeholder"])
    page = get_page(client, f"/rounds/{round_id}/comment?clause=remedies.1&text=fr")
    shown = page.select_one(".commented-clause .clause-text")
    assert shown["lang"] == "fr" and "Les États offrent des recours utiles." in shown.get_text()
    url, fields = comment_form(client, round_id, "clause=remedies.1&text=fr")
    assert fields["text"] == "fr" and fields["language"] == "fr"
    assert fields["proposed_text"].strip() == "Les États offrent des recours utiles."
    fields.update(
        type="substantive",
        body="Nous proposons « effectifs » plutôt qu'« utiles ».",
        proposed_text="Les États offrent des recours effectifs.",
    )
    response = client.post(url, data=fields)
    assert response.status_code == 303
    fresh()
    comment = db.session.scalar(select(Comment))
    assert comment is not None
    assert (comment.clause.key, comment.text_language, comment.language) == (
        "remedies.1",
        "fr",
        "fr",
    )
    # Its proposal is compared with the French text it rewrites, not with the English.
    detail = get_page(client, response.headers["Location"])
    assert "utiles" in " ".join(d.get_text() for d in detail.select("del"))
    assert "effectifs" in " ".join(i.get_text() for i in detail.select("ins"))
    # The comment is on the clause whatever language the reader reads it in.
    for query in ("", "?text=fr", "?text=en"):
        clause = get_page(client, f"/documents/small/v1/clauses/remedies.1{query}")
        assert "Nous proposons" in clause.select_one("#comments").get_text()
    sign_in(client, users["secretariat"])
    matrix = get_page(client, "/documents/small/matrix")
    assert "Nous proposons" in matrix.get_text()


def test_an_unchanged_french_wording_proposes_nothing(client, users) -> None:
    round_id = comment_setup(users)
    sign_in(client, users["stakeholder"])
    url, fields = comment_form(client, round_id, "clause=remedies.1&text=fr")
    fields.update(type="general", body="D'accord.")
    assert client.post(url, data=fields).status_code == 303
    fresh()
    comment = db.session.scalar(select(Comment))
    assert comment is not None and comment.proposed_text is None


@pytest.mark.parametrize(
    ("text", "stored"), [("ar", ""), ("xx", ""), ("", ""), ("en", ""), ("fr", "fr")]
)
def test_the_language_of_the_text_read_is_kept_only_where_the_version_has_it(
    client, users, text, stored
) -> None:
    round_id = comment_setup(users)
    sign_in(client, users["stakeholder"])
    url, fields = comment_form(client, round_id, "clause=dignity")
    fields.update(type="general", body="A comment.", text=text)
    assert client.post(url, data=fields).status_code == 303
    fresh()
    comment = db.session.scalar(select(Comment))
    assert comment is not None and comment.text_language == stored


def test_a_forged_comment_language_is_refused_with_a_message(client, users) -> None:
    round_id = comment_setup(users)
    sign_in(client, users["stakeholder"])
    url, fields = comment_form(client, round_id, "clause=dignity")
    fields.update(type="general", body="A comment.", language="klingon")
    response = client.post(url, data=fields)
    assert response.status_code == 200
    assert "Choose the language your comment is written in." in soup(response).get_text()
    fresh()
    assert db.session.scalar(select(Comment)) is None


def test_the_language_said_names_a_latin_script_comment(client, users) -> None:
    round_id = comment_setup(users)
    sign_in(client, users["stakeholder"])
    url, fields = comment_form(client, round_id, "clause=dignity")
    assert fields["language"] == "en"  # the page's language, no text chosen
    fields.update(type="general", body="Nous sommes d'accord.", language="fr")
    assert client.post(url, data=fields).status_code == 303
    fresh()
    comment = db.session.scalar(select(Comment))
    assert comment is not None and comment.language == "fr"
    # The secretariat's matrix gives the comment its language (for screen readers, fonts).
    sign_in(client, users["secretariat"])
    cell = get_page(client, "/documents/small/matrix").find("span", string="Nous sommes d'accord.")
    assert cell is not None and cell["lang"] == "fr"


# --- comparing two versions in another language ------------------------------------------

SMALL_2 = SMALL.replace("effective remedies", "prompt and effective remedies")
SMALL_FR_2 = SMALL_FR.replace("des recours utiles", "des recours rapides et utiles")


def two_versions_in_french(users: dict[str, User], second_french: str | None = SMALL_FR_2) -> None:
    first = small_version()
    publish_french(first, users["drafter"])
    second = factories.version(SMALL_2, slug="small")
    if second_french is not None:
        translation, _w = translations.add_translation(
            second, second_french.encode(), language="fr", actor=users["drafter"]
        )
        translations.publish_translation(translation, users["drafter"])


@pytest.mark.parametrize("role", ["stakeholder", "secretariat", "drafter", "admin"])
def test_two_versions_are_compared_in_each_language_both_have(client, users, role) -> None:
    two_versions_in_french(users)
    sign_in(client, users[role])
    english = get_page(client, "/documents/small/compare/1/2")
    assert [a.get_text() for a in english.select(".text-languages a")] == ["English", "Français"]
    assert english.select_one(".compared-text")["lang"] == "en"
    assert "prompt and" in " ".join(i.get_text() for i in english.select("ins"))
    french = get_page(client, "/documents/small/compare/1/2?text=fr")
    text = french.select_one(".compared-text")
    assert text["lang"] == "fr"
    inserted = " ".join(i.get_text() for i in text.select("ins"))
    assert "rapides et" in inserted and "prompt" not in inserted
    assert "Principe 2" in text.get_text()
    # The side-by-side view and the choice of versions keep the language.
    side = get_page(client, "/documents/small/compare/1/2?text=fr&view=side")
    assert "rapides et" in side.select_one(".compared-text").get_text()
    form = french.select_one("form.pick-form input[name=text]")
    assert form is not None and form["value"] == "fr"


def test_a_language_one_version_lacks_is_not_offered_nor_found(client, users) -> None:
    two_versions_in_french(users, second_french=None)
    sign_in(client, users["stakeholder"])
    page = get_page(client, "/documents/small/compare/1/2")
    assert page.select_one(".text-languages") is None
    get_page(client, "/documents/small/compare/1/2?text=fr", status=404)
    get_page(client, "/documents/small/compare/1/2?text=zz", status=404)


def test_a_change_of_the_original_left_untranslated_shows_no_change_in_french(app, users) -> None:
    from consult.services.comparisons import compare_versions

    two_versions_in_french(users, second_french=SMALL_FR)
    versions = list(db.session.scalars(select(Version).order_by(Version.number)))
    english = compare_versions(versions[0], versions[1])
    french = compare_versions(versions[0], versions[1], "fr")
    changed = [r for r in english.rows if r.status == "changed"]
    assert len(changed) == 1
    row = next(r for r in french.rows if r.new and r.new[0].key == changed[0].new[0].key)
    # The clause is still the changed one (its status follows the originals), but the
    # French words did not change: a sign that the translation was not brought up to date.
    assert row.status == "changed" and row.diff is None
    assert row.new[0].text == "Les États offrent des recours utiles."


def test_the_document_is_listed_under_its_title_in_the_readers_language(client, users) -> None:
    version = small_version()
    publish_french(version, users["drafter"])
    factories.round_(version)  # the home page's card of a round open to the reader names it too
    sign_in(client, users["stakeholder"])
    english = get_page(client, "/documents/small")
    assert "Border Principles" in english.select_one("h1").get_text()
    post_form(client, "/language", {"language": "fr", "next": "/"})
    french = get_page(client, "/documents/small")
    assert "Principes relatifs aux frontières" in french.select_one("h1").get_text()
    home = get_page(client, "/")
    assert "Principes relatifs aux frontières" in home.get_text()
    assert "Border Principles" not in home.get_text()
    # In Spanish, which the version does not have, the original's title.
    post_form(client, "/language", {"language": "es", "next": "/"})
    assert "Border Principles" in get_page(client, "/documents/small").select_one("h1").get_text()


def test_citations_take_the_numbers_of_the_text_in_the_readers_language(client, users) -> None:
    round_id = comment_setup(users)
    sign_in(client, users["stakeholder"])
    url, fields = comment_form(client, round_id, "clause=remedies.1")
    fields.update(type="general", body="On remedies.")
    assert client.post(url, data=fields).status_code == 303
    sign_in(client, users["secretariat"])
    english = get_page(client, "/documents/small/matrix")
    assert "Principle 2" in english.select_one("main").get_text()
    post_form(client, "/language", {"language": "fr", "next": "/"})
    french = get_page(client, "/documents/small/matrix")
    assert "Principe 2" in french.select_one("main").get_text()
    assert "Principle 2" not in french.select_one("main").get_text()


def test_a_french_reader_meets_the_french_title_around_a_comment(client, users, tmp_path) -> None:
    from tests.web.test_pdf_pages import pdf_text

    round_id = comment_setup(users)
    sign_in(client, users["stakeholder"])
    post_form(client, "/language", {"language": "fr", "next": "/"})
    url, fields = comment_form(client, round_id, "clause=dignity")
    fields.update(type="general", body="D'accord.")
    response = client.post(url, data=fields)
    assert response.status_code == 303
    page = get_page(client, response.headers["Location"])
    crumbs = page.select_one("nav.breadcrumbs").get_text()
    assert "Principes relatifs aux frontières" in crumbs and "Border Principles" not in crumbs
    receipt = client.get(response.headers["Location"] + "/receipt.pdf")
    assert receipt.status_code == 200
    text = pdf_text(receipt.data, tmp_path)
    assert "Principes relatifs aux frontières" in text and "Border Principles" not in text


# --- a clause's history in another language ------------------------------------------------


@pytest.mark.parametrize("role", ["stakeholder", "secretariat", "drafter", "admin"])
def test_a_clauses_history_is_read_in_french_with_french_diffs(client, users, role) -> None:
    two_versions_in_french(users)
    sign_in(client, users[role])
    english = get_page(client, "/documents/small/history/remedies.1")
    links = english.select(".text-languages a")
    assert [a.get_text() for a in links] == ["English", "Français"]
    assert english.select_one(".history-text")["lang"] == "en"
    french = get_page(client, "/documents/small/history/remedies.1?text=fr")
    texts = french.select(".history-text")
    assert [t["lang"] for t in texts] == ["fr", "fr"]
    assert texts[0].get_text(strip=True) == "Les États offrent des recours utiles."
    # The second step shows what changed in the French words, not the English ones.
    inserted = " ".join(i.get_text() for i in texts[1].select("ins"))
    assert "rapides et" in inserted and "prompt" not in inserted
    assert "prompt" not in french.get_text()
    # Each step links to the clause in French.
    assert french.select_one(".step-meta a")["href"].endswith("?text=fr")
    get_page(client, "/documents/small/history/remedies.1?text=zz", status=404)


def test_a_history_step_without_the_language_shows_its_original_with_a_note(client, users) -> None:
    two_versions_in_french(users, second_french=None)
    sign_in(client, users["stakeholder"])
    page = get_page(client, "/documents/small/history/remedies.1?text=fr")
    texts = page.select(".history-text")
    assert [t["lang"] for t in texts] == ["fr", "en"]
    notes = page.select(".untranslated-note")
    assert len(notes) == 1
    assert "shown in the original language" in notes[0].get_text()
    # No diff across two languages: the English text is shown as it is.
    assert texts[1].select("ins, del") == []
    assert texts[1].get_text(strip=True) == "States shall provide prompt and effective remedies."


def test_the_interface_language_chooses_the_historys_text(client, users) -> None:
    two_versions_in_french(users)
    sign_in(client, users["stakeholder"])
    post_form(client, "/language", {"language": "fr", "next": "/"})
    page = get_page(client, "/documents/small/history/remedies.1")
    assert [t["lang"] for t in page.select(".history-text")] == ["fr", "fr"]
    assert page.select_one("h1") is not None
    assert "Principes relatifs aux frontières" in page.select_one(".breadcrumbs").get_text()


def test_a_number_cited_in_another_language_is_no_renumbering(client, users) -> None:
    """Version 1 has a French text, version 2 not: a French reader meets "Principe 2,
    paragraphe 1" then "Principle 2, paragraphe 1", which is no "(was ...)"."""
    two_versions_in_french(users, second_french=None)
    sign_in(client, users["stakeholder"])
    post_form(client, "/language", {"language": "fr", "next": "/"})
    page = get_page(client, "/documents/small/history/remedies.1")
    numbers = [a.get_text(strip=True) for a in page.select(".step-meta a")]
    assert numbers == ["Principe 2, paragraphe 1", "Principle 2, paragraphe 1"]
    assert page.select(".step-meta .was") == []


def test_the_matrix_names_the_document_in_the_readers_language(client, users) -> None:
    two_versions_in_french(users)
    sign_in(client, users["secretariat"])
    english = get_page(client, "/documents/small/matrix")
    assert "Border Principles" in english.select_one("h1").get_text()
    post_form(client, "/language", {"language": "fr", "next": "/"})
    french = get_page(client, "/documents/small/matrix")
    assert "Principes relatifs aux frontières" in french.select_one("h1").get_text()
    summary = get_page(client, "/documents/small/matrix/summary")
    assert "Principes relatifs aux frontières" in summary.get_text()


def test_the_matrix_file_gives_title_and_label_in_the_readers_language(client, users) -> None:
    import openpyxl

    version = small_version()
    labelled = SMALL_FR.replace("language: fr\n", "language: fr\nlabel: Projet pour la réunion\n")
    translation, _w = translations.add_translation(
        version, labelled.encode(), language="fr", actor=users["drafter"]
    )
    translations.publish_translation(translation, users["drafter"])
    factories.round_(version, title="Expert meeting")
    sign_in(client, users["secretariat"])
    post_form(client, "/language", {"language": "fr", "next": "/"})
    response = client.get("/documents/small/matrix.xlsx")
    assert response.status_code == 200
    about = openpyxl.load_workbook(io.BytesIO(response.data)).worksheets[0]
    rows = {row[0]: row[1] for row in about.iter_rows(values_only=True) if row[0]}
    assert rows["Document"].startswith("Principes relatifs aux frontières")
    assert rows["Version"] == "Version 1 (Projet pour la réunion)"
