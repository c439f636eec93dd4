"""The preview of an import: every row of the file, the clause it landed on, its problems.

A row is *new* (it will be imported), *already imported* (the same comment
of the same organisation arrived by e-mail in this round before), a
*repeat* of an earlier row of the same file, or in *error* (no clause found,
several clauses possible, an empty comment, an unknown type). The
secretariat may choose another clause for any row; the choice travels with
the form (``clause-<row>`` fields), never in the server's memory.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import or_, select

from consult import labels
from consult.domain import clause_references as refs
from consult.domain.comment_template import TemplateRow, comment_type
from consult.extensions import db
from consult.models import Clause, Comment, Organisation, Round
from consult.moments import day_text
from consult.services.comments import CommentInput, check_input, content_hash
from consult.services.errors import ServiceError
from consult.services.reading import ClauseNode, build_tree
from consult.services.round_queries import RoundSummary

NEW = "new"
DUPLICATE = "duplicate"
REPEATED = "repeated"
ERROR = "error"
#: The outcome of a row whose clause the secretariat chose in the preview.
CORRECTED = "corrected"

#: The value of the clause choice meaning the document as a whole.
DOCUMENT_CHOICE = "document"
#: The value meaning "no clause chosen".
NO_CHOICE = ""
FIELD_PREFIX = "clause-"
#: What a typed clause field holds for the document as a whole.
WHOLE_DOCUMENT = labels.IMPORT_MATCHES["document"]
#: Above this many options in all (rows times clauses), rows get a text field and one
#: shared list of suggestions instead of a select each, to keep the page small.
MAX_OPTIONS = 20_000
MAX_PARAGRAPH = 200
_EXCERPT = 300
_OPTION_EXCERPT = 60
_CANDIDATES_SHOWN = 5


def clause_choice(key: str) -> str:
    """Return the value that chooses clause ``key`` in the preview's form."""
    return f"k:{key}"


def excerpt(text: str, length: int) -> str:
    """Return the start of ``text`` on one line, cut with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


@dataclass(frozen=True)
class ClauseView:
    """A clause as the preview shows it: citation, heading and the start of its text."""

    key: str
    citation: str
    heading: str
    excerpt: str
    typed: str  # what a text field for the clause holds: its citation, or its key if shared


@dataclass(frozen=True)
class ClauseChoice:
    """One option of a row's clause select."""

    value: str
    label: str
    typed: str  # the same clause as typed in a text field: its citation, or its key if shared


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


@dataclass(frozen=True)
class VersionClauses:
    """The clauses of the round's version: stored rows, citations and the reference index."""

    by_key: dict[str, Clause]
    nodes: dict[str, ClauseNode]
    index: refs.ClauseIndex
    choices: tuple[ClauseChoice, ...]
    by_citation: dict[str, list[str]]

    def view(self, key: str) -> ClauseView:
        """Return the clause ``key`` as the preview shows it.

        A heading without text of its own ("Principle 2") shows the start of
        the text under it.
        """
        node = self.nodes[key]
        texts: list[str] = []
        pending = [node]
        while pending and sum(len(text) for text in texts) < _EXCERPT:
            current = pending.pop(0)
            if current.text:
                texts.append(current.text)
            pending = current.children + pending
        shared = len(self.by_citation.get(node.citation.casefold(), [])) > 1
        typed = key if shared else node.citation
        return ClauseView(
            key, node.citation, node.heading, excerpt(" ".join(texts), _EXCERPT), typed
        )


def version_clauses(version_id: int) -> VersionClauses:
    """Return the clauses of a version for matching rows (one SELECT)."""
    clauses = list(
        db.session.scalars(
            select(Clause).where(Clause.version_id == version_id).order_by(Clause.position)
        )
    )
    _roots, nodes = build_tree(clauses)
    index = refs.build_index(
        [refs.ClauseEntry(c.key, c.number, c.kind, c.heading, c.parent_key) for c in clauses]
    )
    by_citation: dict[str, list[str]] = {}
    for c in clauses:
        by_citation.setdefault(nodes[c.key].citation.casefold(), []).append(c.key)

    def typed(key: str) -> str:
        citation = nodes[key].citation
        return key if len(by_citation[citation.casefold()]) > 1 else citation

    choices = tuple(
        ClauseChoice(
            clause_choice(c.key),
            nodes[c.key].label
            if nodes[c.key].is_heading
            else f"{nodes[c.key].citation} – {excerpt(c.text, _OPTION_EXCERPT)}",
            typed(c.key),
        )
        for c in clauses
    )
    return VersionClauses({c.key: c for c in clauses}, nodes, index, choices, by_citation)


