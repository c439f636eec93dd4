"""Administration: organisations, accounts and the audit log (admins)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")
