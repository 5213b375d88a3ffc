"""Loading a generated corpus into either engine as fast as it allows (the storage benchmark).

`bench/storage_engines.py` times the same queries on SQLite and PostgreSQL over the same
million generated documents, so both stores must be filled in minutes on two cores:
- SQLite: `storage.bulk.write_bulk_chunk` (executemany, one transaction per chunk, with
  `bulk_load_mode`'s relaxed durability), as the dashboard benchmark loads its corpus;
- PostgreSQL: `COPY … FROM STDIN` into every table, all chunks in ONE transaction, so a
  failed load leaves nothing behind. The search table is filled by the documents trigger,
  as it is for a crawled document.

The rows are those of `storage.bulk` (`BulkRows`), plus `sources` and `watches` rows with
explicit ids, so both engines get identical data without the per-row write paths.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from storage.bulk import BulkRows, bulk_load_mode, write_bulk_chunk
from storage.db import Database, transaction
from storage.dialect import engine

SOURCE_COLUMNS = ("id", "name", "kind", "type", "url", "updated_at")
WATCH_COLUMNS = ("id", "name", "query", "owner", "active", "created", "updated")

_COPY_COLUMNS: dict[str, tuple[str, ...]] = {
    "documents": ("id", "source_id", "kind", "url", "title", "text", "published", "fetched",
                  "first_seen", "author_pseudonym", "platform", "syndication_group",
                  "content_hash"),
    "scores": ("document_id", "sentence_idx", "label", "p_neg", "p_neu", "p_pos",
               "content_hash", "scored_at"),
    "sentences": ("document_id", "idx", "text", "start", '"end"'),
    "topics": ("document_id", "topic", "score"),
    "places": ("document_id", "cbs_code", "name", "level", "lat", "lon", "mentions"),
    "stories": ("id", "label", "first_seen", "last_seen", "size"),
    "document_stories": ("document_id", "story_id"),
    "watch_scores": ("watch_id", "document_id", "mentions", "label", "p_neg", "p_neu",
                     "p_pos"),
}
"""Columns of each `BulkRows` tuple, in order (the layouts `write_bulk_chunk` documents)."""
_MODEL_COLUMNS: dict[str, tuple[str, ...]] = {
    "documents": ("language", "fictional", "version"),
    "scores": ("model_name", "model_version"),
    "topics": ("model_name",),
    "watch_scores": ("model_name", "model_version"),
}
"""Constant columns appended to each row: the model that made the rows, or fixed values."""


def write_reference_rows(
    db: Database,
    sources: Sequence[tuple[Any, ...]],
    watches: Sequence[tuple[Any, ...]],
) -> None:
    """Store the corpus's sources (`SOURCE_COLUMNS`) and watches (`WATCH_COLUMNS`, explicit
    ids), in one transaction; a PostgreSQL identity sequence is moved past the watch ids."""
    marks = ", ".join("?" for _ in SOURCE_COLUMNS)
    watch_marks = ", ".join("?" for _ in WATCH_COLUMNS)
    with transaction(db) as conn:
        conn.executemany(
            f"INSERT INTO sources ({', '.join(SOURCE_COLUMNS)}) VALUES ({marks})", sources)
        conn.executemany(
            f"INSERT INTO watches ({', '.join(WATCH_COLUMNS)}) VALUES ({watch_marks})",
            watches)
        if engine(db) == "postgresql" and watches:
            conn.execute("SELECT setval(pg_get_serial_sequence('watches', 'id'), "
                         "(SELECT max(id) FROM watches))")


@contextmanager
def bulk_session(db: Database) -> Iterator[None]:
    """Around all `write_chunk` calls of one load: SQLite's relaxed durability; on
    PostgreSQL one transaction (committed at the end, rolled back on an error)."""
    if engine(db) == "sqlite":
        with bulk_load_mode(db):
            yield
        return
    db.conn.execute("BEGIN")
    try:
        yield
    except BaseException:
        db.conn.execute("ROLLBACK")
        raise
    db.conn.execute("COMMIT")
    db.conn.execute("ANALYZE")  # fresh statistics, as autovacuum would give after a while


def write_chunk(
    db: Database, rows: BulkRows, model_name: str, model_version: str
) -> None:
    """Write one chunk of generated rows (inside `bulk_session`)."""
    if engine(db) == "sqlite":
        write_bulk_chunk(db, rows, model_name, model_version)
        return
    constants: dict[str, tuple[Any, ...]] = {
        "documents": ("nl", 1, 1),
        "scores": (model_name, model_version),
        "topics": (model_name,),
        "watch_scores": (model_name, model_version),
    }
    raw = db.conn.raw  # type: ignore[union-attr]
    with raw.cursor() as cursor:
        for table, columns in _COPY_COLUMNS.items():
            extra = _MODEL_COLUMNS.get(table, ())
            tail = constants.get(table, ())
            names = ", ".join((*columns, *extra))
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows[table]:
                    copy.write_row((*row, *tail))


def abandon_transaction(db: Database) -> None:
    """Roll back what a failed statement left open (PostgreSQL refuses every later statement
    of a failed transaction until then); nothing when no transaction is open."""
    if db.conn.in_transaction:
        db.conn.execute("ROLLBACK")
