"""Uploading, previewing, publishing and discarding versions (drafters)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("drafting", __name__)
