"""Logging in and out: server-side sessions that really end.

The cookie holds a random token; the database holds only its SHA-256. A
session ends at logout, when the account is deactivated, when its person
ends it from another device, or when it expires: after SESSION_IDLE_HOURS
without a request (SESSION_REMEMBER_IDLE_DAYS with "keep me signed in"), or
SESSION_MAX_HOURS after signing in (SESSION_MAX_DAYS with "keep me signed
in"), whatever the activity. After that, any copy of
the old cookie (session or remember-me) is refused. Rows of sessions that
ended or expired more than KEEP_DAYS ago are deleted.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from flask import current_app, g
from sqlalchemy import ColumnElement, and_, delete, or_, select, update
from sqlalchemy.orm import joinedload

from consult.domain.emails import normalise_email
from consult.extensions import db
from consult.models import User, UserSession
from consult.models.base import utcnow
from consult.services import audit, password_hashing
from consult.services.transactions import now, write_transaction

#: Last activity is written at most this often, not at every request.
SEEN_EVERY = timedelta(minutes=1)
#: Rows of ended or expired sessions are kept this long, so that a person
#: coming back with an expired cookie is told why they must sign in again.
KEEP_DAYS = 7
#: The longest User-Agent kept (the column's size).
USER_AGENT_CHARS = 300


def token_digest(token: str) -> str:
    """Return the SHA-256 a secret token is stored as (sessions, password-reset links)."""
    return hashlib.sha256(token.encode()).hexdigest()


def opened_here(token: str) -> bool:
    """Return whether `token` is the token of a session opened on this platform (live or ended).

    The database keeps only the SHA-256 of a token, so a token can only be
    matched by a browser that was given it at login: the proof of "the same
    browser" for the page that gives back a comment typed when the session
    ended (consult.web.comments.preserve).
    """
    if not token or len(token) > 200:
        return False
    found = db.session.scalar(
        select(UserSession.token_hash).where(UserSession.token_hash == token_digest(token))
    )
    return found is not None


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


@dataclass(frozen=True)
class Limits:
    """How long a session may stay unused, and how long it may last at most."""

    idle: timedelta
    plain: timedelta
    remembered: timedelta
    remembered_idle: timedelta

    def lifetime(self, remember: bool) -> timedelta:
        """Return the longest a session lasts, with or without "keep me signed in"."""
        return self.remembered if remember else self.plain

    def idle_for(self, remember: bool) -> timedelta:
        """Return how long a session may go unused, with or without "keep me signed in"."""
        return self.remembered_idle if remember else self.idle


@dataclass(frozen=True)
class Expiry:
    """Why a session just expired: `reason` "idle" or "lifetime", after `after`."""

    reason: Literal["idle", "lifetime"]
    after: timedelta


@dataclass(frozen=True)
class LiveSession:
    """One of a person's live sessions, as their sessions page lists it."""

    started: datetime
    last_active: datetime
    user_agent: str
    current: bool


def limits() -> Limits:
    """Return the limits the configuration sets (SESSION_IDLE_HOURS, _MAX_HOURS, _MAX_DAYS,
    _REMEMBER_IDLE_DAYS)."""
    config = current_app.config
    return Limits(
        idle=timedelta(hours=float(config["SESSION_IDLE_HOURS"])),
        plain=timedelta(hours=float(config["SESSION_MAX_HOURS"])),
        remembered=timedelta(days=float(config["SESSION_MAX_DAYS"])),
        remembered_idle=timedelta(days=float(config["SESSION_REMEMBER_IDLE_DAYS"])),
    )


def _expiry(row: UserSession, at: datetime, bounds: Limits) -> Expiry | None:
    """Return why the live session `row` has expired at `at`, or None if it has not."""
    lifetime = bounds.lifetime(row.remember)
    if at >= row.created_at + lifetime:
        return Expiry("lifetime", lifetime)
    idle = bounds.idle_for(row.remember)
    if at >= row.last_seen_at + idle:
        return Expiry("idle", idle)
    return None


def _dead_before(cutoff: datetime, bounds: Limits) -> ColumnElement[bool]:
    """Return the SQL condition of a session that ended or expired before `cutoff`."""
    return or_(
        UserSession.ended_at < cutoff,
        and_(
            UserSession.remember.is_(True),
            or_(
                UserSession.created_at < cutoff - bounds.remembered,
                UserSession.last_seen_at < cutoff - bounds.remembered_idle,
            ),
        ),
        and_(
            UserSession.remember.is_(False),
            or_(
                UserSession.created_at < cutoff - bounds.plain,
                UserSession.last_seen_at < cutoff - bounds.idle,
            ),
        ),
    )


