"""The audit trail of password checks that did not pass: failed and throttled attempts,
at the login and at the change-password form.

Each login row names the e-mail address typed (normalised) and the client address,
never the password, so that an admin can see a guessing attack in the audit
log. The object is the account when one has that address, else nothing: the
row is written alike for known and unknown addresses. A wrong current password
on the change-password form comes from a signed-in session: its row names the
account as actor and object, and the client address.

Failures are recorded one by one (the throttle's limits bound them); a throttled
attempt only when it is the first its lock refused (consult.web.throttle.first_refusal).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from consult.domain.emails import normalise_email
from consult.extensions import db
from consult.models import User
from consult.services import audit
from consult.services.transactions import write_transaction

FAILED = "user.login_failed"
THROTTLED = "user.login_throttled"


def _account_id(email: str) -> str:
    user_id = db.session.scalar(select(User.id).where(User.email == email))
    return "" if user_id is None else str(user_id)


def record_failed_login(email: str, address: str) -> None:
    """Record a login refused for a wrong e-mail address or password."""
    email = normalise_email(email)
    with write_transaction():
        audit.record(None, FAILED, "user", _account_id(email), email=email, address=address)


def record_throttled_login(email: str, address: str, until: datetime) -> None:
    """Record a login refused unchecked because of too many failures, paused until `until`."""
    email = normalise_email(email)
    with write_transaction():
        audit.record(
            None,
            THROTTLED,
            "user",
            _account_id(email),
            email=email,
            address=address,
            until=until.isoformat(timespec="seconds"),
        )


def record_failed_password_change(user_id: int, address: str) -> None:
    """Record a password change refused because the current password typed is wrong."""
    with write_transaction():
        audit.record(user_id, "user.password_change_failed", "user", user_id, address=address)


def record_throttled_password_change(user_id: int, address: str, until: datetime) -> None:
    """Record a password change refused unchecked because of too many failures."""
    with write_transaction():
        audit.record(
            user_id,
            "user.password_change_throttled",
            "user",
            user_id,
            address=address,
            until=until.isoformat(timespec="seconds"),
        )
