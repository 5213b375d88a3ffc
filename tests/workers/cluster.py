"""Real processes for the distributed tests: a redis-server, Celery workers, a feed site.

Everything listens on 127.0.0.1 on a free port and lives in the test's temp folder. Workers
are `newsroom worker` processes in their own process group, so `kill_hard` can kill -9 the
worker with its pool child and any crawl process it started, like a machine that loses power.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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
        import redis

        client = redis.Redis.from_url(self.url, socket_timeout=2)
        try:
            waiting = sum(int(client.llen(q)) for q in ("crawl", "score", "jobs"))
            return waiting + int(client.hlen("unacked"))
        finally:
            client.close()


class Worker:
    """One `newsroom worker` process (its own process group)."""

    def __init__(self, config_path: Path, log: Path, queues: str = "crawl,score,jobs") -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.log = log
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from newsroom.cli.main import main; main()",
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
    `article_delay` slows every article page, so a crawl is still running when it is killed."""

    def __init__(self, article_delay: float = 0.0) -> None:
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
            return 200, feed(self.base, path.split("/")[1]), "application/rss+xml"
        if "/nieuws/" in path:
            time.sleep(self.article_delay)
            slug = path.rsplit("/", 1)[-1]
            return 200, ARTICLE.format(slug=slug).encode(), "text/html; charset=utf-8"
        return 404, b"weg", "text/plain"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def write_config(folder: Path, broker_url: str, site: FeedSite, sources: tuple[str, ...],
                 visibility: int = 121) -> Path:
    """A newsroom.toml with rss sources on `site`, short retries and a short visibility
    timeout (a killed worker's task comes back after `visibility` seconds)."""
    blocks = "".join(
        f'[[sources]]\nid = "{name}"\nname = "{name}"\nkind = "news"\ntype = "rss"\n'
        f'url = "{site.base}/{name}/feed.xml"\n\n'
        for name in sources
    )
    path = folder / "newsroom.toml"
    path.write_text(
        '[storage]\npath = "data/newsroom.db"\n\n'
        '[crawl]\nallow_private_hosts = ["127.0.0.1"]\n\n'
        f'[workers]\nbroker_url = "{broker_url}"\ntime_limit_seconds = {visibility - 1}\n'
        f"visibility_timeout_seconds = {visibility}\nmax_retries = 1\n"
        "retry_backoff_seconds = 1\nscore_batch_documents = 8\n\n" + blocks,
        encoding="utf-8",
    )
    return path
