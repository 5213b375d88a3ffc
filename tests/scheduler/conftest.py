"""Fixtures for the scheduler tests: a real config file, a real store (a SQLite file, or with
`store_url` a real PostgreSQL database named by `[storage] url`) and a SQLite job store."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlite_utils

from core.config import Config, load_config
from storage.db import open_db

SOURCES = """
[[sources]]
id = "ad-dordrecht"
name = "AD Dordrecht"
kind = "news"
type = "rss"
url = "http://127.0.0.1:9/ad.xml"
interval_minutes = 30

[[sources]]
id = "mastodon-dordrecht"
name = "Mastodon #dordrecht"
kind = "social"
type = "mastodon"
url = "http://127.0.0.1:9"
tag = "dordrecht"
interval_minutes = 20

[[sources]]
id = "oud"
name = "Uitgeschakeld"
kind = "news"
type = "rss"
url = "http://127.0.0.1:9/old.xml"
enabled = false
"""


def write_config(
    tmp_path: Path,
    extra: str = "",
    sources: str = SOURCES,
    backup_dir: str = "data/backups",
    misfire_grace_seconds: int = 600,
    url: str = "",
) -> Path:
    """A newsroom.toml in tmp_path with its store and backups under tmp_path.

    `extra` adds lines to [schedule]; `sources` replaces the [[sources]] tables; `url` puts
    the store on PostgreSQL (`[storage] url`).
    """
    path = tmp_path / "newsroom.toml"
    path.write_text(
        '[storage]\npath = "data/newsroom.db"\n' + (f'url = "{url}"\n' if url else "") + "\n"
        f'[schedule]\nbackup_dir = "{backup_dir}"\nbackup_keep = 2\n'
        f"misfire_grace_seconds = {misfire_grace_seconds}\n"
        f"{extra}\n{sources}",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def config_path(tmp_path: Path) -> Path:
    return write_config(tmp_path)


@pytest.fixture
def config(config_path: Path) -> Config:
    return load_config(config_path)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest) -> str:
    """"" (the SQLite file) or a fresh PostgreSQL database's URL: a module that asks for it
    runs its tests on both engines."""
    return str(request.getfixturevalue("pg_url")) if request.param == "postgres" else ""


@pytest.fixture
def store(config: Config) -> Iterator[sqlite_utils.Database]:
    """The config's own store (jobs open it too, each with its own connection)."""
    db = open_db(config.store_target)
    yield db
    db.conn.close()


def wait_until(condition: Callable[[], object], timeout: float = 20.0) -> object:
    """Poll `condition` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"condition not met within {timeout} s")
