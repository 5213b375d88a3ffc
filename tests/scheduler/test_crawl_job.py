"""The crawl job end to end: a real Scrapy crawl process against a feed on 127.0.0.1, into a
SQLite file and into a PostgreSQL database (`store_url`), then the score job and the rollups."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from core.config import load_config
from jobs import tasks
from storage.crawl_log import recent_crawl_runs
from storage.db import open_db
from storage.documents import count_documents
from storage.jobs import job_status, list_job_runs

LABELS = {"negatief", "neutraal", "positief"}

FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Dordtse Proefkrant</title><link>{base}/</link>
<description>Lokaal nieuws</description>
<item><title>Gemeenteraad stemt in met nieuwe brug</title><link>{base}/nieuws/brug</link>
<guid>{base}/nieuws/brug</guid><pubDate>Mon, 01 Jun 2026 08:00:00 +0200</pubDate>
<description>De gemeenteraad van Dordrecht heeft ingestemd met de bouw van een nieuwe brug
over de Oude Maas. Bewoners zijn blij met de betere verbinding.</description></item>
<item><title>Overlast bij het station neemt toe</title><link>{base}/nieuws/station</link>
<guid>{base}/nieuws/station</guid><pubDate>Mon, 01 Jun 2026 09:00:00 +0200</pubDate>
<description>Reizigers en omwonenden klagen over toenemende overlast rond het station
van Dordrecht. De gemeente belooft extra handhaving.</description></item>
</channel></rss>
"""


ARTICLE = """<!doctype html><html lang="nl"><head><title>{slug}</title></head><body>
<article><h1>Artikel {slug}</h1>
<p>De gemeenteraad van Dordrecht sprak dinsdagavond lang over dit onderwerp. Inwoners van de
binnenstad en van Sterrenburg kwamen naar het stadhuis om hun mening te geven.</p>
<p>Volgens de wethouder is er voldoende geld gereserveerd en begint het werk na de zomer.
Een woordvoerder van de bewonersvereniging noemde het plan een goede eerste stap.</p>
</article></body></html>
"""


class _FeedHandler(BaseHTTPRequestHandler):
    base = ""

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        if self.path.startswith("/feed.xml"):
            body = FEED.format(base=self.base).encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
        elif self.path.startswith("/nieuws/"):
            body = ARTICLE.format(slug=self.path.rsplit("/", 1)[-1]).encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
        else:
            body = b"niet gevonden"
            self.send_response(404)
            self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def feed_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FeedHandler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    _FeedHandler.base = base
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()
    server.server_close()


