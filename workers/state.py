"""Queue and worker state for `newsroom status` (section "Wachtrij").

Read straight from Redis (queue lengths) and from the workers themselves (a ping with a
short timeout), so the status shows what is true now, not what a worker last wrote.
"""

from __future__ import annotations

from core.config import Config
from storage.db import Database
from storage.dead_letters import count_dead_letters, list_dead_letters
from workers.app import QUEUES, client

PING_SECONDS = 1.0


def queue_lines(db: Database, config: Config) -> list[str]:
    """Dutch lines: mode, waiting tasks per queue, live workers, dead letters."""
    if not config.workers.distributed:
        lines = ["Ingebouwd: `newsroom run` voert alle taken zelf uit (geen wachtrij)."]
    else:
        lines = _distributed_lines(config)
    dead = count_dead_letters(db)
    if dead:
        latest = list_dead_letters(db, limit=1)[0]
        lines.append(f"Mislukte taken (dead letters): {dead}; laatste: {latest.task} "
                     f"{latest.source_id or ''} {latest.failed_at:%Y-%m-%d %H:%M} UTC".rstrip())
    return lines


def _distributed_lines(config: Config) -> list[str]:
    import redis

    redis_client = redis.Redis.from_url(config.workers.broker_url, socket_timeout=2,
                                  socket_connect_timeout=2)
    try:
        waiting = {queue: int(redis_client.llen(queue)) for queue in QUEUES}
    except redis.RedisError as exc:
        return [f"Wachtrij NIET bereikbaar ({type(exc).__name__}): controleer of Redis draait "
                "en of [workers] broker_url klopt."]
    finally:
        redis_client.close()
    lines = ["Wachtrij: " + ", ".join(f"{q} {n} wachtend" for q, n in waiting.items())]
    app = client(config)
    try:
        replies = app.control.inspect(timeout=PING_SECONDS).ping() or {}
    finally:
        app.close()
    if replies:
        lines.append(f"Workers actief: {len(replies)} ({', '.join(sorted(replies))})")
    else:
        lines.append("Geen worker actief: start er een met `newsroom worker`.")
    return lines
