"""What `newsroom run` does in distributed mode: put jobs on the queue instead of running them.

The functions here replace the `jobs.tasks` functions in the scheduler's job store for the
jobs that workers run (crawl, score, rollup, alerts, digest); purge, backup and retrain stay
in the scheduler's process, beside the SQLite file they work on. Like every job function
they take the config path, return an outcome and never raise.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable

from core.config import Config, ConfigError, load_config
from jobs.specs import JobSpec, job_specs
from workers.app import client

logger = logging.getLogger(__name__)

TASK_OF_JOB = {"score": "score_batch", "rollup": "rollup", "alerts": "alerts",
               "digest": "digest"}
"""Shared jobs that go on the queue (crawl:<source> jobs go too, as crawl_source)."""
RETRY_POLICY = {"max_retries": 2, "interval_start": 0.5, "interval_step": 1,
                "interval_max": 2}
"""A Redis that is briefly away (a restart) is waited for; a longer outage is a 'failed'
run of the job, logged, and the next interval tries again."""


def scheduled_specs(config: Config) -> list[JobSpec]:
    """The scheduler's jobs: `job_specs`, with the queued ones enqueueing when distributed."""
    specs = job_specs(config)
    if not config.workers.distributed:
        return specs
    return [_queued(spec) for spec in specs]


def _queued(spec: JobSpec) -> JobSpec:
    func: Callable[..., str] | None = None
    if spec.id.startswith("crawl:"):
        func = crawl_source
    elif spec.id in TASK_OF_JOB:
        func = ENQUEUERS[spec.id]
    if func is None:
        return spec
    return dataclasses.replace(spec, func=func, label=f"{spec.label} — via de wachtrij")


def send(config_path: str | None, task: str, *args: str) -> str:
    """Enqueue task `task` with `args`; 'queued', or 'failed' when the broker is unreachable."""
    try:
        config = load_config(config_path)
        app = client(config)
        try:
            app.send_task(f"newsroom.{task}", args=list(args), retry=True,
                          retry_policy=RETRY_POLICY)
        finally:
            app.close()
    except ConfigError as exc:
        logger.error("cannot enqueue %s: %s", task, exc)
        return "failed"
    except Exception as exc:  # broker down: the scheduler thread must survive it
        logger.error("cannot enqueue %s %s: %s: %s", task, args, type(exc).__name__, exc)
        return "failed"
    logger.info("enqueued %s %s", task, list(args))
    return "queued"


def crawl_source(config_path: str | None, source_id: str) -> str:
    return send(config_path, "crawl_source", source_id)


def score(config_path: str | None) -> str:
    return send(config_path, "score_batch")


def rollup(config_path: str | None) -> str:
    return send(config_path, "rollup")


def alerts(config_path: str | None) -> str:
    return send(config_path, "alerts")


def digest(config_path: str | None) -> str:
    return send(config_path, "digest")


ENQUEUERS: dict[str, Callable[[str | None], str]] = {
    "score": score, "rollup": rollup, "alerts": alerts, "digest": digest,
}
