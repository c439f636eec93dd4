"""The PDF blueprint, on which the PDF pages register their routes."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("pdf", __name__)
