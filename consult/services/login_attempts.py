"""The audit trail of logins that did not happen: failed and throttled attempts.

Each row names the e-mail address typed (normalised) and the client address,
never the password, so that an admin can see a guessing attack in the audit
log. The object is the account when one has that address, else nothing: the
row is written alike for known and unknown addresses.
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
