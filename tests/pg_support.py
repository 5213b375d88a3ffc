"""A real PostgreSQL server for the tests (issue 16), started once per test session.

The server is `devtools.postgres.PgServer` (the benchmarks start the same one); the tests'
variant adds a role that must log in with a password over TCP (tests of a wrong password)
and one template database, migrated once; each test gets its own database copied from it
(`CREATE DATABASE … TEMPLATE …`, a file copy: milliseconds, no migrations per test).

`make postgres` installs Debian's postgresql-15 when it is missing.
"""

from __future__ import annotations

import atexit
import shutil
from typing import Any

from devtools import postgres

PASSWORD_USER = "newsroom_pw"
"""A role that must log in with a password over TCP (tests of a wrong password)."""
PASSWORD = "juist-wachtwoord"
TEMPLATE = "newsroom_template"
TEST_SETTINGS = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "200",
}
"""Fast and disposable; room for the connections of many tests and their threads."""


class PgServer(postgres.PgServer):
    """The test session's server: trust for the superuser, a password for PASSWORD_USER."""

    def __init__(self) -> None:
        super().__init__(TEST_SETTINGS)

    def initialise(self) -> None:
        super().initialise()
        hba = (
            "local all all trust\n"
            f"host all {PASSWORD_USER} 127.0.0.1/32 scram-sha-256\n"
            "host all all 127.0.0.1/32 trust\n"
        )
        hba_path = self.data / "pg_hba.conf"
        hba_path.write_text(hba)  # root may write into postgres' folder; keep postgres owner
        if self.as_postgres:
            shutil.chown(hba_path, user="postgres", group="postgres")

    def start(self) -> PgServer:
        super().start()
        atexit.register(self.close, "immediate")
        with self.admin() as conn:
            conn.execute(f"CREATE ROLE {PASSWORD_USER} LOGIN SUPERUSER PASSWORD '{PASSWORD}'")
        return self

    def password_url(self, dbname: str, password: str = PASSWORD) -> str:
        return f"postgresql://{PASSWORD_USER}:{password}@127.0.0.1:{self.port}/{dbname}"

    def make_template(self) -> str:
        """Create and migrate the template database once (storage.db.open_db)."""
        from storage.db import open_db

        self.create_database(TEMPLATE)
        open_db(self.url(TEMPLATE)).close()
        return TEMPLATE


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
