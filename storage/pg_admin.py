"""PostgreSQL server administration our own tooling needs: a fresh database on a server (or
one dropped), and which server process serves a connection.

The tests, the benchmarks and the fault test start a throw-away PostgreSQL server
(`devtools.postgres.PgServer`) and give each test or run its own database; creating one is
SQL, so it lives here. Names are checked (letters, digits, underscore), never quoted user
input.
"""

from __future__ import annotations

import re
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from storage.dialect import engine

_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def create_database(server_url: str, name: str, template: str | None = None, *,
                    pristine: bool = False) -> None:
    """CREATE DATABASE `name` on the server `server_url` points at (any database there), a
    copy of the database `template` when given (a file copy: no migrations to run again).

    `pristine`: copied from `template0` (nothing a site added to `template1`), UTF8 with
    the "C" locale, so a backup restored into it comes back exactly as it was dumped (our
    TEXT columns carry the "C" collation themselves). The role needs CREATEDB.
    Raises ValueError for a name that is not a plain lower-case identifier, or for both a
    template and `pristine`.
    """
    if template and pristine:
        raise ValueError("a database is copied from a template or pristine, not both")
    clause = f" TEMPLATE {_checked(template)}" if template else ""
    if pristine:
        clause = " TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"
    _run(server_url, f"CREATE DATABASE {_checked(name)}{clause}")


def drop_database(server_url: str, name: str) -> None:
    """DROP DATABASE `name` (if it exists), ending any session still connected to it.

    `server_url` must point at another database of the same server."""
    _run(server_url, f"DROP DATABASE IF EXISTS {_checked(name)} WITH (FORCE)")


def url_for_database(url: str, name: str) -> str:
    """The connection string of `url` (host, port, user, password) for database `name`.

    >>> url_for_database("postgresql://nr:pw@db.example:5432/newsroom", "scratch")
    'user=nr password=pw dbname=scratch host=db.example port=5432'
    """
    params = conninfo_to_dict(url)
    params["dbname"] = name
    return make_conninfo("", **{key: value for key, value in params.items()
                                if value is not None})


def _run(server_url: str, statement: str) -> None:
    """One statement outside a transaction (CREATE/DROP DATABASE cannot run inside one)."""
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(statement)  # type: ignore[arg-type]


def _checked(name: str) -> str:
    if not _NAME.match(name):
        raise ValueError(f"database name must be a plain identifier, not {name!r}")
    return name


def backend_pid(db: Any) -> int | None:
    """The process id of the PostgreSQL server process serving this connection (None on
    SQLite, which runs inside our own process). The storage benchmark reads that process's
    CPU time, which, unlike wall time, does not grow when other work crowds the machine."""
    if engine(db) != "postgresql":
        return None
    return int(db.execute("SELECT pg_backend_pid()").fetchone()[0])
