"""Retention: delete what is older than its kind's retention period, with what derives from it.

Social posts are kept 90 days by default (personal data: data minimisation); news and
official publications are kept forever unless configured. Alerts with their evidence,
digests and previews, crawl and job logs, backup files and the audit log each have their own
period (`[retention]`, see docs/privacy.md). Retention counts from when a
document was first seen, so a forged publication date cannot keep a post around.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import get_args

from core.config import Config
from core.records import DocumentKind, utcnow
from jobs.backup import backup_dir_for, list_backups
from storage.audit import purge_events_older_than
from storage.db import Database
from storage.documents import purge_older_than
from storage.jobs import prune_job_runs
from storage.retention import (
    purge_alerts_before,
    purge_crawl_logs_before,
    purge_dead_letters_before,
    purge_digests_before,
)

logger = logging.getLogger(__name__)


def run_purge(
    db: Database, config: Config, now: datetime | None = None
) -> dict[str, int]:
    """Purge every kind with a retention period; returns documents removed per kind."""
    now = now or utcnow()
    removed: dict[str, int] = {}
    for kind in get_args(DocumentKind):
        days = config.retention.days_for(kind)
        if days <= 0:
            continue
        cutoff = now - timedelta(days=days)
        removed[kind] = purge_older_than(db, kind, cutoff)
        logger.info("purged %s %s documents first seen before %s", removed[kind], kind, cutoff)
    retention = config.retention
    purges = {
        "alerts": purge_alerts_before,
        "digests": purge_digests_before,
        "audit": purge_events_older_than,
    }
    for store, purge in purges.items():
        days = retention.days_for(store)
        if days > 0:
            removed[store] = purge(db, now - timedelta(days=days))
    if retention.logs_days > 0:
        cutoff = now - timedelta(days=retention.logs_days)
        removed["job_runs"] = prune_job_runs(db, cutoff)
        removed["crawl_runs"] = purge_crawl_logs_before(db, cutoff)
        removed["dead_letters"] = purge_dead_letters_before(db, cutoff)
    if retention.backups_days > 0:
        removed["backups"] = prune_old_backups(config, now - timedelta(days=retention.backups_days))
    return removed


def prune_old_backups(config: Config, cutoff: datetime) -> int:
    """Delete backup files last written before `cutoff` (keeps the newest one regardless)."""
    backups = list_backups(backup_dir_for(config))
    removed = 0
    for path in backups[:-1]:
        if datetime.fromtimestamp(path.stat().st_mtime, UTC) < cutoff:
            path.unlink()
            removed += 1
    return removed
