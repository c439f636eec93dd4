"""Rounds as forms and pages need them: wall-clock times, meeting dates, paragraphs.

The headline facts of a round (its state in words, its times) are
consult.services.round_queries.summarise, shared with the comment pages.
"""

from __future__ import annotations

from datetime import datetime

from consult.moments import zone


def local_naive(at: datetime, zone_name: str) -> datetime:
    """Return `at` as the wall-clock time of the zone, without a zone (for a form's input)."""
    return at.astimezone(zone(zone_name)).replace(tzinfo=None, second=0, microsecond=0)


def paragraphs(text: str | None) -> list[str]:
    """Split plain text into its paragraphs (blank-line separated), for safe display."""
    if not text:
        return []
    blocks = text.replace("\r\n", "\n").split("\n\n")
    return [block.strip() for block in blocks if block.strip()]
