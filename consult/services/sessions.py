"""Logging in and out: server-side sessions that really end.

The cookie holds a random token; the database holds only its SHA-256. A
session ends at logout or when the account is deactivated, after which any
copy of the old cookie (session or remember-me) is refused.
"""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select, update

from consult.domain.emails import normalise_email
from consult.extensions import db
from consult.models import User, UserSession
from consult.models.base import utcnow
from consult.services import audit, password_hashing
from consult.services.transactions import write_transaction


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def authenticate(email: str, password: str) -> User | None:
    """Return the active user with these credentials, or None (for any failure alike).

    A hash of an older kind (scrypt, pbkdf2) or with weaker parameters than
    configured is replaced by a new argon2 hash now that the password is known.
    """
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        password_hashing.verify_nothing(password)  # as long as a real check: no enumeration
        return None
    if not password_hashing.verify(user.password_hash, password) or not user.active:
        return None
    if password_hashing.needs_rehash(user.password_hash):
        new_hash = password_hashing.make_hash(password)
        with write_transaction():
            user.password_hash = new_hash
    return user


def start_session(user: User) -> str:
    """Open a new session for `user`, record the login and return its token."""
    token = secrets.token_urlsafe(32)
    user_id = user.id
    # A write transaction from its start: on SQLite a read transaction that
    # turns into a write fails at once when another login holds the lock.
    with write_transaction():
        db.session.add(UserSession(token_hash=_digest(token), user_id=user_id))
        audit.record(user_id, "user.login", "user", user_id)
    user.session_token = token
    return token


def load_session(token: str) -> User | None:
    """Return the active user of the live session `token`, or None."""
    row = db.session.get(UserSession, _digest(token))
    if row is None or row.ended_at is not None or not row.user.active:
        return None
    row.user.session_token = token
    return row.user


def end_session(user: User) -> None:
    """End the session `user` is logged in under, and record the logout."""
    if user.session_token is None:
        return
    token, user_id = user.session_token, user.id
    with write_transaction():
        row = db.session.get(UserSession, _digest(token))
        if row is not None and row.ended_at is None:
            row.ended_at = utcnow()
            audit.record(user_id, "user.logout", "user", user_id)
    user.session_token = None


def end_all_sessions(user: User) -> int:
    """End every live session of `user` (inside the caller's transaction); return how many."""
    result = db.session.execute(
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
    return int(getattr(result, "rowcount", 0) or 0)
