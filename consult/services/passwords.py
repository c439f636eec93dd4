"""Choosing passwords: the policy's words, changing one's own, and reset links sent by an admin.

A reset link carries a random token; the database keeps only its SHA-256.
It works once, until PASSWORD_RESET_HOURS after it was sent (24 by default),
for an active account; sending a new one, or the person changing their
password, voids the earlier ones. Setting a password by either way ends the
person's other sessions.

An account created without a password (an unusable hash) gets the same kind
of link in a welcome message instead: who opened the account, what the link
does, and that it lasts PASSWORD_WELCOME_HOURS (72 by default). Until its
person chooses a password, every link sent to it is such a welcome.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app, url_for
from flask_babel import gettext as _
from sqlalchemy import select, update

from consult.domain.password_policy import (
    MAX_LENGTH,
    MIN_LENGTH,
    PasswordProblem,
    check_password,
)
from consult.extensions import db
from consult.models import PasswordReset, User
from consult.moments import duration_text
from consult.plurals import ngettext
from consult.services import audit, mail, password_hashing
from consult.services.errors import ServiceError
from consult.services.sessions import end_other_sessions, token_digest
from consult.services.transactions import now, write_transaction

RESET_TOKEN_BYTES = 32


class WrongPassword(ServiceError):
    """The current password typed to change it is not the account's: a failure to count."""


def problem_message(problem: PasswordProblem) -> str:
    """Return what to tell a person whose new password has `problem`, in their language."""
    if problem is PasswordProblem.TOO_SHORT:
        return str(
            ngettext(
                "Use at least %(num)s character.", "Use at least %(num)s characters.", MIN_LENGTH
            )
        )
    if problem is PasswordProblem.TOO_LONG:
        return str(
            ngettext(
                "Use at most %(num)s character.", "Use at most %(num)s characters.", MAX_LENGTH
            )
        )
    if problem is PasswordProblem.COMMON:
        return str(
            _(
                "This password is on a list of common passwords that attackers try first. "
                "Choose another: a few unrelated words are strong and easy to remember."
            )
        )
    return str(_("This password is mostly the account's e-mail address or name. Choose another."))


def policy_hint() -> str:
    """Return the rule, as the form's hint shows it."""
    return str(
        _(
            "At least %(num)s characters; any characters, no other rules. Not a common password, "
            "and not the account's e-mail address or name. A long phrase is easiest to remember.",
            num=MIN_LENGTH,
        )
    )


def new_password_problem(password: str, *, email: str, name: str) -> str | None:
    """Return why `password` may not be chosen for the account, or None if it may."""
    problem = check_password(password, email=email, name=name)
    return None if problem is None else problem_message(problem)


def hash_new_password(password: str, *, email: str, name: str) -> str:
    """Return the hash of `password` for the account, refusing one that breaks the policy."""
    message = new_password_problem(password, email=email, name=name)
    if message is not None:
        raise ServiceError(message)
    return password_hashing.make_hash(password)


def _void_resets(user_id: int) -> None:
    """Spend every unused link of the account (kept, so that following one says what happened)."""
    db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user_id, PasswordReset.used_at.is_(None))
        .values(used_at=now())
    )


def change_password(user: User, current: str, new: str) -> int:
    """Change `user`'s own password and end their other sessions; return how many ended.

    The current password is required, so that an unattended signed-in
    browser cannot be used to lock the person out; WrongPassword if it is not
    right (the caller counts it, as a failed login).
    """
    if not password_hashing.verify(user.password_hash, current):
        raise WrongPassword(_("The current password is not right."))
    new_hash = hash_new_password(new, email=user.email, name=user.name)
    user_id, keep_token = user.id, user.session_token
    with write_transaction():
        account = db.session.get(User, user_id)
        assert account is not None
        account.password_hash = new_hash
        _void_resets(user_id)
        ended = end_other_sessions(account, keep_token)
        audit.record(user_id, "user.password_change", "user", user_id, sessions_ended=ended)
    return ended


def _reset_link(token: str) -> str:
    base = current_app.config.get("BASE_URL")
    if base:
        return str(base).rstrip("/") + url_for("passwords.reset", token=token)
    return url_for("passwords.reset", token=token, _external=True)


def has_password(user: User) -> bool:
    """Return whether `user` has a password: False for an account still waiting for its person
    to choose one through the link e-mailed when it was created."""
    return password_hashing.is_usable(user.password_hash)


def welcome_valid_for() -> timedelta:
    """Return how long the link of a new account's welcome message works."""
    return timedelta(hours=int(current_app.config["PASSWORD_WELCOME_HOURS"]))


@dataclass(frozen=True)
class SentLink:
    """A link e-mailed to choose a password: a welcome (no password yet) or a reset."""

    welcome: bool
    valid_for: timedelta


def _reset_message(user: User, hours: int, link: str) -> tuple[str, str]:
    """Return the subject and body of a link to choose a new password."""
    body = _(
        "Hello %(name)s,\n\n"
        "An administrator of Consult asks you to choose a new password for the account "
        "%(email)s. Open this link within %(hours)d hours to choose it:\n\n"
        "%(link)s\n\n"
        "The link works once. If you did not expect this message, ignore it: "
        "your password stays as it is.\n",
        name=user.name,
        email=user.email,
        hours=hours,
        link=link,
    )
    return _("Choose a new password for Consult"), body


