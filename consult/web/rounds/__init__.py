"""Consultation rounds: the list, a round's page, opening one, and the secretariat's responses.

The routes live in `views` (rounds) and `responses` (answering comments);
both attach themselves to `bp`.
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("rounds", __name__)

from consult.web.rounds import responses, views  # noqa: E402  (they register routes on bp)

__all__ = ["bp", "responses", "views"]