def _config(tmp_path: Path, url: str, store_url: str, fetch_timeout: int = 3,
            crawl_timeout: int = 120) -> Path:
    path = tmp_path / "newsroom.toml"
    path.write_text(
        '[storage]\npath = "data/newsroom.db"\n'
        + (f'url = "{store_url}"\n' if store_url else "") + "\n"
        '[crawl]\nallow_private_hosts = ["127.0.0.1"]\n'
        f"timeout_seconds = {fetch_timeout}\nretries = 0\n\n"
        f"[schedule]\ncrawl_timeout_seconds = {crawl_timeout}\n\n"
        '[[sources]]\nid = "proefkrant"\nname = "Dordtse Proefkrant"\nkind = "news"\n'
        f'type = "rss"\nurl = "{url}"\ninterval_minutes = 15\n',
        encoding="utf-8",
    )
    return path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_crawl_job_fetches_the_feed_and_records_the_run(tmp_path: Path, feed_server: str,
                                                        store_url: str) -> None:
    path = _config(tmp_path, f"{feed_server}/feed.xml", store_url)
    assert tasks.crawl_source(str(path), "proefkrant") == "ok"
    db = open_db(load_config(path).store_target)
    try:
        assert count_documents(db, "proefkrant") == 2
        run = job_status(db)["crawl:proefkrant"]
        assert run.outcome == "ok"
        assert "proefkrant: ok (new 2" in run.detail
        # The rollups are refreshed by the crawl job itself, not only by the rollup job.
        assert _rolled_up(db) == (2, 2)
    finally:
        db.conn.close()
    assert tasks.score(str(path)) == "ok"
    db = open_db(load_config(path).store_target)
    try:
        assert job_status(db)["score"].outcome == "ok"
        assert job_status(db)["score"].detail.startswith("2 documents")
        assert _rolled_up(db) == (2, 0)  # the score job refreshed them: nothing unscored
        labels = db.execute("SELECT label FROM scores WHERE sentence_idx = -1").fetchall()
        assert len(labels) == 2 and {row[0] for row in labels} <= LABELS
    finally:
        db.conn.close()
    # The next runs of both jobs (a later interval) add and score nothing twice.
    assert tasks.crawl_source(str(path), "proefkrant") == "ok"
    assert tasks.score(str(path)) == "ok"
    db = open_db(load_config(path).store_target)
    try:
        assert count_documents(db) == 2 and _rolled_up(db) == (2, 0)
        assert job_status(db)["score"].detail.startswith("0 documents")
        assert db.execute("SELECT count(*) FROM scores WHERE sentence_idx = -1"
                          ).fetchone()[0] == 2
        assert [run.outcome for run in list_job_runs(db, "crawl:proefkrant")] == ["ok", "ok"]
    finally:
        db.conn.close()


def _rolled_up(db) -> tuple[int, int]:
    """(documents, unscored documents) in the daily rollup."""
    n, unscored = db.execute("SELECT sum(n), sum(n_unscored) FROM daily_rollup").fetchone()
    return n or 0, unscored or 0


def test_crawl_command_refreshes_the_rollups(tmp_path: Path, feed_server: str,
                                            store_url: str) -> None:
    from click.testing import CliRunner

    from newsroom.cli.main import cli

    path = _config(tmp_path, f"{feed_server}/feed.xml", store_url)
    result = CliRunner().invoke(cli, ["--config", str(path), "crawl", "--no-progress"])
    assert result.exit_code == 0, result.output
    db = open_db(load_config(path).store_target)
    try:
        assert _rolled_up(db) == (2, 2)
    finally:
        db.conn.close()


def test_crawl_job_records_a_failed_crawl(tmp_path: Path, store_url: str) -> None:
    path = _config(tmp_path, f"http://127.0.0.1:{_free_port()}/feed.xml", store_url)
    assert tasks.crawl_source(str(path), "proefkrant") == "failed"
    db = open_db(load_config(path).store_target)
    try:
        run = job_status(db)["crawl:proefkrant"]
        assert run.outcome == "failed" and run.detail.startswith("crawl failed: proefkrant")
        assert count_documents(db) == 0
    finally:
        db.conn.close()


class _HangingHandler(BaseHTTPRequestHandler):
    release = threading.Event()

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self.release.wait(timeout=120)  # never answers while the test runs

    def log_message(self, format: str, *args: object) -> None:
        return


def test_a_hanging_crawl_is_stopped_at_the_crawl_timeout(tmp_path: Path, store_url: str) -> None:
    _HangingHandler.release.clear()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _HangingHandler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/feed.xml"
    path = _config(tmp_path, url, store_url, fetch_timeout=300, crawl_timeout=3)
    try:
        started = time.monotonic()
        assert tasks.crawl_source(str(path), "proefkrant") == "failed"
        assert time.monotonic() - started < 60
    finally:
        _HangingHandler.release.set()
        server.shutdown()
        server.server_close()
    db = open_db(load_config(path).store_target)
    try:
        run = job_status(db)["crawl:proefkrant"]
        assert run.outcome == "failed" and "proefkrant: failed" in run.detail
        (crawl,) = recent_crawl_runs(db, "proefkrant")
        assert [issue.reason for issue in crawl.issues] == ["timeout"]
    finally:
        db.conn.close()
