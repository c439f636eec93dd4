"""Who may do what: every rule of Consult, named, in one place.

Each route's endpoint has a row in ROUTE_RULES; a route without one is
refused to everybody (deny by default). Rules that depend on the object (a
draft version, say) are the named `can_*` functions below, which handlers and
templates share.
"""

from __future__ import annotations

from datetime import datetime

from flask import Flask, abort, request
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import ColumnElement, and_, false, or_

from consult.extensions import login_manager
from consult.models import Comment, Round, User, Version

ANYONE = "anyone"
SIGNED_IN = "signed in"
ADMIN = frozenset({"admin"})
DRAFTER = frozenset({"drafter"})
SECRETARIAT = frozenset({"secretariat"})
STAKEHOLDER = frozenset({"stakeholder"})

# Roles that read every comment of every round, whatever the round's rule.
COMMENT_STAFF = frozenset({"secretariat", "drafter"})

# Roles that see versions before they are published.
DRAFT_READERS = frozenset({"drafter", "secretariat", "admin"})

Rule = str | frozenset[str]

# Forms whose POST carries a long text: when the session has ended, the text
# is shown back to be copied instead of being dropped by the login redirect.
PRESERVE_TEXT_ENDPOINTS = frozenset({"comments.new", "comments.edit"})

ROUTE_RULES: dict[str, Rule] = {
    "static": ANYONE,
    "auth.login": ANYONE,
    "auth.logout": SIGNED_IN,
    # Reading (object rules: can_read_version)
    "reading.index": SIGNED_IN,
    "reading.document": SIGNED_IN,
    "reading.version": SIGNED_IN,
    "reading.clause": SIGNED_IN,
    # Drafting
    "drafting.new_document": DRAFTER,
    "drafting.upload": DRAFTER,
    "drafting.preview": DRAFTER,
    "drafting.publish": DRAFTER,
    "drafting.discard": DRAFTER,
    # Administration
    "admin.organisations": ADMIN,
    "admin.users": ADMIN,
    "admin.deactivate_user": ADMIN,
    "admin.reactivate_user": ADMIN,
    "admin.audit": ADMIN,
    # Rounds and responses (object rules: can_see_round_details)
    "rounds.index": SIGNED_IN,
    "rounds.show": SIGNED_IN,
    "rounds.new": SECRETARIAT,
    "rounds.change_closing": SECRETARIAT,
    "rounds.responses": SECRETARIAT,
    "rounds.respond": SECRETARIAT,
    "rounds.publish_responses": SECRETARIAT,
    # Comments (object rules: can_comment, can_see_comment, can_change_comment)
    "comments.new": STAKEHOLDER,
    "comments.show": SIGNED_IN,
    "comments.edit": STAKEHOLDER,
    "comments.withdraw": STAKEHOLDER,
    "comments.ours": STAKEHOLDER,
    "comments.round_comments": SIGNED_IN,
    # Comparing versions (object rule: can_read_version on both versions)
    "compare.versions": SIGNED_IN,
    "compare.renumbering": SIGNED_IN,
    "compare.renumbering_csv": SIGNED_IN,
    "compare.clause_history": SIGNED_IN,
    "compare.our_comments": STAKEHOLDER,
    "drafting.match": DRAFTER,
}


def route_allows(endpoint: str, user: User | None) -> bool:
    """Return whether `user` (None when anonymous) may use the route `endpoint`."""
    rule = ROUTE_RULES.get(endpoint)
    if rule is None:
        return False
    if rule == ANYONE:
        return True
    if user is None:
        return False
    if rule == SIGNED_IN:
        return True
    return user.role in rule


def can_read_version(user: User, version: Version) -> bool:
    """A published version is for every signed-in user; a draft only for those who prepare it."""
    return version.is_published or user.role in DRAFT_READERS


def can_draft(user: User) -> bool:
    """Drafters upload, preview, publish and discard versions."""
    return user.role in DRAFTER


def can_administer(user: User) -> bool:
    """Admins manage organisations and accounts and read the audit log."""
    return user.role in ADMIN


