"""A comment's receipt as a PDF: what it states, on one page, and for whom.

The PDF is read back with poppler (pdftotext, pdfinfo, pdffonts); the first
page is kept as a PNG test artifact.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from sqlalchemy import select

from consult.extensions import db
from consult.models import Clause, Comment, User
from consult.services import comments
from consult.services.comment_input import MAX_BODY
from consult.services.errors import NotFound
from consult.services.receipts import receipt_html, receipt_pdf
from consult.services.transactions import now
from tests import factories
from tests.exports.poppler import (
    RIGHT_EDGE,
    artifact_folder,
    one_line,
    page_png,
    pdf_fonts,
    pdf_info,
    pdf_pages,
    pdf_text,
)

BODY = (
    "Principle 1 should name the right to seek asylum.\n\n"
    "The second paragraph explains why, with a reference: https://www.ohchr.org/en/migration."
)
PROPOSED = "Everyone at a border, whatever their status, shall be treated with dignity."
ARABIC_BODY = "ينبغي أن يذكر المبدأ الأول الحق في طلب اللجوء بوضوح."


def _clause(version_id: int, key: str) -> Clause:
    clause = db.session.scalar(
        select(Clause).where(Clause.version_id == version_id, Clause.key == key)
    )
    assert clause is not None
    return clause


@pytest.fixture
def comment(app: Flask, users: dict[str, User]) -> Comment:
    version = factories.version()
    round_ = factories.round_(version, time_zone="Europe/Zurich")
    return factories.comment(
        round_.id,
        users["stakeholder"],
        _clause(version.id, "principle-dignity"),
        body=BODY,
        proposed_text=PROPOSED,
    )


def test_the_receipt_states_what_was_received(
    app: Flask, users: dict[str, User], comment: Comment, tmp_path: Path
) -> None:
    data = receipt_pdf(users["stakeholder"], comment, now())
    page_png(data, artifact_folder(tmp_path), "receipt", dpi=110)

    info = pdf_info(data)
    assert info["Pages"] == "1"
    assert info["Title"] == f"Receipt for comment {comment.tracking_number}"
    assert info["Tagged"] == "yes"
    assert all(font.embedded for font in pdf_fonts(data))

    text = one_line(pdf_text(data))
    for shown in (
        comment.tracking_number,
        comment.content_hash,
        "Principle 1 should name the right to seek asylum.",
        "https://www.ohchr.org/en/migration.",
        PROPOSED,
        "Sample Principles",
        "Version 1: First draft",
        "First expert meeting",
        "Principle 1",
        "Test NGO",
        "Substantive",
        "1 (as first submitted)",
        "Page 1 of 1",
    ):
        assert shown in text, shown
    # Received: in UTC and in the round's own time zone.
    received = comment.received_at
    assert f"{received:%H:%M} UTC" in text
    assert "Zurich)" in text
    # The hash is the comment's, as the submission receipt gave it.
    assert comment.content_hash == comments.receipt(comment).content_hash


def test_an_edited_comment_shows_its_revision(
    app: Flask, users: dict[str, User], comment: Comment
) -> None:
    comments.edit_comment(
        comment.id,
        comments.CommentInput("editorial", "A shorter comment.", None),
        users["stakeholder"],
        expected_revision=1,
    )
    db.session.refresh(comment)
    text = one_line(pdf_text(receipt_pdf(users["stakeholder"], comment, now())))
    assert "A shorter comment." in text
    assert "Editorial" in text
    assert "2, last changed" in text
    assert comment.content_hash in text
    assert PROPOSED not in text


@pytest.mark.parametrize("role", ["secretariat", "drafter"])
def test_staff_get_the_receipt(
    app: Flask, users: dict[str, User], comment: Comment, role: str
) -> None:
    text = one_line(pdf_text(receipt_pdf(users[role], comment, now())))
    assert comment.tracking_number in text
    assert "Test NGO" in text


def test_others_are_told_there_is_no_such_comment(
    app: Flask, users: dict[str, User], comment: Comment
) -> None:
    other = factories.user("stakeholder", factories.organisation("ngo", name="Other NGO"))
    for viewer in (other, users["admin"]):
        with pytest.raises(NotFound):
            receipt_pdf(viewer, comment, now())
        with pytest.raises(NotFound):
            receipt_html(viewer, comment, now())


def test_an_arabic_comment_is_set_right_to_left(
    app: Flask, users: dict[str, User], tmp_path: Path
) -> None:
    version = factories.version()
    round_ = factories.round_(version)
    comment = factories.comment(
        round_.id, users["stakeholder"], None, body=ARABIC_BODY, type="general"
    )
    moment = now()
    page = BeautifulSoup(receipt_html(users["stakeholder"], comment, moment), "html.parser")
    body = page.select_one("div.body")
    assert body is not None
    assert (body.get("dir"), body.get("lang")) == ("rtl", "ar")
    assert page.select_one("html")["lang"] == "en"  # type: ignore[index]
    assert page.find(string=lambda s: s is not None and s.strip() == "the document as a whole")

    data = receipt_pdf(users["stakeholder"], comment, moment)
    page_png(data, artifact_folder(tmp_path), "receipt-arabic", dpi=110)
    # pdftotext reads the line's closing full stop by the page's main direction,
    # so it may give it first: the words are compared.
    assert ARABIC_BODY.rstrip(".") in one_line(pdf_text(data))
    assert pdf_info(data)["Pages"] == "1"
    # Set from the right margin: its first word ends there, its last lies to the left.
    words = pdf_pages(data)[0].words
    first = next(w for w in words if w.spells("ينبغي"))
    last = next(w for w in words if w.spells("بوضوح."))
    assert first.x_max == pytest.approx(RIGHT_EDGE, abs=2)
    assert last.x_max < first.x_min
    assert abs(last.y_max - first.y_max) < 1


def test_a_comment_at_the_length_limit_is_printed_whole(app: Flask, users: dict[str, User]) -> None:
    version = factories.version()
    round_ = factories.round_(version)
    words = " ".join(f"word{n}" for n in range(1, 1300))
    body = (words + " The end of the comment.")[-MAX_BODY:]
    comment = factories.comment(round_.id, users["stakeholder"], None, body=body)
    data = receipt_pdf(users["stakeholder"], comment, now())
    assert int(pdf_info(data)["Pages"]) > 1
    text = one_line(pdf_text(data))
    assert "word1299 The end of the comment." in text
    assert body.split()[0] in text


def test_the_receipt_is_made_at_the_moment_given(
    app: Flask, users: dict[str, User], comment: Comment
) -> None:
    moment = datetime.fromisoformat("2031-05-06T07:08:00+00:00")
    text = one_line(pdf_text(receipt_pdf(users["stakeholder"], comment, moment)))
    assert "Printed 6 May 2031, 07:08 UTC (09:08 Zurich)." in text


def test_the_publisher_signs_the_receipt_and_the_symbol_names_the_document(
    app: Flask, users: dict[str, User], comment: Comment
) -> None:
    document = comment.round.version.document
    document.symbol = "A/HRC/WG.1/2026/1"
    document.publisher = "Office of the High Commissioner for Human Rights"
    db.session.commit()
    data = receipt_pdf(users["stakeholder"], comment, now())
    assert pdf_info(data)["Author"] == "Office of the High Commissioner for Human Rights"
    text = one_line(pdf_text(data))
    assert "Sample Principles (A/HRC/WG.1/2026/1)" in text
    assert "Office of the High Commissioner for Human Rights · Receipt of a comment" in text
