"""A moment in time as people read it: one form on every page.

Times are stored in UTC. They are shown as "20 December 2026, 17:00 UTC",
followed by the wall-clock time of the round's own time zone when it has one
other than UTC: "20 December 2026, 17:00 UTC (18:00 Geneva)". The place is
the last part of the zone's IANA name ("America/New_York": "New York"); when
the local date is not the UTC one, the local part carries its date too.
Seconds are never shown; the machine-readable value (`iso`) keeps them.

Templates show a moment with the `when` macro of templates/_macros.html,
which wraps `text` in a <time> element.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date, format_time, get_timezone_location
from flask_babel import get_locale
from flask_babel import gettext as _

from consult.plurals import ngettext

#: How a day is written: day, month in words, year ("20 December 2026"), in the reader's language.
DAY_PATTERN = "d MMMM y"

#: Zone names that mean UTC itself: no local time is added for them.
UTC_NAMES = frozenset({"UTC", "Etc/UTC", "Etc/Universal", "Universal", "Etc/Zulu", "Zulu"})


def zone(name: str | None) -> ZoneInfo:
    """Return the time zone called `name`, or UTC if it is empty or unknown."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def day_text(day: date) -> str:
    """Return a day as words in the reader's language: "20 December 2026" in English (the
    UN's order), each other language's own long form ("20 de diciembre de 2026")."""
    locale = get_locale()
    if locale is None or locale.language == "en":
        return format_date(day, DAY_PATTERN, locale="en")
    return format_date(day, "long", locale=locale)


def clock_text(moment: datetime) -> str:
    """Return the wall-clock time of `moment` as it stands ("17:00"), in the reader's digits."""
    return format_time(moment.time(), "HH:mm", locale=get_locale() or "en")


def duration_text(length: timedelta) -> str:
    """Return a set length of time in words, in one unit: whole days, else whole hours,
    else minutes ("36 hours", as a setting says it; see `duration` for time left)."""
    minutes = round(length.total_seconds() / 60)
    if minutes >= 24 * 60 and minutes % (24 * 60) == 0:
        days = minutes // (24 * 60)
        return str(ngettext("%(num)s day", "%(num)s days", days))
    if minutes >= 60 and minutes % 60 == 0:
        return str(ngettext("%(num)s hour", "%(num)s hours", minutes // 60))
    return str(ngettext("%(num)s minute", "%(num)s minutes", minutes))


def duration(delta: timedelta) -> str:
    """Return a time span in its two largest units, such as '2 days 3 hours' (the time
    left until a round opens or closes; see `duration_text` for a set length)."""
    minutes = int(delta.total_seconds() // 60)
    if minutes < 1:
        return str(_("less than a minute"))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(ngettext("%(num)s day", "%(num)s days", days))
    if hours:
        parts.append(ngettext("%(num)s hour", "%(num)s hours", hours))
    if minutes and not days:
        parts.append(ngettext("%(num)s minute", "%(num)s minutes", minutes))
    return " ".join(parts[:2])


def meeting_dates(starts: date | None, ends: date | None) -> str:
    """Return a meeting's dates as text: one day, "a to b", or '' when there are none."""
    if starts and ends and starts != ends:
        return str(_("%(start)s to %(end)s", start=day_text(starts), end=day_text(ends)))
    single = starts or ends
    return day_text(single) if single else ""


def meeting_text(starts: date | None, ends: date | None, place: str | None) -> str:
    """Return a meeting as text: its dates, then its place ('' when it has neither)."""
    return ", ".join(part for part in (meeting_dates(starts, ends), (place or "").strip()) if part)


@dataclass(frozen=True)
class Moment:
    """A stored time (aware, any offset) and the IANA zone it is also shown in.

    An unknown or missing zone counts as UTC.
    """

    at: datetime
    zone_name: str = "UTC"

    def __post_init__(self) -> None:
        if self.at.tzinfo is None:
            raise ValueError("a moment needs an aware datetime")
        object.__setattr__(self, "at", self.at.astimezone(UTC))
        known = zone(self.zone_name).key
        object.__setattr__(self, "zone_name", "UTC" if known in UTC_NAMES else known)

    @property
    def iso(self) -> str:
        """The machine-readable time, for a <time datetime> attribute."""
        return self.at.isoformat(timespec="seconds")

    @property
    def local(self) -> datetime:
        """The wall-clock time in the moment's zone."""
        return self.at.astimezone(ZoneInfo(self.zone_name))

    @property
    def shows_local(self) -> bool:
        """Whether the zone's own time is shown beside UTC."""
        return self.zone_name != "UTC"

    @property
    def place(self) -> str:
        """The place the zone is named after, in the reader's language ("Europe/Geneva":
        "Geneva", "Genève", "Женева"), as the Unicode CLDR names it."""
        try:
            return str(
                get_timezone_location(self.zone_name, locale=get_locale() or "en", return_city=True)
            )
        except (LookupError, ValueError):
            return self.zone_name.rsplit("/", 1)[-1].replace("_", " ")

    @property
    def text(self) -> str:
        """The moment as read: "20 December 2026, 17:00 UTC (18:00 Geneva)"."""
        utc = str(
            _("%(day)s, %(time)s UTC", day=day_text(self.at.date()), time=clock_text(self.at))
        )
        if not self.shows_local:
            return utc
        local = self.local
        if local.date() == self.at.date():
            beside = _("(%(time)s %(place)s)", time=clock_text(local), place=self.place)
        else:
            beside = _(
                "(%(day)s, %(time)s %(place)s)",
                day=day_text(local.date()),
                time=clock_text(local),
                place=self.place,
            )
        return f"{utc} {beside}"

    @property
    def day(self) -> str:
        """The UTC day alone, as words ("20 December 2026")."""
        return day_text(self.at.date())

    def __str__(self) -> str:
        return self.text
