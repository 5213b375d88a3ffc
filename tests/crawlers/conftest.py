"""Shared fixtures for the crawler tests: the fixture site, configs, recorders.

Test modules import plain helpers from `tests.crawlers.helpers` and the fixture site from
`tests.crawlers.site` (the tests folder is a package).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core.config import load_config
from crawlers.recorder import RunRecorder
from storage.crawl_log import start_crawl_run
from storage.db import open_db
from tests.crawlers import helpers
from tests.crawlers import site as site_module


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
