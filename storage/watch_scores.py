"""Watch scores: the sentiment of the sentences of a document that mention a watch.

Written with a document's analysis (storage.scores) and by the back-fill after a watch was
created or changed; `watch_progress` records which version of a watch is applied everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from core.records import Sentiment, utcnow
from core.timeutil import to_iso
from storage.db import Database, transaction
from storage.nul import strip_nul_all


@dataclass(frozen=True)
class WatchScore:
    """The sentiment of the sentences of one document that mention one watch."""

    watch_id: int
    document_id: str
    mentions: int
    sentiment: Sentiment


def insert_watch_scores(conn: Any, scores: Iterable[WatchScore]) -> None:
    """Add or replace watch scores inside the caller's transaction (used by storage.scores)."""
    conn.executemany(
        "INSERT INTO watch_scores (watch_id, document_id, mentions, label, p_neg, "
        "p_neu, p_pos, model_name, model_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (watch_id, document_id) DO UPDATE SET mentions = excluded.mentions, "
        "label = excluded.label, p_neg = excluded.p_neg, p_neu = excluded.p_neu, "
        "p_pos = excluded.p_pos, model_name = excluded.model_name, "
        "model_version = excluded.model_version",
        [
            (
                w.watch_id, w.document_id, w.mentions, w.sentiment.label,
                float(w.sentiment.p_neg), float(w.sentiment.p_neu), float(w.sentiment.p_pos),
                w.sentiment.model_name, w.sentiment.model_version,
            )
            for w in scores
        ],
    )


def clear_watch_scores(db: Database, watch_id: int) -> None:
    """Drop a watch's per-document scores before a full back-fill recomputes them."""
    with transaction(db) as conn:
        conn.execute("DELETE FROM watch_scores WHERE watch_id = ?", [watch_id])


def save_watch_scores(db: Database, scores: Sequence[WatchScore]) -> None:
    """Add or replace watch scores (the back-fill after a watch was created or changed)."""
    with transaction(db) as conn:
        insert_watch_scores(conn, scores)


def watch_versions(db: Database) -> dict[int, tuple[str, str]]:
    """Per active watch id: (query, updated) as stored in `watches` now."""
    rows = db.execute("SELECT id, query, updated FROM watches WHERE active = 1").fetchall()
    return {int(i): (str(q), str(u)) for i, q, u in rows}


def watches_needing_backfill(db: Database) -> list[int]:
    """Active watches whose current version has not yet been applied to all scored documents.

    `storage.adviser.save_watch` bumps `updated` and clears the watch's rows, so any change
    (or a new watch) shows up here until `mark_watch_backfilled` records the version.
    """
    rows = db.execute(
        "SELECT w.id FROM watches w LEFT JOIN watch_progress p ON p.watch_id = w.id "
        "WHERE w.active = 1 AND (p.watch_id IS NULL OR p.query != w.query "
        "OR p.watch_updated != w.updated) ORDER BY w.id"
    ).fetchall()
    return [int(row[0]) for row in rows]


def mark_watch_backfilled(
    db: Database, watch_id: int, query: str, updated: str
) -> None:
    """Record that this version of the watch has been applied to every scored document."""
    with transaction(db) as conn:
        conn.execute(
            "INSERT INTO watch_progress (watch_id, query, watch_updated, done_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (watch_id) DO UPDATE SET query = excluded.query, "
            "watch_updated = excluded.watch_updated, done_at = excluded.done_at",
            strip_nul_all([watch_id, query, updated, to_iso(utcnow())]),
        )


def forget_removed_watches(db: Database) -> int:
    """Drop progress rows of deleted watches (so a re-used id starts fresh)."""
    with transaction(db) as conn:
        cursor = conn.execute(
            "DELETE FROM watch_progress WHERE watch_id NOT IN (SELECT id FROM watches)"
        )
    return int(cursor.rowcount or 0)


def watch_document_counts(db: Database) -> dict[int, int]:
    """Watch id -> how many documents have a score for it (for `newsroom watches list`)."""
    rows = db.execute("SELECT watch_id, count(*) FROM watch_scores GROUP BY watch_id").fetchall()
    return {int(watch_id): int(count) for watch_id, count in rows}
