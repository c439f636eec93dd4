"""Keeping an uploaded file between its preview and its confirmation.

A file checked and read at upload is kept in an `Upload` row under a random
token, so that any worker on any host can take the next step (confirm or
discard). Uploads of a kind left neither confirmed nor discarded for
``UPLOAD_LIFETIME`` are cleared whenever a new one of that kind is kept.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from sqlalchemy import delete

from consult.extensions import db
from consult.models import Upload, User
from consult.services.transactions import now, write_transaction

#: Uploads neither confirmed nor discarded are cleared after this long.
UPLOAD_LIFETIME = timedelta(days=1)
MAX_FILENAME = 255


def keep_upload(
    kind: str, content: bytes, filename: str, fallback_name: str, actor: User, **links: Any
) -> str:
    """Store ``content`` as an upload of ``kind`` and return its token.

    ``links`` are the row's other columns (document, round, organisation...).
    The stale uploads of the same kind are cleared in the same transaction.
    """
    token = secrets.token_urlsafe(32)
    with write_transaction():
        db.session.execute(
            delete(Upload).where(Upload.kind == kind, Upload.uploaded_at < now() - UPLOAD_LIFETIME)
        )
        db.session.add(
            Upload(
                token=token,
                kind=kind,
                uploaded_by_id=actor.id,
                filename=(filename or fallback_name)[-MAX_FILENAME:],
                sha256=hashlib.sha256(content).hexdigest(),
                content=content,
                uploaded_at=now(),
                **links,
            )
        )
    return token
