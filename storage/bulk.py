"""Bulk writes for generated corpora (the load corpus and fixture analyses), SQL only.

The generator (`newsroom.demo.synthetic`) builds rows as plain tuples; this module writes
them with `executemany` in one transaction per chunk. Rows bypass the scorer's API on
purpose: a million documents must load in minutes on two cores.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from storage.db import Database, transaction
from storage.dialect import sqlite_maintenance

BulkRows = dict[str, list[tuple[Any, ...]]]
"""Rows per table: documents, scores, sentences, topics, places, stories, document_stories,
watch_scores (the tuple layouts are those of `write_bulk_chunk`'s statements)."""

BULK_TABLES = ("documents", "scores", "sentences", "topics", "places",
               "stories", "document_stories", "watch_scores")


@contextmanager
def bulk_load_mode(db: Database) -> Iterator[None]:
    """Trade durability for speed while a corpus that can be regenerated is written.

    SQLite only (PRAGMAs); on PostgreSQL this changes nothing.
    """
    sqlite_maintenance(db, "PRAGMA synchronous = OFF", "PRAGMA cache_size = -262144")
    try:
        yield
    finally:
        sqlite_maintenance(db, "PRAGMA synchronous = NORMAL")


def count_documents_with_prefix(db: Database, prefix: str) -> int:
    """How many documents have an id starting with `prefix` (generated ids continue after)."""
    row = db.execute(
        "SELECT count(*) FROM documents WHERE lower(id) LIKE lower(?) ESCAPE '\\'",
        [prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"],
    ).fetchone()
    return int(row[0])


def write_bulk_chunk(
    db: Database, rows: BulkRows, model_name: str, model_version: str
) -> None:
    """Write one chunk of generated rows in one transaction (all of it, or none)."""
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        _write_chunk(conn, rows, model_name, model_version)
        conn.execute("COMMIT")
    except Exception:
        conn.execute("ROLLBACK")
        raise


def _write_chunk(conn: Any, rows: BulkRows, model_name: str, model_version: str) -> None:
    conn.executemany(
        "INSERT INTO documents (id, source_id, kind, url, title, text, published, fetched, "
        "first_seen, language, author_pseudonym, platform, syndication_group, fictional, "
        "content_hash, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'nl', ?, ?, ?, 1, ?, 1)",
        rows["documents"],
    )
    conn.executemany(
        "INSERT INTO scores (document_id, sentence_idx, label, p_neg, p_neu, p_pos, model_name, "
        "model_version, content_hash, scored_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(*row[:6], model_name, model_version, *row[6:]) for row in rows["scores"]],
    )
    conn.executemany(
        'INSERT INTO sentences (document_id, idx, text, start, "end") VALUES (?, ?, ?, ?, ?)',
        rows["sentences"],
    )
    conn.executemany(
        "INSERT INTO topics (document_id, topic, score, model_name) VALUES (?, ?, ?, ?)",
        [(*row, model_name) for row in rows["topics"]],
    )
    conn.executemany(
        "INSERT INTO places (document_id, cbs_code, name, level, lat, lon, mentions) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows["places"],
    )
    conn.executemany(_upsert("stories", ("id",), ("label", "first_seen", "last_seen", "size")),
                     rows["stories"])
    conn.executemany(_upsert("document_stories", ("document_id",), ("story_id",)),
                     rows["document_stories"])
    conn.executemany(_upsert("watch_scores", ("watch_id", "document_id"), _WATCH_SCORE_COLUMNS),
                     [(*row, model_name, model_version) for row in rows["watch_scores"]])


_WATCH_SCORE_COLUMNS = ("mentions", "label", "p_neg", "p_neu", "p_pos", "model_name",
                        "model_version")


def _upsert(table: str, keys: tuple[str, ...], columns: tuple[str, ...]) -> str:
    """`INSERT … ON CONFLICT (keys) DO UPDATE` setting every other column: what SQLite's
    `INSERT OR REPLACE` did for these tables (each insert names all their columns), in SQL
    both engines run. Names come from this module, never from input."""
    names = ", ".join(f'"{name}"' for name in (*keys, *columns))
    marks = ", ".join("?" for _ in (*keys, *columns))
    updates = ", ".join(f'"{name}" = excluded."{name}"' for name in columns)
    return (f"INSERT INTO {table} ({names}) VALUES ({marks}) "
            f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}")


def document_hash_and_time(
    db: Database, document_id: str
) -> tuple[str, str] | None:
    """(content_hash, published or first-seen time) of a stored document; None if absent."""
    row = db.execute(
        "SELECT content_hash, coalesce(published, first_seen) FROM documents WHERE id = ?",
        [document_id],
    ).fetchone()
    return (str(row[0]), str(row[1])) if row is not None else None


def write_fixture_analysis(
    db: Database,
    document_id: str,
    rows: BulkRows,
    model_name: str,
    model_version: str,
) -> None:
    """Add or replace one document's generated analysis rows, in one transaction.

    `rows` uses the layouts of `write_bulk_chunk` for scores, sentences, topics, places and
    watch_scores (other keys are ignored); what was stored for the same keys is replaced.
    """
    with transaction(db) as conn:
        conn.executemany(
            _upsert("scores", ("document_id", "sentence_idx"),
                    ("label", "p_neg", "p_neu", "p_pos", "model_name", "model_version",
                     "content_hash", "scored_at")),
            [(*row[:6], model_name, model_version, *row[6:]) for row in rows.get("scores", [])],
        )
        conn.executemany(_upsert("sentences", ("document_id", "idx"), ("text", "start", "end")),
                         rows.get("sentences", []))
        conn.executemany(_upsert("topics", ("document_id", "topic"), ("score", "model_name")),
                         [(*row, model_name) for row in rows.get("topics", [])])
        conn.executemany(
            _upsert("places", ("document_id", "cbs_code"),
                    ("name", "level", "lat", "lon", "mentions")),
            rows.get("places", []),
        )
        conn.executemany(
            _upsert("watch_scores", ("watch_id", "document_id"), _WATCH_SCORE_COLUMNS),
            [(*row, model_name, model_version) for row in rows.get("watch_scores", [])],
        )

