"""Fixtures shared by every area's tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import freezegun
import pytest
import sqlite_utils

from storage.db import Database, open_db
from tests.pg_support import TEMPLATE, PgServer

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

# freezegun inspects every attribute of every loaded module each time a clock is frozen;
# transformers' lazy modules make that take seconds per test once any test has imported
# them. None of these libraries needs a frozen clock in our tests.
freezegun.configure(extend_ignore_list=[
    "transformers", "torch", "onnx", "onnxruntime", "sklearn", "scipy", "matplotlib",
    "tokenizers", "safetensors", "huggingface_hub", "sympy",
])


@pytest.fixture
def fresh_db() -> sqlite_utils.Database:
    """A migrated in-memory database."""
    return open_db(":memory:")


@pytest.fixture
def file_db(tmp_path: Path) -> Iterator[sqlite_utils.Database]:
    """A migrated database in a real SQLite file (WAL), closed afterwards."""
    db = open_db(tmp_path / "newsroom.db")
    yield db
    db.conn.close()


# -- PostgreSQL (issue 16): one real server per session, a fresh database per test ----------

@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """A running PostgreSQL 15 with a migrated template database (tests/pg_support.py)."""
    server = PgServer().start()
    try:
        server.make_template()
        yield server
    finally:
        server.close("immediate")


@pytest.fixture
def pg_url(pg_server: PgServer) -> Iterator[str]:
    """URL of a fresh, migrated PostgreSQL database for this test alone (dropped after)."""
    name = pg_server.create_database(template=TEMPLATE)
    yield pg_server.url(name)
    pg_server.drop_database(name)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A migrated database on each engine: a SQLite file, then a PostgreSQL database.

    The test runs twice (ids `sqlite` and `postgres`; `pytest -m postgres` selects the
    latter). Use only the shared surface (storage.db.Database); `storage.dialect.engine(db)`
    tells which one it is where a test must know.
    """
    if request.param == "sqlite":
        db = open_db(tmp_path / "newsroom.db")
    else:
        db = open_db(request.getfixturevalue("pg_url"), migrate=False)
    yield db
    db.conn.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that uses the PostgreSQL server is marked `postgres` (so `pytest -m
    postgres` selects it and `-m "not postgres"` runs without a server), also when its
    author used `pg_url`/`pg_server` directly and forgot the mark."""
    for item in items:
        if {"pg_server", "pg_url"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.postgres)
