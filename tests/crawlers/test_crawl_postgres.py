"""Crawl to dashboard on PostgreSQL: a newsroom.toml with `[storage] url` sends a real crawl
(`crawl_sources` → `python -m crawlers.run` → Scrapy/feedparser against the fixture site on
127.0.0.1) into a real PostgreSQL 15 database; the embedded model scores it and the
dashboard's own data layer (`dashboard.data`, opened from the same config) shows it.

Recrawls (the same items again, a changed item, a malformed one) behave the same on both
engines (`any_db`)."""

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
from storage.documents import DocumentFilter, count_documents, document_versions, list_documents
from storage.rollups import refresh_daily_rollup
from tests.crawlers import helpers
from tests.crawlers.site import Reply
from tests.pg_support import db_target

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
    found = data.search(store, DocumentFilter(text_query="Brug"), 50)  # full-text, any case
    assert brug_id in {row["id"] for row in found}
    assert data.search(store, DocumentFilter(text_query="zeppelinhaven"), 50) == []
    first_day, last_day = data.rollup_range(store)
    assert first_day is not None and last_day is not None
    totals = data.period_totals(store, first_day, date.fromordinal(last_day.toordinal() + 1))
    assert totals["n"] == 9
    assert totals["n_neg"] + totals["n_neu"] + totals["n_pos"] == 9

    second = crawl_sources(config, timeout=240)  # idempotent on PostgreSQL too
    assert sum(run.stats.new for run in second) == 0
    assert count_documents(db) == 9
    db.conn.close()


def _config_on(tmp_path: Path, db: Any, sources: list[dict[str, Any]]) -> Any:
    """A crawl config whose store is `db` (the SQLite file in tmp_path, or a PG database)."""
    path = helpers.write_config(tmp_path, sources)
    if engine(db) == "postgresql":
        path.write_text(path.read_text(encoding="utf-8").replace(
            "[storage]\n", f'[storage]\nurl = "{db_target(db)}"\n', 1), encoding="utf-8")
    config = load_config(path)
    assert str(config.store_target) == db_target(db)
    return config


def test_recrawl_is_idempotent_updates_changed_items_and_skips_bad_ones(
    site: Any, tmp_path: Path, any_db: Any
) -> None:
    """On both engines: the same items twice store nothing twice; a changed article is
    updated in place with its old text kept as a version; a malformed or empty item is
    skipped and recorded while the rest of the feed is kept."""
    config = _config_on(tmp_path, any_db, _sources(site.base)[:1])
    [first] = crawl_sources(config, timeout=240)
    assert first.status == "ok"
    # The feed's entry without a link and its repeated guid are skipped, the rest kept.
    assert (first.stats.new, first.stats.skipped) == (4, 2)
    before = {row["id"]: row["text"] for row in list_documents(any_db, limit=None)}
    assert len(before) == 4

    site.feed_version = "v2"  # a new ETag: the same items come again in full
    [same] = crawl_sources(config, timeout=240)
    assert same.status == "ok" and not same.stats.not_modified
    assert (same.stats.new, same.stats.updated, same.stats.unchanged) == (0, 0, 4)
    assert {row["id"]: row["text"] for row in list_documents(any_db, limit=None)} == before

    parkeren = document_id_for_url(f"{site.base}/nieuws/parkeertarieven")
    changed = site.file("article-parkeertarieven.html").replace(b"3,40 euro", b"3,90 euro")
    site.routes["/nieuws/parkeertarieven"] = lambda handler: Reply(
        200, {"Content-Type": "text/html; charset=utf-8"}, changed)
    empty_item = (f"<item><title>Leeg bericht</title><link>{site.base}/nieuws/leeg</link>"
                  "<guid>dc-1009</guid></item></channel>").encode()
    feed = site.file("feed.xml").replace(b"</channel>", empty_item)
    site.routes["/feed.xml"] = lambda handler: Reply(
        200, {"Content-Type": "application/rss+xml; charset=utf-8"}, feed)
    site.routes["/nieuws/leeg"] = lambda handler: Reply(
        200, {"Content-Type": "text/html; charset=utf-8"}, b"<html><body></body></html>")
    [third] = crawl_sources(config, timeout=240)
    assert third.status == "partial"
    assert (third.stats.new, third.stats.updated, third.stats.unchanged) == (0, 1, 3)
    assert third.stats.skipped == 2 and third.stats.failed == 1
    assert {(issue.reason, issue.url) for issue in third.issues} == {
        ("duplicate_guid", f"{site.base}/nieuws/parkeertarieven-dubbel"),
        ("missing_link", f"{site.base}/feed.xml"),
        ("no_article_text", f"{site.base}/nieuws/leeg")}
    after = {row["id"]: row["text"] for row in list_documents(any_db, limit=None)}
    assert set(after) == set(before)  # nothing added, nothing lost
    assert "3,90 euro" in after[parkeren] and "3,40 euro" in before[parkeren]
    assert {k: v for k, v in after.items() if k != parkeren} == {
        k: v for k, v in before.items() if k != parkeren}
    [old] = document_versions(any_db, parkeren)
    assert "3,40 euro" in old["text"]
    assert count_documents(any_db) == 4