def _delete_dead(at: datetime, keep_days: float) -> int:
    """Delete sessions that ended or expired more than `keep_days` before `at`; return how many."""
    cutoff = at - timedelta(days=keep_days)
    result = db.session.execute(delete(UserSession).where(_dead_before(cutoff, limits())))
    return int(getattr(result, "rowcount", 0) or 0)


def start_session(user: User, remember: bool = False, user_agent: str = "") -> str:
    """Open a new session for `user`, record the login and return its token.

    `remember` ("keep me signed in") gives the session the longer lifetime;
    `user_agent` (the browser's header) lets the person tell their sessions
    apart. Rows of long-dead sessions are deleted on the way.
    """
    token = secrets.token_urlsafe(32)
    user_id = user.id
    # A write transaction from its start: on SQLite a read transaction that
    # turns into a write fails at once when another login holds the lock.
    with write_transaction():
        at = now()
        _delete_dead(at, KEEP_DAYS)
        db.session.add(
            UserSession(
                token_hash=token_digest(token),
                user_id=user_id,
                created_at=at,
                last_seen_at=at,
                remember=remember,
                user_agent=user_agent[:USER_AGENT_CHARS],
            )
        )
        audit.record(user_id, "user.login", "user", user_id)
    user.session_token = token
    return token


def load_session(token: str) -> User | None:
    """Return the active user of the live session `token`, or None.

    A session found expired is ended here, and why is kept for the request
    (`expired_here`). Its last activity is written at most every SEEN_EVERY.
    """
    token_hash = token_digest(token)
    # One SELECT for the session, its user and their organisation (which every page names).
    row = db.session.get(
        UserSession,
        token_hash,
        options=[joinedload(UserSession.user).joinedload(User.organisation)],
    )
    if row is None or row.ended_at is not None or not row.user.active:
        return None
    at = now()
    expiry = _expiry(row, at, limits())
    if expiry is not None:
        with write_transaction():
            db.session.execute(
                update(UserSession)
                .where(UserSession.token_hash == token_hash, UserSession.ended_at.is_(None))
                .values(ended_at=at)
            )
        g.expired_session = expiry
        return None
    if at - row.last_seen_at >= SEEN_EVERY:
        with write_transaction():
            # Only if no other request wrote it since: two tabs need not both write.
            db.session.execute(
                update(UserSession)
                .where(
                    UserSession.token_hash == token_hash,
                    UserSession.last_seen_at <= at - SEEN_EVERY,
                )
                .values(last_seen_at=at)
            )
    user = row.user
    user.session_token = token
    return user


def expired_here() -> Expiry | None:
    """Return why this request's session expired, if it did (at most once per session)."""
    expiry: Expiry | None = g.get("expired_session")
    return expiry


def end_session(user: User) -> None:
    """End the session `user` is logged in under, and record the logout."""
    if user.session_token is None:
        return
    token, user_id = user.session_token, user.id
    with write_transaction():
        row = db.session.get(UserSession, token_digest(token))
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


def end_other_sessions(user: User, keep_token: str | None) -> int:
    """End every live session of `user` but that of `keep_token`, inside the caller's transaction.

    For changing one's password or ending one's other sessions: `keep_token`
    is the token of the session the request runs under (`user.session_token`);
    None ends them all. Returns how many sessions were ended.
    """
    query = update(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None)
    )
    if keep_token is not None:
        query = query.where(UserSession.token_hash != token_digest(keep_token))
    result = db.session.execute(query.values(ended_at=now()))
    return int(getattr(result, "rowcount", 0) or 0)


def end_others(user: User) -> int:
    """End the other sessions of `user`, signed in under `user.session_token`; record it.

    Returns how many were ended.
    """
    user_id, token = user.id, user.session_token
    with write_transaction():
        ended = end_other_sessions(user, token)
        audit.record(user_id, "user.end_sessions", "user", user_id, sessions=ended)
    return ended


def live_sessions(user: User) -> list[LiveSession]:
    """Return the sessions of `user` that have neither ended nor expired, this one first.

    "This one" is the session of `user.session_token`; the others follow,
    the most recently active first.
    """
    at, bounds = now(), limits()
    current = token_digest(user.session_token) if user.session_token else None
    rows = db.session.scalars(
        select(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .order_by(UserSession.last_seen_at.desc(), UserSession.created_at.desc())
    )
    found = [
        LiveSession(
            started=row.created_at,
            last_active=row.last_seen_at,
            user_agent=row.user_agent,
            current=row.token_hash == current,
        )
        for row in rows
        if _expiry(row, at, bounds) is None
    ]
    return sorted(found, key=lambda each: not each.current)


def clean_sessions(keep_days: float = KEEP_DAYS) -> int:
    """Delete the sessions that ended or expired more than `keep_days` ago; return how many."""
    with write_transaction():
        return _delete_dead(now(), keep_days)
