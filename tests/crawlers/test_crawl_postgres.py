"""Crawl to dashboard on PostgreSQL: a newsroom.toml with `[storage] url` sends a real crawl
(`crawl_sources` → `python -m crawlers.run` → Scrapy/feedparser against the fixture site on
127.0.0.1) into a real PostgreSQL 15 database; the embedded model scores it and the
dashboard's own data layer (`dashboard.data`, opened from the same config) shows it."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from core.config import load_config
from core.records import document_id_for_url
from crawlers.runner import crawl_sources
from nlp.pipeline import score_pending
from storage.db import open_db
from storage.dialect import engine
from storage.documents import DocumentFilter, count_documents
from storage.rollups import refresh_daily_rollup
from tests.crawlers import helpers

BRUG = "Nieuwe brug over de Oude Maas krijgt groen licht"


def _sources(base: str) -> list[dict[str, Any]]:
    return [
        {"id": "courant", "name": "Dordtse Courant", "kind": "news", "type": "rss",
         "url": f"{base}/feed.xml"},
        {"id": "masto", "name": "Mastodon #dordrecht", "kind": "social", "type": "mastodon",
         "url": base, "tag": "dordrecht", "fictional": True},
    ]


@pytest.mark.postgres
def test_crawl_score_and_dashboard_on_postgresql(
    site: Any, tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = helpers.write_config(tmp_path, _sources(site.base))
    path.write_text(path.read_text(encoding="utf-8").replace(
        "[storage]\n", f'[storage]\nurl = "{pg_url}"\n', 1), encoding="utf-8")
    config = load_config(path)
    assert config.store_target == pg_url

    first = {run.source_id: run for run in crawl_sources(config, timeout=240)}
    assert {s: run.status for s, run in first.items()} == {"courant": "ok", "masto": "ok"}
    assert [first[s].stats.new for s in ("courant", "masto")] == [4, 5]
    assert not (tmp_path / "newsroom.db").exists()  # nothing went to a SQLite file

    db = open_db(config.store_target)
    assert engine(db) == "postgresql"
    assert count_documents(db) == 9
    report = score_pending(db, config)  # the configured (embedded) model, no double
    assert report.documents == 9
    labels = dict(db.execute(
        "SELECT d.id, s.label FROM documents d JOIN scores s ON s.document_id = d.id "
        "WHERE s.sentence_idx = -1").fetchall())
    assert len(labels) == 9 and set(labels.values()) <= {"negatief", "neutraal", "positief"}
    refresh_daily_rollup(db)

    monkeypatch.setenv("NEWSROOM_CONFIG", str(path))
    from dashboard import data  # reads the config named by NEWSROOM_CONFIG, as the app does

    store = data.db_path()
    assert store == pg_url
    listed = data.search(store, DocumentFilter(), 50)
    assert len(listed) == 9
    brug_id = document_id_for_url(f"{site.base}/nieuws/brug-oude-maas")
    [brug] = [row for row in listed if row["id"] == brug_id]
    assert brug["title"] == BRUG and brug["label"] == labels[brug_id]
    found = data.search(store, DocumentFilter(text_query="bruggen"), 50)  # Dutch stemming
    assert brug_id in {row["id"] for row in found}
    first_day, last_day = data.rollup_range(store)
    assert first_day is not None and last_day is not None
    totals = data.period_totals(store, first_day, date.fromordinal(last_day.toordinal() + 1))
    assert totals["n"] == 9
    assert totals["n_neg"] + totals["n_neu"] + totals["n_pos"] == 9

    second = crawl_sources(config, timeout=240)  # idempotent on PostgreSQL too
    assert sum(run.stats.new for run in second) == 0
    assert count_documents(db) == 9
    db.conn.close()
