"""The persistent job store: restarts resume the schedule, config changes sync, no duplicates.

SQLite only: APScheduler's job store is a SQLite file beside `[storage] path` whatever the
store's engine (jobs.store); the runs it records in the store are tested on both engines in
test_running.py, test_cli.py and test_foreground.py."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from apscheduler.schedulers.background import BackgroundScheduler

import scheduler as sched
from core.config import Config, load_config
from jobs.store import read_schedule
from tests.scheduler.conftest import SOURCES, write_config

NOW = datetime.now(UTC).replace(microsecond=0) + timedelta(days=1)
"""In the future: APScheduler processes due jobs once more while shutting down, even paused,
so stored runs must not be due yet for a stop/start comparison to be exact."""


@pytest.fixture
def paused() -> Iterator[list[BackgroundScheduler]]:
    """Schedulers started paused (no job fires); all shut down after the test."""
    started: list[BackgroundScheduler] = []
    yield started
    for scheduler in started:
        if scheduler.running:
            scheduler.shutdown(wait=False)


def _start_paused(config: Config, started: list[BackgroundScheduler]) -> BackgroundScheduler:
    scheduler = sched.create_scheduler(config)
    scheduler.start(paused=True)
    started.append(scheduler)
    return scheduler


def _snapshot(scheduler: BackgroundScheduler) -> dict[str, tuple[str, datetime | None]]:
    return {job.id: (str(job.trigger), job.next_run_time) for job in scheduler.get_jobs()}


def test_job_store_is_a_sqlite_file_beside_the_database(config: Config, paused: list) -> None:
    scheduler = _start_paused(config, paused)
    sched.sync_jobs(scheduler, config, now=NOW)
    path = sched.jobstore_path(config)
    assert path == config.storage_path.parent / "scheduler.db"
    assert path.read_bytes()[:16] == b"SQLite format 3\x00"


def test_restart_resumes_the_same_jobs_and_next_run_times(config: Config, paused: list) -> None:
    first = _start_paused(config, paused)
    report = sched.sync_jobs(first, config, now=NOW)
    assert len(report.added) == 8 and not report.kept
    before = _snapshot(first)
    first.shutdown(wait=False)

    second = _start_paused(config, paused)
    # The new process restores the jobs from the file before any sync.
    assert _snapshot(second) == before
    report = sched.sync_jobs(second, config, now=NOW + timedelta(hours=5))
    assert sorted(report.kept) == sorted(before) and not report.added and not report.replaced
    assert _snapshot(second) == before
    assert len(second.get_jobs()) == len(set(before)) == 8


def test_stored_jobs_carry_the_overlap_and_misfire_rules(config: Config, paused: list) -> None:
    scheduler = _start_paused(config, paused)
    sched.sync_jobs(scheduler, config, now=NOW)
    for job in scheduler.get_jobs():
        assert job.max_instances == 1
        assert job.coalesce is True
        assert job.misfire_grace_time == config.schedule.misfire_grace_seconds
        assert job.func_ref.startswith("jobs.tasks:")


def test_interval_jobs_start_soon_and_spread_out(config: Config, paused: list) -> None:
    scheduler = _start_paused(config, paused)
    sched.sync_jobs(scheduler, config, now=NOW)
    starts = [scheduler.get_job(job_id).next_run_time
              for job_id in ("crawl:ad-dordrecht", "crawl:mastodon-dordrecht", "score")]
    assert starts[0] == NOW
    assert starts[1] - starts[0] == timedelta(seconds=sched.FIRST_RUN_STAGGER_SECONDS)
    assert starts[2] - starts[1] == timedelta(seconds=sched.FIRST_RUN_STAGGER_SECONDS)


def test_sync_removes_dropped_sources_and_replaces_changed_ones(
    tmp_path: Path, paused: list
) -> None:
    config = load_config(write_config(tmp_path))
    first = _start_paused(config, paused)
    sched.sync_jobs(first, config, now=NOW)
    kept_backup = first.get_job("backup").next_run_time
    first.shutdown(wait=False)

    # Drop the mastodon source, slow down AD, move the backup: edit the file and restart.
    edited = SOURCES.split("[[sources]]")
    ad_slower = edited[1].replace("interval_minutes = 30", "interval_minutes = 120")
    changed = load_config(write_config(
        tmp_path, extra='backup_time = "05:15"\n', sources="[[sources]]" + ad_slower
    ))
    second = _start_paused(changed, paused)
    report = sched.sync_jobs(second, changed, now=NOW)
    assert report.removed == ["crawl:mastodon-dordrecht"]
    assert sorted(report.replaced) == ["backup", "crawl:ad-dordrecht"]
    assert second.get_job("crawl:mastodon-dordrecht") is None
    assert str(second.get_job("crawl:ad-dordrecht").trigger) == "interval[2:00:00]"
    assert second.get_job("backup").next_run_time != kept_backup
    assert second.get_job("backup").next_run_time.strftime("%H:%M") == "05:15"
    assert [job.id for job in second.get_jobs()].count("crawl:ad-dordrecht") == 1


def test_changed_misfire_grace_is_updated_without_moving_the_next_run(
    tmp_path: Path, paused: list
) -> None:
    config = load_config(write_config(tmp_path))
    first = _start_paused(config, paused)
    sched.sync_jobs(first, config, now=NOW)
    before = _snapshot(first)
    first.shutdown(wait=False)
    changed = load_config(write_config(tmp_path, misfire_grace_seconds=60))
    second = _start_paused(changed, paused)
    report = sched.sync_jobs(second, changed, now=NOW)
    assert len(report.kept) == 8
    assert {job.misfire_grace_time for job in second.get_jobs()} == {60}
    assert _snapshot(second) == before


def test_sync_needs_a_started_scheduler(config: Config) -> None:
    with pytest.raises(sched.SchedulerError, match="start the scheduler"):
        sched.sync_jobs(sched.create_scheduler(config), config)


def test_read_schedule_reads_next_runs_without_starting(config: Config, paused: list) -> None:
    assert read_schedule(config) == {}
    assert not sched.jobstore_path(config).exists()
    scheduler = _start_paused(config, paused)
    sched.sync_jobs(scheduler, config, now=NOW)
    expected = {job.id: job.next_run_time for job in scheduler.get_jobs()}
    scheduler.shutdown(wait=False)
    assert read_schedule(config) == expected


def test_start_scheduler_resumes_stored_jobs_and_records_nothing_early(
    config: Config, paused: list
) -> None:
    later = datetime.now(UTC) + timedelta(days=2)
    setup = _start_paused(config, paused)
    sched.sync_jobs(setup, config)
    for job in setup.get_jobs():
        setup.modify_job(job.id, next_run_time=later)
    setup.shutdown(wait=False)

    running = sched.start_scheduler(config)
    paused.append(running)
    assert running.state == 1  # STATE_RUNNING, not paused
    assert {job.next_run_time for job in running.get_jobs()} == {later}
    assert len(running.get_jobs()) == 8


def test_shutting_down_does_not_consume_a_due_run(config: Config, paused: list) -> None:
    scheduler = _start_paused(config, paused)
    sched.sync_jobs(scheduler, config)
    due = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=5)
    scheduler.modify_job("purge", next_run_time=due)
    scheduler.shutdown(wait=True)
    # Plain APScheduler 3 would process jobs once more while stopping and move this run on.
    assert read_schedule(config)["purge"] == due


def test_an_unreadable_job_store_is_a_clear_error(config: Config) -> None:
    path = sched.jobstore_path(config)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"dit is geen database" * 100)
    with pytest.raises(sched.SchedulerError, match="move it aside and start again"):
        sched.start_scheduler(config)
    # `newsroom status` still works: it reports no schedule instead of crashing.
    from jobs.overview import overview_lines
    from storage.db import open_db

    db = open_db(config.storage_path)
    try:
        lines = overview_lines(db, config)
    finally:
        db.conn.close()
    assert any("niet gepland" in line for line in lines)
