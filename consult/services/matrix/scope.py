"""What a reader may see of a document's comments: the rounds, and the columns in SQL.

A `Scope` holds the rounds one request looks at and who is looking. Its SQL
helpers blank in the query itself what the reader may not see (unpublished
answers, organisations an anonymous round hides), so that no filter, sort
order or count built on them can reveal it. `viewer` None is the command
line, which sees what the secretariat sees.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Select, and_, case, false, null, or_, select, true
from sqlalchemy.orm import contains_eager

from consult import permissions
from consult.extensions import db
from consult.models import Clause, Comment, Document, Organisation, Response, Round, User, Version
from consult.services.errors import NotFound
from consult.services.matrix.filters import MatrixFilters


@dataclass(frozen=True)
class Scope:
    """What every statement of one matrix request shares."""

    viewer: User | None
    now: datetime
    document: Document
    rounds: list[Round]  # the rounds shown, oldest first
    public: bool

    @property
    def staff(self) -> bool:
        return self.viewer is None or permissions.sees_every_comment(self.viewer)

    @property
    def organisation_id(self) -> int | None:
        return self.viewer.organisation_id if self.viewer is not None else None


def find_document(slug: str) -> Document:
    document = db.session.scalar(select(Document).where(Document.slug == slug))
    if document is None:
        raise NotFound(_("there is no such document"))
    return document


def document_rounds(viewer: User | None, document: Document) -> list[Round]:
    query = (
        select(Round)
        .join(Version, Version.id == Round.version_id)
        .where(Version.document_id == document.id)
        .options(contains_eager(Round.version))
        .order_by(Round.opens_at, Round.id)
    )
    if viewer is not None:
        query = query.where(permissions.known_rounds(viewer))
    rounds = list(db.session.scalars(query))
    if viewer is not None:
        rounds = [r for r in rounds if permissions.can_read_version(viewer, r.version)]
    return rounds


def scope_for(
    viewer: User | None, slug: str, filters: MatrixFilters, now: datetime, public: bool
) -> Scope:
    document = find_document(slug)
    rounds = document_rounds(viewer, document)
    if filters.rounds:
        rounds = [r for r in rounds if r.id in filters.rounds]
    if public:
        # Comments of a round kept for the secretariat never leave it.
        rounds = [r for r in rounds if r.visibility != "secretariat"]
    return Scope(viewer, now, document, rounds, public)


def visible(scope: Scope) -> ColumnElement[bool]:
    if not scope.rounds:
        return false()
    if scope.viewer is None:
        condition: ColumnElement[bool] = Comment.round_id.in_([r.id for r in scope.rounds])
    else:
        viewer = scope.viewer
        condition = or_(*(permissions.visible_comments(viewer, r, scope.now) for r in scope.rounds))
    if scope.public:
        condition = and_(condition, Comment.status == "active")
    return condition


def answers_shown(scope: Scope) -> ColumnElement[bool] | None:
    """Where the reader may see the response; None: everywhere (staff, inside the platform)."""
    if scope.staff and not scope.public:
        return None
    return Round.responses_published_at.is_not(None)


def organisation_shown(scope: Scope) -> ColumnElement[bool] | None:
    """Where the round's attribution rule lets the reader see the organisation; None: everywhere."""
    if scope.staff and not scope.public:
        return None
    own = (
        Comment.organisation_id == scope.organisation_id
        if scope.organisation_id is not None and not scope.public
        else false()
    )
    return or_(Round.attribution == "named", own)


def emailed_shown(scope: Scope) -> ColumnElement[bool] | None:
    """Where the reader may know a comment came by e-mail: staff, and its own organisation.

    As on the comment pages (comment_queries.views.emailed_day); None: everywhere.
    """
    if scope.staff and not scope.public:
        return None
    if scope.organisation_id is None or scope.public:
        return false()
    return Comment.organisation_id == scope.organisation_id


def shown(condition: ColumnElement[bool] | None, value: Any) -> Any:
    if condition is None:
        return value
    return case((condition, value), else_=null())


def anywhere(condition: ColumnElement[bool] | None) -> ColumnElement[bool]:
    return true() if condition is None else condition


def base_query(scope: Scope) -> Select[*tuple[Any, ...]]:
    answered = answers_shown(scope)
    named = organisation_shown(scope)
    query: Select[*tuple[Any, ...]] = (
        select(
            Comment.id,
            Comment.round_id,
            # Tracking numbers carry the organisation's code ("DE-002"): blanked where it is hidden.
            shown(named, Comment.tracking_number).label("tracking_number"),
            Comment.organisation_id,
            Comment.paragraph,
            Comment.type,
            Comment.body,
            Comment.proposed_text,
            Comment.text_language,
            Comment.language,
            Comment.status,
            Comment.received_at,
            shown(emailed_shown(scope), Comment.emailed_on).label("emailed_on"),
            shown(named, Organisation.name).label("organisation_name"),
            shown(named, Organisation.code).label("organisation_code"),
            shown(named, Organisation.kind).label("organisation_kind"),
            shown(named, Organisation.country_code).label("country_code"),
            Clause.key.label("clause_key"),
            shown(answered, Response.disposition).label("disposition"),
            shown(answered, Response.explanation).label("explanation"),
            shown(answered, Response.revision).label("response_revision"),
        )
        .select_from(Comment)
        .join(Round, Round.id == Comment.round_id)
        .join(Organisation, Organisation.id == Comment.organisation_id)
        .outerjoin(Clause, Clause.id == Comment.clause_id)
        .outerjoin(Response, Response.comment_id == Comment.id)
    )
    return query
