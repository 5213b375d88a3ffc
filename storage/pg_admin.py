"""PostgreSQL server administration our own tooling needs: a fresh database on a server, and
which server process serves a connection.

The scale benchmark and the fault test start a throw-away PostgreSQL server
(`bench.cluster.PgServer`) and give each run its own database; creating one is SQL, so it
lives here. The name is checked (letters, digits, underscore), never quoted user input.
"""

from __future__ import annotations

import re
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from storage.dialect import engine

_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def create_database(server_url: str, name: str, *, pristine: bool = False) -> None:
    """CREATE DATABASE `name` on the server `server_url` points at (any database there).

    `pristine`: copied from `template0` (nothing a site added to `template1`), UTF8 with
    the "C" locale, so a backup restored into it comes back exactly as it was dumped (our
    TEXT columns carry the "C" collation themselves). The role needs CREATEDB.
    Raises ValueError for a name that is not a plain lower-case identifier.
    """
    if not _NAME.match(name):
        raise ValueError(f"database name must be a plain identifier, not {name!r}")
    clause = (" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"
              if pristine else "")
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}{clause}")  # type: ignore[arg-type]


def drop_database(server_url: str, name: str) -> None:
    """DROP DATABASE `name` (if it exists), ending any session still connected to it.

    `server_url` must point at another database of the same server."""
    if not _NAME.match(name):
        raise ValueError(f"database name must be a plain identifier, not {name!r}")
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")  # type: ignore[arg-type]


def url_for_database(url: str, name: str) -> str:
    """The connection string of `url` (host, port, user, password) for database `name`.

    >>> url_for_database("postgresql://nr:pw@db.example:5432/newsroom", "scratch")
    'user=nr password=pw dbname=scratch host=db.example port=5432'
    """
    params = conninfo_to_dict(url)
    params["dbname"] = name
    return make_conninfo("", **{key: value for key, value in params.items()
                                if value is not None})


def backend_pid(db: Any) -> int | None:
    """The process id of the PostgreSQL server process serving this connection (None on
    SQLite, which runs inside our own process). The storage benchmark reads that process's
    CPU time, which, unlike wall time, does not grow when other work crowds the machine."""
    if engine(db) != "postgresql":
        return None
    return int(db.execute("SELECT pg_backend_pid()").fetchone()[0])
