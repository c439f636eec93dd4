"""Turning the matrix query's rows into MatrixRows: names, citations, diffs, numbering.

"Participant 3" numbers follow each organisation's first comment in a round,
so that they stay the same on every page and in every export of the round.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select

from consult import labels
from consult.domain.diff import word_diff
from consult.extensions import db
from consult.models import Clause, Comment
from consult.services import language_texts
from consult.services.comment_queries.views import citations
from consult.services.matrix.model import TEMPLATE_TYPES, MatrixRow, NextVersion
from consult.services.matrix.scope import Scope


def _participants(scope: Scope) -> dict[tuple[int, int], int]:
    """Number each organisation within each round by its first comment: "Participant 3"."""
    if scope.staff and not scope.public:
        return {}
    anonymous = [r.id for r in scope.rounds if r.attribution == "anonymous"]
    if not anonymous:
        return {}
    first = func.min(Comment.id)
    rows = db.session.execute(
        select(Comment.round_id, Comment.organisation_id, first)
        .where(Comment.round_id.in_(anonymous))
        .group_by(Comment.round_id, Comment.organisation_id)
        .order_by(Comment.round_id, first, Comment.organisation_id)
    ).all()
    numbers: dict[tuple[int, int], int] = {}
    counters: dict[int, int] = {}
    for round_id, organisation_id, _first in rows:
        counters[round_id] = counters.get(round_id, 0) + 1
        numbers[(round_id, organisation_id)] = counters[round_id]
    return numbers


def _clause_texts(version_ids: set[int]) -> dict[int, dict[str, str]]:
    """Return the text of every clause of the versions, by version and key (one query).

    Read once here rather than joined to each comment: a clause with many
    comments would otherwise travel from the database once per comment.
    """
    texts: dict[int, dict[str, str]] = {v: {} for v in version_ids}
    rows = db.session.execute(
        select(Clause.version_id, Clause.key, Clause.text).where(Clause.version_id.in_(version_ids))
    )
    for version_id, key, text in rows:
        texts[version_id][key] = text
    return texts


class RowMaker:
    """Turns the query's rows into MatrixRows, numbering them from `start`."""

    def __init__(
        self,
        scope: Scope,
        outcomes: dict[int, dict[str, NextVersion]],
        start: int,
        with_diffs: bool = True,
    ) -> None:
        self.scope = scope
        self.outcomes = outcomes
        self.number = start
        self.with_diffs = with_diffs
        self.participants = _participants(scope)
        self.titles = {r.id: r.title for r in scope.rounds}
        self.names = {r.id: citations(r.version_id) for r in scope.rounds}
        texts = _clause_texts({r.version_id for r in scope.rounds})
        self.texts = {r.id: texts[r.version_id] for r in scope.rounds}
        self.versions = {r.id: r.version_id for r in scope.rounds}
        self.read = language_texts.ClauseTexts()  # a proposal made on a translated text
        # Words looked up once per request, not once per row.
        self.kinds = {code: str(text) for code, text in labels.ORGANISATION_KINDS.items()}
        self.whole_document = _("Whole document")

    def _member(self, row: Any) -> tuple[str, str]:
        """Return (MB/NC, organisation) as the reader may see them."""
        if row.organisation_code is None:
            participant = self.participants.get((row.round_id, row.organisation_id))
            label = _("Participant %(number)s", number=participant or "?")
            return label, label
        if row.country_code:
            return row.country_code, row.organisation_name
        kind = self.kinds.get(row.organisation_kind, row.organisation_kind)
        return f"{row.organisation_code} ({kind})", row.organisation_name

    def __call__(self, row: Any) -> MatrixRow:
        number = self.number
        self.number += 1
        key = row.clause_key
        member, organisation = self._member(row)
        clause_text = self.texts[row.round_id].get(key) if key else None
        if key and row.text_language:
            clause_text = self.read.text(
                self.versions[row.round_id], row.text_language, key, clause_text
            )
        proposed = row.proposed_text
        diff = None
        if self.with_diffs and proposed and clause_text:
            diff = tuple(word_diff(clause_text, proposed))
        return MatrixRow(
            number=number,
            comment_id=row.id,
            round_id=row.round_id,
            round_title=self.titles.get(row.round_id, ""),
            tracking_number=row.tracking_number or "",
            member=member,
            organisation=organisation,
            organisation_kind=row.organisation_kind or "",
            clause_key=key,
            clause=self.names[row.round_id].get(key, key) if key else self.whole_document,
            clause_text=clause_text,
            paragraph=row.paragraph or "",
            type=row.type,
            template_type=TEMPLATE_TYPES.get(row.type, ""),
            body=row.body,
            proposed=proposed,
            proposed_diff=diff,
            disposition=row.disposition,
            observations=row.explanation or "",
            response_revision=row.response_revision,
            withdrawn=row.status == "withdrawn",
            language=row.language or "",
            # Rounded to the minute where the organisation is hidden, as on the
            # comment pages (comment_queries.views.received_moment).
            received_at=row.received_at
            if row.organisation_code is not None
            else row.received_at.replace(second=0, microsecond=0),
            emailed_on=row.emailed_on,
            next_version=self.outcomes.get(row.round_id, {}).get(key) if key else None,
        )
