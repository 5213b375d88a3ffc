"""The figures of Overzicht's "Deze week" card, read live from the documents.

Why live and not from the rollups: the card must be right the moment crawling and scoring
finish (also right after `newsroom demo run --no-dashboard`), before any rollup job ran.
The week is the local calendar week (Monday 00:00 in the configured time zone) up to the
end of today; it is compared with the same days of the week before, so a Thursday is not
set against a whole previous week.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from core.timeutil import to_iso
from storage.dashboard_queries.series import label_count
from storage.db import Database
from storage.dialect import count_if
from storage.effective import EFFECTIVE_JOIN, EFFECTIVE_LABEL

DOC_TIME = "coalesce(d.published, d.first_seen)"


@dataclass(frozen=True)
class Window:
    """[start, end) in UTC ISO strings, for comparing with stored document times."""

    start: str
    end: str


@dataclass
class WeekFigures:
    """This week so far against the same days last week; `None` where there is nothing."""

    week_start: date
    today: date
    n_now: int
    n_before: int
    neg_now: int
    scored_now: int
    neg_before: int
    scored_before: int
    incident: dict[str, Any] | None = None
    story: dict[str, Any] | None = None
    topics: list[dict[str, Any]] = field(default_factory=list)

    @property
    def share_now(self) -> float | None:
        return self.neg_now / self.scored_now if self.scored_now else None

    @property
    def share_before(self) -> float | None:
        return self.neg_before / self.scored_before if self.scored_before else None


def week_windows(today: date, tz: ZoneInfo) -> tuple[Window, Window]:
    """This week (local Monday up to the end of `today`) and the same days a week earlier."""
    monday = today - timedelta(days=today.weekday())

    def utc(day: date) -> str:
        return to_iso(datetime.combine(day, time.min, tz)) or ""

    now = Window(utc(monday), utc(today + timedelta(days=1)))
    before = Window(utc(monday - timedelta(days=7)), utc(today - timedelta(days=6)))
    return now, before


def week_figures(db: Database, today: date, tz: ZoneInfo) -> WeekFigures:
    """Volume, negative share, biggest incident, fastest-growing story and topic changes."""
    now, before = week_windows(today, tz)
    counts = [_counts(db, window) for window in (now, before)]
    figures = WeekFigures(today - timedelta(days=today.weekday()), today,
                          counts[0][0], counts[1][0], counts[0][1], counts[0][2],
                          counts[1][1], counts[1][2])
    figures.incident = _biggest_incident(db, now)
    figures.story = _story_that_moved(db, now, before)
    figures.topics = _topic_changes(db, now, before)
    return figures


def _counts(db: Database, window: Window) -> tuple[int, int, int]:
    row = db.execute(
        f"SELECT count(*), coalesce({label_count(EFFECTIVE_LABEL, 'negatief')}, 0), "
        f"count({EFFECTIVE_LABEL}) FROM documents d {EFFECTIVE_JOIN} "
        f"WHERE {DOC_TIME} >= ? AND {DOC_TIME} < ?",
        [window.start, window.end],
    ).fetchone()
    return int(row[0]), int(row[1]), int(row[2])


def _biggest_incident(db: Database, window: Window) -> dict[str, Any] | None:
    """The incident active this week with the highest peak (its alert's message)."""
    row = db.execute(
        "SELECT i.peak_count, i.opened, i.updated, i.scopes_json, a.message, a.kind, "
        "a.scope_type, a.scope_key FROM incidents i JOIN alerts a ON a.id = i.alert_id "
        "WHERE i.updated >= ? AND i.opened < ? ORDER BY i.peak_count DESC, i.opened DESC LIMIT 1",
        [window.start, window.end],
    ).fetchone()
    if row is None:
        return None
    return {"peak_count": row[0], "opened": row[1], "updated": row[2],
            "scopes": json.loads(row[3]), "message": row[4], "kind": row[5],
            "scope_type": row[6], "scope_key": row[7]}


def _story_that_moved(db: Database, now: Window, before: Window
                      ) -> dict[str, Any] | None:
    """The story that gained the most documents against last week (at least 2 this week)."""
    # The counts are named in an inner query: PostgreSQL allows no output names in HAVING
    # or in ORDER BY expressions.
    row = db.execute(
        f"SELECT story_id, n_now, n_before, outlets, example FROM ("
        f"SELECT ds.story_id, {count_if(DOC_TIME + ' >= ?')} AS n_now, "
        f"{count_if(DOC_TIME + ' < ?')} AS n_before, "
        "count(DISTINCT CASE WHEN " + DOC_TIME + " >= ? THEN d.source_id END) AS outlets, "
        f"min(CASE WHEN {DOC_TIME} >= ? THEN d.id END) AS example "
        "FROM documents d JOIN document_stories ds ON ds.document_id = d.id "
        f"WHERE ({DOC_TIME} >= ? AND {DOC_TIME} < ?) OR ({DOC_TIME} >= ? AND {DOC_TIME} < ?) "
        "GROUP BY ds.story_id) moved WHERE n_now >= 2 "
        "ORDER BY n_now - n_before DESC, n_now DESC, story_id LIMIT 1",
        [now.start, now.start, now.start, now.start, now.start, now.end, before.start,
         before.end],
    ).fetchone()
    if row is None:
        return None
    title = db.execute("SELECT title FROM documents WHERE id = ?", [row[4]]).fetchone()
    return {"story_id": row[0], "n_now": int(row[1]), "n_before": int(row[2]),
            "outlets": int(row[3]), "title": title[0] if title else ""}


def _topic_changes(db: Database, now: Window, before: Window
                   ) -> list[dict[str, Any]]:
    """Per topic: documents this week and in the same days last week, biggest change first."""
    rows = db.execute(
        f"SELECT t.topic, {count_if(DOC_TIME + ' >= ?')} AS n_now, "
        f"{count_if(DOC_TIME + ' < ?')} AS n_before "
        "FROM topics t JOIN documents d ON d.id = t.document_id "
        f"WHERE ({DOC_TIME} >= ? AND {DOC_TIME} < ?) OR ({DOC_TIME} >= ? AND {DOC_TIME} < ?) "
        "GROUP BY t.topic",
        [now.start, now.start, now.start, now.end, before.start, before.end],
    ).fetchall()
    changes = [{"topic": topic, "n_now": int(n_now), "n_before": int(n_before)}
               for topic, n_now, n_before in rows if n_now != n_before]
    return sorted(changes, key=lambda c: (-abs(c["n_now"] - c["n_before"]), c["topic"]))
