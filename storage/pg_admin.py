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

from storage.dialect import engine

_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def create_database(server_url: str, name: str) -> None:
    """CREATE DATABASE `name` on the server `server_url` points at (any database there).

    Raises ValueError for a name that is not a plain lower-case identifier.
    """
    if not _NAME.match(name):
        raise ValueError(f"database name must be a plain identifier, not {name!r}")
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")  # type: ignore[arg-type]


def backend_pid(db: Any) -> int | None:
    """The process id of the PostgreSQL server process serving this connection (None on
    SQLite, which runs inside our own process). The storage benchmark reads that process's
    CPU time, which, unlike wall time, does not grow when other work crowds the machine."""
    if engine(db) != "postgresql":
        return None
    return int(db.execute("SELECT pg_backend_pid()").fetchone()[0])
