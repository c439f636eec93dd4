"""The secretariat's overview of a round's answers: counts, a filtered list, pages of it.

Read only. The comments come from round_queries.comments_for_responses, which
filters with permissions.visible_comments; each row leads to the page that
answers one comment (the matrix's answer page), so this overview holds no form
per comment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _

from consult import labels
from consult.models import Comment, Round, User
from consult.services import round_queries
from consult.services.comment_queries import citations

PAGE_SIZE = 10
EXCERPT_LENGTH = 160
WHOLE_DOCUMENT = "whole"
SHOW_CHOICES = ("waiting_first", "waiting", "answered")


@dataclass(frozen=True)
class OverviewFilters:
    """What the overview lists: which answers, which status, clause and organisation, which page."""

    show: str = "waiting_first"
    status: str = ""
    clause: str = ""
    organisation: int | None = None
    page: int = 1


@dataclass(frozen=True)
class OverviewRow:
    """One comment in the overview: who, where, what, and its answer's state."""

    comment_id: int
    tracking_number: str
    organisation: str
    clause: str
    clause_key: str | None
    type: str
    excerpt: str
    answered: bool
    status: str


@dataclass(frozen=True)
class ResponsesOverview:
    """The counts of the round's standing comments and one page of the filtered list."""

    total: int
    answered: int
    waiting: int
    by_status: list[tuple[str, int]]
    matching: int
    rows: list[OverviewRow]
    page: int
    pages: int
    clause_choices: list[tuple[str, str]] = field(default_factory=list)
    organisation_choices: list[tuple[int, str]] = field(default_factory=list)


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    if len(flat) <= EXCERPT_LENGTH:
        return flat
    return flat[:EXCERPT_LENGTH].rsplit(" ", 1)[0] + "…"


def _matches(comment: Comment, filters: OverviewFilters) -> bool:
    response = comment.response
    if filters.show == "waiting" and response is not None:
        return False
    if filters.show == "answered" and response is None:
        return False
    if filters.status and (response is None or response.disposition != filters.status):
        return False
    if filters.clause:
        key = comment.clause.key if comment.clause else WHOLE_DOCUMENT
        if key != filters.clause:
            return False
    return filters.organisation is None or comment.organisation_id == filters.organisation


def responses_overview(
    user: User, round_: Round, filters: OverviewFilters, now: datetime
) -> ResponsesOverview:
    """Return the counts of the round's standing comments and the page of them `filters` asks.

    The list is in document order; with "waiting first" the comments without
    an answer come before the answered ones. A page past the last is the last.
    """
    comments = round_queries.comments_for_responses(user, round_, now)
    names = citations(round_.version_id)
    whole = _("Whole document")

    def citation(comment: Comment) -> str:
        clause = comment.clause
        return names.get(clause.key, clause.number) if clause else whole

    answered = [c for c in comments if c.response is not None]
    statuses: dict[str, int] = {}
    for comment in answered:
        disposition = comment.response.disposition  # type: ignore[union-attr]
        statuses[disposition] = statuses.get(disposition, 0) + 1
    chosen = [c for c in comments if _matches(c, filters)]
    if filters.show == "waiting_first":
        chosen.sort(key=lambda c: c.response is not None)  # stable: document order kept
    pages = max(1, -(-len(chosen) // PAGE_SIZE))
    page = min(max(filters.page, 1), pages)
    shown = chosen[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    clause_choices: dict[str, str] = {}
    organisations: dict[int, str] = {}
    for comment in comments:
        key = comment.clause.key if comment.clause else WHOLE_DOCUMENT
        clause_choices.setdefault(key, citation(comment))
        organisations.setdefault(comment.organisation_id, comment.organisation.name)
    return ResponsesOverview(
        total=len(comments),
        answered=len(answered),
        waiting=len(comments) - len(answered),
        by_status=[
            (labels.label(labels.DISPOSITIONS, code), statuses[code])
            for code in labels.DISPOSITIONS
            if code in statuses
        ],
        matching=len(chosen),
        rows=[
            OverviewRow(
                comment_id=c.id,
                tracking_number=c.tracking_number,
                organisation=c.organisation.name,
                clause=citation(c),
                clause_key=c.clause.key if c.clause else None,
                type=labels.label(labels.COMMENT_TYPES, c.type),
                excerpt=_excerpt(c.body),
                answered=c.response is not None,
                status=labels.label(labels.DISPOSITIONS, c.response.disposition)
                if c.response is not None
                else str(_("Waiting for an answer")),
            )
            for c in shown
        ],
        page=page,
        pages=pages,
        clause_choices=list(clause_choices.items()),
        organisation_choices=sorted(organisations.items(), key=lambda item: item[1].casefold()),
    )
