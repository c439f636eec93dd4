"""The preview of an import: every row of the file, the clause it landed on, its problems.

A row is *new* (it will be imported), *already imported* (the same comment
of the same organisation arrived by e-mail in this round before), a
*repeat* of an earlier row of the same file, or in *error* (no clause found,
several clauses possible, an empty comment, an unknown type). The
secretariat may choose another clause for any row; the choice travels with
the form (``clause-<row>`` fields), never in the server's memory. Which
clause a row may be given, found or chosen, is decided in `choices`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import or_, select

from consult.domain.comment_template import TemplateRow, comment_type
from consult.extensions import db
from consult.models import Comment, Organisation, Round
from consult.moments import day_text
from consult.plurals import ngettext
from consult.services.comment_import.choices import (
    DOCUMENT_CHOICE,
    FIELD_PREFIX,
    ClauseChoice,
    ClauseView,
    VersionClauses,
    match_clause,
)
from consult.services.comment_input import CommentInput, check_input, content_hash
from consult.services.errors import ServiceError
from consult.services.round_queries import RoundSummary

NEW = "new"
DUPLICATE = "duplicate"
REPEATED = "repeated"
ERROR = "error"

#: Above this many options in all (rows times clauses), rows get a text field and one
#: shared list of suggestions instead of a select each, to keep the page small.
MAX_OPTIONS = 20_000
MAX_PARAGRAPH = 200


@dataclass(frozen=True)
class PreviewRow:
    """One row of the file, as it would be imported."""

    number: int
    location: str
    member: str
    line: str
    written_clause: str
    paragraph: str
    written_type: str
    type: str | None
    body: str
    proposed: str | None
    outcome: str
    clause: ClauseView | None
    choice: str
    status: str
    errors: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    content_hash: str | None = None
    idempotency_key: str | None = None

    @property
    def field_name(self) -> str:
        """The name of this row's clause select."""
        return f"{FIELD_PREFIX}{self.number}"

    @property
    def importable(self) -> bool:
        """Whether confirming imports this row."""
        return self.status == NEW


@dataclass(frozen=True)
class ImportPreview:
    """Everything the preview shows, ready for a template or the command line."""

    token: str | None
    filename: str
    round: RoundSummary
    organisation: str
    organisation_code: str
    emailed_on: date
    emailed_text: str
    rows: tuple[PreviewRow, ...]
    choices: tuple[ClauseChoice, ...]
    notes: tuple[str, ...]

    def count(self, status: str) -> int:
        """Return how many rows have ``status``."""
        return sum(1 for row in self.rows if row.status == status)

    @property
    def to_import(self) -> int:
        """How many rows confirming would import."""
        return self.count(NEW)

    @property
    def typed(self) -> bool:
        """Whether rows get a text field for their clause (a long text) instead of a select."""
        return len(self.rows) * (len(self.choices) + 2) > MAX_OPTIONS


def location(row: TemplateRow) -> str:
    """Return where a row is in its file: "Table 2, row 5" or "Sheet “Comments”, row 7"."""
    if row.sheet:
        return str(_("Sheet “%(sheet)s”, row %(row)s", sheet=row.sheet, row=row.row))
    return str(_("Table %(table)s, row %(row)s", table=row.table, row=row.row))


def _type_error(written: str) -> str:
    if not written.strip():
        return str(
            _("The type of comment is missing: use ge (general), te (technical) or ed (editorial).")
        )
    return str(
        _(
            "“%(type)s” is not a type of comment: use ge (general), te (technical) "
            "or ed (editorial).",
            type=written.strip(),
        )
    )


def _member_note(written: str, organisation: Organisation) -> str | None:
    member = " ".join(written.split())
    if not member:
        return None
    known = {organisation.code.casefold(), organisation.name.casefold()}
    if organisation.country_code:
        known.add(organisation.country_code.casefold())
    if member.casefold() in known:
        return None
    return str(
        _(
            "The MB/NC column says “%(member)s”; the comment is imported for %(organisation)s.",
            member=member,
            organisation=organisation.name,
        )
    )


def idempotency_key(round_id: int, organisation_id: int, digest: str, paragraph: str) -> str:
    """Return the key that makes importing the same row twice store it once."""
    seed = f"{round_id}|{organisation_id}|{digest}|{paragraph}"
    return "email-" + hashlib.sha256(seed.encode()).hexdigest()[:58]


