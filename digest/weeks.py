"""ISO weeks ('2026-W47') in the municipality's time zone, turned into UTC ranges.

A week runs from Monday 00:00 to the next Monday 00:00 local time, so the digest of a
Dutch week counts what a Dutch reader would count, across daylight-saving changes too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


class WeekError(ValueError):
    """A week was not written as YYYY-Www (for example 2026-W47)."""


@dataclass(frozen=True)
class Week:
    """One ISO week with its local day boundaries and UTC range."""

    label: str
    monday: date
    tz: ZoneInfo

    @property
    def start(self) -> datetime:
        """Monday 00:00 local, in UTC."""
        return _local_midnight(self.monday, self.tz)

    @property
    def end(self) -> datetime:
        """The next Monday 00:00 local, in UTC (exclusive)."""
        return _local_midnight(self.monday + timedelta(days=7), self.tz)

    @property
    def days(self) -> list[date]:
        return [self.monday + timedelta(days=i) for i in range(7)]

    def previous(self) -> Week:
        return week_of(self.monday - timedelta(days=7), self.tz)

    def day_of(self, moment: datetime) -> date:
        """The local calendar day of an aware datetime."""
        return moment.astimezone(self.tz).date()


def _local_midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=tz).astimezone(UTC)


def parse_week(text: str, timezone: str = "Europe/Amsterdam") -> Week:
    """'2026-W47' -> Week; raises `WeekError` with the expected form.

    >>> parse_week("2026-W47").monday.isoformat()
    '2026-11-16'
    """
    match = _WEEK.match(text.strip())
    if not match:
        raise WeekError(f"{text!r} is not a week: use YYYY-Www, for example 2026-W47")
    year, number = int(match.group(1)), int(match.group(2))
    try:
        monday = date.fromisocalendar(year, number, 1)
    except ValueError as exc:
        raise WeekError(f"{text!r}: year {year} has no week {number}") from exc
    return Week(label=text.strip(), monday=monday, tz=ZoneInfo(timezone))


def week_of(day: date, tz: ZoneInfo) -> Week:
    """The ISO week that contains `day`."""
    year, number, weekday = day.isocalendar()
    return Week(label=f"{year}-W{number:02d}", monday=day - timedelta(days=weekday - 1), tz=tz)


def last_complete_week(now: datetime, timezone: str = "Europe/Amsterdam") -> Week:
    """The latest week that has fully ended at `now` (local time): last week."""
    tz = ZoneInfo(timezone)
    return week_of(now.astimezone(tz).date(), tz).previous()
