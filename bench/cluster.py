"""Real processes for the scale benchmark and the distributed tests: a redis-server, a
throw-away PostgreSQL server (devtools.postgres, the one the whole test suite uses),
`newsroom worker` processes and a local feed site.

Everything listens on 127.0.0.1 (PostgreSQL also on a unix socket) on a free port and lives
in a folder the caller gives. Workers are `newsroom worker` processes in their own process
group, so `kill_hard` can kill -9 the worker with its pool child and any crawl process it
started, like a machine that loses power. The tests (tests/workers) and `bench/scale.py`
start the same processes, so what the benchmark measures is what the tests check.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from newsroom.demo.ports import free_port

ROOT = Path(__file__).resolve().parents[1]
QUEUES = ("crawl", "score", "jobs")


def wait_for(check: Callable[[], bool], timeout: float, what: str, step: float = 0.2) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


class RedisServer:
    """redis-server with an append-only file, so a restart keeps the queue (as in deploy/)."""

    def __init__(self, folder: Path) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed: run `make test` (it installs it "
                               "with apt) or `apt-get install redis-server`")
        self.binary = binary
        self.folder = folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        log = (self.folder / "redis.log").open("ab")
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir",
             str(self.folder), "--save", "", "--appendonly", "yes", "--appendfsync", "always",
             "--daemonize", "no"],
            stdout=log, stderr=subprocess.STDOUT,
        )
        wait_for(self.ping, 10, "redis-server to answer")

    def ping(self) -> bool:
        import redis

        try:
            return bool(redis.Redis.from_url(self.url, socket_timeout=1).ping())
        except redis.RedisError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # SIGTERM: redis writes its append-only file and exits
            self.process.wait(10)
        self.process = None

    def pending(self) -> int:
        """Tasks waiting in any queue plus tasks taken but not yet acknowledged."""
        return sum(self.waiting().values()) + self.unacked()

    def waiting(self) -> dict[str, int]:
        """Tasks waiting per queue (not yet taken by a worker)."""
        import redis

        client = redis.Redis.from_url(self.url, socket_timeout=10)
        try:
            return {queue: int(client.llen(queue)) for queue in QUEUES}
        finally:
            client.close()

    def unacked(self) -> int:
        """Tasks a worker took and has not acknowledged (running, or held by a dead worker)."""
        import redis

        client = redis.Redis.from_url(self.url, socket_timeout=10)
        try:
            return int(client.hlen("unacked"))
        finally:
            client.close()


class Worker:
    """One `newsroom worker` process (its own process group)."""

    def __init__(self, config_path: Path, log: Path, queues: str = "crawl,score,jobs",
                 nice: int = 0) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.log = log
        prefix = ["nice", "-n", str(nice)] if nice else []
        self.process = subprocess.Popen(
            [*prefix, sys.executable, "-c", "from newsroom.cli.main import main; main()",
             "--config", str(config_path), "worker", "--queues", queues],
            stdout=log.open("ab"), stderr=subprocess.STDOUT, env=env, cwd=ROOT,
            start_new_session=True,
        )

    def kill_hard(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        """Warm shutdown (SIGTERM to the main process), then nothing of it may be left."""
        if self.process.poll() is None:
            self.process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(30)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)


ITEMS_PER_FEED = 6


def feed(base: str, name: str, items: int = ITEMS_PER_FEED) -> bytes:
    entries = "".join(
        f"<item><title>{name} bericht {i}: de gemeenteraad besluit over plan {i}</title>"
        f"<link>{base}/{name}/nieuws/{i}</link><guid>{base}/{name}/nieuws/{i}</guid>"
        f"<pubDate>Mon, 01 Jun 2026 0{i % 10}:00:00 +0200</pubDate>"
        f"<description>Inwoners van Dordrecht zijn blij met plan {i}. De wethouder belooft "
        f"snel te beginnen.</description></item>"
        for i in range(items)
    )
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>{name}</title><link>{base}/</link><description>Lokaal</description>"
            f"{entries}</channel></rss>").encode()


ARTICLE = ("<!doctype html><html lang=\"nl\"><head><title>{slug}</title></head><body><article>"
           "<h1>Plan {slug}</h1><p>De gemeenteraad van Dordrecht sprak dinsdagavond lang over "
           "dit plan. Inwoners van de binnenstad kwamen naar het stadhuis.</p><p>Volgens de "
           "wethouder is er genoeg geld en begint het werk na de zomer. Bewoners zijn er blij "
           "mee.</p></article></body></html>")


class FeedSite:
    """Feeds /<name>/feed.xml with their article pages; /kapot/feed.xml always answers 500.
    `article_delay` slows every article page, so a crawl is still running when it is killed;
    `items_per_feed` sets how many items each feed lists."""

    def __init__(self, article_delay: float = 0.0, items_per_feed: int = ITEMS_PER_FEED) -> None:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                status, body, kind = site.reply(self.path)
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                return

        self.article_delay = article_delay
        self.items_per_feed = items_per_feed
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def reply(self, path: str) -> tuple[int, bytes, str]:
        if path == "/robots.txt":
            return 200, b"User-agent: *\nAllow: /\n", "text/plain"
        if path.startswith("/kapot/"):
            return 500, b"stuk", "text/plain"
        if path.endswith("/feed.xml"):
            return (200, feed(self.base, path.split("/")[1], self.items_per_feed),
                    "application/rss+xml")
        if "/nieuws/" in path:
            time.sleep(self.article_delay)
            slug = path.rsplit("/", 1)[-1]
            return 200, ARTICLE.format(slug=slug).encode(), "text/html; charset=utf-8"
        return 404, b"weg", "text/plain"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