def can_manage_rounds(user: User) -> bool:
    """The secretariat opens rounds, answers comments and publishes the answers."""
    return user.role in SECRETARIAT


def sees_every_comment(user: User) -> bool:
    """The secretariat and the drafters read every comment, whatever the round's rule."""
    return user.role in COMMENT_STAFF


def takes_part(user: User, round_: Round) -> bool:
    """A stakeholder whose organisation may comment in the round."""
    return user.role in STAKEHOLDER and round_.takes_part(user.organisation_id)


def can_comment(user: User, round_: Round, now: datetime) -> bool:
    """A participating stakeholder, while the round is open."""
    return takes_part(user, round_) and round_.state(now) == "open"


def sees_others_comments(user: User, round_: Round, now: datetime) -> bool:
    """Whether `user` may read other organisations' (active) comments in the round.

    This is the round's visibility rule: 'open' shows them to participants as
    soon as they are posted, 'own_until_close' once the round has closed,
    'secretariat' never. Stakeholders outside the round see none.
    """
    if sees_every_comment(user):
        return True
    if not takes_part(user, round_):
        return False
    if round_.visibility == "open":
        return True
    if round_.visibility == "own_until_close":
        return round_.state(now) == "closed"
    return False


def can_see_comment(user: User, comment: Comment, now: datetime) -> bool:
    """Staff see every comment; an organisation its own (withdrawn too); others by the rule."""
    if sees_every_comment(user):
        return True
    if user.role not in STAKEHOLDER:
        return False
    if comment.organisation_id == user.organisation_id:
        return True
    return not comment.is_withdrawn and sees_others_comments(user, comment.round, now)


def visible_comments(user: User, round_: Round, now: datetime) -> ColumnElement[bool]:
    """The SQL condition selecting the comments of `round_` that `user` may see.

    The same rule as can_see_comment, for queries: lists, counts and exports
    must all filter with it.
    """
    in_round = Comment.round_id == round_.id
    if sees_every_comment(user):
        return in_round
    if user.role not in STAKEHOLDER or user.organisation_id is None:
        return false()
    own = Comment.organisation_id == user.organisation_id
    if sees_others_comments(user, round_, now):
        return and_(in_round, or_(own, Comment.status == "active"))
    return and_(in_round, own)


def shows_organisation(user: User, comment: Comment) -> bool:
    """Whether the comment's organisation is shown to `user` (the round's attribution rule)."""
    return (
        comment.round.attribution == "named"
        or sees_every_comment(user)
        or comment.organisation_id == user.organisation_id
    )


def can_change_comment(user: User, comment: Comment, now: datetime) -> bool:
    """A stakeholder of the comment's organisation, while the round is open and it stands."""
    return (
        user.role in STAKEHOLDER
        and comment.organisation_id == user.organisation_id
        and not comment.is_withdrawn
        and comment.round.state(now) == "open"
    )


def can_see_revisions(user: User, comment: Comment) -> bool:
    """Earlier texts are for the author's organisation and the secretariat (and drafters)."""
    return sees_every_comment(user) or (
        user.role in STAKEHOLDER and comment.organisation_id == user.organisation_id
    )


def can_see_response(user: User, comment: Comment, now: datetime) -> bool:
    """Staff see responses as they are drafted; others once published, on comments they see."""
    if sees_every_comment(user):
        return True
    return comment.round.responses_published_at is not None and can_see_comment(user, comment, now)


def _enforce() -> ResponseReturnValue | None:
    endpoint = request.endpoint
    if endpoint is None:
        return None  # no route matched: the 404 or 405 follows
    user = current_user if current_user.is_authenticated else None
    if route_allows(endpoint, user):
        return None
    if user is None and endpoint in ROUTE_RULES:
        if request.method == "POST" and endpoint in PRESERVE_TEXT_ENDPOINTS:
            from consult.web.comments.preserve import session_ended

            page = session_ended()  # None when nothing was typed
            if page is not None:
                return page
        response: ResponseReturnValue = login_manager.unauthorized()
        return response
    abort(403)


def init_app(app: Flask) -> None:
    """Check every request against ROUTE_RULES before its handler runs."""
    app.before_request(_enforce)
