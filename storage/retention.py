"""Retention for every store besides documents: alert evidence, digests and previews, crawl
logs, and the oldest item of each store for `newsroom status`.

Documents (per kind) are purged by `storage.documents.purge_older_than`, the audit log by
`storage.audit.purge_events_older_than`, job runs by `storage.jobs.prune_job_runs`; backup
files live outside the database and are pruned by the scheduler's backup job.
"""

from __future__ import annotations

from datetime import datetime

from core.timeutil import from_iso, to_iso
from storage.db import Database, transaction

OLDEST_QUERIES: dict[str, str] = {
    "social": "SELECT min(first_seen) FROM documents WHERE kind = 'social'",
    "news": "SELECT min(first_seen) FROM documents WHERE kind = 'news'",
    "official": "SELECT min(first_seen) FROM documents WHERE kind = 'official'",
    "alerts": "SELECT min(created) FROM alerts",
    "digests": "SELECT min(x) FROM (SELECT min(created) AS x FROM digests "
               "UNION ALL SELECT min(built_at) FROM digest_previews) AS oldest",
    "logs": "SELECT min(x) FROM (SELECT min(started) AS x FROM crawl_runs "
            "UNION ALL SELECT min(started) FROM job_runs "
            "UNION ALL SELECT min(failed_at) FROM dead_letters) AS oldest",
    "audit": "SELECT min(at) FROM audit_log",
}
"""Store name → the time of its oldest item (first seen, created, built, started).
Portable SQL: PostgreSQL needs the alias on a subquery in FROM."""


def oldest_items(db: Database) -> dict[str, datetime | None]:
    """When the oldest item of each store was made; None for an empty store."""
    return {store: from_iso(db.execute(sql).fetchone()[0]) for store, sql in
            OLDEST_QUERIES.items()}


def purge_alerts_before(db: Database, cutoff: datetime) -> int:
    """Delete alerts (with their evidence, `items_json`) created before `cutoff`."""
    with transaction(db):
        return int(db.execute("DELETE FROM alerts WHERE created < ?",
                              [to_iso(cutoff)]).rowcount)


def purge_digests_before(db: Database, cutoff: datetime) -> int:
    """Delete archived digests created and previews built before `cutoff`."""
    with transaction(db):
        removed = db.execute("DELETE FROM digests WHERE created < ?", [to_iso(cutoff)])
        previews = db.execute("DELETE FROM digest_previews WHERE built_at < ?",
                              [to_iso(cutoff)])
        return int(removed.rowcount) + int(previews.rowcount)


def purge_crawl_logs_before(db: Database, cutoff: datetime) -> int:
    """Delete crawl runs started before `cutoff` with their issues (which name item URLs),
    keeping each source's latest run so its health stays known."""
    with transaction(db):
        old = ("SELECT id FROM crawl_runs WHERE started < ? AND id NOT IN "
               "(SELECT max(id) FROM crawl_runs GROUP BY source_id)")
        db.execute(f"DELETE FROM crawl_issues WHERE run_id IN ({old})", [to_iso(cutoff)])
        return int(db.execute(f"DELETE FROM crawl_runs WHERE id IN ({old})",
                              [to_iso(cutoff)]).rowcount)


def purge_dead_letters_before(db: Database, cutoff: datetime) -> int:
    """Delete queue tasks that finally failed before `cutoff` (a log: their errors and
    arguments name sources and links), with the crawl logs' retention."""
    with transaction(db):
        return int(db.execute("DELETE FROM dead_letters WHERE failed_at < ?",
                              [to_iso(cutoff)]).rowcount)
