"""Fixtures for the demo tests: a corpus pinned to a fixed 'now' and the site serving it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from newsroom.demo.corpus import DemoCorpus, build_corpus
from newsroom.demo.site import DemoSite

NOW = datetime(2026, 11, 22, 14, 37, 12, tzinfo=UTC)


@pytest.fixture(scope="session")
def corpus() -> DemoCorpus:
    return build_corpus(now=NOW)


@pytest.fixture(scope="module")
def site(corpus: DemoCorpus) -> Iterator[DemoSite]:
    with DemoSite(corpus=corpus) as running:
        yield running
