"""Bulk writes of generated corpora (storage.bulk), on SQLite and PostgreSQL (`any_db`).

What the load corpus relies on: a chunk is written whole or not at all, rows that name an
existing key (stories seen again, a fixture analysis written twice) replace the stored one,
and id prefixes are counted literally (`_` and `%` are not wildcards).
"""

from __future__ import annotations

from typing import Any

import pytest

from storage.bulk import (
    BulkRows,
    bulk_load_mode,
    count_documents_with_prefix,
    document_hash_and_time,
    write_bulk_chunk,
    write_fixture_analysis,
)
from storage.dialect import INTEGRITY_ERRORS, is_postgres

DAY = "2026-11-20T09:00:00+00:00"


def chunk(*ids: str, story_size: int = 1) -> BulkRows:
    """One generated chunk in the layouts of `write_bulk_chunk`."""
    return {
        "documents": [(i, "syn-bron", "news", f"https://syn.example/{i}", f"Titel {i}",
                       f"Tekst {i}.", DAY, DAY, DAY, None, None, None, f"hash-{i}")
                      for i in ids],
        "scores": [(i, -1, "negatief", 0.8, 0.15, 0.05, f"hash-{i}", DAY) for i in ids],
        "sentences": [(i, 0, f"Tekst {i}.", 0, 8) for i in ids],
        "topics": [(i, "verkeer", 0.9) for i in ids],
        "places": [(i, "GM0505", "Dordrecht", "gemeente", 51.8, 4.7, 2) for i in ids],
        "stories": [("story-1", "Verkeer", DAY, DAY, story_size)],
        "document_stories": [(i, "story-1") for i in ids],
        "watch_scores": [(1, i, 1, "negatief", 0.8, 0.15, 0.05) for i in ids],
    }


def count(db: Any, table: str) -> int:
    return int(db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_a_chunk_is_written_whole_and_prefixes_count_literally(any_db: Any) -> None:
    write_bulk_chunk(any_db, chunk("syn_1", "syn_2", "synX3"), "model", "1")
    for table in ("documents", "scores", "sentences", "topics", "places", "document_stories",
                  "watch_scores"):
        assert count(any_db, table) == 3, table
    assert count_documents_with_prefix(any_db, "syn_") == 2  # not synX3: `_` is literal
    assert count_documents_with_prefix(any_db, "SYN") == 3  # as SQLite's LIKE: any case
    assert count_documents_with_prefix(any_db, "syn%") == 0
    assert document_hash_and_time(any_db, "syn_1") == ("hash-syn_1", DAY)
    assert document_hash_and_time(any_db, "missing") is None
    model = any_db.execute("SELECT model_name, model_version FROM scores").fetchall()
    assert set(model) == {("model", "1")}


def test_a_story_seen_again_is_replaced_and_a_failed_chunk_leaves_nothing(any_db: Any) -> None:
    write_bulk_chunk(any_db, chunk("syn-1"), "model", "1")
    write_bulk_chunk(any_db, chunk("syn-2", "syn-3", story_size=3), "model", "1")
    assert any_db.execute("SELECT size FROM stories").fetchall() == [(3,)]
    with pytest.raises(INTEGRITY_ERRORS):  # syn-3 is stored already
        write_bulk_chunk(any_db, chunk("syn-4", "syn-3"), "model", "1")
    assert not any_db.conn.in_transaction
    assert count(any_db, "documents") == 3
    assert document_hash_and_time(any_db, "syn-4") is None
    assert count(any_db, "scores") == 3


def test_a_fixture_analysis_written_twice_replaces_the_first(any_db: Any) -> None:
    write_bulk_chunk(any_db, chunk("syn-1"), "model", "1")
    again: BulkRows = {
        "scores": [("syn-1", -1, "positief", 0.1, 0.2, 0.7, "hash-syn-1", DAY)],
        "sentences": [("syn-1", 0, "Anders.", 0, 7), ("syn-1", 1, "Nieuw.", 8, 14)],
        "topics": [("syn-1", "verkeer", 0.4)],
        "places": [("syn-1", "GM0505", "Dordrecht", "gemeente", None, None, 5)],
        "watch_scores": [(1, "syn-1", 4, "positief", 0.1, 0.2, 0.7)],
    }
    write_fixture_analysis(any_db, "syn-1", again, "fixture", "2")
    assert any_db.execute("SELECT label, p_pos, model_name FROM scores").fetchall() == [
        ("positief", 0.7, "fixture")]
    assert any_db.execute('SELECT idx, text, "end" FROM sentences ORDER BY idx').fetchall() == [
        (0, "Anders.", 7), (1, "Nieuw.", 14)]
    assert any_db.execute("SELECT score, model_name FROM topics").fetchall() == [
        (0.4, "fixture")]
    assert any_db.execute("SELECT lat, mentions FROM places").fetchall() == [(None, 5)]
    assert any_db.execute("SELECT mentions, label, model_version FROM watch_scores"
                          ).fetchall() == [(4, "positief", "2")]


def test_bulk_load_mode_relaxes_sqlite_only_and_restores_it(any_db: Any) -> None:
    with bulk_load_mode(any_db):
        write_bulk_chunk(any_db, chunk("syn-1"), "model", "1")
        if not is_postgres(any_db):
            assert any_db.execute("PRAGMA synchronous").fetchone()[0] == 0  # OFF
    if not is_postgres(any_db):
        assert any_db.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
    assert count(any_db, "documents") == 1
