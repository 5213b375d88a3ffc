"""Opening the SQLite store: pragmas, migrations, and the errors a caller can act on.

Every process and every thread opens its own connection (`open_db`); a sqlite3 connection
must not be shared across threads, and WAL lets readers (the dashboard) run beside one writer
(a crawl or the scorer).
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import sqlite_utils

from core.records import utcnow
from storage.migrations import MIGRATIONS

logger = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 30_000


class StorageError(Exception):
    """The database cannot be opened or migrated; the message says what to do."""


def open_db(path: str | Path, *, migrate: bool = True) -> sqlite_utils.Database:
    """Open (and create or migrate) the newsroom database at `path`.

    `":memory:"` gives a private in-memory database, which the tests use.

    >>> db = open_db(":memory:")
    >>> "documents" in db.table_names()
    True
    """
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


def applied_migrations(db: sqlite_utils.Database) -> list[str]:
    """Names of the migrations this database has run, oldest first."""
    if "schema_migrations" not in db.table_names():
        return []
    return [row[0] for row in db.execute("SELECT name FROM schema_migrations ORDER BY rowid")]


def apply_migrations(db: sqlite_utils.Database) -> list[str]:
    """Run every migration this database has not seen yet, each in its own transaction.

    Returns the names that were applied. A failing migration is rolled back whole, so the
    database is never left half-migrated.
    """
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


def _split_statements(sql: str) -> list[str]:
    """Split a migration script into statements, keeping trigger bodies whole."""
    statements: list[str] = []
    buffer = ""
    for line in sql.splitlines(keepends=True):
        if line.strip().startswith("--") and not buffer.strip():
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements


def transaction(db: sqlite_utils.Database) -> _Transaction:
    """`with transaction(db): ...` — one atomic write, rolled back on any exception."""
    return _Transaction(db.conn)


class _Transaction:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.nested = False

    def __enter__(self) -> sqlite3.Connection:
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


def checkpoint(db: sqlite_utils.Database) -> None:
    """Fold the write-ahead log into the database file (before copying or renaming it)."""
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
