"""Fixtures shared by every area's tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlite_utils

from storage.db import open_db

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


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
