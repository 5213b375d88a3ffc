"""Crawl and score on real Celery workers over a real redis-server, into a real SQLite file.

At-least-once delivery must never show in the store: a worker killed with -9 mid-crawl, or a
Redis restart mid-run, leaves 0 documents lost and 0 duplicated, and the queue drains. A task
that keeps failing ends in the dead-letter record. Marked `distributed` (pytest -m distributed).
Waits return as soon as the store shows the result, but their limits are generous: on the
shared 2-core machine at load 20+ one crawl took 15-40 s. The time limit (89 s) must exceed a
crawl there, so the killed worker's task waits out a 90 s visibility timeout.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from core.config import load_config
from newsroom.cli.main import cli
from storage.db import open_db
from storage.dead_letters import list_dead_letters
from storage.jobs import list_job_runs
from storage.soak_checks import document_ids, duplicate_rows, scored_document_ids
from workers import enqueue

from .cluster import ITEMS_PER_FEED, FeedSite, RedisServer, Worker, wait_for, write_config

pytestmark = pytest.mark.distributed

SOURCES = ("dordtsnieuws", "stadsblad")
EXPECTED = len(SOURCES) * ITEMS_PER_FEED


def outcomes(config_path: Path) -> list[tuple[str, str]]:
    db = open_db(load_config(config_path).storage_path)
    try:
        return [(run.job_id, run.outcome) for run in list_job_runs(db, limit=200)]
    finally:
        db.conn.close()


def store_facts(config_path: Path) -> tuple[set[str], set[str], int]:
    db = open_db(load_config(config_path).storage_path)
    try:
        return document_ids(db), scored_document_ids(db), duplicate_rows(db)
    finally:
        db.conn.close()


def crawled_ok(config_path: Path, sources: tuple[str, ...] = SOURCES) -> bool:
    done = outcomes(config_path)
    return all((f"crawl:{name}", "ok") in done for name in sources)


def enqueue_crawls(config_path: Path) -> None:
    for name in SOURCES:
        assert enqueue.crawl_source(str(config_path), name) == "queued"


def score_everything(config_path: Path, redis_server: RedisServer) -> None:
    """One score task; it enqueues the next batches itself until nothing waits."""
    assert enqueue.score(str(config_path)) == "queued"
    wait_for(lambda: len(store_facts(config_path)[1]) == EXPECTED, 400, "every document scored")
    wait_for(lambda: redis_server.pending() == 0, 120, "the queue to drain")


def test_crawl_score_and_dead_letter_through_a_worker(
    tmp_path: Path, redis_server: RedisServer, site: FeedSite, workers: list[Worker]
) -> None:
    config_path = write_config(tmp_path, redis_server.url, site, (*SOURCES, "kapot"))
    workers.append(Worker(config_path, tmp_path / "worker.log"))
    enqueue_crawls(config_path)
    assert enqueue.crawl_source(str(config_path), "kapot") == "queued"
    assert enqueue.crawl_source(str(config_path), SOURCES[0]) == "queued"  # delivered twice
    wait_for(lambda: crawled_ok(config_path), 400, "both crawls")
    score_everything(config_path, redis_server)
    stored, scored, duplicates = store_facts(config_path)
    assert len(stored) == EXPECTED and scored == stored and duplicates == 0

    db = open_db(load_config(config_path).storage_path)
    wait_for(lambda: bool(list_dead_letters(db)), 300, "the failing crawl's dead letter")
    [letter] = list_dead_letters(db)
    db.conn.close()
    assert (letter.task, letter.source_id, letter.attempts) == ("crawl_source", "kapot", 2)
    assert "crawl failed" in letter.error
    assert [o for j, o in outcomes(config_path) if j == "crawl:kapot"] == ["failed", "failed"]

    status = CliRunner().invoke(cli, ["--config", str(config_path), "status"])
    assert "Wachtrij: crawl 0 wachtend, score 0 wachtend, jobs 0 wachtend" in status.output
    assert "Workers actief: 1" in status.output
    assert "Mislukte taken (dead letters): 1; laatste: crawl_source kapot" in status.output


def test_worker_killed_mid_crawl_loses_and_duplicates_nothing(
    tmp_path: Path, redis_server: RedisServer, site: FeedSite, workers: list[Worker]
) -> None:
    site.article_delay = 0.5  # a crawl takes a few seconds: long enough to be killed in
    config_path = write_config(tmp_path, redis_server.url, site, SOURCES, visibility=90)
    first = Worker(config_path, tmp_path / "first.log")
    workers.append(first)
    enqueue_crawls(config_path)
    wait_for(lambda: ("crawl:dordtsnieuws", "running") in outcomes(config_path), 180,
             "the first crawl to start")
    first.kill_hard()
    assert redis_server.pending() == 2, "the killed worker's task is not acknowledged"
    assert not crawled_ok(config_path)

    workers.append(Worker(config_path, tmp_path / "second.log"))
    # The killed task comes back after the visibility timeout (90 s here).
    wait_for(lambda: crawled_ok(config_path), 500, "the second worker to redo the crawls")
    wait_for(lambda: redis_server.pending() == 0, 120, "the queue to drain")
    stored, _, duplicates = store_facts(config_path)
    assert len(stored) == EXPECTED and duplicates == 0


def test_redis_restart_mid_run_loses_nothing(
    tmp_path: Path, redis_server: RedisServer, site: FeedSite, workers: list[Worker]
) -> None:
    site.article_delay = 0.3
    config_path = write_config(tmp_path, redis_server.url, site, SOURCES, visibility=90)
    workers.append(Worker(config_path, tmp_path / "worker.log"))
    enqueue_crawls(config_path)
    wait_for(lambda: ("crawl:dordtsnieuws", "running") in outcomes(config_path), 180,
             "the first crawl to start")
    redis_server.stop()
    redis_server.start()  # same port and folder: the append-only file brings the queue back
    assert redis_server.pending() >= 1
    wait_for(lambda: crawled_ok(config_path), 500, "the crawls after the restart")
    wait_for(lambda: redis_server.pending() == 0, 120, "the queue to drain")
    stored, _, duplicates = store_facts(config_path)
    assert len(stored) == EXPECTED and duplicates == 0
