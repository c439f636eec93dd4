"""Who may do what: every rule of Consult, named, in one place.

Each route's endpoint has a row in ROUTE_RULES; a route without one is
refused to everybody (deny by default). Rules that depend on the object (a
draft version, say) are the named `can_*` functions below, which handlers and
templates share.
"""

from __future__ import annotations

from flask import Flask, abort, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from consult.extensions import login_manager
from consult.models import User, Version

ANYONE = "anyone"
SIGNED_IN = "signed in"
ADMIN = frozenset({"admin"})
DRAFTER = frozenset({"drafter"})

# Roles that see versions before they are published.
DRAFT_READERS = frozenset({"drafter", "secretariat", "admin"})

Rule = str | frozenset[str]

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


def _enforce() -> ResponseReturnValue | None:
    endpoint = request.endpoint
    if endpoint is None:
        return None  # no route matched: the 404 or 405 follows
    user = current_user if current_user.is_authenticated else None
    if route_allows(endpoint, user):
        return None
    if user is None and endpoint in ROUTE_RULES:
        response: ResponseReturnValue = login_manager.unauthorized()
        return response
    abort(403)


def init_app(app: Flask) -> None:
    """Check every request against ROUTE_RULES before its handler runs."""
    app.before_request(_enforce)
