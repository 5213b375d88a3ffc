"""Shared fixtures for the crawler tests: the fixture site, configs, recorders.

Test modules import plain helpers from `crawler_test_helpers` and the fixture site from
`crawler_test_site`; both are loaded here by path, because pytest runs with
--import-mode=importlib and other test folders have modules with the same names.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core.config import load_config
from crawlers.recorder import RunRecorder
from storage.crawl_log import start_crawl_run
from storage.db import open_db


def _load(name: str, filename: str) -> Any:
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).parent / filename)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


helpers = _load("crawler_test_helpers", "helpers.py")
site_module = _load("crawler_test_site", "site.py")


@pytest.fixture
def site() -> Iterator[Any]:
    with site_module.FixtureSite() as running:
        yield running


@pytest.fixture(autouse=True)
def pseudonym_key(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("NEWSROOM_PSEUDONYM_KEY", helpers.PSEUDONYM_KEY)
    return str(helpers.PSEUDONYM_KEY)


@pytest.fixture
def make_config(tmp_path: Path) -> Any:
    def make(sources: list[dict[str, Any]], **crawl: Any) -> Any:
        return load_config(helpers.write_config(tmp_path, sources, **crawl))

    return make


@pytest.fixture
def db() -> Any:
    return open_db(":memory:")


@pytest.fixture
def recorder(db: Any) -> RunRecorder:
    return RunRecorder(db, start_crawl_run(db, "test"), "test")
