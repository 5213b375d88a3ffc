"""Retention: social posts past 90 days go with everything derived from them; news stays.

On both engines: the store functions on `any_db`, the purge job on a config whose store is a
SQLite file or a PostgreSQL database (`store_url`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from core.config import Config, load_config
from core.records import Document, document_id_for_post, document_id_for_url
from jobs import tasks
from jobs.purge import run_purge
from storage.db import Database, open_db
from storage.documents import DERIVED_TABLES, count_documents, upsert_document
from storage.jobs import finish_job_run, job_status, list_job_runs, start_job_run
from storage.search import text_search
from tests.scheduler.conftest import write_config

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def _social(db: Database, post: str, age_days: float) -> str:
    doc = Document(
        id=document_id_for_post("mastodon", post), source_id="mastodon-dordrecht", kind="social",
        url=f"https://example.org/@x/{post}", title="",
        text=f"Bericht {post} over de Drechtse brug",
        published=NOW - timedelta(days=age_days), fetched=NOW - timedelta(days=age_days),
        platform="mastodon", post_id=post, author_pseudonym="anon-1",
    )
    upsert_document(db, doc)
    _derive(db, doc.id)
    return doc.id


def _news(db: Database, slug: str, age_days: float) -> str:
    url = f"https://example.org/nieuws/{slug}"
    doc = Document(
        id=document_id_for_url(url), source_id="ad-dordrecht", kind="news", url=url,
        title=f"Nieuws {slug}", text="De gemeenteraad besprak de begroting.",
        published=NOW - timedelta(days=age_days), fetched=NOW - timedelta(days=age_days),
    )
    upsert_document(db, doc)
    _derive(db, doc.id)
    return doc.id


def _insert(db: Database, table: str, row: dict[str, object]) -> None:
    """Plain SQL on both engines; names quoted (`end` is reserved on PostgreSQL)."""
    names = ", ".join(f'"{name}"' for name in row)
    marks = ", ".join("?" for _ in row)
    db.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(row.values()))


def _derive(db: Database, doc_id: str) -> None:
    """Rows in every table that hangs off a document, as the scorer and advisers write them."""
    scored = {"model_name": "m", "model_version": "1"}
    _insert(db, "sentences", {"document_id": doc_id, "idx": 0, "text": "t", "start": 0,
                              "end": 1})
    _insert(db, "scores", {"document_id": doc_id, "sentence_idx": -1, "label": "negatief",
                           "p_neg": 0.8, "p_neu": 0.1, "p_pos": 0.1, "content_hash": "h",
                           "scored_at": NOW.isoformat(), **scored})
    _insert(db, "topics", {"document_id": doc_id, "topic": "verkeer", "score": 0.9,
                           "model_name": "m"})
    _insert(db, "document_stories", {"document_id": doc_id, "story_id": "s1"})
    _insert(db, "places", {"document_id": doc_id, "cbs_code": "GM0505", "name": "Dordrecht",
                           "level": "gemeente"})
    _insert(db, "watch_scores", {"watch_id": 1, "document_id": doc_id, "mentions": 1,
                                 "label": "negatief", "p_neg": 0.8, "p_neu": 0.1,
                                 "p_pos": 0.1, **scored})
    _insert(db, "annotations", {"document_id": doc_id, "kind": "note", "value": "duiding",
                                "author": "adviseur", "created": NOW.isoformat()})
    _insert(db, "document_embeddings", {"document_id": doc_id, "model": "e5", "dim": 2,
                                        "vector": b"\x00" * 8})
    _insert(db, "story_fingerprints", {"document_id": doc_id, "source_id": "s", "band0": 1,
                                       "band1": 2, "band2": 3, "band3": 4})
    _insert(db, "document_versions", {"document_id": doc_id, "version": 1, "title": "",
                                      "text": "", "content_hash": "old",
                                      "recorded_at": NOW.isoformat()})
    _insert(db, "score_leases", {"document_id": doc_id, "holder": "scorer",
                                 "expires": NOW.isoformat()})
    _insert(db, "document_mentions", {"document_id": doc_id, "source_id": "other",
                                      "url": "https://other.example/x",
                                      "first_seen": NOW.isoformat()})
    _insert(db, "label_overrides", {"document_id": doc_id, "label": "negatief",
                                    "origin": "rule", "rule_id": 1, "author": "adviseur",
                                    "updated": NOW.isoformat()})
    _insert(db, "rule_hits", {"rule_id": 1, "document_id": doc_id})


def _rows_for(db: Database, doc_id: str) -> dict[str, int]:
    counts = {
        table: db.execute(
            f"SELECT count(*) FROM {table} WHERE {column} = ?", [doc_id]
        ).fetchone()[0]
        for table, column in DERIVED_TABLES
    }
    counts["documents"] = db.execute("SELECT count(*) FROM documents WHERE id = ?",
                                     [doc_id]).fetchone()[0]
    return counts


def test_old_social_posts_and_their_derived_rows_are_purged_news_kept(
    config: Config, any_db: Database
) -> None:
    old_post = _social(any_db, "111", age_days=91)
    recent_post = _social(any_db, "222", age_days=89)
    old_news = _news(any_db, "oud", age_days=400)

    removed = run_purge(any_db, config, now=NOW)

    assert removed["social"] == 1
    assert "news" not in removed and "official" not in removed
    assert set(_rows_for(any_db, old_post).values()) == {0}
    assert set(_rows_for(any_db, recent_post).values()) == {1}
    assert set(_rows_for(any_db, old_news).values()) == {1}
    search, params = text_search(any_db, "Bericht")  # the search index lost the post too
    assert any_db.execute(f"SELECT count(*) FROM ({search}) m", params).fetchone()[0] == 1
    # Running it again removes nothing more: purging is idempotent.
    assert run_purge(any_db, config, now=NOW)["social"] == 0


def test_retention_is_configurable_per_kind(tmp_path: Path,
                                            any_db: Database) -> None:
    path = write_config(tmp_path)
    text = path.read_text(encoding="utf-8").replace(
        "[[sources]]", "[retention]\nsocial_days = 30\nnews_days = 365\n\n[[sources]]", 1
    )
    path.write_text(text, encoding="utf-8")
    config = load_config(path)
    social = _social(any_db, "333", age_days=31)
    news_kept = _news(any_db, "jong", age_days=364)
    news_gone = _news(any_db, "oud", age_days=366)
    removed = run_purge(any_db, config, now=NOW)
    assert {kind: removed[kind] for kind in ("social", "news", "job_runs")} == {
        "social": 1, "news": 1, "job_runs": 0}
    assert "official" not in removed  # official_days = 0 keeps them forever
    assert _rows_for(any_db, social)["documents"] == 0
    assert _rows_for(any_db, news_kept)["documents"] == 1
    assert _rows_for(any_db, news_gone)["scores"] == 0


def test_retention_counts_from_first_seen_not_the_claimed_date(
    config: Config, any_db: Database
) -> None:
    # A post claiming to be from the future, first seen 100 days ago, still goes.
    doc = Document(
        id=document_id_for_post("mastodon", "444"), source_id="m", kind="social",
        url="https://example.org/@x/444", title="", text="toekomst",
        published=NOW + timedelta(days=3650), fetched=NOW - timedelta(days=100),
        platform="mastodon", post_id="444",
    )
    upsert_document(any_db, doc)
    assert run_purge(any_db, config, now=NOW)["social"] == 1


def test_purge_prunes_old_job_history(config: Config, any_db: Database) -> None:
    long_ago = NOW - timedelta(days=400)
    for _ in range(3):
        finish_job_run(any_db, start_job_run(any_db, "score", started=long_ago), "ok")
    assert run_purge(any_db, config, now=NOW)["job_runs"] == 2
    assert len(list_job_runs(any_db, "score")) == 1


def test_purge_job_records_what_it_removed(tmp_path: Path, store_url: str) -> None:
    config = load_config(write_config(tmp_path, url=store_url))
    store = open_db(config.store_target)
    try:
        _social(store, "555", age_days=200)
        assert tasks.purge(str(config.path)) == "ok"
        assert job_status(store)["purge"].detail.startswith("social: 1, alerts: 0, digests: 0")
        assert count_documents(store) == 0
    finally:
        store.conn.close()
