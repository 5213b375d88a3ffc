"""Fixtures for the digest tests: a real store (a SQLite file, and a PostgreSQL database for
the same tests), a real SMTP server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import sqlite_utils

from tests.digest import support


@pytest.fixture
def smtp_server() -> Iterator[support.SmtpServer]:
    with support.running_smtp_server() as server:
        yield server


@pytest.fixture(autouse=True)
def _no_smtp_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(support.USER_ENV, raising=False)
    monkeypatch.delenv(support.PASSWORD_ENV, raising=False)


@pytest.fixture
def db(any_db: Any) -> Any:
    """Each digest test runs on both engines (ids `sqlite`, `postgres`); the SQLite one is
    the file `make_config` names, for the tests that open the store from the config."""
    return any_db


@pytest.fixture
def writer(db: sqlite_utils.Database) -> Any:
    return support.StoreWriter(db)


@pytest.fixture
def week_data(writer: Any) -> Any:
    """Two weeks of documents: W45 (previous) and W46 (the digest's week)."""
    return support.fill_week(writer)
