"""The scheduled jobs: module-level functions APScheduler stores by reference.

Each takes only the config path (a string, or None for the default lookup), so the job
store holds `jobs.tasks:score` plus a pickled string, never live objects. Each
returns its outcome ('ok', 'skipped', 'failed'), which `newsroom run --once` turns into an
exit code; inside the scheduler nothing is raised.

The areas a job runs are imported inside the job, plainly: `newsroom status` and the
scheduler's start do not pay for loading the crawler or the model stack, and a broken
import is a recorded 'failed' run with its error, never hidden.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from core.config import Config
from jobs.backup import run_backup
from jobs.purge import run_purge
from jobs.recording import JobFailed, JobSkipped, run_recorded
from storage.db import Database

if TYPE_CHECKING:
    from crawlers.runner import CrawlSummary
    from digest.send import SendResult


def crawl_source(config_path: str | None, source_id: str) -> str:
    """Crawl one source in its own process, bounded by schedule.crawl_timeout_seconds."""

    def body(db: Database, config: Config) -> str:
        source = next((s for s in config.sources if s.id == source_id), None)
        if source is None:
            raise JobSkipped(f"source {source_id!r} is no longer in the config")
        if not source.enabled:
            raise JobSkipped(f"source {source_id!r} is disabled in the config")
        from crawlers.runner import crawl_sources

        result = crawl_sources(config, [source_id], timeout=config.schedule.crawl_timeout_seconds)
        if any(run.stats.new or run.stats.updated for run in result):
            _refresh_rollups(db)  # show new items now, not after the rollup job
        return _crawl_summary(result)

    return run_recorded(f"crawl:{source_id}", config_path, body)


def _crawl_summary(runs: Sequence[CrawlSummary]) -> str:
    """One line per crawled source; raise JobFailed when every crawl failed.

    A run's status is what the crawler records: 'ok', 'partial' or 'failed' (a crawl
    that ran past its timeout is recorded 'failed' too).
    """
    text = "; ".join(_describe_crawl(run) for run in runs)
    if runs and all(run.status == "failed" for run in runs):
        raise JobFailed(f"crawl failed: {text}")
    return text or "crawl finished"


def _describe_crawl(run: CrawlSummary) -> str:
    stats = run.stats
    return (f"{run.source_id}: {run.status} (new {stats.new}, updated {stats.updated}, "
            f"unchanged {stats.unchanged}, failed {stats.failed})")


def _refresh_rollups(db: Database) -> None:
    """Rebuild the per-day rollups right after new data, so no view lags behind the store.

    The rollup job still runs on its interval (it also rebuilds the digest previews and
    catches purges); this only closes the gap between a crawl or score and that job.
    """
    from storage.rollups import refresh_daily_rollup

    refresh_daily_rollup(db)


def _short(value: object, limit: int = 300) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def score(config_path: str | None) -> str:
    """Score what is new or scored by an older model version."""

    def body(db: Database, config: Config) -> str:
        from nlp.pipeline import score_pending

        report = score_pending(db, config)
        if report.documents or report.watch_scores_backfilled:
            _refresh_rollups(db)  # labels, topics and watches show at once on the dashboard
        return (f"{report.documents} documents, {report.sentences} sentences scored "
                f"with {report.model_name} {report.model_version}")

    return run_recorded("score", config_path, body)


def rollup(config_path: str | None) -> str:
    """Rebuild the dashboard's per-day rollups (all days: purges and rescoring change old
    days) and the Digest page's previews of the recent weeks."""

    def body(db: Database, config: Config) -> str:
        from digest.preview import refresh_previews
        from storage.coordination_results import refresh_signals
        from storage.rollups import refresh_daily_rollup

        rows = refresh_daily_rollup(db)
        # The Digest page's stored previews are a rollup too: rebuilt when the data moved;
        # so is the Overzicht page's coordination signal (too slow to compute per visit).
        previews = refresh_previews(db, config)
        signals = refresh_signals(db, datetime.now(UTC))
        coordination = ("current" if signals is None
                        else f"recomputed ({signals} signals)")
        return (f"{rows} rollup rows, {previews} digest previews rebuilt, "
                f"coordination signal {coordination}")

    return run_recorded("rollup", config_path, body)


def alerts(config_path: str | None) -> str:
    """Detect spikes and silent sources, and send the alerts."""

    def body(db: Database, config: Config) -> str:
        from alerts.detect import run_alerts

        return f"{len(run_alerts(db, config))} new alerts"

    return run_recorded("alerts", config_path, body)


def retrain(config_path: str | None) -> str:
    """Train a candidate sentiment model when enough corrections exist; promote if not worse."""

    def body(db: Database, config: Config) -> str:
        from nlp.retrain import RetrainSkipped, retrain_if_due

        try:
            return retrain_if_due(db, config).reason
        except RetrainSkipped as exc:
            raise JobSkipped(str(exc)) from exc

    return run_recorded("retrain", config_path, body)


def digest(config_path: str | None) -> str:
    """Send last week's digest to every recipient (the digest area skips weeks already sent)."""

    def body(db: Database, config: Config) -> str:
        if not config.mail.recipients:
            raise JobSkipped("no [[mail.recipients]] configured")
        from digest.send import send_weekly_digests

        return _digest_summary(send_weekly_digests(db, config, week=None))

    return run_recorded("digest", config_path, body)


def _digest_summary(results: Sequence[SendResult]) -> str:
    """One line per recipient; the job fails when a digest could not be sent to someone."""
    lines = [
        f"{r.week} {r.recipient}: {r.status}" + (f" ({r.detail})" if r.detail else "")
        for r in results
    ]
    text = "; ".join(lines) or "no digests to send"
    if any(r.status == "failed" for r in results):
        raise JobFailed(f"digest not sent to everyone: {_short(text, 800)}")
    return text


def purge(config_path: str | None) -> str:
    """Delete documents past their retention period, and old job-run history."""

    def body(db: Database, config: Config) -> str:
        removed = run_purge(db, config)
        return ", ".join(f"{kind}: {count}" for kind, count in removed.items())

    return run_recorded("purge", config_path, body)


def backup(config_path: str | None) -> str:
    """Write a verified, rotated online backup of the database."""

    def body(db: Database, config: Config) -> str:
        result = run_backup(config)
        return f"{result.path.name} ({result.documents} documents, {len(result.removed)} rotated)"

    return run_recorded("backup", config_path, body)
