"""The health check a reverse proxy or a load balancer asks: can this host serve?

`GET /health` answers 200 "ok" when the host reaches its database, and 503
otherwise, so that a proxy takes a host whose database connection is gone out
of its pool. It tells nothing else (no version, no counts) and needs no
session; it is never cached.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Response
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from consult.extensions import db

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)


@bp.get("/health")
def health() -> Response:
    """Answer 200 if the database answers, 503 if not; plain text, never cached."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        log.exception("Health check: the database does not answer")
        db.session.rollback()
        status, body = 503, "database unavailable\n"
    else:
        status, body = 200, "ok\n"
    response = Response(body, status=status, mimetype="text/plain")
    response.headers["Cache-Control"] = "no-store"
    return response
