"""Fixtures for the correction and rule tests: a real store on each engine and the writer."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils


def _support() -> Any:
    """The digest tests' helper module (store writer), loaded by path."""
    name = "newsroom_digest_test_support"
    if name not in sys.modules:
        path = Path(__file__).parent.parent / "digest" / "support.py"
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


support = _support()


@pytest.fixture
def db(any_db: Any) -> Any:
    """The store on each engine: a SQLite file, then a PostgreSQL database (`any_db`)."""
    return any_db


@pytest.fixture
def writer(db: sqlite_utils.Database) -> Any:
    return support.StoreWriter(db)
