"""Clean-up after a crash: crawl runs whose process died are closed with true counts.

A crawl run is written 'running' when it starts and closed when its spider finishes. When
the process is killed (kill -9, OOM, power cut) nobody closes it, and its counters were
never written. On the next start (scheduler, `newsroom crawl`, `newsroom score`) such runs
are closed as 'interrupted', with what storage shows the run did: documents of the source
first seen (new) or fetched again (updated) since the run started.
"""

from __future__ import annotations

import logging
import os
from datetime import datetime, timedelta
from pathlib import Path

from core.records import CrawlStats, utcnow
from core.timeutil import to_iso
from storage.db import Database, transaction

logger = logging.getLogger(__name__)

LEGACY_STALE_AFTER = timedelta(hours=6)
"""Runs without a pid (written before migration 0041) count as dead after this long."""


def process_alive(pid: int | None) -> bool:
    """True when a process with this id exists on this machine."""
    if pid is None or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return not _is_zombie(pid)


def _is_zombie(pid: int) -> bool:
    """A killed process whose parent never reaped it still answers kill(pid, 0)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[:1] == ["Z"]


def counts_since(db: Database, source_id: str, started: str) -> CrawlStats:
    """What storage shows a crawl of `source_id` that started at `started` stored."""
    new, touched = db.execute(
        "SELECT sum(CASE WHEN first_seen >= ? THEN 1 ELSE 0 END), count(*) FROM documents "
        "WHERE source_id = ? AND fetched >= ?",
        [started, source_id, started],
    ).fetchone()
    new = int(new or 0)
    return CrawlStats(new=new, updated=int(touched or 0) - new)


def close_interrupted_crawl_runs(db: Database, now: datetime | None = None) -> int:
    """Close 'running' crawl runs whose process is gone; returns how many were closed."""
    now = now or utcnow()
    legacy_cutoff = to_iso(now - LEGACY_STALE_AFTER)
    rows = list(db.query("SELECT id, source_id, started, pid FROM crawl_runs "
                         "WHERE status = 'running'"))
    closed = 0
    for row in rows:
        pid = row["pid"]
        if pid is None and row["started"] >= legacy_cutoff:
            continue
        if pid is not None and (pid == os.getpid() or process_alive(pid)):
            continue
        stats = counts_since(db, row["source_id"], row["started"])
        with transaction(db) as conn:
            updated = conn.execute(
                "UPDATE crawl_runs SET status = 'interrupted', ended = ?, new = ?, updated = ? "
                "WHERE id = ? AND status = 'running'",
                [to_iso(now), stats.new, stats.updated, row["id"]],
            ).rowcount
            if updated:
                conn.execute(
                    "INSERT INTO crawl_issues (run_id, url, reason, detail) VALUES (?, '', "
                    "'interrupted', ?)",
                    [row["id"], f"the crawl process (pid {pid}) ended without closing the run"],
                )
        closed += updated
    if closed:
        logger.warning("%s crawl runs of a dead process were closed as interrupted", closed)
    return closed
