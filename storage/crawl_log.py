"""Sources, crawl-run records, conditional-GET state, and per-source health."""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta

from core.records import CrawlIssue, CrawlRun, CrawlStats, Source, SourceHealth, utcnow
from core.redact import redact
from core.timeutil import from_iso, to_iso
from storage.db import Database, transaction
from storage.nul import strip_nul, strip_nul_all

MAX_ISSUE_DETAIL_CHARS = 500


def upsert_source(db: Database, source: Source) -> None:
    """Record a configured source (config is the truth; this lets queries join on names)."""
    with transaction(db) as conn:
        conn.execute(
            "INSERT INTO sources (id, name, kind, type, url, interval_minutes, enabled, "
            "options_json, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET name = excluded.name, kind = excluded.kind, "
            "type = excluded.type, url = excluded.url, "
            "interval_minutes = excluded.interval_minutes, enabled = excluded.enabled, "
            "options_json = excluded.options_json, updated_at = excluded.updated_at",
            strip_nul_all([source.id, source.name, source.kind, source.type, source.url,
                           source.interval_minutes, int(source.enabled),
                           json.dumps(source.options, sort_keys=True), to_iso(utcnow())]),
        )


def list_sources(db: Database) -> list[Source]:
    """All recorded sources, by id."""
    return [
        Source(
            id=row["id"],
            name=row["name"],
            kind=row["kind"],
            type=row["type"],
            url=row["url"],
            interval_minutes=row["interval_minutes"],
            enabled=bool(row["enabled"]),
            options=json.loads(row["options_json"]),
        )
        for row in db.query("SELECT * FROM sources ORDER BY id")
    ]


def start_crawl_run(
    db: Database, source_id: str, started: datetime | None = None
) -> int:
    """Open a crawl-run record and return its id."""
    with transaction(db) as conn:
        return int(conn.execute(
            "INSERT INTO crawl_runs (source_id, started, status, pid) "
            "VALUES (?, ?, 'running', ?) RETURNING id",
            [source_id, to_iso(started or utcnow()), os.getpid()],
        ).fetchone()[0])


def record_crawl_issue(db: Database, run_id: int, issue: CrawlIssue) -> None:
    """Store why an item or page was skipped or failed in this run."""
    with transaction(db) as conn:
        conn.execute(
            "INSERT INTO crawl_issues (run_id, url, reason, detail) VALUES (?, ?, ?, ?)",
            [run_id, strip_nul(redact(issue.url))[:2000], strip_nul(issue.reason),
             strip_nul(redact(issue.detail))[:MAX_ISSUE_DETAIL_CHARS]],
        )


def finish_crawl_run(
    db: Database,
    run_id: int,
    stats: CrawlStats,
    status: str,
    ended: datetime | None = None,
) -> None:
    """Close a crawl run with its counters and outcome ('ok', 'partial' or 'failed')."""
    with transaction(db) as conn:
        conn.execute(
            "UPDATE crawl_runs SET ended = ?, status = ?, http_status = ?, not_modified = ?, "
            "new = ?, updated = ?, unchanged = ?, skipped = ?, failed = ? WHERE id = ?",
            [
                to_iso(ended or utcnow()),
                status,
                stats.http_status,
                int(stats.not_modified),
                stats.new,
                stats.updated,
                stats.unchanged,
                stats.skipped,
                stats.failed,
                run_id,
            ],
        )


def get_crawl_run(db: Database, run_id: int) -> CrawlRun | None:
    """One crawl run with its issues."""
    rows = list(db.query("SELECT * FROM crawl_runs WHERE id = ?", [run_id]))
    if not rows:
        return None
    return _run_from_row(db, rows[0])


def recent_crawl_runs(
    db: Database, source_id: str | None = None, limit: int = 20
) -> list[CrawlRun]:
    """The newest crawl runs, for one source or all."""
    if source_id is None:
        rows = db.query("SELECT * FROM crawl_runs ORDER BY id DESC LIMIT ?", [limit])
    else:
        rows = db.query(
            "SELECT * FROM crawl_runs WHERE source_id = ? ORDER BY id DESC LIMIT ?",
            [source_id, limit],
        )
    return [_run_from_row(db, row) for row in rows]


def _run_from_row(db: Database, row: dict) -> CrawlRun:
    issues = tuple(
        CrawlIssue(url=i["url"], reason=i["reason"], detail=i["detail"])
        for i in db.query("SELECT * FROM crawl_issues WHERE run_id = ? ORDER BY id", [row["id"]])
    )
    return CrawlRun(
        id=row["id"],
        source_id=row["source_id"],
        started=from_iso(row["started"]) or utcnow(),
        ended=from_iso(row["ended"]),
        status=row["status"],
        stats=CrawlStats(
            new=row["new"],
            updated=row["updated"],
            unchanged=row["unchanged"],
            skipped=row["skipped"],
            failed=row["failed"],
            http_status=row["http_status"],
            not_modified=bool(row["not_modified"]),
        ),
        issues=issues,
    )


def get_http_cache(db: Database, url: str) -> tuple[str | None, str | None]:
    """(ETag, Last-Modified) last seen for a URL, for a conditional GET."""
    row = db.execute("SELECT etag, last_modified FROM http_cache WHERE url = ?", [url]).fetchone()
    return (row[0], row[1]) if row else (None, None)


def set_http_cache(
    db: Database, url: str, etag: str | None, last_modified: str | None
) -> None:
    """Remember validators from a successful response."""
    if not etag and not last_modified:
        return
    with transaction(db) as conn:
        conn.execute(
            "INSERT INTO http_cache (url, etag, last_modified, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, "
            "last_modified = excluded.last_modified, updated_at = excluded.updated_at",
            strip_nul_all([url, etag, last_modified, to_iso(utcnow())]),
        )


def source_health(
    db: Database, now: datetime | None = None, window_days: int = 14
) -> list[SourceHealth]:
    """Per recorded source: last success, failures in a row, volume, and how long it is silent."""
    now = now or utcnow()
    since = to_iso(now - timedelta(days=window_days))
    result = []
    for source in list_sources(db):
        runs = list(
            db.query(
                "SELECT started, ended, status FROM crawl_runs WHERE source_id = ? "
                "AND status != 'running' ORDER BY id DESC LIMIT 50",
                [source.id],
            )
        )
        failures = 0
        for run in runs:
            if run["status"] != "failed":
                break
            failures += 1
        last_success = next((r["ended"] for r in runs
                             if r["status"] not in ("failed", "interrupted")), None)
        total, recent, newest = db.execute(
            "SELECT count(*), sum(CASE WHEN first_seen >= ? THEN 1 ELSE 0 END), "
            "max(coalesce(published, first_seen)) "
            "FROM documents WHERE source_id = ?",
            [since, source.id],
        ).fetchone()
        newest_dt = from_iso(newest)
        result.append(
            SourceHealth(
                source_id=source.id,
                name=source.name,
                kind=source.kind,
                last_run=from_iso(runs[0]["ended"]) if runs else None,
                last_success=from_iso(last_success),
                last_status=runs[0]["status"] if runs else None,
                consecutive_failures=failures,
                documents_total=int(total or 0),
                items_per_day=round(int(recent or 0) / window_days, 2),
                silent_hours=(
                    round(max(0.0, (now - newest_dt).total_seconds() / 3600), 1)
                    if newest_dt
                    else None
                ),
            )
        )
    return result
