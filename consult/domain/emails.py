"""E-mail addresses as Consult stores and compares them (pure Python)."""

from __future__ import annotations


def normalise_email(email: str) -> str:
    """Return the e-mail address as stored: trimmed and lowercased."""
    return email.strip().lower()
