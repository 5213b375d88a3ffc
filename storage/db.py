"""Opening the store: pragmas, migrations, and the errors a caller can act on.

A path opens the embedded SQLite file (the default); a `postgresql://` URL opens PostgreSQL
through `storage.pg.PgDatabase`, which offers the same surface (issue 16, storage.pg_open).
Every process and every thread opens its own connection (`open_db`); a sqlite3 connection
must not be shared across threads, and WAL lets readers (the dashboard) run beside one writer
(a crawl or the scorer).
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import Any, TypeAlias, overload

import sqlite_utils

from core.records import utcnow
from storage.errors import StorageError
from storage.migrations import MIGRATIONS
from storage.migrations_pg import split_statements as _split_statements
from storage.pg import PgDatabase
from storage.pg_open import applied_pg_migrations, apply_pg_migrations, is_postgres_url, open_pg

logger = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 30_000

Database: TypeAlias = sqlite_utils.Database | PgDatabase
"""Either engine; storage code uses only the surface both offer (docs: PG_DESIGN)."""

__all__ = ["Database", "StorageError", "open_db", "apply_migrations", "applied_migrations",
           "transaction", "checkpoint", "MIGRATIONS"]


@overload
def open_db(path: Path, *, migrate: bool = True) -> sqlite_utils.Database: ...


@overload
def open_db(path: str | Path, *, migrate: bool = True) -> Any: ...


def open_db(path: str | Path, *, migrate: bool = True) -> Any:
    """Open (and create or migrate) the newsroom database at `path`, or at a PostgreSQL URL.

    `":memory:"` gives a private in-memory database, which the tests use. A string starting
    with `postgresql://` opens a `PgDatabase` (typed `Database`, loosely until every module's
    annotations say `Database`).

    >>> db = open_db(":memory:")
    >>> "documents" in db.table_names()
    True
    """
    if is_postgres_url(path):
        return open_pg(str(path), migrate=migrate, migrations=MIGRATIONS)
    return _open_sqlite(path, migrate=migrate)


def _open_sqlite(path: str | Path, *, migrate: bool) -> sqlite_utils.Database:
    if str(path) != ":memory:":
        target = Path(path)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(
                f"Cannot create the folder for the database {target}: {exc}. "
                "Set [storage] path in newsroom.toml to a writable location."
            ) from exc
    try:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.Error as exc:
        raise StorageError(f"Cannot open the database {path}: {exc}") from exc
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if str(path) != ":memory:":
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    db = sqlite_utils.Database(conn)
    if migrate:
        apply_migrations(db)
    return db


def applied_migrations(db: Database) -> list[str]:
    """Names of the migrations this database has run, oldest first."""
    if isinstance(db, PgDatabase):
        return applied_pg_migrations(db)
    if "schema_migrations" not in db.table_names():
        return []
    return [row[0] for row in db.execute("SELECT name FROM schema_migrations ORDER BY rowid")]


def apply_migrations(db: Database) -> list[str]:
    """Run every migration this database has not seen yet, each in its own transaction.

    Returns the names that were applied. A failing migration is rolled back whole, so the
    database is never left half-migrated.
    """
    if isinstance(db, PgDatabase):
        return apply_pg_migrations(db, MIGRATIONS)
    db.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT)"
    )
    done = set(applied_migrations(db))
    applied = []
    for name, sql in MIGRATIONS:
        if name in done:
            continue
        conn = db.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
            # A second process may have migrated while we waited for the write lock.
            if conn.execute("SELECT 1 FROM schema_migrations WHERE name = ?", [name]).fetchone():
                conn.execute("ROLLBACK")
                continue
            if callable(sql):
                sql(conn)
            else:
                for statement in _split_statements(sql):
                    conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)",
                [name, utcnow().isoformat()],
            )
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            conn.execute("ROLLBACK")
            raise StorageError(f"Migration {name} failed and was rolled back: {exc}") from exc
        logger.info("applied migration %s", name)
        applied.append(name)
    return applied


def transaction(db: Database) -> _Transaction:
    """`with transaction(db): ...` — one atomic write, rolled back on any exception.

    SQLite: BEGIN IMMEDIATE (the write lock at once). PostgreSQL: BEGIN (read committed);
    a COMMIT after an error that the block swallowed raises instead of silently rolling back.
    """
    return _Transaction(db.conn)


class _Transaction:
    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.nested = False

    def __enter__(self) -> Any:
        self.nested = self.conn.in_transaction
        if not self.nested:
            self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if self.nested:
            return
        if exc_type is None:
            self.conn.execute("COMMIT")
        else:
            self.conn.execute("ROLLBACK")


def checkpoint(db: Database) -> None:
    """Fold the write-ahead log into the database file (before copying or renaming it).

    A no-op on PostgreSQL, whose server owns its write-ahead log."""
    if isinstance(db, PgDatabase):
        return
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
