"""The storage benchmark's loader: the same generated corpus lands the same on both engines
(executemany on SQLite, COPY on PostgreSQL), searchable, and all-or-nothing on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from newsroom.demo.synthetic import MODEL_NAME, MODEL_VERSION, corpus_chunks
from storage.bulk_copy import abandon_transaction, bulk_session, write_chunk, write_reference_rows
from storage.dialect import engine
from storage.documents import DocumentFilter, list_documents
from storage.pg_admin import create_database

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
STAMP = "2026-12-01T12:00:00+00:00"
SOURCES = [("syn-dagblad", "Synthetisch Dagblad", "news", "rss", "https://x.invalid/f", STAMP),
           ("syn-mastodon", "Mastodon", "social", "rss", "https://y.invalid/f", STAMP),
           ("syn-forum", "Buurtforum", "social", "rss", "https://z.invalid/f", STAMP)]
WATCHES = [(index, f"watch {index}", f"woord{index}", "", 1, STAMP, STAMP)
           for index in range(1, 6)]


def counts(db: Any) -> dict[str, int]:
    return {table: int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
            for table in ("documents", "scores", "sentences", "topics", "places", "stories",
                          "document_stories", "watch_scores", "sources", "watches")}


def load(db: Any, documents: int, seed: int = 3) -> dict[str, int]:
    """Load a corpus; the row counts the generator produced per table."""
    expected: dict[str, int] = {}
    write_reference_rows(db, SOURCES, WATCHES)
    with bulk_session(db):
        for rows in corpus_chunks(documents, [w[0] for w in WATCHES], days=30, seed=seed,
                                  now=NOW, batch=40):
            write_chunk(db, rows, MODEL_NAME, MODEL_VERSION)
            for table, table_rows in rows.items():
                expected[table] = expected.get(table, 0) + len(table_rows)
    return expected


def test_a_generated_corpus_loads_completely_and_is_searchable(any_db: Any) -> None:
    expected = load(any_db, 150)
    stored = counts(any_db)
    assert stored["documents"] == 150
    assert {k: stored[k] for k in expected} == expected
    assert stored["sources"] == 3 and stored["watches"] == 5
    # The search index is filled as for crawled documents (trigger on both engines).
    found = list_documents(any_db, DocumentFilter(text_query="gemeente"), limit=None)
    assert found
    assert all("gemeente" in f"{doc['title']} {doc['text']}".lower() for doc in found)


def test_the_watch_id_sequence_continues_after_explicit_ids(any_db: Any) -> None:
    load(any_db, 10)
    new_id = any_db.execute(
        "INSERT INTO watches (name, query, owner, active, created, updated) "
        "VALUES ('nieuw', 'nieuw', '', 1, ?, ?) RETURNING id", [STAMP, STAMP]).fetchone()[0]
    assert new_id == 6


def test_a_failed_load_leaves_nothing_on_postgres_and_the_chunks_before_on_sqlite(
    any_db: Any
) -> None:
    write_reference_rows(any_db, SOURCES, WATCHES)
    chunks = list(corpus_chunks(80, [w[0] for w in WATCHES], days=30, seed=5, now=NOW,
                                batch=40))
    with pytest.raises(Exception), bulk_session(any_db):  # noqa: B017 (driver-specific class)
        write_chunk(any_db, chunks[0], MODEL_NAME, MODEL_VERSION)
        write_chunk(any_db, chunks[0], MODEL_NAME, MODEL_VERSION)  # same ids again
    abandon_transaction(any_db)
    left = counts(any_db)["documents"]
    # PostgreSQL: one transaction for the whole load; SQLite: one per chunk (a rerun of a
    # generated corpus starts from an empty file).
    assert left == (0 if engine(any_db) == "postgresql" else 40)


@pytest.mark.parametrize("name", ["", "Bench", "bench; DROP TABLE x", "1bench", "a" * 64])
def test_create_database_refuses_names_that_are_not_plain_identifiers(name: str) -> None:
    with pytest.raises(ValueError, match="plain identifier"):
        create_database("postgresql://unused@127.0.0.1:1/postgres", name)


@pytest.mark.postgres
def test_create_database_makes_an_empty_database(pg_server: Any) -> None:
    import psycopg

    create_database(pg_server.url("postgres"), "bulk_copy_check")
    with psycopg.connect(pg_server.url("bulk_copy_check")) as conn:
        assert conn.execute("SELECT current_database()").fetchone() == ("bulk_copy_check",)
    pg_server.drop_database("bulk_copy_check")
