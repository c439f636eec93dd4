"""A comment's receipt as a PDF, which the commenting organisation files as proof.

The receipt states what the comment page's receipt states (tracking number,
time received, SHA-256 of the content, revision) together with what the
comment was about and what it said: document, version, round, clause,
organisation, type, text and proposed change. It fits one A4 page for any
ordinary comment; a comment near the length limits runs on to further pages
rather than being cut, so that the text filed is the whole text.

Only the comment's own organisation and the staff who read every comment
get one (`permissions.can_see_revisions`); anyone else is told there is no
such comment, as on the other pages about a comment they may not see.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

from flask import render_template
from flask_babel import gettext as _
from markupsafe import Markup

from consult import permissions
from consult.domain.comment_text import comment_html
from consult.exports.pdf import page_footer_css, text_attributes, write_pdf
from consult.languages import reader_language
from consult.models import Comment, User
from consult.moments import Moment
from consult.services import language_texts
from consult.services.comment_queries import citations
from consult.services.comment_queries.views import Day, emailed_day
from consult.services.errors import NotFound


@dataclass(frozen=True)
class ReceiptSheet:
    """What a receipt shows, ready for templates/pdf/receipt.html."""

    tracking_number: str
    document_title: str
    document_symbol: str
    publisher: str
    version_number: int
    version_label: str
    round_title: str
    # The clause's citation ("Guideline 1, paragraph 2"); None: the document as a whole.
    clause: str | None
    organisation: str
    type: str
    body: Markup
    body_text: str
    proposed: str | None
    received: Moment
    # When the comment was last changed, if it was (revision > 1).
    updated: Moment | None
    revision: int
    content_hash: str
    emailed: Day | None
    withdrawn: bool
    printed: Moment


def receipt_sheet(viewer: User, comment: Comment, now: datetime) -> ReceiptSheet:
    """Return what the receipt of `comment` shows to `viewer`, or raise NotFound."""
    if not permissions.can_see_revisions(viewer, comment):
        raise NotFound(_("there is no such comment"))
    round_ = comment.round
    version = round_.version
    document = version.document
    zone = round_.time_zone
    clause = comment.clause
    # In the reader's language where the version has a text in it: its title and label.
    reader = reader_language()
    shown = (
        language_texts.published_in(version.id, reader) if reader != version.text_language else None
    )
    return ReceiptSheet(
        tracking_number=comment.tracking_number,
        document_title=(shown.title if shown else "") or document.title,
        document_symbol=document.symbol,
        publisher=document.publisher,
        version_number=version.number,
        version_label=(shown.label if shown else "") or version.label,
        round_title=round_.title,
        clause=citations(version.id).get(clause.key, clause.key) if clause else None,
        organisation=comment.organisation.name,
        type=comment.type,
        body=Markup(comment_html(comment.body)),
        body_text=comment.body,
        proposed=comment.proposed_text,
        received=Moment(comment.received_at, zone),
        updated=Moment(comment.updated_at, zone) if comment.revision > 1 else None,
        revision=comment.revision,
        content_hash=comment.content_hash,
        emailed=emailed_day(viewer, comment),
        withdrawn=comment.is_withdrawn,
        printed=Moment(now, zone),
    )


def receipt_html(viewer: User, comment: Comment, now: datetime) -> str:
    """Return the receipt's HTML, as the PDF is made from it; raise NotFound as receipt_sheet."""
    return render_template(
        "pdf/receipt.html",
        sheet=receipt_sheet(viewer, comment, now),
        footer_css=page_footer_css(),
        text_attributes=text_attributes,
    )


def receipt_pdf(viewer: User, comment: Comment, now: datetime) -> bytes:
    """Return the receipt of `comment` as a PDF; raise NotFound unless `viewer` may have it."""
    html = receipt_html(viewer, comment, now)
    out = io.BytesIO()
    write_pdf(html, out)
    return out.getvalue()
