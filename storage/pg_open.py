"""Opening and migrating a PostgreSQL store (`[storage] url = "postgresql://…"`, issue 16).

Kept apart from storage.db (the SQLite opener and the shared entry point `open_db`) so that
each stays short. Every message is free of the password in the URL: connection errors are
re-raised as `StorageError` with the URL redacted and without the driver's exception chained
(libpq may echo the connection string it could not parse).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any
from urllib.parse import unquote, urlsplit

import psycopg

from core.records import utcnow
from storage.errors import StorageError
from storage.migrations_pg import MigrationTranslationError, pg_migrations
from storage.pg import PgDatabase, redact_url

logger = logging.getLogger(__name__)

MIGRATION_LOCK = 0x6E6577_16
"""pg_advisory_lock key held while migrating: a second process waits, then finds the
migrations done (the in-transaction re-check below), so none runs twice."""

SCHEMA_MIGRATIONS_PG = (
    "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT, "
    "seq BIGINT GENERATED ALWAYS AS IDENTITY)"
)
"""As on SQLite, plus `seq`: PostgreSQL has no rowid to order the applied names by."""


def is_postgres_url(target: object) -> bool:
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def open_pg(url: str, *, migrate: bool = True,
            migrations: Sequence[tuple[str, Any]] = ()) -> PgDatabase:
    """Connect to the PostgreSQL database at `url` and (by default) migrate it."""
    try:
        db = PgDatabase(url)
    except psycopg.Error as exc:
        reason = _without_secrets(str(exc).strip(), url)
        raise StorageError(
            f"Cannot connect to the PostgreSQL database {redact_url(url)}: {reason}. "
            "Check [storage] url in newsroom.toml and that the server is running."
        ) from None
    if migrate:
        try:
            apply_pg_migrations(db, migrations)
        except BaseException:
            db.close()
            raise
    return db


def applied_pg_migrations(db: PgDatabase) -> list[str]:
    if "schema_migrations" not in db.table_names():
        return []
    return [row[0] for row in db.execute("SELECT name FROM schema_migrations ORDER BY seq")]


def apply_pg_migrations(db: PgDatabase, migrations: Sequence[tuple[str, Any]]) -> list[str]:
    """Run the migrations this database has not seen, each in its own transaction.

    A session-level advisory lock serialises migrating processes (PostgreSQL's own
    `CREATE TABLE IF NOT EXISTS` is not safe against a concurrent twin).
    """
    raw = db.conn.raw
    try:
        translated = pg_migrations(migrations)
    except MigrationTranslationError as exc:
        raise StorageError(str(exc)) from exc
    raw.execute("SELECT pg_advisory_lock(%s)", [MIGRATION_LOCK])
    try:
        raw.execute(SCHEMA_MIGRATIONS_PG)
        done = set(applied_pg_migrations(db))
        return [name for name, body in translated
                if name not in done and _apply_one(db, name, body)]
    finally:
        if not raw.closed:
            raw.execute("SELECT pg_advisory_unlock(%s)", [MIGRATION_LOCK])


def _apply_one(db: PgDatabase, name: str, body: Any) -> bool:
    raw = db.conn.raw
    try:
        raw.execute("BEGIN")
        if raw.execute("SELECT 1 FROM schema_migrations WHERE name = %s", [name]).fetchone():
            raw.execute("ROLLBACK")
            return False
        if callable(body):
            body(db.conn)
        else:
            raw.execute(body)
        raw.execute("INSERT INTO schema_migrations (name, applied_at) VALUES (%s, %s)",
                    [name, utcnow().isoformat()])
        raw.execute("COMMIT")
    except (psycopg.Error, MigrationTranslationError) as exc:
        if not raw.closed:
            raw.execute("ROLLBACK")
        raise StorageError(f"Migration {name} failed and was rolled back: {exc}") from exc
    logger.info("applied migration %s on PostgreSQL", name)
    return True


def _without_secrets(message: str, url: str) -> str:
    """The driver's message with the URL's password (if any) masked wherever it appears."""
    try:
        password = urlsplit(url).password
    except ValueError:
        password = None
    message = redact_url(message.replace(url, redact_url(url)))
    for secret in {password, unquote(password) if password else None} - {None, ""}:
        message = message.replace(str(secret), "***")
    return message
