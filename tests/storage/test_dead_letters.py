"""Dead letters of queued tasks, on SQLite and PostgreSQL (`any_db`).

At-least-once delivery means a task can fail for good more than once: the same task id is
one dead letter, updated, never two. Errors are redacted and cut short before storing.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from storage.dead_letters import (
    MAX_ERROR_CHARS,
    count_dead_letters,
    list_dead_letters,
    record_dead_letter,
)

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def test_a_redelivered_failure_updates_its_one_dead_letter(any_db: Any) -> None:
    record_dead_letter(any_db, task="crawl_source", task_id="t1", args=["ad"], attempts=3,
                       error="HTTP 503", source_id="ad", now=T0)
    record_dead_letter(any_db, task="score_batch", task_id="t2", args=[["d1", "d2"]],
                       attempts=3, error="out of memory", now=T0 + timedelta(minutes=1))
    record_dead_letter(any_db, task="crawl_source", task_id="t1", args=["ad"], attempts=5,
                       error="HTTP 500", source_id="ad", now=T0 + timedelta(minutes=2))
    assert count_dead_letters(any_db) == 2
    newest, older = list_dead_letters(any_db)
    assert (newest.task_id, newest.attempts, newest.error) == ("t1", 5, "HTTP 500")
    assert newest.failed_at == T0 + timedelta(minutes=2) and newest.source_id == "ad"
    assert (older.task, older.args, older.source_id) == ("score_batch", [["d1", "d2"]], None)
    assert [d.task_id for d in list_dead_letters(any_db, limit=1)] == ["t1"]


def test_errors_are_redacted_and_capped(any_db: Any) -> None:
    secret = "redis://:geheim-wachtwoord@queue.example:6379/0"
    record_dead_letter(any_db, task="rollup", task_id="t3", args=[], attempts=1,
                       error=f"cannot reach {secret} " + "x" * 5_000, now=T0)
    (letter,) = list_dead_letters(any_db)
    assert "geheim-wachtwoord" not in letter.error
    assert len(letter.error) == MAX_ERROR_CHARS
