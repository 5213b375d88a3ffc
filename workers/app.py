"""The Celery app: broker, delivery guarantees and time limits from `[workers]`.

At-least-once delivery: a task is acknowledged only after it finished (`acks_late`), also
when the worker's process died under it (`reject_on_worker_lost` puts it back), and a worker
takes one task at a time (`prefetch_multiplier = 1`) so a killed worker holds at most one.
A task of a worker that vanished entirely (kill -9, power loss) goes back to the queue after
`visibility_timeout_seconds`. The tasks are idempotent (upserts by document id, score
leases), so running one twice stores nothing twice.
"""

from __future__ import annotations

from pathlib import Path

from celery import Celery

from core.config import Config, WorkerSettings

QUEUES = ("crawl", "score", "jobs")
"""crawl: one source each; score: a batch of documents; jobs: rollups, alerts, digest."""

app = Celery("newsroom", include=["workers.tasks"])
"""One module-level app, so tasks can be declared with its decorator; `configure` gives it
the broker and limits of a config before anything is sent or consumed."""


class WorkersNotConfigured(Exception):
    """`[workers] broker_url` is empty: everything runs in the scheduler's process."""


def configure(config: Config) -> Celery:
    """Point the app at the config's broker, with its limits; returns the app."""
    settings = config.workers
    if not settings.distributed:
        raise WorkersNotConfigured(
            "Zet eerst [workers] broker_url = \"redis://host:6379/0\" in newsroom.toml; "
            "zonder wachtrij draait `newsroom run` alle taken zelf."
        )
    app.conf.update(celery_settings(settings, config.path))
    return app


def client(config: Config) -> Celery:
    """A separate, short-lived app for a process that only sends or asks (the scheduler,
    `newsroom status`): it never shares a connection pool with another broker URL. Close it
    after use."""
    if not config.workers.distributed:
        raise WorkersNotConfigured("[workers] broker_url is empty")
    sender = Celery("newsroom-client", set_as_current=False)
    sender.conf.update(celery_settings(config.workers, config.path))
    return sender


def celery_settings(settings: WorkerSettings, config_path: Path | None) -> dict[str, object]:
    """Celery's settings for one `[workers]` section (pure, so a test can read them)."""
    visibility = settings.visibility_timeout_seconds
    return {
        "broker_url": settings.broker_url,
        "broker_connection_retry_on_startup": True,
        "broker_transport_options": {
            "visibility_timeout": visibility,
            # Look for abandoned tasks often enough that the timeout is what counts.
            "unacked_restore_interval": max(1, min(10, visibility // 4)),
            "unacked_restore_throttle": 1,
        },
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "task_soft_time_limit": settings.time_limit_seconds,
        # The hard limit kills the process of a task that ignores the soft one.
        "task_time_limit": settings.time_limit_seconds + 60,
        "task_ignore_result": True,
        "task_default_queue": "jobs",
        "task_routes": {
            "newsroom.crawl_source": {"queue": "crawl"},
            "newsroom.score_batch": {"queue": "score"},
        },
        "worker_hijack_root_logger": False,
        "newsroom_config_path": str(config_path.resolve()) if config_path else None,
    }


def run_worker(config: Config, queues: list[str], concurrency: int) -> None:
    """Run a worker in this process until SIGTERM/Ctrl-C (a warm shutdown lets the running
    task finish; tasks it had not started go back to the queue)."""
    configure(config).worker_main([
        "worker", "--queues", ",".join(queues), "--concurrency", str(concurrency),
        "--pool", "prefork", "--loglevel", "INFO", "--hostname", f"newsroom-{'-'.join(queues)}@%h",
        "--without-gossip", "--without-mingle",
    ])