def plan_row(
    number: int,
    row: TemplateRow,
    round_: Round,
    organisation: Organisation,
    clauses: VersionClauses,
    chosen: str | None,
) -> PreviewRow:
    """Return one row of the file as it would be imported (before looking for duplicates)."""
    outcome, key, choice, errors, notes = match_clause(row, clauses, chosen, round_.version.number)
    if key is None and choice != DOCUMENT_CHOICE and not errors:
        errors.append(str(_("Choose the clause of this comment.")))
    written_type = row.get("type")
    type_code = comment_type(written_type)
    if type_code is None:
        errors.append(_type_error(written_type))
    data: CommentInput | None = None
    try:
        data = check_input(
            CommentInput(type_code or "general", row.get("comment"), row.get("proposed") or None)
        )
    except ServiceError as err:
        errors.append(err.message[:1].upper() + err.message[1:] + ".")
    paragraph = " ".join(row.get("paragraph").split())
    if len(paragraph) > MAX_PARAGRAPH:
        errors.append(
            str(
                ngettext(
                    "The paragraph column has %(length)s character; at most %(limit)s are kept.",
                    "The paragraph column has %(length)s characters; at most %(limit)s are kept.",
                    len(paragraph),
                    length=len(paragraph),
                    limit=MAX_PARAGRAPH,
                )
            )
        )
    member_note = _member_note(row.get("member"), organisation)
    if member_note:
        notes.append(member_note)
    if "clause" in row.numeric and "." in row.get("clause"):
        notes.append(
            str(
                _(
                    "The spreadsheet held the clause as the number %(number)s: if a number "
                    "ending in zero (such as 3.10) was meant, choose that clause.",
                    number=row.get("clause"),
                )
            )
        )
    if row.continued:
        notes.append(
            ngettext(
                "Row %(rows)s, with text only, is read as the rest of this one.",
                "Rows %(rows)s, with text only, are read as the rest of this one.",
                len(row.continued),
                rows=", ".join(str(n) for n in row.continued),
            )
        )
    digest = ident = None
    if not errors and data is not None:
        digest = content_hash(round_.id, key, organisation.code, data)
        ident = idempotency_key(round_.id, organisation.id, digest, paragraph)
    return PreviewRow(
        number=number,
        location=location(row),
        member=row.get("member"),
        line=row.get("line"),
        written_clause=row.get("clause"),
        paragraph=paragraph,
        written_type=written_type,
        type=type_code,
        body=data.body if data is not None else row.get("comment"),
        proposed=data.proposed_text if data is not None else row.get("proposed") or None,
        outcome=outcome,
        clause=clauses.view(key) if key is not None else None,
        choice=choice,
        status=ERROR if errors else NEW,
        errors=tuple(errors),
        notes=tuple(notes),
        content_hash=digest,
        idempotency_key=ident,
    )


def mark_duplicates(
    round_id: int, organisation_id: int, rows: Sequence[PreviewRow]
) -> list[PreviewRow]:
    """Return the rows with those already imported, or repeated in the file, marked."""
    keys = [row.idempotency_key for row in rows if row.idempotency_key]
    hashes = [row.content_hash for row in rows if row.content_hash]
    stored: dict[str, str] = {}
    if keys:
        found = db.session.execute(
            select(
                Comment.idempotency_key,
                Comment.content_hash,
                Comment.paragraph,
                Comment.tracking_number,
            ).where(
                Comment.round_id == round_id,
                Comment.organisation_id == organisation_id,
                Comment.channel == "email",
                or_(Comment.idempotency_key.in_(keys), Comment.content_hash.in_(hashes)),
            )
        ).all()
        for stored_key, stored_hash, stored_paragraph, tracking in found:
            stored[stored_key] = tracking
            stored[f"{stored_hash}|{stored_paragraph}"] = tracking
    seen: dict[str, int] = {}
    marked: list[PreviewRow] = []
    for row in rows:
        if row.status != NEW or row.idempotency_key is None:
            marked.append(row)
            continue
        earlier = stored.get(row.idempotency_key) or stored.get(
            f"{row.content_hash}|{row.paragraph}"
        )
        if earlier is not None:
            note = str(_("Already imported as %(tracking)s: skipped.", tracking=earlier))
            marked.append(replace(row, status=DUPLICATE, notes=(*row.notes, note)))
        elif row.idempotency_key in seen:
            note = str(
                _("The same comment as row %(row)s: skipped.", row=seen[row.idempotency_key])
            )
            marked.append(replace(row, status=REPEATED, notes=(*row.notes, note)))
        else:
            seen[row.idempotency_key] = row.number
            marked.append(row)
    return marked


def file_notes(rows: Sequence[TemplateRow], round_: Round, emailed_on: date) -> list[str]:
    """Return what the preview says about the file as a whole."""
    notes: list[str] = []
    observed = sum(1 for row in rows if row.get("observations"))
    if observed:
        notes.append(
            ngettext(
                "%(num)s row has observations of the secretariat filled in; they are not "
                "imported: answer the comments in the matrix.",
                "%(num)s rows have observations of the secretariat filled in; they are not "
                "imported: answer the comments in the matrix.",
                observed,
            )
        )
    closing_day = round_.closes_at.date()
    if emailed_on > closing_day:
        notes.append(
            str(
                _(
                    "The e-mail arrived after the round closed (%(closed)s); the comments are "
                    "imported all the same, marked as received by e-mail on %(day)s.",
                    closed=day_text(closing_day),
                    day=day_text(emailed_on),
                )
            )
        )
    return notes
