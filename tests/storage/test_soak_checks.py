"""`storage.soak_checks`: the facts `make soak` compares after each killed step, on SQLite and
PostgreSQL (`any_db`)."""

from __future__ import annotations

from datetime import UTC, datetime

from core.records import Document, document_id_for_url
from storage import soak_checks
from storage.db import Database
from storage.documents import upsert_document

WHEN = datetime(2026, 11, 20, 9, tzinfo=UTC)


def _doc(db: Database, n: int, source: str) -> str:
    url = f"https://{source}.example/artikel/{n}"
    doc = Document(id=document_id_for_url(url), source_id=source, kind="news", url=url,
                   title=f"Bericht {n}", text=f"Tekst van bericht {n}.", published=WHEN,
                   fetched=WHEN)
    upsert_document(db, doc)
    return doc.id


def _score(db: Database, document_id: str, sentence_idx: int) -> None:
    db.execute(
        "INSERT INTO scores (document_id, sentence_idx, label, p_neg, p_neu, p_pos, model_name, "
        "model_version, content_hash, scored_at) VALUES (?, ?, 'neutraal', 0.1, 0.8, 0.1, 'm', "
        "'1', 'h', '2026-11-20T09:00:00+00:00')", [document_id, sentence_idx])


def test_the_soak_reads_ids_scores_duplicates_and_running_runs(any_db: Database) -> None:
    db = any_db
    ad = [_doc(db, n, "ad") for n in range(3)]
    soak = [_doc(db, n, "soak") for n in range(2)]
    _score(db, ad[0], -1)
    _score(db, ad[0], 0)  # a sentence score is no document-level score
    _score(db, soak[1], -1)
    for status in ("running", "ok", "running"):
        db.execute("INSERT INTO crawl_runs (source_id, started, status) VALUES (?, ?, ?)",
                   ["ad", "2026-11-20T09:00:00+00:00", status])

    assert soak_checks.document_ids(db) == set(ad) | set(soak)
    assert soak_checks.scored_document_ids(db) == {ad[0], soak[1]}
    assert soak_checks.count_scored_documents(db) == 2
    assert soak_checks.duplicate_rows(db) == 0
    assert soak_checks.running_crawl_runs(db) == 2

    soak_checks.delete_source_documents(db, "soak")
    assert soak_checks.document_ids(db) == set(ad)
    assert not db.conn.in_transaction


def test_an_empty_store_has_nothing(any_db: Database) -> None:
    assert soak_checks.document_ids(any_db) == set()
    assert soak_checks.scored_document_ids(any_db) == set()
    assert soak_checks.count_scored_documents(any_db) == 0
    assert soak_checks.duplicate_rows(any_db) == 0
    assert soak_checks.running_crawl_runs(any_db) == 0
