"""Organisations and user accounts: creating, listing, deactivating."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from consult.domain.countries import is_assigned_code
from consult.domain.emails import normalise_email
from consult.domain.text_clean import clean_line
from consult.extensions import db
from consult.languages import LANGUAGES
from consult.models import ORGANISATION_KINDS, ROLES, Organisation, User
from consult.services import audit, password_hashing, passwords
from consult.services.errors import NotFound, ServiceError
from consult.services.sessions import end_all_sessions
from consult.services.transactions import write_transaction

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
COUNTRY_CODE_PATTERN = re.compile(r"^[A-Z]{2}$")


def _initials(name: str) -> str:
    words = re.findall(r"[^\W\d_]+", name)
    capitals = [w[0] for w in words if w[0].isupper()] or [w[0] for w in words]
    return ("".join(capitals).upper() or "ORG")[:8]


def _unique_code(base: str) -> str:
    """Return `base`, or `base` with the smallest number making it unused."""
    taken = set(
        db.session.scalars(select(Organisation.code).where(Organisation.code.like(f"{base}%")))
    )
    if base not in taken:
        return base
    return next(f"{base}{n}" for n in range(2, 10_000) if f"{base}{n}" not in taken)


def create_organisation(
    name: str, kind: str, country_code: str | None, actor: User | None
) -> Organisation:
    """Create an organisation; a Member State needs its ISO 3166 alpha-2 code."""
    name = clean_line(name).strip()
    if not name:
        raise ServiceError(_("an organisation needs a name"))
    if kind not in ORGANISATION_KINDS:
        raise ServiceError(_("unknown kind of organisation: %(kind)s", kind=kind))
    code = (country_code or "").strip().upper() or None
    if kind == "member_state":
        if code is None or not COUNTRY_CODE_PATTERN.match(code):
            raise ServiceError(_("a Member State needs its two-letter ISO 3166 country code"))
        if not is_assigned_code(code):
            raise ServiceError(_("'%(code)s' is not an assigned ISO 3166 country code", code=code))
    elif code is not None:
        raise ServiceError(_("only a Member State has a country code"))
    with write_transaction():
        if organisation_name_taken(name):
            raise ServiceError(_("an organisation called '%(name)s' exists already", name=name))
        organisation = Organisation(
            name=name, kind=kind, country_code=code, code=_unique_code(code or _initials(name))
        )
        audit.record_added(actor, "organisation.create", "organisation", organisation, name=name)
    return organisation


def create_user(
    name: str,
    email: str,
    role: str,
    password: str | None,
    organisation: Organisation | None,
    actor: User | None,
) -> User:
    """Create an active account; a stakeholder must belong to an organisation.

    With `password` None the account has no password yet (an unusable hash):
    nobody can sign in to it until its person chooses one through a link
    (consult.services.passwords.send_reset).
    """
    name, email = clean_line(name).strip(), normalise_email(email)
    if not name:
        raise ServiceError(_("a user needs a name"))
    if not EMAIL_PATTERN.match(email):
        raise ServiceError(_("'%(email)s' is not an e-mail address", email=email))
    if role not in ROLES:
        raise ServiceError(_("unknown role: %(role)s", role=role))
    if role == "stakeholder" and organisation is None:
        raise ServiceError(_("a stakeholder acts for an organisation: choose one"))
    if email_taken(email):
        raise ServiceError(_("an account for %(email)s exists already", email=email))
    # Checked against the policy, and hashed before the write transaction
    # (argon2 is slow on purpose).
    if password is None:
        password_hash = password_hashing.unusable_hash()
    else:
        password_hash = passwords.hash_new_password(password, email=email, name=name)
    with write_transaction():
        user = User(
            name=name,
            email=email,
            role=role,
            organisation=organisation,
            password_hash=password_hash,
            active=True,
        )
        audit.record_added(
            actor,
            "user.create",
            "user",
            user,
            email=email,
            role=role,
            initial_password=password is not None,  # else a link is to be e-mailed
        )
    return user


def deactivate_user(user: User, actor: User | None) -> User:
    """Deactivate an account and end all its sessions at once; return it."""
    if actor is not None and actor.id == user.id:
        raise ServiceError(_("you cannot deactivate your own account"))
    with write_transaction():
        if not user.active:
            raise ServiceError(
                _("the account of %(email)s is already deactivated", email=user.email)
            )
        user.active = False
        ended = end_all_sessions(user)
        audit.record(
            actor, "user.deactivate", "user", user.id, email=user.email, sessions_ended=ended
        )
    return user


def reactivate_user(user: User, actor: User | None) -> User:
    """Let a deactivated account sign in again; return it."""
    with write_transaction():
        if user.active:
            raise ServiceError(_("the account of %(email)s is active already", email=user.email))
        user.active = True
        audit.record(actor, "user.reactivate", "user", user.id, email=user.email)
    return user


@dataclass(frozen=True)
class OrganisationSummary:
    """An organisation with the number of accounts that act for it."""

    organisation: Organisation
    account_count: int


def organisation_name_taken(name: str) -> bool:
    """Return whether an organisation has this name already, ignoring case and spaces around."""
    wanted = name.strip().lower()
    found = db.session.scalar(
        select(Organisation.id).where(func.lower(Organisation.name) == wanted).limit(1)
    )
    return found is not None


def email_taken(email: str) -> bool:
    """Return whether an account uses this e-mail address already, ignoring case."""
    found = db.session.scalar(select(User.id).where(User.email == normalise_email(email)).limit(1))
    return found is not None


def list_organisations() -> list[OrganisationSummary]:
    """Return every organisation, by name, with its number of accounts."""
    counts = (
        select(User.organisation_id, func.count(User.id).label("n"))
        .group_by(User.organisation_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Organisation, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.organisation_id == Organisation.id)
        .order_by(func.lower(Organisation.name))
    ).all()
    return [OrganisationSummary(organisation, int(count)) for organisation, count in rows]


def list_users() -> list[User]:
    """Return every account, by name then e-mail, with its organisation loaded."""
    return list(
        db.session.scalars(
            select(User)
            .options(selectinload(User.organisation))
            .order_by(func.lower(User.name), User.email)
        )
    )


def get_user(user_id: int) -> User:
    """Return the account with this id, or raise NotFound."""
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("there is no account number %(number)s", number=user_id))
    return user


def set_language(user_id: int, code: str) -> None:
    """Remember the interface language the person chose (a code of consult.languages)."""
    if code not in LANGUAGES:
        raise ServiceError(_("there is no interface in that language"))
    with write_transaction():
        db.session.execute(update(User).where(User.id == user_id).values(language=code))
