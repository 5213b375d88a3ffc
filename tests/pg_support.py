"""A real PostgreSQL 15 server for the tests (issue 16), started once per test session.

initdb + pg_ctl in a fresh temporary folder, listening on a unix socket in that folder and
on a free 127.0.0.1 port. PostgreSQL refuses to run as root, so when the tests run as root
the server runs as user `postgres` (via `runuser`) in a folder that user owns. One template
database is migrated once; each test gets its own database copied from it
(`CREATE DATABASE … TEMPLATE …`, a file copy: milliseconds, no migrations per test).

`make postgres` installs Debian's postgresql-15 when it is missing.
"""

from __future__ import annotations

import atexit
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import psycopg

PG_BIN = Path(os.environ.get("NEWSROOM_PG_BIN", "/usr/lib/postgresql/15/bin"))
SUPERUSER = "postgres"
PASSWORD_USER = "newsroom_pw"
"""A role that must log in with a password over TCP (tests of a wrong password)."""
PASSWORD = "juist-wachtwoord"
TEMPLATE = "newsroom_template"


class PgServer:
    """One throw-away PostgreSQL cluster."""

    def __init__(self) -> None:
        if not (PG_BIN / "initdb").exists():
            raise RuntimeError(
                f"PostgreSQL 15 is not installed ({PG_BIN}/initdb missing): run `make postgres`."
            )
        self.root = Path(tempfile.mkdtemp(prefix="newsroom-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self._names = itertools.count(1)
        self._as_postgres = os.geteuid() == 0
        self.running = False

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> PgServer:
        if self._as_postgres:
            shutil.chown(self.root, user="postgres", group="postgres")
        self._run(str(PG_BIN / "initdb"), "-D", str(self.data), "-U", SUPERUSER,
                  "-E", "UTF8", "--locale=C", "--no-sync", "--auth=trust")
        hba = (
            "local all all trust\n"
            f"host all {PASSWORD_USER} 127.0.0.1/32 scram-sha-256\n"
            "host all all 127.0.0.1/32 trust\n"
        )
        hba_path = self.data / "pg_hba.conf"
        hba_path.write_text(hba)  # root may write into postgres' folder; keep postgres owner
        if self._as_postgres:
            shutil.chown(hba_path, user="postgres", group="postgres")
        options = (f"-k {self.root} -p {self.port} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                   "-c max_connections=200")
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l",
                  str(self.root / "server.log"), "-o", options, "-w", "-t", "60", "start")
        self.running = True
        atexit.register(self.stop)
        with self.admin() as conn:
            conn.execute(f"CREATE ROLE {PASSWORD_USER} LOGIN SUPERUSER PASSWORD '{PASSWORD}'")
        return self

    def stop(self) -> None:
        if self.running:
            self.running = False
            self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w",
                      "stop", check=False)
        shutil.rmtree(self.root, ignore_errors=True)

    # -- databases -------------------------------------------------------------------------
    def url(self, dbname: str = "postgres") -> str:
        """A TCP URL for `dbname` (trust authentication for the superuser)."""
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{dbname}"

    def password_url(self, dbname: str, password: str = PASSWORD) -> str:
        return f"postgresql://{PASSWORD_USER}:{password}@127.0.0.1:{self.port}/{dbname}"

    def admin(self) -> psycopg.Connection:
        return psycopg.connect(self.url("postgres"), autocommit=True)

    def create_database(self, template: str | None = None) -> str:
        """A new, empty (or template-copied) database; returns its name."""
        name = f"test_{os.getpid()}_{next(self._names)}"
        clause = f" TEMPLATE {template}" if template else ""
        with self.admin() as conn:
            conn.execute(f"CREATE DATABASE {name}{clause}")
        return name

    def drop_database(self, name: str) -> None:
        with self.admin() as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def make_template(self) -> str:
        """Create and migrate the template database once (storage.db.open_db)."""
        from storage.db import open_db

        with self.admin() as conn:
            conn.execute(f"CREATE DATABASE {TEMPLATE}")
        open_db(self.url(TEMPLATE)).close()
        return TEMPLATE

    def _run(self, *command: str, check: bool = True) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if self._as_postgres else []
        result = subprocess.run([*prefix, *command], capture_output=True, text=True,
                                cwd=self.root, check=False)
        if check and result.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise RuntimeError(f"{' '.join(command)} failed: {result.stderr}{result.stdout}{tail}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def db_target(db: object) -> str:
    """Where `db` lives (a PostgreSQL URL or a SQLite file path), to open more connections
    to it with `storage.db.open_db` (for tests of what two processes or threads see)."""
    from storage.pg import PgDatabase

    if isinstance(db, PgDatabase):
        return db.url
    return str(db.execute("PRAGMA database_list").fetchone()[2])  # type: ignore[attr-defined]


def reconnect(db: object) -> Any:
    """A second connection to the database `db` is open on (either engine)."""
    from storage.db import open_db

    return open_db(db_target(db), migrate=False)
