"""Queries of the Bronnen page: crawl issues, source options and source health."""

from __future__ import annotations

from datetime import datetime, timedelta

from core.records import SourceHealth, utcnow
from core.timeutil import from_iso
from storage.dashboard_queries.series import (
    Row,
)
from storage.db import Database


def recent_crawl_issues(db: Database, limit: int = 50) -> list[Row]:
    """The newest crawl issues with their source and run time (for the Bronnen page)."""
    return list(
        db.query(
            "SELECT r.source_id, r.started, r.status, i.reason, i.url, i.detail "
            "FROM crawl_issues i JOIN crawl_runs r ON r.id = i.run_id "
            "ORDER BY i.id DESC LIMIT ?",
            [limit],
        )
    )


def source_options(db: Database) -> list[Row]:
    """Sources for filter lists: id, name, kind."""
    return list(db.query("SELECT id, name, kind FROM sources ORDER BY name"))


def source_health_from_rollup(
    db: Database, now: datetime | None = None, window_days: int = 14
) -> list[SourceHealth]:
    """`storage.crawl_log.source_health`, but with totals from the daily rollup.

    The core function counts each source's documents directly, which takes seconds at a
    million documents; here totals and items per day come from `daily_rollup` (days of
    publication, so as fresh as the last rollup refresh) and the newest document from the
    (source_id, published) index. Crawl-run facts are read the same way as in the core.
    """
    now = now or utcnow()
    since_day = (now - timedelta(days=window_days)).date().isoformat()
    result = []
    for health in _runs_only_health(db):
        total, recent = db.execute(
            "SELECT coalesce(sum(n), 0), coalesce(sum(CASE WHEN day >= ? THEN n END), 0) "
            "FROM daily_rollup WHERE source_id = ?", [since_day, health["id"]],
        ).fetchone()
        newest = db.execute(
            "SELECT max(published) FROM documents WHERE source_id = ?", [health["id"]]
        ).fetchone()[0]
        newest_dt = from_iso(newest)
        result.append(SourceHealth(
            source_id=health["id"], name=health["name"], kind=health["kind"],
            last_run=health["last_run"], last_success=health["last_success"],
            last_status=health["last_status"], consecutive_failures=health["failures"],
            documents_total=int(total), items_per_day=round(int(recent) / window_days, 2),
            silent_hours=(round(max(0.0, (now - newest_dt).total_seconds() / 3600), 1)
                          if newest_dt else None),
        ))
    return result


def _runs_only_health(db: Database) -> list[Row]:
    """Per source: last run, last success, status and failures in a row (last 50 runs)."""
    rows = []
    for source in db.query("SELECT id, name, kind FROM sources ORDER BY id"):
        runs = list(db.query(
            "SELECT ended, status FROM crawl_runs WHERE source_id = ? AND status != 'running' "
            "ORDER BY id DESC LIMIT 50", [source["id"]]))
        failures = 0
        for run in runs:
            if run["status"] != "failed":
                break
            failures += 1
        rows.append({
            **source,
            "last_run": from_iso(runs[0]["ended"]) if runs else None,
            "last_success": from_iso(next((r["ended"] for r in runs
                                            if r["status"] != "failed"), None)),
            "last_status": runs[0]["status"] if runs else None,
            "failures": failures,
        })
    return rows
