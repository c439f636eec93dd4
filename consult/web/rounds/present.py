"""Rounds as people read them: their times, states and meeting dates in words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from flask_babel import ngettext

from consult import labels
from consult.models import Round
from consult.moments import Moment, day_text, zone


def local_naive(at: datetime, zone_name: str) -> datetime:
    """Return `at` as the wall-clock time of the zone, without a zone (for a form's input)."""
    return at.astimezone(zone(zone_name)).replace(tzinfo=None, second=0, microsecond=0)


def duration(delta: timedelta) -> str:
    """Return a time span in its two largest units, such as '2 days 3 hours'."""
    minutes = int(delta.total_seconds() // 60)
    if minutes < 1:
        return str(_("less than a minute"))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(ngettext("%(num)d day", "%(num)d days", days))
    if hours:
        parts.append(ngettext("%(num)d hour", "%(num)d hours", hours))
    if minutes and not days:
        parts.append(ngettext("%(num)d minute", "%(num)d minutes", minutes))
    return " ".join(parts[:2])


def state_text(round_: Round, now: datetime) -> str:
    """Return the round's state in words, with the time left when it is not closed."""
    state = round_.state(now)
    if state == "upcoming":
        return str(_("Upcoming — opens in %(left)s", left=duration(round_.opens_at - now)))
    if state == "open":
        return str(_("Open — closes in %(left)s", left=duration(round_.closes_at - now)))
    return labels.label(labels.ROUND_STATES, state)


def meeting_dates(starts: date | None, ends: date | None) -> str:
    """Return the meeting's dates as text ('' when there are none)."""
    if starts and ends and starts != ends:
        return str(_("%(start)s to %(end)s", start=day_text(starts), end=day_text(ends)))
    single = starts or ends
    return day_text(single) if single else ""


def paragraphs(text: str | None) -> list[str]:
    """Split plain text into its paragraphs (blank-line separated), for safe display."""
    if not text:
        return []
    blocks = text.replace("\r\n", "\n").split("\n\n")
    return [block.strip() for block in blocks if block.strip()]


@dataclass(frozen=True)
class RoundSummary:
    """What every page about a round shows of it."""

    id: int
    title: str
    slug: str
    document_title: str
    version_number: int
    version_label: str
    state: str
    state_text: str
    opens: Moment
    closes: Moment
    time_zone: str


def summarise(round_: Round, now: datetime) -> RoundSummary:
    """Return the round's headline facts, ready to show."""
    version = round_.version
    return RoundSummary(
        id=round_.id,
        title=round_.title,
        slug=version.document.slug,
        document_title=version.document.title,
        version_number=version.number,
        version_label=version.label,
        state=round_.state(now),
        state_text=state_text(round_, now),
        opens=Moment(round_.opens_at, round_.time_zone),
        closes=Moment(round_.closes_at, round_.time_zone),
        time_zone=round_.time_zone,
    )
