"""Fixtures for the distributed tests: a real redis-server and a feed site per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .cluster import FeedSite, RedisServer, Worker


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path / "redis")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def site() -> Iterator[FeedSite]:
    feed_site = FeedSite()
    yield feed_site
    feed_site.close()


@pytest.fixture
def workers() -> Iterator[list[Worker]]:
    """Workers a test starts; any still running at the end are stopped."""
    started: list[Worker] = []
    yield started
    for worker in started:
        worker.stop()
