"""The queued tasks: crawl a source, score a batch, rollups, alerts, digest.

Each runs the same body as the scheduler's job (`jobs.tasks`), recorded in `job_runs`. A
'failed' outcome is retried with doubling back-off; after `[workers] max_retries` retries it
is written to the dead-letter record (`storage.dead_letters`) and acknowledged, so one broken
source never blocks a queue. The config is the worker's own (`newsroom --config … worker`),
so every machine may keep it where it likes; messages carry only ids.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from celery import Task

from core.config import Config, load_config
from jobs import tasks as jobs
from jobs.recording import run_recorded
from storage.db import Database, open_db
from storage.dead_letters import record_dead_letter
from storage.jobs import job_status
from workers.app import app

logger = logging.getLogger(__name__)


class TaskFailed(Exception):
    """The job body ran and failed; the worker retries it (the detail is in job_runs)."""


def _config_path(task: Task) -> str | None:
    path = task.app.conf.get("newsroom_config_path")
    return str(path) if path else None


def _finish(task: Task, job_id: str, outcome: str, source_id: str | None = None) -> str:
    """Return a good outcome; retry a failed one, or dead-letter it when retries ran out."""
    if outcome != "failed":
        return outcome
    config = load_config(_config_path(task))
    settings = config.workers
    attempt = task.request.retries
    detail = _last_detail(config, job_id)
    if attempt < settings.max_retries:
        delay = settings.retry_backoff_seconds * 2 ** attempt
        logger.warning("task %s failed (attempt %s), retry in %ss: %s",
                       task.name, attempt + 1, delay, detail)
        raise task.retry(exc=TaskFailed(detail), countdown=delay,
                         max_retries=settings.max_retries)
    db = open_db(config.store_target)
    try:
        record_dead_letter(db, task=task.name.removeprefix("newsroom."),
                           task_id=str(task.request.id), args=list(task.request.args or []),
                           attempts=attempt + 1, error=detail, source_id=source_id)
    finally:
        db.conn.close()
    logger.error("task %s dead-lettered after %s attempts: %s", task.name, attempt + 1, detail)
    return "dead-lettered"


def _last_detail(config: Config, job_id: str) -> str:
    """The failed run's own error summary, as recorded by `jobs.recording`."""
    try:
        db = open_db(config.store_target)
    except Exception as exc:  # the store itself is the failure
        return f"store cannot be opened: {exc}"
    try:
        run = job_status(db).get(job_id)
    finally:
        db.conn.close()
    return run.detail if run is not None and run.detail else f"job {job_id} failed"


@app.task(bind=True, name="newsroom.crawl_source")
def crawl_source(self: Task, source_id: str) -> str:
    """Crawl one source (its own Scrapy process); documents are upserted by id."""
    outcome = jobs.crawl_source(_config_path(self), source_id)
    return _finish(self, f"crawl:{source_id}", outcome, source_id=source_id)


@app.task(bind=True, name="newsroom.score_batch")
def score_batch(self: Task) -> str:
    """Score up to `[workers] score_batch_documents` documents that wait; when more wait,
    enqueue the next batch, so idle workers share a backlog (leases keep them apart)."""
    more: list[bool] = []
    outcome = run_recorded("score", _config_path(self), _score_body(more))
    if more:
        score_batch.delay()
    return _finish(self, "score", outcome)


def _score_body(more: list[bool]) -> Callable[[Database, Config], str]:
    def body(db: Database, config: Config) -> str:
        from nlp.pipeline import score_pending
        from storage.rollups import refresh_daily_rollup

        report = score_pending(db, config, limit=config.workers.score_batch_documents,
                               model=_serving_model(db, config))
        if report.documents or report.watch_scores_backfilled:
            refresh_daily_rollup(db)
        if report.documents and report.waiting:
            more.append(True)
        return (f"{report.documents} documents, {report.sentences} sentences scored "
                f"with {report.model_name} {report.model_version}; {report.waiting} waiting")

    return body


_MODELS: dict[str, Any] = {}
"""The serving model of this worker process, kept between batches (loading it takes longer
than scoring a batch); replaced when a retrained version is promoted."""


def _serving_model(db: Database, config: Config) -> Any:
    from nlp.retrain import serving_settings
    from nlp.sentiment import load_sentiment_model

    settings = serving_settings(db, config.model)
    key = repr(settings)
    if key not in _MODELS:
        _MODELS.clear()
        _MODELS[key] = load_sentiment_model(settings)
    return _MODELS[key]


@app.task(bind=True, name="newsroom.rollup")
def rollup(self: Task) -> str:
    return _finish(self, "rollup", jobs.rollup(_config_path(self)))


@app.task(bind=True, name="newsroom.alerts")
def alerts(self: Task) -> str:
    return _finish(self, "alerts", jobs.alerts(_config_path(self)))


@app.task(bind=True, name="newsroom.digest")
def digest(self: Task) -> str:
    """The digest area skips weeks already sent, so a redelivered digest mails nobody twice."""
    return _finish(self, "digest", jobs.digest(_config_path(self)))


TASKS: dict[str, Any] = {
    "crawl_source": crawl_source, "score_batch": score_batch, "rollup": rollup,
    "alerts": alerts, "digest": digest,
}
