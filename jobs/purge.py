"""Retention: delete what is older than its kind's retention period, with what derives from it.

Social posts are kept 90 days by default (personal data: data minimisation); news and
official publications are kept forever unless configured. Retention counts from when a
document was first seen, so a forged publication date cannot keep a post around.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import get_args

import sqlite_utils

from core.config import Config
from core.records import DocumentKind, utcnow
from storage.documents import purge_older_than
from storage.jobs import prune_job_runs

logger = logging.getLogger(__name__)

JOB_RUN_RETENTION_DAYS = 180
"""Job-run history is operational data; half a year is plenty to spot a pattern."""


def run_purge(
    db: sqlite_utils.Database, config: Config, now: datetime | None = None
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
    removed["job_runs"] = prune_job_runs(db, now - timedelta(days=JOB_RUN_RETENTION_DAYS))
    return removed
