"""The scheduled jobs: module-level functions APScheduler stores by reference.

Each takes only the config path (a string, or None for the default lookup), so the job
store holds `newsroom.jobs.tasks:score` plus a pickled string, never live objects. Each
returns its outcome ('ok', 'skipped', 'failed'), which `newsroom run --once` turns into an
exit code; inside the scheduler nothing is raised.

Other areas are imported lazily, inside the job: an area that is missing or broken turns
into a 'skipped' or 'failed' job run, not into a scheduler that cannot start.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlite_utils

from newsroom.config import Config
from newsroom.jobs.backup import run_backup
from newsroom.jobs.purge import run_purge
from newsroom.jobs.recording import JobFailed, JobSkipped, optional_function, run_recorded


def crawl_source(config_path: str | None, source_id: str) -> str:
    """Crawl one source in its own process, bounded by schedule.crawl_timeout_seconds."""

    def body(db: sqlite_utils.Database, config: Config) -> str:
        source = next((s for s in config.sources if s.id == source_id), None)
        if source is None:
            raise JobSkipped(f"source {source_id!r} is no longer in the config")
        if not source.enabled:
            raise JobSkipped(f"source {source_id!r} is disabled in the config")
        crawl_sources = optional_function("crawlers.runner", "crawl_sources")
        result = crawl_sources(config, [source_id], timeout=config.schedule.crawl_timeout_seconds)
        return _crawl_summary(result)

    return run_recorded(f"crawl:{source_id}", config_path, body)


FAILED_CRAWL_STATES = {"failed", "error", "timeout", "timed_out", "killed"}


def _crawl_summary(result: Any) -> str:
    """Describe what crawl_sources returned; raise JobFailed when every crawl failed.

    `crawlers.runner.crawl_sources` returns one summary per source with `status` and
    `stats`; other shapes are described as text rather than rejected.
    """
    if result is None:
        return "crawl finished"
    runs: Iterable[Any]
    if isinstance(result, dict):
        runs = list(result.values())
    elif isinstance(result, list | tuple):
        runs = list(result)
    else:
        return _short(result)
    statuses = [str(getattr(run, "status", "")) for run in runs]
    text = "; ".join(_describe_crawl(run) for run in runs)
    if statuses and all(status in FAILED_CRAWL_STATES for status in statuses):
        raise JobFailed(f"crawl failed: {text}")
    return text or "crawl finished"


def _describe_crawl(run: Any) -> str:
    stats = getattr(run, "stats", None)
    if stats is None or not hasattr(run, "source_id"):
        return _short(run)
    return (f"{run.source_id}: {run.status} (new {stats.new}, updated {stats.updated}, "
            f"unchanged {stats.unchanged}, failed {stats.failed})")


def _short(value: Any, limit: int = 300) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def score(config_path: str | None) -> str:
    """Score what is new or scored by an older model version."""

    def body(db: sqlite_utils.Database, config: Config) -> str:
        score_pending = optional_function("nlp.pipeline", "score_pending")
        report = score_pending(db, config)
        documents = getattr(report, "documents", None)
        if documents is None:
            return _short(report)
        return (f"{documents} documents, {getattr(report, 'sentences', 0)} sentences scored "
                f"with {getattr(report, 'model_name', '?')} {getattr(report, 'model_version', '')}")

    return run_recorded("score", config_path, body)


def rollup(config_path: str | None) -> str:
    """Rebuild the dashboard's per-day rollups (all days: purges and rescoring change old
    days) and the Digest page's previews of the recent weeks."""

    def body(db: sqlite_utils.Database, config: Config) -> str:
        refresh = optional_function("storage.rollups", "refresh_daily_rollup")
        rows = refresh(db)
        # The Digest page's stored previews are a rollup too: rebuilt when the data moved.
        previews = optional_function("digest.preview", "refresh_previews")(db, config)
        return f"{rows} rollup rows, {previews} digest previews rebuilt"

    return run_recorded("rollup", config_path, body)


def alerts(config_path: str | None) -> str:
    """Detect spikes and silent sources, and send the alerts."""

    def body(db: sqlite_utils.Database, config: Config) -> str:
        run_alerts = optional_function("alerts.detect", "run_alerts")
        new_alerts = run_alerts(db, config)
        if isinstance(new_alerts, list):
            return f"{len(new_alerts)} new alerts"
        return _short(new_alerts)

    return run_recorded("alerts", config_path, body)


def retrain(config_path: str | None) -> str:
    """Train a candidate sentiment model when enough corrections exist; promote if not worse."""

    def body(db: sqlite_utils.Database, config: Config) -> str:
        from nlp.retrain import RetrainSkipped, retrain_if_due

        try:
            return retrain_if_due(db, config).reason
        except RetrainSkipped as exc:
            raise JobSkipped(str(exc)) from exc

    return run_recorded("retrain", config_path, body)


def digest(config_path: str | None) -> str:
    """Send last week's digest to every recipient (the digest area skips weeks already sent)."""

    def body(db: sqlite_utils.Database, config: Config) -> str:
        if not config.mail.recipients:
            raise JobSkipped("no [[mail.recipients]] configured")
        send = optional_function("digest.send", "send_weekly_digests")
        return _digest_summary(send(db, config, week=None))

    return run_recorded("digest", config_path, body)


def _digest_summary(results: Any) -> str:
    """One line per recipient; the job fails when a digest could not be sent to someone."""
    if not isinstance(results, list):
        return _short(results)
    lines = [
        f"{getattr(r, 'week', '?')} {getattr(r, 'recipient', '?')}: {getattr(r, 'status', '?')}"
        + (f" ({r.detail})" if getattr(r, "detail", "") else "")
        for r in results
    ]
    text = "; ".join(lines) or "no digests to send"
    if any(getattr(r, "status", "") == "failed" for r in results):
        raise JobFailed(f"digest not sent to everyone: {_short(text, 800)}")
    return text


def purge(config_path: str | None) -> str:
    """Delete documents past their retention period, and old job-run history."""

    def body(db: sqlite_utils.Database, config: Config) -> str:
        removed = run_purge(db, config)
        return ", ".join(f"{kind}: {count}" for kind, count in removed.items())

    return run_recorded("purge", config_path, body)


def backup(config_path: str | None) -> str:
    """Write a verified, rotated online backup of the database."""

    def body(db: sqlite_utils.Database, config: Config) -> str:
        result = run_backup(config)
        return f"{result.path.name} ({result.documents} documents, {len(result.removed)} rotated)"

    return run_recorded("backup", config_path, body)
