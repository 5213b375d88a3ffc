"""The `[workers]` section (issue 16): work on a Redis queue, or everything in one process."""

from __future__ import annotations

from core.config.settings import ConfigError, WorkerSettings


def check_workers(settings: WorkerSettings) -> WorkerSettings:
    """Validate `[workers]`: a Redis URL (or nothing), and a visibility timeout that does not
    hand a task that is still running to a second worker."""
    url = settings.broker_url
    if url and not url.startswith(("redis://", "rediss://")):
        raise ConfigError(
            f"workers.broker_url: {url!r} is not a Redis address; use redis://host:6379/0 "
            "(or rediss:// with TLS), or leave it empty to run everything in one process."
        )
    if settings.visibility_timeout_seconds <= settings.time_limit_seconds:
        raise ConfigError(
            "workers.visibility_timeout_seconds: make it longer than "
            f"workers.time_limit_seconds ({settings.time_limit_seconds}); otherwise a task "
            "that is still running is handed to a second worker as well."
        )
    return settings
