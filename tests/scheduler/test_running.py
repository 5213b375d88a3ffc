"""Jobs executed by a real BackgroundScheduler on the SQLite job store, polled with a deadline;
the jobs' store is a SQLite file or a PostgreSQL database (`store_url`)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from apscheduler.events import EVENT_JOB_EXECUTED, EVENT_JOB_MISSED, JobEvent
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler

import scheduler as sched
from core.config import Config, load_config
from storage.db import open_db
from storage.jobs import job_status, list_job_runs
from tests.scheduler.conftest import wait_until, write_config


class Events:
    """Job events seen by the scheduler, for polling from the test thread."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.seen: list[tuple[int, str]] = []

    def __call__(self, event: JobEvent) -> None:
        with self.lock:
            self.seen.append((event.code, event.job_id))

    def count(self, code: int, job_id: str) -> int:
        with self.lock:
            return self.seen.count((code, job_id))


@pytest.fixture
def started() -> Iterator[list[BackgroundScheduler]]:
    schedulers: list[BackgroundScheduler] = []
    yield schedulers
    for scheduler in schedulers:
        if scheduler.running:
            scheduler.shutdown(wait=True)


def _paused_with_only(
    config: Config, keep: set[str], started: list, events: Events
) -> BackgroundScheduler:
    """A paused scheduler holding only the configured jobs named in `keep`."""
    scheduler = sched.create_scheduler(config)
    scheduler.add_listener(events, EVENT_JOB_EXECUTED | EVENT_JOB_MISSED)
    scheduler.start(paused=True)
    started.append(scheduler)
    sched.sync_jobs(scheduler, config)
    for job in scheduler.get_jobs():
        if job.id not in keep:
            scheduler.remove_job(job.id)
    return scheduler


def _runs(config: Config) -> dict:
    db = open_db(config.store_target)
    try:
        return job_status(db)
    finally:
        db.conn.close()


def _all_runs(config: Config, job_id: str) -> list:
    db = open_db(config.store_target)
    try:
        return list_job_runs(db, job_id)
    finally:
        db.conn.close()


def test_a_failing_job_is_recorded_and_the_others_keep_running(
    tmp_path: Path, started: list, store_url: str
) -> None:
    # A plain file where the backup folder should be: the backup job must fail.
    (tmp_path / "blocker").write_text("not a folder", encoding="utf-8")
    config = load_config(write_config(tmp_path, backup_dir="blocker", url=store_url))
    open_db(config.store_target).conn.close()
    events = Events()
    scheduler = _paused_with_only(config, {"backup", "purge", "rollup"}, started, events)
    now = datetime.now(UTC)
    scheduler.modify_job("backup", next_run_time=now)
    scheduler.modify_job("purge", next_run_time=now)
    scheduler.modify_job("rollup", next_run_time=now + timedelta(days=1))
    scheduler.resume()

    wait_until(lambda: events.count(EVENT_JOB_EXECUTED, "backup")
               and events.count(EVENT_JOB_EXECUTED, "purge"))
    runs = _runs(config)
    assert runs["backup"].outcome == "failed"
    assert "Cannot create the backup folder" in runs["backup"].detail
    assert runs["backup"].ended is not None
    assert runs["purge"].outcome == "ok"
    assert scheduler.running and scheduler.state == 1

    # The scheduler still runs later jobs, and the failed job succeeds once fixed.
    (tmp_path / "blocker").unlink()
    scheduler.modify_job("rollup", next_run_time=datetime.now(UTC))
    scheduler.modify_job("backup", next_run_time=datetime.now(UTC))
    wait_until(lambda: events.count(EVENT_JOB_EXECUTED, "rollup")
               and events.count(EVENT_JOB_EXECUTED, "backup") == 2)
    runs = _runs(config)
    assert runs["rollup"].outcome == "ok"
    assert runs["backup"].outcome == "ok"
    assert [run.outcome for run in _all_runs(config, "backup")] == ["ok", "failed"]
    assert scheduler.get_job("backup").next_run_time > datetime.now(UTC)


def test_missed_runs_within_the_grace_time_are_coalesced_into_one(
    tmp_path: Path, started: list, store_url: str
) -> None:
    config = load_config(write_config(tmp_path, misfire_grace_seconds=7200, url=store_url))
    events = Events()
    scheduler = _paused_with_only(config, {"rollup"}, started, events)
    # Down for 100 minutes with a 30-minute interval: four fire times were missed.
    scheduler.modify_job("rollup", next_run_time=datetime.now(UTC) - timedelta(minutes=100))
    scheduler.resume()

    wait_until(lambda: events.count(EVENT_JOB_EXECUTED, "rollup"))
    assert len(_all_runs(config, "rollup")) == 1
    assert scheduler.get_job("rollup").next_run_time > datetime.now(UTC)
    assert events.count(EVENT_JOB_EXECUTED, "rollup") == 1


def test_a_run_missed_beyond_the_grace_time_is_skipped(
    tmp_path: Path, started: list, store_url: str
) -> None:
    config = load_config(write_config(tmp_path, misfire_grace_seconds=60, url=store_url))
    events = Events()
    scheduler = _paused_with_only(config, {"purge"}, started, events)
    scheduler.modify_job("purge", next_run_time=datetime.now(UTC) - timedelta(hours=3))
    scheduler.resume()

    wait_until(lambda: events.count(EVENT_JOB_MISSED, "purge"))
    runs = wait_until(lambda: _all_runs(config, "purge"))
    assert isinstance(runs, list)
    (missed,) = runs
    assert missed.outcome == "skipped"
    assert missed.detail.startswith("missed its run at ")
    assert "scheduler down or too busy" in missed.detail
    next_run = scheduler.get_job("purge").next_run_time
    assert next_run > datetime.now(UTC)
    assert next_run.astimezone(datetime.now().astimezone().tzinfo) is not None
    assert next_run.strftime("%H:%M") == config.schedule.purge_time


def _make_due_while_stopped(config: Config, job_id: str) -> None:
    """Move a stored job's next run into the past, as if the machine was off at that time."""
    store = SQLAlchemyJobStore(url=f"sqlite:///{sched.jobstore_path(config)}")
    store.start(BackgroundScheduler(timezone="UTC"), "default")
    try:
        job = store.lookup_job(job_id)
        job.next_run_time = datetime.now(UTC) - timedelta(seconds=30)
        store.update_job(job)
    finally:
        store.shutdown()


def test_a_restarted_scheduler_runs_what_the_store_says_is_due(
    tmp_path: Path, started: list, store_url: str
) -> None:
    config = load_config(write_config(tmp_path, url=store_url))
    events = Events()
    first = _paused_with_only(config, {"purge"}, started, events)
    first.modify_job("purge", next_run_time=datetime.now(UTC) + timedelta(days=3))
    first.shutdown(wait=True)

    _make_due_while_stopped(config, "purge")

    resumed = sched.create_scheduler(config)
    resumed.add_listener(events, EVENT_JOB_EXECUTED)
    resumed.start()
    started.append(resumed)
    wait_until(lambda: events.count(EVENT_JOB_EXECUTED, "purge"))
    assert _runs(config)["purge"].outcome == "ok"
    assert [job.id for job in resumed.get_jobs()] == ["purge"]
