"""The rounds blueprint, on which `views` and `responses` register their routes."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("rounds", __name__)
