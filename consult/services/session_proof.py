"""Whether a token names a session this platform opened: proof of "the same browser".

The page that gives back a comment typed when the session ended shows the
text only to a browser that was signed in here: its cookie still carries the
token of a session that has since ended (consult.web.comments.preserve).
"""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from consult.extensions import db
from consult.models import UserSession


def opened_here(token: str) -> bool:
    """Return whether `token` is the token of a session opened on this platform (live or ended).

    The database keeps only the SHA-256 of a token (consult.services.sessions),
    so a token can only be matched by a browser that was given it at login.
    """
    if not token or len(token) > 200:
        return False
    digest = hashlib.sha256(token.encode()).hexdigest()
    found = db.session.scalar(
        select(UserSession.token_hash).where(UserSession.token_hash == digest)
    )
    return found is not None
