"""Dead letters: queued tasks that failed for good (issue 16, `workers/`).

A redelivered task that fails again is the same task (same task id), so recording is an
upsert on the task id: at-least-once delivery never lists one failure twice. Error texts pass
`core.redact.redact` like every stored error (a broker URL may hold a password).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.records import utcnow
from core.redact import redact
from core.timeutil import from_iso, to_iso
from storage.db import Database, transaction
from storage.nul import strip_nul, strip_nul_all

MAX_ERROR_CHARS = 1_000
"""A traceback can hold scraped text; the stored summary stays short."""


@dataclass(frozen=True)
class DeadLetter:
    id: int
    task: str
    """The task's short name: crawl_source, score_batch, rollup, alerts, digest."""
    task_id: str
    source_id: str | None
    args: list[Any]
    attempts: int
    error: str
    failed_at: datetime


def record_dead_letter(
    db: Database,
    *,
    task: str,
    task_id: str,
    args: list[Any],
    attempts: int,
    error: str,
    source_id: str | None = None,
    now: datetime | None = None,
) -> None:
    """Record (or, for a redelivered task, update) the final failure of one task."""
    text = strip_nul(redact(error))[:MAX_ERROR_CHARS]
    with transaction(db) as conn:
        conn.execute(
            "INSERT INTO dead_letters (task, task_id, source_id, args, attempts, error, "
            "failed_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (task_id) DO UPDATE SET "
            "attempts = excluded.attempts, error = excluded.error, "
            "failed_at = excluded.failed_at",
            strip_nul_all([task, task_id, source_id, json.dumps(args, default=str), attempts,
                           text, to_iso(now or utcnow())]),
        )


def list_dead_letters(db: Database, limit: int = 50) -> list[DeadLetter]:
    """The most recent dead letters first."""
    rows = db.execute(
        "SELECT id, task, task_id, source_id, args, attempts, error, failed_at "
        "FROM dead_letters ORDER BY failed_at DESC, id DESC LIMIT ?",
        [limit],
    ).fetchall()
    return [
        DeadLetter(id=row[0], task=row[1], task_id=row[2], source_id=row[3],
                   args=json.loads(row[4]), attempts=row[5], error=row[6],
                   failed_at=_when(row[7]))
        for row in rows
    ]


def count_dead_letters(db: Database) -> int:
    return int(db.execute("SELECT count(*) FROM dead_letters").fetchone()[0])


def _when(value: str) -> datetime:
    when = from_iso(value)
    assert when is not None  # the column is NOT NULL
    return when
