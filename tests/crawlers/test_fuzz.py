"""The fuzz invariant: no parser input raises, and every input gives items or issues.

10,000+ mutated feeds, article pages, sitemaps, listings and timelines (see
tests.crawlers.fuzzing) go through the spiders' real parse methods, split over the CPU cores. An
input that breaks the invariant is written to tests/files/fuzz/ so it can be kept as a
regression file; the ones there now broke the parsers before issue 13 was fixed.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from pathlib import Path
from typing import Any

import pytest

from storage.db import open_db
from tests.crawlers import fuzzing

TOTAL_INPUTS = 10_200


def _keep(kind: str, body: bytes, tag: str) -> Path:
    path = fuzzing.REGRESSIONS / f"{kind}-{tag}-{hashlib.sha1(body).hexdigest()[:10]}.bin"
    path.write_bytes(body)
    return path


def test_fuzz_invariant_on_ten_thousand_inputs() -> None:
    workers = max(1, min(4, os.cpu_count() or 1))
    per_worker = -(-TOTAL_INPUTS // workers)
    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
        results = pool.starmap(fuzzing.run_chunk,
                               [(per_worker, 1300 + worker) for worker in range(workers)])
    assert sum(result.inputs for result in results) >= 10_000
    failures = [item for result in results for item in result.failures]
    silent = [item for result in results for item in result.silent]
    kept = [_keep(kind, body, "new") for _, kind, body, _ in failures]
    kept += [_keep(kind, body, "silent") for _, kind, body in silent]
    assert not failures, f"{len(failures)} inputs raised, e.g. {failures[0][3]}; kept {kept[:5]}"
    assert not silent, f"{len(silent)} inputs gave no item and no issue; kept {kept[:5]}"


@pytest.mark.parametrize("path", fuzzing.regression_files(), ids=lambda path: path.name)
def test_once_failing_input_gives_items_or_issues(path: Path) -> None:
    db = open_db(":memory:")
    outputs, issues = fuzzing.parse(db, fuzzing.load_regression(path))
    assert outputs or issues


def test_regression_corpus_covers_every_kind_of_input() -> None:
    kinds: set[Any] = {fuzzing.load_regression(path).kind for path in fuzzing.regression_files()}
    assert kinds == {"feed", "article", "sitemap", "listing", "timeline"}
