"""The matrix blueprint, on which the matrix's modules register their routes."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("matrix", __name__)
