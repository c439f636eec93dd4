"""The guard: every request is checked against its route's rule before its handler runs.

Each endpoint has a row in ROUTE_RULES naming the rule of consult.permissions
that lets a signed-in person use it (or ANYONE, for pages open without
signing in). A route without a row is refused to everybody (deny by
default). Rules that depend on the object (a draft version, a comment, a
round) are asked by the handlers themselves, with the same named rules.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final, Literal

from flask import Flask, abort, redirect, request
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_url

from consult.extensions import login_manager
from consult.models import User
from consult.permissions import (
    can_administer,
    can_draft,
    can_manage_rounds,
    sees_comment_counts,
    signed_in,
    speaks_for_organisation,
)
from consult.web.comments.preserve import PRESERVE_TEXT_ENDPOINTS, session_ended
from consult.web.sessions import flash_expiry

ANYONE: Final = "anyone"

RouteRule = Callable[[User], bool] | Literal["anyone"]

ROUTE_RULES: dict[str, RouteRule] = {
    "static": ANYONE,
    "auth.login": ANYONE,
    # The language of the interface, chosen on any page, signed in or not
    "language.choose": ANYONE,
    # For a reverse proxy: tells only whether this host reaches its database
    "health.health": ANYONE,
    "auth.logout": signed_in,
    # Passwords (a reset link is for people who cannot sign in)
    "passwords.change": signed_in,
    "passwords.reset": ANYONE,
    "passwords.send_reset": can_administer,
    # A person's own sessions
    "sessions.index": signed_in,
    "sessions.end_others": signed_in,
    # Reading (object rule: can_read_version)
    "reading.index": signed_in,
    "reading.document": signed_in,
    "reading.version": signed_in,
    "reading.clause": signed_in,
    # Drafting
    "drafting.new_document": can_draft,
    "drafting.upload": can_draft,
    "drafting.preview": can_draft,
    "drafting.match": can_draft,
    "drafting.set_language": can_draft,
    # A published version's text in other languages
    "translating.new": can_draft,
    "translating.preview": can_draft,
    "translating.pairing": can_draft,
    "translating.publish": can_draft,
    "translating.discard": can_draft,
    "drafting.confirm_publish": can_draft,
    "drafting.publish": can_draft,
    "drafting.discard": can_draft,
    # Administration
    "admin.organisations": can_administer,
    "admin.users": can_administer,
    "admin.deactivate_user": can_administer,
    "admin.reactivate_user": can_administer,
    "admin.audit": can_administer,
    # Rounds and responses (object rules: can_answer, takes_part)
    "rounds.index": signed_in,
    "rounds.show": signed_in,
    "rounds.new": can_manage_rounds,
    "rounds.change_closing": can_manage_rounds,
    "rounds.close_now": can_manage_rounds,
    "rounds.correct": can_manage_rounds,
    "rounds.responses": can_manage_rounds,
    "rounds.respond": can_manage_rounds,
    "rounds.publish_responses": can_manage_rounds,
    # The comment matrix (object rule: visible_comments, as on every comment page)
    "matrix.page": sees_comment_counts,
    "matrix.summary": sees_comment_counts,
    "matrix.export": sees_comment_counts,
    # Answering from the matrix (object rule: can_answer on the comment's round)
    "matrix.answer": can_manage_rounds,
    "matrix.answer_in_bulk": can_manage_rounds,
    "matrix.standard_answers": can_manage_rounds,
    "matrix.add_standard_answer": can_manage_rounds,
    "matrix.remove_standard_answer": can_manage_rounds,
    "matrix.import_comments": can_manage_rounds,
    "matrix.import_preview": can_manage_rounds,
    "matrix.import_confirm": can_manage_rounds,
    "matrix.import_discard": can_manage_rounds,
    # Answers filled in offline: the matrix's XLSX uploaded back
    "matrix.upload_answers": can_manage_rounds,
    "matrix.answers_preview": can_manage_rounds,
    "matrix.confirm_answers": can_manage_rounds,
    "matrix.discard_answers": can_manage_rounds,
    # Comments (object rules: can_comment, can_see_comment, owns_comment, can_change_comment)
    "comments.new": speaks_for_organisation,
    "comments.show": signed_in,
    "comments.edit": speaks_for_organisation,
    "comments.withdraw": speaks_for_organisation,
    "comments.ours": speaks_for_organisation,
    "comments.round_comments": signed_in,
    "comments.receipt_pdf": signed_in,
    # The consolidated PDF (object rules: can_read_version; the comments shown
    # are those visible_comments allows; a job is its requester's alone)
    "pdf.version": signed_in,
    "pdf.job": signed_in,
    "pdf.retry": signed_in,
    "pdf.download": signed_in,
    # Comparing versions (object rule: can_read_version on both versions)
    "compare.versions": signed_in,
    "compare.renumbering": signed_in,
    "compare.renumbering_csv": signed_in,
    "compare.clause_history": signed_in,
    "compare.our_comments": speaks_for_organisation,
}


def route_allows(endpoint: str, user: User | None) -> bool:
    """Return whether `user` (None when anonymous) may use the route `endpoint`."""
    rule = ROUTE_RULES.get(endpoint)
    if rule is None:
        return False
    if isinstance(rule, str):  # ANYONE
        return True
    return user is not None and rule(user)


def _enforce() -> ResponseReturnValue | None:
    endpoint = request.endpoint
    if endpoint is None:
        return None  # no route matched: the 404 or 405 follows
    user = current_user if current_user.is_authenticated else None
    expired = user is None and flash_expiry()  # says why, on the next page shown
    if route_allows(endpoint, user):
        return None
    if user is None and endpoint in ROUTE_RULES:
        if request.method == "POST" and endpoint in PRESERVE_TEXT_ENDPOINTS:
            page = session_ended()  # None when nothing was typed
            if page is not None:
                return page
        if expired:  # the reason is said already: not "Please sign in to see this page" too
            return redirect(login_url(login_manager.login_view, request.url))
        response: ResponseReturnValue = login_manager.unauthorized()
        return response
    abort(403)


def init_app(app: Flask) -> None:
    """Check every request against ROUTE_RULES before its handler runs."""
    app.before_request(_enforce)
