"""Where the scheduler's job store lives, and what it holds, read without a scheduler.

Here rather than in scheduler.py so that `jobs.overview` (used by `newsroom status`) can read
next run times without importing the scheduler, which imports this package: no cycle.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler

from core.config import Config

JOBSTORE_FILE = "scheduler.db"


def jobstore_path(config: Config) -> Path:
    """Where the job store lives: beside the newsroom database."""
    return config.storage_path.parent / JOBSTORE_FILE


def read_schedule(config: Config, jobstore_url: str | None = None) -> dict[str, datetime | None]:
    """Next run time of every job in the job store, without starting a scheduler.

    Empty when the scheduler never ran here. A job without a next run time is paused.
    """
    if jobstore_url is None:
        path = jobstore_path(config)
        if not path.exists():
            return {}
        jobstore_url = f"sqlite:///{path}"
    store = SQLAlchemyJobStore(url=jobstore_url)
    store.start(BackgroundScheduler(timezone=config.schedule.timezone), "default")
    try:
        return {job.id: job.next_run_time for job in store.get_all_jobs()}
    finally:
        store.shutdown()
