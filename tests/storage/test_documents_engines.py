"""Documents under concurrency, on both engines: snapshot exports, one row per document
when writers race, mentions (issue 16: the behaviour SQLite's single writer gave for free)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from core.records import Document, document_id_for_url
from storage.db import open_db, transaction
from storage.documents import document_versions, iter_documents, purge_older_than, upsert_document
from tests.pg_support import db_target, reconnect

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def doc(n: int, source: str = "courant", when: datetime = T0, text: str = "") -> Document:
    url = f"https://courant.example.nl/nieuws/{n}"
    return Document(id=document_id_for_url(url), source_id=source, kind="news", url=url,
                    title=f"Bericht {n}", text=text or f"Tekst van bericht {n}.",
                    published=when, fetched=when, language="nl")


def _count(db) -> int:
    return int(db.execute("SELECT count(*) FROM documents").fetchone()[0])


def test_export_is_a_snapshot_while_a_crawl_and_a_purge_commit(any_db):
    with transaction(any_db):
        for n in range(1200):
            upsert_document(any_db, doc(n, when=T0 + timedelta(minutes=n)))
    snapshot = {row[0] for row in any_db.execute("SELECT id FROM documents")}
    writer = reconnect(any_db)
    exported: list[str] = []
    for row in iter_documents(any_db):
        exported.append(row["id"])
        if len(exported) == 100:
            for n in range(5000, 5300):
                upsert_document(writer, doc(n, when=T0 + timedelta(days=30, minutes=n)))
            assert purge_older_than(writer, "news", T0 + timedelta(minutes=500)) == 500
    assert len(exported) == len(set(exported)), "duplicated rows"
    assert set(exported) == snapshot, "dropped or foreign rows"
    assert _count(writer) == 1000
    assert not any_db.conn.in_transaction
    writer.conn.close()


def test_an_export_stopped_early_releases_its_snapshot(any_db):
    for n in range(10):
        upsert_document(any_db, doc(n))
    rows = iter_documents(any_db)
    next(rows)
    rows.close()  # type: ignore[attr-defined]
    assert not any_db.conn.in_transaction
    assert _count(any_db) == 10


def _race(any_db, make, workers: int = 4) -> list[object]:
    """Run `upsert_document(conn_i, make(i))` on `workers` connections at once (each
    thread opens its own, as each process would)."""
    barrier = threading.Barrier(workers)
    outcomes: list[object] = []
    target = db_target(any_db)

    def write(i: int) -> None:
        conn = open_db(target, migrate=False)
        barrier.wait()
        try:
            outcomes.append(upsert_document(conn, make(i)))
        except Exception as exc:  # collected and asserted by the caller
            outcomes.append(exc)
        finally:
            conn.conn.close()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcomes


def test_racing_writers_of_one_new_document_store_it_once(any_db):
    outcomes = _race(any_db, lambda i: doc(1, source=f"bron{i}"))
    assert sorted(map(str, outcomes)) == ["new", "unchanged", "unchanged", "unchanged"]
    assert _count(any_db) == 1
    mentions = any_db.execute("SELECT count(*) FROM document_mentions").fetchone()[0]
    assert mentions == 3  # every later source is a mention of the first one's document


def test_racing_edits_keep_a_gapless_history(any_db):
    upsert_document(any_db, doc(1))
    outcomes = _race(any_db, lambda i: doc(1, text=f"Bewerkte tekst nummer {i}."))
    assert outcomes == ["updated"] * 4
    versions = [v["version"] for v in document_versions(any_db, doc(1).id)]
    assert versions == [1, 2, 3, 4]
    current = any_db.execute("SELECT version FROM documents").fetchone()[0]
    assert current == 5


def test_a_later_linking_source_is_a_mention_not_the_owner(any_db):
    assert upsert_document(any_db, doc(1, source="courant")) == "new"
    upsert_document(any_db, doc(1, source="aggregator", when=T0 + timedelta(hours=1)))
    upsert_document(any_db, doc(1, source="aggregator", when=T0 + timedelta(hours=2)))
    assert any_db.execute("SELECT source_id FROM documents").fetchall() == [("courant",)]
    mentions = any_db.execute("SELECT source_id, first_seen FROM document_mentions")
    assert [row[0] for row in mentions] == ["aggregator"]
