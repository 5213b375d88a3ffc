"""The scheduler: APScheduler 3 with a persistent SQLite job store, in sync with newsroom.toml.

Why a separate job-store file (`<storage folder>/scheduler.db`) rather than the main store:
APScheduler owns that schema (through SQLAlchemy) and rewrites it on every run; keeping it
apart leaves the newsroom database to its own migrations, and its backups hold only data.
Losing scheduler.db loses nothing but next-run times: it is rebuilt from the config.

Jobs are module-level functions in `jobs.tasks` (beside this file: the scheduler's job
bodies, typed against what the areas return) whose only argument is the config path, so
they pickle into the store; each records its run in `job_runs` and never raises.
Every job has `max_instances=1`, `coalesce=True` and `misfire_grace_time` from the config.

    scheduler = start_scheduler(config)   # background thread, jobs synced with config
    ...
    scheduler.shutdown()
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from types import FrameType
from typing import Any

from apscheduler.events import EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_STOPPED
from apscheduler.triggers.interval import IntervalTrigger
from apscheduler.util import obj_to_ref
from sqlalchemy.exc import SQLAlchemyError

from core.config import Config, ConfigError, load_config
from core.records import utcnow
from jobs.specs import JobSpec, job_specs, same_trigger
from jobs.store import jobstore_path
from storage.db import open_db
from storage.jobs import close_stale_runs, finish_job_run, start_job_run
from storage.recovery import close_interrupted_crawl_runs
from workers.enqueue import scheduled_specs

logger = logging.getLogger(__name__)

MAX_WORKERS = 4
"""Concurrent jobs; crawls run in their own processes, so threads mostly wait on them."""
CONFIG_CHECK_SECONDS = 30.0
"""How often the foreground scheduler looks whether newsroom.toml was edited."""
FIRST_RUN_STAGGER_SECONDS = 20
"""New interval jobs start soon after `newsroom run`, spread out so crawls do not pile up."""


class SchedulerError(Exception):
    """The scheduler cannot do what was asked; the message says what is known instead."""


class NewsroomScheduler(BackgroundScheduler):
    """BackgroundScheduler that does no job processing once shutdown has begun.

    APScheduler 3 wakes its thread on shutdown and runs one more processing pass after the
    executors are closed: a job due at that moment fails to submit ("cannot schedule new
    futures after shutdown") and its stored next run is moved on, so that run is lost.
    """

    def _process_jobs(self) -> float | None:
        if self.state == STATE_STOPPED:
            return None
        result: float | None = super()._process_jobs()
        return result


def create_scheduler(config: Config, jobstore_url: str | None = None) -> NewsroomScheduler:
    """A configured, not yet started scheduler on the SQLite job store."""
    if jobstore_url is None:
        path = jobstore_path(config)
        path.parent.mkdir(parents=True, exist_ok=True)
        jobstore_url = f"sqlite:///{path}"
    scheduler = NewsroomScheduler(
        jobstores={
            "default": SQLAlchemyJobStore(
                url=jobstore_url, engine_options={"connect_args": {"timeout": 30}}
            )
        },
        executors={"default": ThreadPoolExecutor(max_workers=MAX_WORKERS)},
        job_defaults=_job_options(config),
        timezone=config.schedule.timezone,
    )
    scheduler.add_listener(MissedRunRecorder(config.store_target), EVENT_JOB_MISSED)
    return scheduler


class MissedRunRecorder:
    """Record a run that was missed by more than the misfire grace time as 'skipped'.

    Otherwise a digest that never went out because the server was off on Monday morning
    would leave no trace in `newsroom status`.
    """

    def __init__(self, store_target: str | Path) -> None:
        self.store_target = store_target

    def __call__(self, event: JobExecutionEvent) -> None:
        scheduled = event.scheduled_run_time
        detail = f"missed its run at {scheduled:%Y-%m-%d %H:%M %Z} (scheduler down or too busy)"
        logger.warning("job %s %s", event.job_id, detail)
        try:
            db = open_db(self.store_target)
            try:
                run_id = start_job_run(db, event.job_id, started=scheduled)
                finish_job_run(db, run_id, "skipped", detail)
            finally:
                db.conn.close()
        except Exception as exc:  # the scheduler thread must survive a locked store
            logger.error("could not record the missed run of %s: %s", event.job_id, exc)


def _job_options(config: Config) -> dict[str, Any]:
    return {
        "coalesce": True,
        "max_instances": 1,
        "misfire_grace_time": config.schedule.misfire_grace_seconds,
    }


@dataclass
class SyncReport:
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def sync_jobs(
    scheduler: BackgroundScheduler, config: Config, now: datetime | None = None
) -> SyncReport:
    """Make the job store match the config (the scheduler must be started, paused is fine).

    An unchanged job is kept with its stored next run time, so a restart resumes the
    schedule; a changed one is replaced under the same id; a job the config no longer
    asks for (a removed or disabled source) is removed.
    """
    if not scheduler.running:
        raise SchedulerError("start the scheduler (paused is fine) before syncing its jobs")
    now = now or utcnow()
    report = SyncReport()
    existing = {job.id: job for job in scheduler.get_jobs()}
    options = _job_options(config)
    stagger = 0
    for spec in scheduled_specs(config):  # queued jobs enqueue when [workers] is set
        job = existing.pop(spec.id, None)
        if job is not None and _unchanged(job, spec):
            changes = {"name": spec.label, **options}
            if any(getattr(job, key) != value for key, value in changes.items()):
                scheduler.modify_job(spec.id, **changes)
            report.kept.append(spec.id)
            continue
        extra: dict[str, Any] = {}
        if isinstance(spec.trigger, IntervalTrigger):
            extra["next_run_time"] = now + timedelta(seconds=stagger)
            stagger += FIRST_RUN_STAGGER_SECONDS
        scheduler.add_job(
            spec.func, trigger=spec.trigger, args=spec.args, id=spec.id, name=spec.label,
            replace_existing=True, **options, **extra,
        )
        (report.replaced if job is not None else report.added).append(spec.id)
    for job_id in existing:
        scheduler.remove_job(job_id)
        report.removed.append(job_id)
    logger.info("jobs synced with config: added %s, replaced %s, kept %s, removed %s",
                report.added, report.replaced, report.kept, report.removed)
    return report


def _unchanged(job: Any, spec: JobSpec) -> bool:
    return (
        job.func_ref == obj_to_ref(spec.func)
        and tuple(job.args) == spec.args
        and same_trigger(job.trigger, spec.trigger)
    )


def start_scheduler(config: Config, jobstore_url: str | None = None) -> BackgroundScheduler:
    """Start the scheduler in a background thread with its jobs synced to the config.

    It starts paused so that no stored job fires before the sync has removed or replaced it.
    """
    _close_interrupted_runs(config)
    scheduler = create_scheduler(config, jobstore_url)
    try:
        scheduler.start(paused=True)
    except SQLAlchemyError as exc:
        raise SchedulerError(
            f"The job store {jobstore_url or jobstore_path(config)} cannot be read: {exc}. "
            "It only holds next run times: move it aside and start again to rebuild it "
            "from newsroom.toml."
        ) from exc
    try:
        sync_jobs(scheduler, config)
    except Exception:
        scheduler.shutdown(wait=False)
        raise
    scheduler.resume()
    return scheduler


def _close_interrupted_runs(config: Config) -> None:
    """Runs left 'running' by a killed process, older than any job may take, are closed."""
    cutoff = utcnow() - timedelta(seconds=2 * config.schedule.crawl_timeout_seconds)
    db = open_db(config.store_target)
    try:
        closed = close_stale_runs(db, cutoff)
        close_interrupted_crawl_runs(db)
    finally:
        db.conn.close()
    if closed:
        logger.warning("%s job runs of an earlier process were marked interrupted", closed)


def run_forever(
    config: Config,
    stop: threading.Event | None = None,
    config_check_seconds: float = CONFIG_CHECK_SECONDS,
) -> None:
    """Run the scheduler in the foreground until SIGINT/SIGTERM (or `stop` is set).

    While running, an edited newsroom.toml is picked up within `config_check_seconds`: the
    jobs are synced again (a new source gets its crawl job, a removed one loses it). An
    invalid edit is logged and the current schedule kept.
    The first signal stops new jobs and waits for running ones to finish; a second signal
    exits at once (runs left open are marked interrupted on the next start).
    """
    stop = stop or threading.Event()
    scheduler = start_scheduler(config)
    previous = _install_signal_handlers(stop)
    watcher = ConfigWatcher(config)
    logger.info("scheduler running with %s jobs; stop with Ctrl-C", len(scheduler.get_jobs()))
    try:
        while not stop.wait(config_check_seconds):
            changed = watcher.changed_config()
            if changed is not None:
                try:
                    sync_jobs(scheduler, changed)
                except Exception:  # a bad sync must not end the scheduler
                    logger.exception("could not apply the edited config; schedule unchanged")
    finally:
        logger.info("scheduler stopping; waiting for running jobs to finish")
        scheduler.shutdown(wait=True)
        _restore_signal_handlers(previous)
        logger.info("scheduler stopped")


class ConfigWatcher:
    """Notices when newsroom.toml was edited and returns the new, validated config."""

    def __init__(self, config: Config) -> None:
        self.path = config.path
        self.stamp = self._stamp()
        self.pending: tuple[int, int] | None = None

    def _stamp(self) -> tuple[int, int] | None:
        if self.path is None:
            return None
        try:
            stat = self.path.stat()
        except OSError:
            return None
        return (stat.st_mtime_ns, stat.st_size)

    def changed_config(self) -> Config | None:
        """The reloaded config once the file changed and then stayed the same for one check.

        Waiting for a stable file means a save caught halfway (an editor that truncates and
        then writes) is never read: an empty file would parse as "no sources" and drop jobs.
        """
        stamp = self._stamp()
        if self.path is None or stamp is None or stamp == self.stamp:
            self.pending = None
            return None
        if stamp != self.pending:
            self.pending = stamp
            return None
        self.stamp, self.pending = stamp, None
        try:
            config = load_config(self.path)
        except ConfigError as exc:
            logger.error("edited %s is invalid, keeping the current schedule: %s", self.path, exc)
            return None
        logger.info("%s changed; syncing jobs", self.path)
        return config


def _install_signal_handlers(stop: threading.Event) -> dict[int, Any]:
    if threading.current_thread() is not threading.main_thread():
        return {}

    def handle(signum: int, frame: FrameType | None) -> None:
        if stop.is_set():
            logger.warning("second signal %s: exiting without waiting for jobs", signum)
            # SystemExit would still wait for the worker threads at interpreter exit.
            os._exit(128 + signum)
        logger.info("signal %s received", signum)
        stop.set()

    previous: dict[int, Any] = {}
    for signum in (signal.SIGINT, signal.SIGTERM):
        previous[signum] = signal.signal(signum, handle)
    return previous


def _restore_signal_handlers(previous: dict[int, Any]) -> None:
    for signum, handler in previous.items():
        signal.signal(signum, handler)


def run_once(config: Config, job_id: str) -> str:
    """Run one job now in this process, recorded like a scheduled run; returns its outcome."""
    specs = {spec.id: spec for spec in job_specs(config)}
    spec = specs.get(job_id)
    if spec is None:
        raise SchedulerError(f"Unknown job {job_id!r}; known jobs: {', '.join(specs)}")
    return spec.func(*spec.args)