def resolve_choice(chosen: str, clauses: VersionClauses) -> str | None:
    """Return the choice a row's clause field names, or None when it names no clause.

    The field holds a choice value ("k:<key>", "document") from a select, or
    text typed where the preview offers a text field: a citation, a key, the
    words for the whole document, or a reference as people write it.
    """
    chosen = " ".join(chosen.split())
    if chosen == DOCUMENT_CHOICE:
        return DOCUMENT_CHOICE
    if chosen.startswith("k:"):
        return chosen if chosen[2:] in clauses.by_key else None
    folded = chosen.casefold()
    if folded == str(WHOLE_DOCUMENT).casefold():
        return DOCUMENT_CHOICE
    named = clauses.by_citation.get(folded, [])
    if len(named) == 1:
        return clause_choice(named[0])
    if chosen in clauses.by_key:
        return clause_choice(chosen)
    if refs.is_whole_document(chosen):
        return DOCUMENT_CHOICE
    found = refs.match_reference(clauses.index, chosen)
    if found.outcome == refs.CLAUSE and found.key is not None:
        return clause_choice(found.key)
    return None


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


def _match(
    row: TemplateRow, clauses: VersionClauses, chosen: str | None, version_number: int
) -> tuple[str, str | None, str, list[str], list[str]]:
    """Return outcome, clause key, choice value, errors and notes of a row's clause.

    ``chosen`` is the secretariat's choice in the preview (None or "": the clause found).
    """
    written = row.get("clause")
    found = refs.match_reference(clauses.index, written, row.get("paragraph"))
    automatic = (
        DOCUMENT_CHOICE
        if found.outcome == refs.DOCUMENT
        else clause_choice(found.key)
        if found.key is not None
        else NO_CHOICE
    )
    if chosen:
        canonical = resolve_choice(chosen, clauses)
        if canonical is None:
            problem = (
                _("The clause chosen is not part of this version: choose again.")
                if chosen.startswith("k:")
                else _(
                    "“%(choice)s” is not a clause of this version: choose again.",
                    choice=excerpt(chosen, _OPTION_EXCERPT),
                )
            )
            return CORRECTED, None, NO_CHOICE, [str(problem)], []
        if canonical == DOCUMENT_CHOICE and canonical != automatic:
            return CORRECTED, None, canonical, [], []
        if canonical != automatic:
            return CORRECTED, canonical[2:], canonical, [], []
    errors: list[str] = []
    notes: list[str] = []
    if found.outcome == refs.NOT_FOUND:
        errors.append(
            str(
                _(
                    "No clause “%(clause)s” in version %(number)s: choose the right one.",
                    clause=written.strip(),
                    number=version_number,
                )
            )
        )
    elif found.outcome == refs.AMBIGUOUS:
        names = [clauses.nodes[key].citation for key in found.candidates[:_CANDIDATES_SHOWN]]
        if len(found.candidates) > _CANDIDATES_SHOWN:
            names.append("…")
        errors.append(
            str(
                _(
                    "“%(clause)s” could be several clauses (%(names)s): choose one.",
                    clause=written.strip(),
                    names="; ".join(names),
                )
            )
        )
    elif found.outcome == refs.NEAREST and found.key is not None:
        notes.append(
            str(
                _(
                    "No clause “%(clause)s” in this version: the comment goes to the nearest "
                    "clause that contains it, %(nearest)s. Check it.",
                    clause=written.strip(),
                    nearest=clauses.nodes[found.key].citation,
                )
            )
        )
    if found.refined and found.key is not None:
        notes.append(
            str(
                _(
                    "The paragraph column “%(paragraph)s” narrows the clause to %(clause)s.",
                    paragraph=row.get("paragraph").strip(),
                    clause=clauses.nodes[found.key].citation,
                )
            )
        )
    return found.outcome, found.key, automatic, errors, notes


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
    outcome, key, choice, errors, notes = _match(row, clauses, chosen, round_.version.number)
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
                _(
                    "The paragraph column has %(length)s characters; at most %(limit)s are kept.",
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
                "%(num)d row has observations of the secretariat filled in; they are not "
                "imported: answer the comments in the matrix.",
                "%(num)d rows have observations of the secretariat filled in; they are not "
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


def read_corrections(form: Mapping[str, str]) -> dict[int, str]:
    """Return the clause chosen for each row in a posted preview (row number -> choice)."""
    chosen: dict[int, str] = {}
    for name, value in form.items():
        if not name.startswith(FIELD_PREFIX):
            continue
        number = name[len(FIELD_PREFIX) :]
        if number.isdigit():
            chosen[int(number)] = str(value).strip()
    return chosen
