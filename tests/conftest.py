"""Fixtures shared by every area's tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import freezegun
import pytest
import sqlite_utils

from storage.db import open_db

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
