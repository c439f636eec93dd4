"""Commenting in a round: the form, receipts, edits, withdrawal, an organisation's comments."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("comments", __name__)
