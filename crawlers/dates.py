"""Publication dates from feeds, sitemaps and pages, as aware UTC datetimes.

Outlets write dates in many shapes (RFC 822 in RSS, ISO 8601 in Atom and sitemaps, bare
dates in HTML metadata); a date that cannot be read becomes None and the store falls back
to the first-seen time. A date more than a day ahead of the fetch is a typo or a scheduled
post: it is clamped to the fetch time so it cannot sit on top of every list for weeks.
"""

from __future__ import annotations

import calendar
import logging
import time
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

logger = logging.getLogger(__name__)

FUTURE_TOLERANCE = timedelta(days=1)
EARLIEST_PLAUSIBLE = datetime(1990, 1, 1, tzinfo=UTC)
LATEST_PLAUSIBLE = datetime(2100, 1, 1, tzinfo=UTC)
"""Dates outside [EARLIEST_PLAUSIBLE, LATEST_PLAUSIBLE) are rejected (None): they are typos
or placeholders such as 0001-01-01 and 9999-12-31, and near the ends of the calendar they
overflow when converted to UTC."""


def plausible(value: datetime | None) -> datetime | None:
    """The date when it lies in the sane window, else None."""
    if value is None or not EARLIEST_PLAUSIBLE <= value < LATEST_PLAUSIBLE:
        return None
    return value


def from_struct_time(value: time.struct_time | None) -> datetime | None:
    """feedparser's `*_parsed` fields are UTC struct_times."""
    if value is None:
        return None
    try:
        return plausible(datetime.fromtimestamp(calendar.timegm(value), tz=UTC))
    except (OverflowError, ValueError, TypeError, OSError):
        return None


def parse_date(value: str | None) -> datetime | None:
    """Read an ISO 8601, RFC 822 or bare `YYYY-MM-DD` date; None when unreadable.

    Naive times are taken to be UTC.

    >>> parse_date("2026-03-02T10:15:00+01:00").isoformat()
    '2026-03-02T09:15:00+00:00'
    >>> parse_date("Mon, 02 Mar 2026 09:15:00 GMT").isoformat()
    '2026-03-02T09:15:00+00:00'
    >>> parse_date("niet een datum") is None
    True
    >>> parse_date("9999-12-31T23:59:59-14:00") is None
    True
    """
    if not value or not value.strip():
        return None
    text = value.strip()[:100]
    parsed: datetime | None = None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError, OverflowError):
            parsed = None
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        parsed = parsed.astimezone(UTC).replace(microsecond=0)
    except (OverflowError, ValueError):  # 0001-01-01+14:00 and 9999-12-31-14:00
        return None
    return plausible(parsed)


def clamp_future(published: datetime | None, fetched: datetime) -> tuple[datetime | None, bool]:
    """(date to store, whether it was clamped): dates over a day ahead become `fetched`."""
    if published is None:
        return None, False
    if published - fetched > FUTURE_TOLERANCE:
        return fetched, True
    return published, False


def plausible_date(value: datetime | None, now: datetime) -> datetime | None:
    """`value` when it can be a publication date, else None, so the next source of a date
    (another feed field, the article page) is used instead.

    Feeds write placeholders ("01 Jan 0001", the Unix epoch) and scheduled or mistyped
    dates; taken as the truth they would override a correct date on the article page.

    >>> now = datetime(2026, 3, 10, tzinfo=UTC)
    >>> plausible_date(datetime(1, 1, 1, tzinfo=UTC), now) is None
    True
    >>> plausible_date(datetime(2026, 3, 20, tzinfo=UTC), now) is None
    True
    >>> plausible_date(datetime(2026, 3, 9, tzinfo=UTC), now).day
    9
    """
    if value is None or value < EARLIEST_PLAUSIBLE or value - now > FUTURE_TOLERANCE:
        return None
    return value
