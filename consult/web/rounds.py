"""Consultation rounds: opening them, their page, responses (the secretariat)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("rounds", __name__)
