"""Archived weekly digests and their send state: one row per (week, recipient).

The archive is what makes `newsroom digest --send` idempotent: a row with `sent_at` set is
never sent again unless forced, and a failed send keeps `sent_at` empty and records the
error, so the next run retries it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.records import utcnow
from core.redact import redact
from core.timeutil import from_iso, to_iso
from storage.db import Database, transaction
from storage.dialect import insert_mark
from storage.nul import strip_nul, strip_nul_all


@dataclass(frozen=True)
class ArchivedDigest:
    """A digest as it was built (and perhaps sent) for one recipient and week."""

    id: int
    week: str
    recipient: str
    subject: str
    html: str
    text: str
    created: datetime
    sent_at: datetime | None
    attempts: int
    last_error: str | None


def save_digest(
    db: Database,
    week: str,
    recipient: str,
    subject: str,
    html: str,
    text: str,
    created: datetime | None = None,
) -> int:
    """Archive (or replace) the digest for this week and recipient; keeps its send state."""
    week, recipient, subject, html, text = strip_nul_all([week, recipient, subject, html, text])
    created_iso = to_iso(created or utcnow())
    with transaction(db) as conn:
        row = conn.execute(
            "SELECT id FROM digests WHERE week = ? AND recipient = ?", [week, recipient]
        ).fetchone()
        if row is None:
            return int(conn.execute(
                "INSERT INTO digests (week, recipient, subject, html, text, created) "
                "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                [week, recipient, subject, html, text, created_iso],
            ).fetchall()[0][0])
        conn.execute(
            "UPDATE digests SET subject = ?, html = ?, text = ?, created = ? WHERE id = ?",
            [subject, html, text, created_iso, row[0]],
        )
        return int(row[0])


def get_digest(db: Database, week: str, recipient: str) -> ArchivedDigest | None:
    """The archived digest for this week and recipient, or None."""
    rows = list(
        db.query("SELECT * FROM digests WHERE week = ? AND recipient = ?", [week, recipient])
    )
    return _from_row(rows[0]) if rows else None


def mark_digest_sent(
    db: Database, digest_id: int, sent_at: datetime | None = None
) -> None:
    """Record a successful send; clears the last error."""
    with transaction(db) as conn:
        conn.execute(
            "UPDATE digests SET sent_at = ?, attempts = attempts + 1, last_error = NULL "
            "WHERE id = ?",
            [to_iso(sent_at or utcnow()), digest_id],
        )


def record_digest_failure(db: Database, digest_id: int, error: str) -> None:
    """Record a failed send attempt; `sent_at` stays as it was, so the next run retries."""
    with transaction(db) as conn:
        conn.execute(
            "UPDATE digests SET attempts = attempts + 1, last_error = ? WHERE id = ?",
            [strip_nul(redact(error))[:2000], digest_id],
        )


def unsent_digests(db: Database, since: datetime) -> list[ArchivedDigest]:
    """Digests archived since `since` whose sending failed and that were never sent."""
    rows = db.query(
        "SELECT * FROM digests WHERE sent_at IS NULL AND attempts > 0 AND created >= ? "
        "ORDER BY week, recipient",
        [to_iso(since)],
    )
    return [_from_row(row) for row in rows]


def list_digests(db: Database, limit: int = 50) -> list[ArchivedDigest]:
    """Archived digests, newest week first."""
    rows = db.query(
        "SELECT * FROM digests ORDER BY week DESC, recipient LIMIT ?", [max(0, int(limit))]
    )
    return [_from_row(row) for row in rows]


def _from_row(row: dict[str, Any]) -> ArchivedDigest:
    return ArchivedDigest(
        id=row["id"],
        week=row["week"],
        recipient=row["recipient"],
        subject=row["subject"],
        html=row["html"],
        text=row["text"],
        created=from_iso(row["created"]) or utcnow(),
        sent_at=from_iso(row["sent_at"]),
        attempts=int(row.get("attempts") or 0),
        last_error=row.get("last_error"),
    )


# --- previews for the dashboard ----------------------------------------------------------


@dataclass(frozen=True)
class DigestPreview:
    """A digest built for the dashboard (images inline), with the data state it reflects."""

    week: str
    recipient: str
    """The recipient's address; '' for the full (management) digest."""
    subject: str
    html: str
    text: str
    data_stamp: str
    built_at: datetime


def _stamp_sources(db: Database) -> tuple[str, ...]:
    return (
        "SELECT max(num) FROM documents",
        # A rescore deletes and re-inserts a document's scores (new rowids on SQLite; on
        # PostgreSQL the table's write counter moves: storage.dialect.insert_mark).
        insert_mark(db, "scores"),
        insert_mark(db, "document_versions"),
        "SELECT max(id) FROM annotations",
        "SELECT max(id) FROM alerts",
        "SELECT max(updated) FROM watches",
        "SELECT count(*) FROM watches WHERE active = 1",
    )


def data_stamp(db: Database) -> str:
    """A cheap fingerprint of everything a digest is built from.

    New or re-crawled documents, new scores (rescoring inserts new rows), corrections and
    notes, alerts and edited watches all move it. Each part is an index or rowid lookup,
    so it costs microseconds even at a million documents (on PostgreSQL, which has no rowid,
    the score and version parts read a write counter: `storage.dialect.insert_mark`).
    It is a fingerprint, not a proof (a rescore that reuses the highest rowids goes
    unnoticed), which is why the dashboard also offers a rebuild button and shows when a
    preview was built.
    """
    return "|".join(str(db.execute(sql).fetchone()[0]) for sql in _stamp_sources(db))


def save_preview(db: Database, preview: DigestPreview) -> None:
    """Store (or replace) the preview of this week and recipient."""
    with transaction(db) as conn:
        conn.execute(
            "INSERT INTO digest_previews "
            "(week, recipient, subject, html, text, data_stamp, built_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (week, recipient) DO UPDATE SET "
            "subject = excluded.subject, html = excluded.html, text = excluded.text, "
            "data_stamp = excluded.data_stamp, built_at = excluded.built_at",
            strip_nul_all([preview.week, preview.recipient, preview.subject, preview.html,
                           preview.text, preview.data_stamp, to_iso(preview.built_at)]),
        )


def get_preview(db: Database, week: str, recipient: str) -> DigestPreview | None:
    """The stored preview of this week and recipient, current or not, or None."""
    row = db.execute(
        "SELECT week, recipient, subject, html, text, data_stamp, built_at "
        "FROM digest_previews WHERE week = ? AND recipient = ?",
        [week, recipient],
    ).fetchone()
    if row is None:
        return None
    week_label, who, subject, html, text, stamp, built = row
    return DigestPreview(week=week_label, recipient=who, subject=subject, html=html, text=text,
                         data_stamp=stamp, built_at=from_iso(built) or utcnow())


def clear_previews(db: Database) -> None:
    """Drop every stored preview (the benchmark times a rebuild from nothing)."""
    with transaction(db) as conn:
        conn.execute("DELETE FROM digest_previews")
