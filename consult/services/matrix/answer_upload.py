"""Answers filled in offline: the matrix's XLSX file, uploaded back by the secretariat.

The secretariat downloads the matrix, fills in dispositions and observations
in Excel or LibreOffice, and uploads the file. Rows are matched by their
round (the hidden "Round id" column) and tracking number. The preview sorts
every row into:

- changes: the answer in the file differs from the stored one, which has not
  moved since the download;
- conflicts: the stored answer changed on the platform since the download
  (its revision is not the one the hidden "Answer revision" column carries);
- errors: an unknown round or tracking number, an unknown disposition, an
  unfit answer (such as a disposition without the explanation it needs);
- unchanged rows, counted.

The file waits in the database (`Upload`, kind "answers") between the preview
and the confirmation; confirming saves every change at once with
`responses.apply_answers` (one transaction, an audit event per answer) and
deletes the upload. Each step reads the file again, against the answers as
they are stored at that moment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import delete, select

from consult import labels
from consult.exports import cells
from consult.extensions import db
from consult.models import Comment, Document, Response, Round, Upload, User
from consult.models.comments import DISPOSITIONS
from consult.permissions import can_manage_rounds
from consult.services import language_texts
from consult.services.comment_import.files import FileRefused
from consult.services.errors import NotFound, Refused, ServiceError
from consult.services.matrix.answer_file import (
    FileRow,
    read_answers,
)
from consult.services.matrix.scope import document_rounds, find_document
from consult.services.responses import AnswerChange, BulkResult, apply_answers, check_answer
from consult.services.transactions import write_transaction
from consult.services.uploads import keep_upload

KIND = "answers"
#: The audit action of an answer changed by an upload.
ACTION = "response.upload"

# What an emptied cut note leaves to recognise: " … [" then text with the count, then "]".
_CUT_TAIL = re.compile(r" … \[[^\]]*\]\Z")


@dataclass(frozen=True)
class Answer:
    """A disposition (a code) and the secretariat's observations."""

    disposition: str
    observations: str


@dataclass(frozen=True)
class AnswerRow:
    """A row of the file that would change an answer, or that conflicts with a stored one."""

    sheet: str
    row: int  # the row's number in the sheet, as the spreadsheet shows it
    round_title: str
    tracking_number: str
    comment_id: int
    stored: Answer | None  # the answer stored now
    new: Answer  # the answer in the file
    file_revision: int  # the answer's revision at the download (0: none)
    stored_revision: int  # its revision now (0: none)


@dataclass(frozen=True)
class RowError:
    """A row of the file that cannot be applied, and why."""

    sheet: str
    row: int
    tracking_number: str
    message: str


