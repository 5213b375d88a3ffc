"""Writers that compete at the same moment, each on its own connection (issue 16).

SQLite lets one writer in at a time; PostgreSQL runs transactions side by side (READ
COMMITTED). Score claims and login-failure counts must come out the same on both: every
document claimed by exactly one scorer, no failed login lost, and no deadlock when two
claimers ask for the same documents in opposite orders.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from storage import login_throttle as throttle
from storage.db import Database, open_db, transaction
from storage.leases import claim, claimed_by_others, release
from tests.pg_support import db_target

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
NOW = 1_800_000_000.0


def run_together(db: Any, *jobs: Callable[[Any], Any]) -> list[Any]:
    """Run each job in its own thread on its own connection to `db`'s store, all released
    at the same moment; their results in order."""
    target = db_target(db)  # read here: a sqlite3 connection serves only its own thread
    start = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)
    errors: list[BaseException] = []

    def worker(index: int, job: Callable[[Any], Any]) -> None:
        own = open_db(target, migrate=False)
        try:
            start.wait()
            results[index] = job(own)
        except BaseException as exc:  # handed to the test below, not swallowed
            errors.append(exc)
            start.abort()
        finally:
            own.conn.close()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


def claim_as(holder: str, ids: list[str]) -> Callable[[Any], list[str]]:
    return lambda db: claim(db, ids, holder, now=T0)


def test_two_claimers_in_opposite_orders_split_every_batch(any_db: Any) -> None:
    for round_no in range(15):
        ids = [f"r{round_no}-d{n:03d}" for n in range(120)]
        got_a, got_b = run_together(
            any_db,
            claim_as("scorer-a", ids),
            claim_as("scorer-b", ids[::-1]),
        )
        assert not set(got_a) & set(got_b), "a document was claimed twice"
        assert set(got_a) | set(got_b) == set(ids), "a free document was left unclaimed"
        assert claimed_by_others(any_db, "scorer-a", now=T0) == len(got_b)
        release(any_db, "scorer-a")
        release(any_db, "scorer-b")


def test_failed_logins_from_two_dashboards_are_all_counted(any_db: Any) -> None:
    per_dashboard = 9  # 18 in all: below CLIENT_LIMIT, so the count is never reset

    def failures(prefix: str) -> Callable[[Any], None]:
        def job(db: Any) -> None:
            for n in range(per_dashboard):
                throttle.record_failure(db, f"{prefix}{n}", "192.0.2.7", NOW + n)
        return job

    run_together(any_db, failures("a"), failures("b"))
    row = any_db.execute(
        "SELECT failures FROM login_throttle WHERE scope = 'client' AND key = '192.0.2.7'"
    ).fetchone()
    assert row[0] == 2 * per_dashboard < throttle.CLIENT_LIMIT


def _waiting_for_a_lock(observer: Database, backend_pid: int) -> bool:
    row = observer.execute(
        "SELECT wait_event_type FROM pg_stat_activity WHERE pid = ?", [backend_pid]
    ).fetchone()
    return row is not None and row[0] == "Lock"


@pytest.mark.postgres
def test_a_claim_waits_for_an_uncommitted_competitor_then_takes_nothing(pg_url: str) -> None:
    holder, competitor, observer = (open_db(pg_url, migrate=False) for _ in range(3))
    competitor_pid = int(competitor.execute("SELECT pg_backend_pid()").fetchone()[0])
    ids = ["d1", "d2", "d3"]
    result: list[list[str]] = []
    try:
        with transaction(holder):
            assert claim(holder, ids, "scorer-a", now=T0) == ids  # not committed yet
            thread = threading.Thread(
                target=lambda: result.append(claim(competitor, ids[::-1], "scorer-b", now=T0)))
            thread.start()
            deadline = time.monotonic() + 30
            while not _waiting_for_a_lock(observer, competitor_pid):
                assert time.monotonic() < deadline, "the competing claim never waited"
                assert thread.is_alive(), "the competing claim did not wait for the first"
                time.sleep(0.02)
        thread.join()
        assert result == [[]]
        # Once the first claim has expired, the competitor takes the documents over.
        later = T0 + timedelta(minutes=16)
        assert claim(competitor, ids, "scorer-b", now=later) == ids
    finally:
        for db in (holder, competitor, observer):
            db.conn.close()
