"""Job runs are recorded with their outcome; errors become outcomes, never exceptions.

The storage tests run on SQLite and PostgreSQL (`any_db`).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils

from core.config import Config
from core.records import CrawlStats
from crawlers.runner import CrawlSummary
from jobs import tasks
from jobs.recording import JobFailed, JobSkipped, run_recorded
from storage.jobs import (
    MAX_DETAIL_CHARS,
    JobRunError,
    close_stale_runs,
    finish_job_run,
    job_status,
    list_job_runs,
    prune_job_runs,
    start_job_run,
)
from tests.pg_support import PgServer
from tests.scheduler.conftest import write_config


def test_job_runs_round_trip_and_latest_per_job(any_db: Any) -> None:
    t0 = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)
    first = start_job_run(any_db, "score", started=t0)
    finish_job_run(any_db, first, "failed", "boom", ended=t0 + timedelta(seconds=5))
    second = start_job_run(any_db, "score", started=t0 + timedelta(minutes=15))
    other = start_job_run(any_db, "purge", started=t0)
    finish_job_run(any_db, other, "ok", "social: 3")
    status = job_status(any_db)
    assert set(status) == {"score", "purge"}
    assert status["score"].id == second and status["score"].outcome == "running"
    assert status["score"].ended is None and status["score"].seconds is None
    assert status["purge"].detail == "social: 3"
    history = list_job_runs(any_db, "score")
    assert [run.outcome for run in history] == ["running", "failed"]
    assert history[1].seconds == 5.0


def test_bad_outcomes_and_unknown_runs_are_refused(any_db: Any) -> None:
    run_id = start_job_run(any_db, "score")
    with pytest.raises(JobRunError, match="Unknown job outcome"):
        finish_job_run(any_db, run_id, "fine")
    with pytest.raises(JobRunError, match="Unknown job outcome"):
        finish_job_run(any_db, run_id, "running")
    with pytest.raises(JobRunError, match="No job run with id"):
        finish_job_run(any_db, run_id + 99, "ok")
    with pytest.raises(JobRunError, match="job_id"):
        start_job_run(any_db, "")
    assert job_status(any_db)["score"].outcome == "running"


def test_long_error_details_are_clipped_to_one_line(any_db: Any) -> None:
    run_id = start_job_run(any_db, "crawl:x")
    finish_job_run(any_db, run_id, "failed", "Traceback\n" + "x" * 50_000)
    detail = job_status(any_db)["crawl:x"].detail
    assert len(detail) == MAX_DETAIL_CHARS and "\n" not in detail and detail.endswith("…")


def test_stale_running_rows_become_interrupted(any_db: Any) -> None:
    now = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    old = start_job_run(any_db, "crawl:a", started=now - timedelta(hours=3))
    fresh = start_job_run(any_db, "crawl:b", started=now - timedelta(minutes=1))
    assert close_stale_runs(any_db, now - timedelta(hours=1)) == 1
    status = job_status(any_db)
    assert status["crawl:a"].outcome == "interrupted" and status["crawl:a"].id == old
    assert status["crawl:b"].outcome == "running" and status["crawl:b"].id == fresh


def test_pruning_history_keeps_each_jobs_latest_run(any_db: Any) -> None:
    old = datetime(2025, 1, 1, tzinfo=UTC)
    for job_id in ("score", "score", "backup"):
        finish_job_run(any_db, start_job_run(any_db, job_id, started=old), "ok")
    finish_job_run(any_db, start_job_run(any_db, "score"), "ok")
    assert prune_job_runs(any_db, datetime(2026, 1, 1, tzinfo=UTC)) == 2
    assert sorted(run.job_id for run in list_job_runs(any_db)) == ["backup", "score"]


def _record(config_path: Path, body) -> tuple[str, dict]:  # type: ignore[no-untyped-def]
    from core.config import load_config
    from storage.db import open_db

    outcome = run_recorded("probe", str(config_path), body)
    db = open_db(load_config(config_path).store_target)
    try:
        return outcome, job_status(db)
    finally:
        db.conn.close()


@pytest.fixture
def config_path(tmp_path: Path, store_url: str) -> Path:
    """The jobs that open the store from the config run on SQLite and on PostgreSQL."""
    return write_config(tmp_path, url=store_url)


def test_wrapper_records_ok_with_the_bodys_summary(config_path: Path) -> None:
    outcome, status = _record(config_path, lambda db, config: f"{len(config.sources)} bronnen")
    assert outcome == "ok"
    assert status["probe"].outcome == "ok" and status["probe"].detail == "3 bronnen"


def test_wrapper_turns_an_exception_into_a_failed_run(config_path: Path) -> None:
    def body(db: sqlite_utils.Database, config: Config) -> str:
        raise RuntimeError("database exploded")

    outcome, status = _record(config_path, body)
    assert outcome == "failed"
    assert status["probe"].detail == "RuntimeError: database exploded"
    assert status["probe"].ended is not None


def test_wrapper_records_skips_and_reported_failures(config_path: Path) -> None:
    def skipped(db: sqlite_utils.Database, config: Config) -> str:
        raise JobSkipped("niets te doen")

    def failed(db: sqlite_utils.Database, config: Config) -> str:
        raise JobFailed("all crawls failed")

    assert _record(config_path, skipped)[1]["probe"].outcome == "skipped"
    outcome, status = _record(config_path, failed)
    assert outcome == "failed" and status["probe"].detail == "all crawls failed"


def test_wrapper_survives_an_invalid_config(tmp_path: Path) -> None:
    bad = tmp_path / "newsroom.toml"
    bad.write_text("[schedule\nbroken", encoding="utf-8")
    assert run_recorded("probe", str(bad), lambda db, config: "never") == "failed"
    assert run_recorded("probe", str(tmp_path / "missing.toml"), lambda db, c: "x") == "failed"


@pytest.mark.postgres
def test_wrapper_fails_cleanly_when_postgresql_refuses_the_login(
    tmp_path: Path, pg_server: PgServer, pg_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """A wrong password, or a database that is gone, fails the run; the scheduler thread lives
    on and the log names the store without the password."""
    wrong = pg_server.password_url(pg_url.rsplit("/", 1)[1], password="fout-wachtwoord")
    path = write_config(tmp_path, url=wrong)
    assert run_recorded("probe", str(path), lambda db, config: "never") == "failed"
    assert "job probe cannot start" in caplog.text
    assert "fout-wachtwoord" not in caplog.text
    pg_server.drop_database(pg_url.rsplit("/", 1)[1])  # gone while the config names it
    path = write_config(tmp_path, url=pg_url)
    assert run_recorded("probe", str(path), lambda db, config: "never") == "failed"


def test_crawl_of_a_disabled_or_removed_source_is_skipped(config: Config,
                                                         store: sqlite_utils.Database) -> None:
    assert tasks.crawl_source(str(config.path), "oud") == "skipped"
    assert tasks.crawl_source(str(config.path), "verdwenen") == "skipped"
    status = job_status(store)
    assert "disabled" in status["crawl:oud"].detail
    assert "no longer in the config" in status["crawl:verdwenen"].detail


def test_digest_without_recipients_is_skipped(config: Config, store: sqlite_utils.Database) -> None:
    assert tasks.digest(str(config.path)) == "skipped"
    assert "mail.recipients" in job_status(store)["digest"].detail


def test_rollup_job_rebuilds_the_daily_rollup(config: Config, store: sqlite_utils.Database) -> None:
    assert tasks.rollup(str(config.path)) == "ok"
    # No recipients: the full digest's preview of this week and last week.
    # The Overzicht page's coordination signal is computed once, then current.
    assert job_status(store)["rollup"].detail == (
        "0 rollup rows, 2 digest previews rebuilt, coordination signal recomputed (0 signals)")
    assert tasks.rollup(str(config.path)) == "ok"
    assert job_status(store)["rollup"].detail == (
        "0 rollup rows, 0 digest previews rebuilt, coordination signal current")


def _run(source_id: str, status: str, failed: int = 0) -> CrawlSummary:
    return CrawlSummary(source_id=source_id, run_id=1, status=status,
                        stats=CrawlStats(new=2, failed=failed))


def test_crawl_summary_fails_only_when_every_crawl_failed() -> None:
    assert tasks._crawl_summary([]) == "crawl finished"
    assert tasks._crawl_summary([_run("ad", "ok")]) == (
        "ad: ok (new 2, updated 0, unchanged 0, failed 0)"
    )
    mixed = tasks._crawl_summary([_run("ad", "partial", 1), _run("x", "failed", 3)])
    assert mixed == ("ad: partial (new 2, updated 0, unchanged 0, failed 1); "
                     "x: failed (new 2, updated 0, unchanged 0, failed 3)")
    # A crawl past its timeout is recorded 'failed' by the crawler: the job fails.
    with pytest.raises(JobFailed, match="crawl failed: ad: failed"):
        tasks._crawl_summary([_run("ad", "failed")])
    with pytest.raises(JobFailed, match="crawl failed: ad: failed .*; x: failed"):
        tasks._crawl_summary([_run("ad", "failed"), _run("x", "failed")])