def _welcome_message(user: User, actor: User, hours: int, link: str) -> tuple[str, str]:
    """Return the subject and body of the first link of a new account: who invites, and why."""
    values = {
        "name": user.name,
        "admin": actor.name,
        "email": user.email,
        "valid_for": duration_text(timedelta(hours=hours)),
        "link": link,
    }
    if user.organisation is not None:
        opened = _(
            "%(admin)s, an administrator of Consult, has opened an account for you on this "
            "consultation platform, to take part on behalf of %(organisation)s.",
            organisation=user.organisation.name,
            **values,
        )
    else:
        opened = _(
            "%(admin)s, an administrator of Consult, has opened an account for you on this "
            "consultation platform.",
            **values,
        )
    rest = _(
        "Your account is %(email)s. It has no password yet: open this link to choose "
        "your own, then sign in with it. The link works once, for %(valid_for)s:\n\n"
        "%(link)s\n\n"
        "After that, ask an administrator to send you a new link. If you did not expect "
        "this message, ignore it: nobody can sign in to the account until a password "
        "is chosen.\n",
        **values,
    )
    greeting = _("Hello %(name)s,", **values)
    return _("Your account on Consult: choose your password"), f"{greeting}\n\n{opened}\n\n{rest}"


def send_reset(user: User, actor: User) -> SentLink:
    """E-mail `user` a link to choose a password, voiding earlier links; return what was sent.

    An account that has no password yet gets a welcome message whose link
    lasts PASSWORD_WELCOME_HOURS; any other, a reset message whose link
    lasts PASSWORD_RESET_HOURS.

    The message is handed over first, and the link stored only then, so that
    the audit log never says a link went out when it did not; ServiceError if
    it could not be handed over.
    """
    if not user.active:
        raise ServiceError(
            _("the account of %(email)s is deactivated: reactivate it first", email=user.email)
        )
    welcome = not has_password(user)
    setting = "PASSWORD_WELCOME_HOURS" if welcome else "PASSWORD_RESET_HOURS"
    hours = int(current_app.config[setting])
    token = secrets.token_urlsafe(RESET_TOKEN_BYTES)
    if welcome:
        subject, body = _welcome_message(user, actor, hours, _reset_link(token))
    else:
        subject, body = _reset_message(user, hours, _reset_link(token))
    try:
        mail.send(user.email, subject, body)
    except mail.MailError as error:
        raise ServiceError(
            _(
                "the e-mail to %(email)s could not be sent (%(reason)s)",
                email=user.email,
                reason=str(error),
            )
        ) from error
    user_id, actor_id = user.id, actor.id
    with write_transaction():
        _void_resets(user_id)
        sent_at = now()
        db.session.add(
            PasswordReset(
                token_hash=token_digest(token),
                user_id=user_id,
                created_by_id=actor_id,
                created_at=sent_at,
                expires_at=sent_at + timedelta(hours=hours),
            )
        )
        if welcome:
            audit.record(actor_id, "user.invitation_sent", "user", user_id, hours=hours)
        else:
            audit.record(actor_id, "user.password_reset_sent", "user", user_id, hours=hours)
    return SentLink(welcome=welcome, valid_for=timedelta(hours=hours))


@dataclass(frozen=True)
class ResetLink:
    """A reset link as found: its account, and whether it can still be used."""

    reset: PasswordReset
    usable: bool


def find_reset(token: str) -> ResetLink | None:
    """Return the reset link of `token`, or None if no link ever had it."""
    if len(token) > 200:
        return None
    reset = db.session.scalar(
        select(PasswordReset).where(PasswordReset.token_hash == token_digest(token))
    )
    if reset is None:
        return None
    usable = reset.used_at is None and reset.expires_at > now() and reset.user.active
    return ResetLink(reset, usable)


def reset_password(token: str, new: str) -> User:
    """Set a new password through the reset link `token`; end every session; return the account.

    Raises ServiceError if the link is unknown, used, expired or for a
    deactivated account, or if the password breaks the policy.
    """
    found = find_reset(token)
    if found is None or not found.usable:
        raise ServiceError(_("This link has been used or has expired."))
    user = found.reset.user
    new_hash = hash_new_password(new, email=user.email, name=user.name)
    reset_id, user_id = found.reset.id, user.id
    with write_transaction():
        # The link is spent in the same statement that checks it is unspent:
        # two requests racing with one link cannot both set a password.
        spent = db.session.execute(
            update(PasswordReset)
            .where(
                PasswordReset.id == reset_id,
                PasswordReset.used_at.is_(None),
                PasswordReset.expires_at > now(),
            )
            .values(used_at=now())
        )
        if not getattr(spent, "rowcount", 0):
            raise ServiceError(_("This link has been used or has expired."))
        account = db.session.get(User, user_id)
        assert account is not None
        account.password_hash = new_hash
        _void_resets(user_id)
        ended = end_other_sessions(account, None)
        audit.record(user_id, "user.password_reset", "user", user_id, sessions_ended=ended)
    return account
