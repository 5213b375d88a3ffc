"""The coordination signal of the dashboard's default window, computed by the scheduler.

Detecting coordinated posting compares the social posts of two weeks with each other: about
two seconds at a million documents, too slow for the Overzicht page's budget of one second
when its cache is cold. The rollup job computes the signals of the window the page opens
on and stores them with a data stamp; the page uses the stored signals while the stamp still
matches and computes them itself otherwise, so it never shows stale signals. The table holds
one row (the latest window): a cache, never a record. Erasure empties it (its example text
and document ids come from posts), and a purge moves the stamp.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta
from typing import Any

from core.timeutil import from_iso, to_iso
from storage.coordination import first_seen_by_author, social_posts_between
from storage.coordination_signal import CoordinationSignal, detect_coordination
from storage.db import Database, transaction
from storage.dialect import insert_mark

COORDINATION_DAYS = 14
"""The signal looks at the last two weeks of the chosen period (it compares every post)."""


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def detect_between(db: Database, start: date, end: date) -> list[CoordinationSignal]:
    """The signals among the social posts of [start, end) (whole days), computed now."""
    posts = social_posts_between(db, _midnight(start), _midnight(end))
    first_seen = first_seen_by_author(db, {post.author for post in posts})
    return detect_coordination(posts, first_seen)


def data_stamp(db: Database, start: date, end: date) -> str:
    """A cheap fingerprint of what the window's signals are computed from: new documents
    (max num), purged ones (min num: a purge removes the oldest, which can change when an
    account was first seen), changed texts (the versions' write mark) and the window's
    number of social posts. Index lookups only."""
    parts = (
        db.execute("SELECT max(num) FROM documents").fetchone()[0],
        db.execute("SELECT min(num) FROM documents").fetchone()[0],
        db.execute(insert_mark(db, "document_versions")).fetchone()[0],
        db.execute(
            "SELECT count(*) FROM documents WHERE kind = 'social' "
            "AND coalesce(published, first_seen) >= ? AND coalesce(published, first_seen) < ?",
            [to_iso(_midnight(start)), to_iso(_midnight(end))]).fetchone()[0],
    )
    return "|".join(str(part) for part in parts)


def _encode(signals: list[CoordinationSignal]) -> str:
    rows = []
    for signal in signals:
        row: dict[str, Any] = asdict(signal)
        row["start"], row["end"] = to_iso(signal.start), to_iso(signal.end)
        row["document_ids"] = list(signal.document_ids)
        rows.append(row)
    return json.dumps(rows, ensure_ascii=False)


def _decode(text: str) -> list[CoordinationSignal]:
    signals = []
    for row in json.loads(text):
        start, end = from_iso(row["start"]), from_iso(row["end"])
        if start is None or end is None:
            raise ValueError("a stored coordination signal lacks its times")
        signals.append(CoordinationSignal(
            kind=row["kind"], start=start, end=end, accounts=int(row["accounts"]),
            posts=int(row["posts"]), document_ids=tuple(row["document_ids"]),
            example=row["example"]))
    return signals


def save_signals(db: Database, start: date, end: date, stamp: str,
                 signals: list[CoordinationSignal], built_at: datetime) -> None:
    """Store the window's signals, replacing whatever window was stored before."""
    with transaction(db) as conn:
        conn.execute("DELETE FROM coordination_results")
        conn.execute(
            "INSERT INTO coordination_results "
            "(period_start, period_end, data_stamp, built_at, signals) VALUES (?, ?, ?, ?, ?)",
            [start.isoformat(), end.isoformat(), stamp, to_iso(built_at), _encode(signals)])


def stored_signals(db: Database, start: date, end: date) -> list[CoordinationSignal] | None:
    """The stored signals of exactly this window while their stamp matches; else None."""
    row = db.execute(
        "SELECT data_stamp, signals FROM coordination_results "
        "WHERE period_start = ? AND period_end = ?", [start.isoformat(), end.isoformat()],
    ).fetchone()
    if row is None or row[0] != data_stamp(db, start, end):
        return None
    try:
        return _decode(row[1])
    except (ValueError, KeyError, TypeError):
        return None  # an unreadable row is recomputed, never shown


def signals_between(db: Database, start: date, end: date) -> list[CoordinationSignal]:
    """The window's signals: the stored ones while current, else computed now."""
    stored = stored_signals(db, start, end)
    return stored if stored is not None else detect_between(db, start, end)


def default_window(last_day: date) -> tuple[date, date]:
    """The window the Overzicht page opens on: the last `COORDINATION_DAYS` up to and
    including `last_day` (the page's period ends the day after its last day)."""
    end = last_day + timedelta(days=1)
    return end - timedelta(days=COORDINATION_DAYS), end


def page_last_day(db: Database, today: date) -> date:
    """The day the dashboard's periods end on (`dashboard.data.last_day` on a store)."""
    from storage.dashboard_queries import period_last_day, rollup_range

    return period_last_day(rollup_range(db)[1], today)


def refresh_signals(db: Database, now: datetime) -> int | None:
    """Compute and store the signals of the window the Overzicht page opens on, unless the
    stored ones are current (None); else how many signals were found."""
    start, end = default_window(page_last_day(db, now.date()))
    if stored_signals(db, start, end) is not None:
        return None
    stamp = data_stamp(db, start, end)
    signals = detect_between(db, start, end)
    save_signals(db, start, end, stamp, signals, now)
    return len(signals)


def clear_signals(db: Database, dry_run: bool = False) -> int:
    """Forget the stored signals, inside the caller's transaction (erasure: they quote
    posts, and the rollup job computes them again); returns the rows (to be) removed."""
    rows = int(db.execute("SELECT count(*) FROM coordination_results").fetchone()[0])
    if not dry_run:
        db.execute("DELETE FROM coordination_results")
    return rows