@dataclass
class AnswerPreview:
    """What confirming an uploaded file would do."""

    token: str
    filename: str
    document_slug: str
    document_title: str
    changes: list[AnswerRow] = field(default_factory=list)
    conflicts: list[AnswerRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    unchanged: int = 0


@dataclass(frozen=True)
class AnswerUploadResult:
    """What confirming did: the answers saved, and those the platform refused meanwhile."""

    document_slug: str
    filename: str
    saved: list[AnswerRow]
    outcome: BulkResult


# Comparing the file with the stored answers -------------------------------------------------


def _disposition_codes() -> dict[str, str]:
    """Map every accepted spelling of a disposition (code, label, English label) to its code."""
    codes: dict[str, str] = {}
    with force_locale("en"):
        english = labels.translated(labels.DISPOSITIONS)
    shown = labels.translated(labels.DISPOSITIONS)
    for code in DISPOSITIONS:
        for spelling in (code, code.replace("_", " "), english.get(code, code), shown.get(code)):
            if spelling:
                codes[cells.normalise_header(spelling)] = code
    return codes


def _observations(text: str) -> str:
    """Return the observations as typed: without the quote the download put before a formula."""
    if text.startswith("'") and cells.needs_quote(text[1:]):
        return text[1:]
    return text


def _number(text: str) -> int | None:
    try:
        value = float(text) if text else 0.0
    except ValueError:
        return None
    return int(value) if value.is_integer() and 0 <= value < 2**31 else None


@dataclass(frozen=True)
class _Stored:
    comment_id: int
    round_title: str
    withdrawn: bool
    answer: Answer | None
    revision: int


def _stored_answers(document: Document) -> tuple[dict[int, Round], dict[tuple[int, str], _Stored]]:
    """Return the document's rounds by id, and each comment's stored answer by (round, number)."""
    rounds = {round_.id: round_ for round_ in document_rounds(None, document)}
    query = (
        select(
            Comment.id,
            Comment.round_id,
            Comment.tracking_number,
            Comment.status,
            Response.disposition,
            Response.explanation,
            Response.revision,
        )
        .outerjoin(Response, Response.comment_id == Comment.id)
        .where(Comment.round_id.in_(list(rounds)))
    )
    stored: dict[tuple[int, str], _Stored] = {}
    for row in db.session.execute(query):
        answer = None if row.disposition is None else Answer(row.disposition, row.explanation)
        stored[(row.round_id, row.tracking_number.casefold())] = _Stored(
            row.id,
            rounds[row.round_id].title,
            row.status == "withdrawn",
            answer,
            row.revision or 0,
        )
    return rounds, stored


def _preview(upload: Upload, document: Document) -> AnswerPreview:
    preview = AnswerPreview(
        upload.token, upload.filename, document.slug, language_texts.reader_title(document)
    )
    rows = read_answers(upload.content)
    rounds, stored = _stored_answers(document)
    codes = _disposition_codes()
    seen: dict[int, FileRow] = {}
    for file_row in rows:

        def refuse(message: str, row: FileRow = file_row) -> None:
            preview.errors.append(RowError(row.sheet, row.row, row.tracking_number, message))

        round_id, revision = _number(file_row.round_id), _number(file_row.revision)
        if round_id is None or round_id not in rounds:
            refuse(_("“%(value)s” is not a round of this document", value=file_row.round_id))
            continue
        if not file_row.tracking_number:
            refuse(_("the row has no tracking number"))
            continue
        found = stored.get((round_id, file_row.tracking_number.casefold()))
        if found is None:
            refuse(
                _(
                    "there is no comment %(number)s in round “%(round)s”",
                    number=file_row.tracking_number,
                    round=rounds[round_id].title,
                )
            )
            continue
        if revision is None:
            refuse(_("the answer revision “%(value)s” is not a number", value=file_row.revision))
            continue
        if found.comment_id in seen:
            earlier = seen[found.comment_id]
            refuse(
                _(
                    "the comment is also on row %(row)s of “%(sheet)s”",
                    row=earlier.row,
                    sheet=earlier.sheet,
                )
            )
            continue
        seen[found.comment_id] = file_row
        observations = _observations(file_row.observations)
        if not file_row.disposition:
            if observations and (found.answer is None or observations != found.answer.observations):
                refuse(_("choose a disposition for these observations"))
            elif revision and found.answer is not None and not observations:
                refuse(
                    _(
                        "the disposition was emptied: an answer cannot be removed by a file, "
                        "so the stored answer stays"
                    )
                )
            else:
                preview.unchanged += 1
            continue
        code = codes.get(cells.normalise_header(file_row.disposition))
        if code is None:
            refuse(
                _(
                    "“%(value)s” is not a disposition: use one of %(choices)s",
                    value=file_row.disposition,
                    choices=", ".join(labels.translated(labels.DISPOSITIONS).values()),
                )
            )
            continue
        if _CUT_TAIL.search(observations):
            refuse(
                _(
                    "the observations were too long for a spreadsheet cell and were cut in the "
                    "download; change this answer on the platform"
                )
            )
            continue
        if found.withdrawn:
            refuse(_("the comment was withdrawn: it is not answered"))
            continue
        try:
            explanation = check_answer(code, observations)
        except ServiceError as err:
            refuse(err.message)
            continue
        new = Answer(code, explanation)
        if new == found.answer:
            preview.unchanged += 1
            continue
        row = AnswerRow(
            file_row.sheet,
            file_row.row,
            found.round_title,
            file_row.tracking_number,
            found.comment_id,
            found.answer,
            new,
            revision,
            found.revision,
        )
        (preview.changes if revision == found.revision else preview.conflicts).append(row)
    return preview


# The steps: upload, preview, confirm, discard -----------------------------------------------


def _check_actor(actor: User) -> None:
    if not can_manage_rounds(actor):
        raise Refused(_("only the secretariat answers comments"))


def start_upload(slug: str, filename: str, content: bytes, actor: User) -> str:
    """Check and read an uploaded matrix, keep it for its preview, and return the upload's token.

    Raises NotFound for an unknown document, Refused for someone who may not
    answer, FileRefused for a file that cannot be read; nothing is stored then.
    """
    _check_actor(actor)
    document = find_document(slug)
    if not content:
        raise FileRefused(_("The file is empty."))
    read_answers(content)
    return keep_upload(KIND, content, filename, "matrix.xlsx", actor, document_id=document.id)


def _waiting(slug: str, token: str) -> tuple[Upload, Document]:
    document = find_document(slug)
    upload = db.session.scalar(
        select(Upload).where(
            Upload.token == token, Upload.kind == KIND, Upload.document_id == document.id
        )
    )
    if upload is None:
        raise NotFound(_("This file was applied, discarded or has expired: upload it again."))
    return upload, document


def preview_upload(slug: str, token: str, actor: User) -> AnswerPreview:
    """Return what confirming the waiting file would change, against the answers stored now."""
    _check_actor(actor)
    upload, document = _waiting(slug, token)
    return _preview(upload, document)


def confirm_upload(slug: str, token: str, actor: User) -> AnswerUploadResult:
    """Save every change of the waiting file in one transaction; delete the file.

    Rows in conflict or in error are left as they are. An answer changed on
    the platform between the preview and now is reported as a conflict by
    `apply_answers`, not overwritten.
    """
    _check_actor(actor)
    upload, document = _waiting(slug, token)
    preview = _preview(upload, document)
    upload_id, filename = upload.id, upload.filename
    changes = [
        AnswerChange(row.comment_id, row.new.disposition, row.new.observations, row.file_revision)
        for row in preview.changes
    ]
    outcome = apply_answers(changes, actor, action=ACTION)
    with write_transaction():
        db.session.execute(delete(Upload).where(Upload.id == upload_id))
    failed = {conflict.comment_id for conflict in outcome.conflicts}
    refused = {number for number, _reason in outcome.refused}
    saved = [
        row
        for row in preview.changes
        if row.comment_id not in failed and row.tracking_number not in refused
    ]
    return AnswerUploadResult(document.slug, filename, saved, outcome)


def discard_upload(slug: str, token: str, actor: User) -> None:
    """Delete the waiting file without applying anything."""
    _check_actor(actor)
    upload, _document = _waiting(slug, token)
    upload_id = upload.id
    with write_transaction():
        db.session.execute(delete(Upload).where(Upload.id == upload_id))
