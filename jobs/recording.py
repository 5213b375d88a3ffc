"""Run a job body with its outcome recorded, so one failing job never stops the others.

Outcomes: 'ok' (detail: what it did), 'skipped' (detail: why; for example a source that is
not found), 'failed' (detail: the error summary; the traceback goes to the log).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from core.config import Config, ConfigError, load_config
from storage.db import Database, StorageError, open_db
from storage.jobs import finish_job_run, start_job_run

logger = logging.getLogger(__name__)

JobBody = Callable[[Database, Config], str]
"""What a job does: given the store and the config, do the work and return a short summary."""


class JobSkipped(Exception):
    """The job had nothing it could do (a source removed or disabled, nothing configured)."""


class JobFailed(Exception):
    """The job ran but its work failed (for example every crawl of a source failed)."""


def run_recorded(job_id: str, config_path: str | None, body: JobBody) -> str:
    """Run `body` as job `job_id`, record the run, and return its outcome.

    Never raises: the scheduler thread must survive any job. The config is loaded afresh
    for every run so an edited newsroom.toml takes effect without a restart.
    """
    try:
        config = load_config(config_path)
        db = open_db(config.store_target)
    except (ConfigError, StorageError, OSError) as exc:
        logger.error("job %s cannot start: %s", job_id, exc)
        return "failed"
    try:
        return _run_with_db(job_id, db, config, body)
    finally:
        db.conn.close()


def _run_with_db(job_id: str, db: Database, config: Config, body: JobBody) -> str:
    try:
        run_id = start_job_run(db, job_id)
    except Exception as exc:  # a locked or broken store must not kill the scheduler thread
        logger.error("job %s not started: cannot record its run: %s", job_id, exc)
        return "failed"
    logger.info("job %s started (run %s)", job_id, run_id)
    outcome, detail = _outcome_of(job_id, db, config, body)
    try:
        finish_job_run(db, run_id, outcome, detail)
    except Exception as exc:
        logger.error("job %s finished %s but its run could not be recorded: %s",
                     job_id, outcome, exc)
    return outcome


def _outcome_of(
    job_id: str, db: Database, config: Config, body: JobBody
) -> tuple[str, str]:
    try:
        detail = body(db, config)
    except JobSkipped as exc:
        logger.warning("job %s skipped: %s", job_id, exc)
        return "skipped", str(exc)
    except JobFailed as exc:
        logger.error("job %s failed: %s", job_id, exc)
        return "failed", str(exc)
    except Exception as exc:
        logger.exception("job %s failed", job_id)
        return "failed", f"{type(exc).__name__}: {exc}"
    logger.info("job %s ok: %s", job_id, detail)
    return "ok", detail
