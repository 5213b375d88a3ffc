"""The few places where SQLite and PostgreSQL truly differ, each named once (issue 16).

Every other query is portable SQL (docs: PG_DESIGN "Portable SQL rules"). A helper here
takes the database (`Database` or `storage.pg.PgDatabase`) or its `conn`
and returns the SQL fragment or the value for that engine; each is tested on both.

Errors: catch `INTEGRITY_ERRORS` / `OPERATIONAL_ERRORS` / `DATABASE_ERRORS` (tuples holding
the sqlite3 and the psycopg class) instead of `sqlite3.IntegrityError` and friends. They are
plain tuples, so `except dialect.INTEGRITY_ERRORS:` works whatever the engine; the
`integrity_errors(db)` style functions exist for readers who prefer to name the database.
Mind that on PostgreSQL an error inside a transaction aborts the whole transaction: to go on
after an expected error (a duplicate key), wrap that statement in `savepoint(conn)` (on SQLite
it is a real SAVEPOINT too), or better use `INSERT … ON CONFLICT`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

import psycopg

from storage.migrations_workers import MARKED_TABLES
from storage.pg import PgConnection, PgDatabase

Engine = Literal["sqlite", "postgresql"]

INTEGRITY_ERRORS: tuple[type[Exception], ...] = (sqlite3.IntegrityError, psycopg.IntegrityError)
"""A unique, not-null, foreign-key or check constraint refused a write."""
OPERATIONAL_ERRORS: tuple[type[Exception], ...] = (
    sqlite3.OperationalError, psycopg.OperationalError)
"""The database is locked/unreachable, a lock or statement timed out, a disk is full."""
DATABASE_ERRORS: tuple[type[Exception], ...] = (sqlite3.Error, psycopg.Error)
"""Any error raised by either driver."""


def engine(db: Any) -> Engine:
    """`"postgresql"` for a PgDatabase (or its conn), `"sqlite"` for everything else."""
    return "postgresql" if isinstance(db, PgDatabase | PgConnection) else "sqlite"


def is_postgres(db: Any) -> bool:
    return engine(db) == "postgresql"


def integrity_errors(db: Any = None) -> tuple[type[Exception], ...]:
    return INTEGRITY_ERRORS


def operational_errors(db: Any = None) -> tuple[type[Exception], ...]:
    return OPERATIONAL_ERRORS


def database_errors(db: Any = None) -> tuple[type[Exception], ...]:
    return DATABASE_ERRORS


def group_concat(db: Any, expr: str, separator: str = ", ") -> str:
    """Aggregate strings: `group_concat(x, sep)` on SQLite, `string_agg(x, sep)` on PG.

    The separator is a fixed string from our code (never user input); quotes are doubled.
    """
    sep = "'" + separator.replace("'", "''") + "'"
    if is_postgres(db):
        return f"string_agg(CAST({expr} AS TEXT), {sep})"
    return f"group_concat({expr}, {sep})"


def greatest(db: Any, *exprs: str) -> str:
    """Largest of several values in one row: SQLite's scalar `max(a, b)`, PG's `GREATEST`."""
    return f"{'GREATEST' if is_postgres(db) else 'max'}({', '.join(exprs)})"


def least(db: Any, *exprs: str) -> str:
    """Smallest of several values in one row: SQLite's scalar `min(a, b)`, PG's `LEAST`."""
    return f"{'LEAST' if is_postgres(db) else 'min'}({', '.join(exprs)})"


def round_to(db: Any, expr: str, digits: int) -> str:
    """`round(x, n)`: PG only rounds `numeric`, so cast there (the value reads back as float)."""
    if is_postgres(db):
        return f"CAST(round(CAST({expr} AS NUMERIC), {int(digits)}) AS DOUBLE PRECISION)"
    return f"round({expr}, {int(digits)})"


def count_if(condition: str) -> str:
    """How many rows meet `condition`, counted as SQLite's `sum(condition)` counts them.

    Why: PostgreSQL cannot sum a boolean, so the condition is cast to 1/0 first. As with
    SQLite's `sum(condition)`, a row where the condition is NULL (an unscored row, for a
    label test) adds nothing, and the count is NULL when no row has a true or false value
    (wrap it in `coalesce(..., 0)` where a zero is meant). The one place every count of
    rows by a condition goes through, on both engines.
    """
    return f"sum(CAST(({condition}) AS INTEGER))"


@contextmanager
def savepoint(conn: Any, name: str = "dialect_sp") -> Iterator[None]:
    """Undo only the statements inside when they fail, keeping the outer transaction usable.

    Needed on PostgreSQL, where any error otherwise aborts the enclosing transaction; the
    exception still propagates, so the caller decides what the error means.
    """
    conn.execute(f"SAVEPOINT {name}")
    try:
        yield
    except BaseException:
        conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
        conn.execute(f"RELEASE SAVEPOINT {name}")
        raise
    conn.execute(f"RELEASE SAVEPOINT {name}")


def sqlite_maintenance(db: Any, *statements: str) -> bool:
    """Run SQLite-only maintenance (PRAGMA, VACUUM, FTS5 'optimize'); a no-op on PostgreSQL.

    Returns whether the statements ran. PostgreSQL's autovacuum does this work itself.
    """
    if is_postgres(db):
        return False
    for statement in statements:
        db.execute(statement)
    return True


def lock_for_write(conn: Any, key: str) -> None:
    """Serialise writers of one logical row (say a document id) until the transaction ends.

    SQLite's `BEGIN IMMEDIATE` already holds the one database write lock, so this does
    nothing there. PostgreSQL lets transactions run side by side: a transaction-scoped
    advisory lock on the key makes "read, then insert or update" as exclusive as on SQLite
    (two crawlers storing the same new article: one inserts, the other sees it, no error).
    """
    if is_postgres(conn):
        conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", [key])


def stream(conn: Any, sql: str, params: list[Any], name: str = "stream") -> Any:
    """A cursor that fetches rows in batches (`fetchmany`) instead of all at once.

    sqlite3 cursors already step through results. psycopg's ordinary cursor loads the whole
    result into memory, so on PostgreSQL this is a server-side cursor, which must live
    inside a transaction (the caller's BEGIN … COMMIT, as for a consistent export).
    """
    if is_postgres(conn):
        return conn.server_cursor(sql, params, name)
    return conn.execute(sql, params)


# --- read/view queries (pgviews) ---------------------------------------------------------


def week_start(db: Any, day_expr: str) -> str:
    """The Monday ('YYYY-MM-DD' text) of the week a 'YYYY-MM-DD' day falls in.

    SQLite: `date(day, '-6 days', 'weekday 1')`; PG: `date_trunc('week', …)` (its weeks
    start on Monday), written back as text so both engines group and return the same string.
    """
    if is_postgres(db):
        return f"to_char(date_trunc('week', CAST({day_expr} AS TIMESTAMP)), 'YYYY-MM-DD')"
    return f"date({day_expr}, '-6 days', 'weekday 1')"


def distinct_concat(db: Any, expr: str) -> str:
    """The distinct values of `expr`, comma-separated, in no particular order.

    SQLite allows DISTINCT only in the one-argument `group_concat` (separator ',').
    """
    if is_postgres(db):
        return f"string_agg(DISTINCT CAST({expr} AS TEXT), ',')"
    return f"group_concat(DISTINCT {expr})"


def sorted_concat(db: Any, expr: str, separator: str = ", ") -> str:
    """Aggregate strings in the order of `expr`.

    SQLite before 3.44 has no ORDER BY inside an aggregate; it concatenates in the order
    its input arrives, so the caller aggregates over a subquery sorted by `expr` (which
    PostgreSQL accepts too) and PG sorts inside `string_agg` as well.
    """
    sep = "'" + separator.replace("'", "''") + "'"
    if is_postgres(db):
        return f"string_agg(CAST({expr} AS TEXT), {sep} ORDER BY {expr})"
    return f"group_concat({expr}, {sep})"


def index_hint(db: Any, index: str) -> str:
    """SQLite's `INDEXED BY index` (a plan the SQLite planner would not pick); PG plans alone."""
    return "" if is_postgres(db) else f"INDEXED BY {index}"


def insert_mark(db: Any, table: str) -> str:
    """A query whose one value moves whenever rows are written to `table` (an O(1) read).

    SQLite: `max(rowid)`, an index lookup (rowids only grow, and a replaced row gets a new
    one). PostgreSQL has no rowid: migration 0110 gives each marked table a sequence that a
    statement-level trigger advances on every INSERT, UPDATE, DELETE or COPY
    (`storage.migrations_workers.WRITE_MARKS_PG`); reading it touches no row of the table.
    `table` must be one of `MARKED_TABLES`.
    """
    if table not in MARKED_TABLES:
        raise ValueError(f"{table} has no write mark; marked tables: {MARKED_TABLES}")
    if is_postgres(db):
        return (f"SELECT CASE WHEN is_called THEN last_value ELSE 0 END "
                f"FROM {table}_write_mark")
    return f"SELECT max(rowid) FROM {table}"


def lock_table(conn: Any, table: str) -> None:
    """Make writers of one table take turns until the transaction ends, as on SQLite.

    (Added by pgaccess for score leases, login throttling and bulk tags.) SQLite's
    `BEGIN IMMEDIATE` already holds the one database write lock, so this does nothing there.
    On PostgreSQL, `SHARE ROW EXCLUSIVE` conflicts with itself and with every other
    transaction's INSERT/UPDATE/DELETE on the table, but not with reads: taken first in a
    transaction, it makes "read, then write" exclusive and rules out deadlocks between two
    such writers that would otherwise lock the same rows in a different order. Must run
    inside a transaction; `table` is a name from our code, never input.
    """
    if is_postgres(conn):
        conn.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
