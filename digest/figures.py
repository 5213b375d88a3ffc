"""Collect everything one digest shows, for one week and one recipient, from storage.

Management sees everything. A project lead sees only documents that mention their own
watches (Recipient.watches, by name), the alerts about those watches and the notes on those
documents.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core.config import Recipient
from digest.ranking import RankedItem, rank_items
from digest.weeks import Week
from storage.alerts import Alert, list_alerts
from storage.db import Database
from storage.digest_queries import (
    ChangeRow,
    NoteRow,
    SentimentCounts,
    document_times,
    notes_in_period,
    sentiment_counts,
    top_item_candidates,
    topic_changes,
    watch_changes,
    watch_ids_by_name,
)
from storage.reach import Reach, reach_between

TOP_ITEMS = 5
MAX_TOPICS = 5
MIN_ABSOLUTE_CHANGE = 3
MIN_RELATIVE_CHANGE = 0.25
MIN_NEGATIVE_SHARE_CHANGE = 0.15


@dataclass(frozen=True)
class DayCount:
    day: date
    total: int
    negative: int


@dataclass(frozen=True)
class DigestFigures:
    """The facts of one digest; rendering turns these into Dutch text, HTML and charts."""

    week: Week
    recipient: Recipient | None
    scope_watches: tuple[str, ...] | None
    """None: everything (management). Otherwise the watch names this digest is limited to."""
    this_week: SentimentCounts
    last_week: SentimentCounts
    days: list[DayCount]
    last_week_days: list[DayCount]
    topics: list[ChangeRow]
    watches: list[ChangeRow]
    top_items: list[RankedItem]
    alerts: list[Alert]
    notes: list[NoteRow]
    reach: Reach | None = None
    """Which platforms and how many voices the week rests on (management digest only)."""

    @property
    def is_empty(self) -> bool:
        return self.this_week.total == 0 and self.last_week.total == 0


def is_notable(row: ChangeRow) -> bool:
    """A change an adviser should hear about.

    Volume: at least 3 more or fewer documents and at least 25% of last week's volume (any
    change from zero counts). Tone: the negative share moved 15 percentage points or more
    with at least 3 documents this week.
    """
    change = row.this_total - row.prev_total
    volume = abs(change) >= MIN_ABSOLUTE_CHANGE and (
        row.prev_total == 0 or abs(change) / row.prev_total >= MIN_RELATIVE_CHANGE
    )
    tone = False
    if row.this_total >= MIN_ABSOLUTE_CHANGE and row.prev_total > 0:
        shift = row.this_negative / row.this_total - row.prev_negative / row.prev_total
        tone = abs(shift) >= MIN_NEGATIVE_SHARE_CHANGE
    return volume or tone


def collect_figures(
    db: Database, week: Week, recipient: Recipient | None
) -> DigestFigures:
    """Read the week's figures for this recipient."""
    previous = week.previous()
    lead = recipient is not None and recipient.role == "project_lead"
    scope = tuple(recipient.watches) if lead and recipient else None
    watch_ids = watch_ids_by_name(db, scope) if scope is not None else None
    topics = [
        row for row in topic_changes(db, previous.start, week.start, week.end, watch_ids)
        if is_notable(row)
    ]
    topics.sort(key=lambda r: (-abs(r.this_total - r.prev_total), r.key))
    watches = watch_changes(db, previous.start, week.start, week.end, watch_ids)
    if not lead:
        watches = [row for row in watches if is_notable(row)]
    watches.sort(key=lambda r: (-abs(r.this_total - r.prev_total), r.key))
    if scope is None:
        alerts = list_alerts(db, limit=50, since=week.start, until=week.end)
    else:
        alerts = list_alerts(db, limit=50, since=week.start, until=week.end,
                             scope_type="watch", scope_keys=scope)
    return DigestFigures(
        week=week,
        recipient=recipient,
        scope_watches=scope,
        this_week=sentiment_counts(db, week.start, week.end, watch_ids),
        last_week=sentiment_counts(db, previous.start, previous.end, watch_ids),
        days=_per_day(db, week, watch_ids),
        last_week_days=_per_day(db, previous, watch_ids),
        topics=topics[:MAX_TOPICS],
        watches=watches,
        top_items=rank_items(top_item_candidates(db, week.start, week.end, watch_ids),
                             week.start, TOP_ITEMS),
        alerts=sorted(alerts, key=lambda a: (a.created, a.id or 0)),
        notes=notes_in_period(db, week.start, week.end, watch_ids),
        reach=reach_between(db, week.start, week.end) if scope is None else None,
    )


def _per_day(
    db: Database, week: Week, watch_ids: tuple[int, ...] | None
) -> list[DayCount]:
    totals = dict.fromkeys(week.days, 0)
    negatives = dict.fromkeys(week.days, 0)
    for moment, label in document_times(db, week.start, week.end, watch_ids):
        day = week.day_of(moment)
        if day in totals:
            totals[day] += 1
            negatives[day] += int(label == "negatief")
    return [DayCount(day, totals[day], negatives[day]) for day in week.days]
