"""Rounds as people read them: times in the round's zone and in UTC, states, rules in words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from consult.models import Round

TYPE_LABELS: dict[str, Any] = {
    "general": _l("general"),
    "substantive": _l("substantive"),
    "editorial": _l("editorial"),
}
DISPOSITION_LABELS: dict[str, Any] = {
    "accepted": _l("accepted"),
    "accepted_in_part": _l("accepted in part"),
    "not_accepted": _l("not accepted"),
    "noted": _l("noted"),
    "addressed_elsewhere": _l("addressed elsewhere"),
}
VISIBILITY_LABELS: dict[str, Any] = {
    "open": _l("Participants see each other's comments as soon as they are posted."),
    "own_until_close": _l(
        "Each organisation sees only its own comments until the round closes; "
        "then every participant sees all of them."
    ),
    "secretariat": _l(
        "Only the secretariat and the drafters see the comments; "
        "each organisation sees only its own."
    ),
}
ATTRIBUTION_LABELS: dict[str, Any] = {
    "named": _l("Comments are shown with the name of the organisation that made them."),
    "anonymous": _l(
        "Other participants and public exports are not told which organisation made a "
        "comment; the secretariat knows."
    ),
}


def zone(name: str) -> ZoneInfo:
    """Return the time zone called `name`, or UTC if it is unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


@dataclass(frozen=True)
class Moment:
    """A stored UTC time, ready to show in a round's zone and in UTC."""

    iso: str
    local: str
    utc: str

    @property
    def same_as_utc(self) -> bool:
        """Whether the local text already is the UTC one (a round held in UTC)."""
        return self.local == self.utc


def moment(at: datetime, zone_name: str) -> Moment:
    """Return `at` as text in the zone `zone_name` (with its abbreviation and name) and in UTC."""
    utc = at.astimezone(UTC)
    utc_text = utc.strftime("%Y-%m-%d %H:%M UTC")
    if zone_name == "UTC":
        return Moment(utc.isoformat(), utc_text, utc_text)
    local = utc.astimezone(zone(zone_name))
    local_text = f"{local:%Y-%m-%d %H:%M} {local.tzname()} ({zone_name})"
    return Moment(utc.isoformat(), local_text, utc_text)


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
        return str(_("upcoming — opens in %(left)s", left=duration(round_.opens_at - now)))
    if state == "open":
        return str(_("open — closes in %(left)s", left=duration(round_.closes_at - now)))
    return str(_("closed"))


def meeting_dates(starts: date | None, ends: date | None) -> str:
    """Return the meeting's dates as text ('' when there are none)."""
    if starts and ends and starts != ends:
        return str(_("%(start)s to %(end)s", start=starts.isoformat(), end=ends.isoformat()))
    single = starts or ends
    return single.isoformat() if single else ""


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
        opens=moment(round_.opens_at, round_.time_zone),
        closes=moment(round_.closes_at, round_.time_zone),
        time_zone=round_.time_zone,
    )
