"""A throw-away PostgreSQL server: the one the tests start once per session
(tests/pg_support.py) and the one the benchmarks and the fault tests start per run
(bench/cluster.py, bench/storage_engines.py).

initdb + pg_ctl in a fresh temporary folder, listening on a unix socket in that folder and
on a free 127.0.0.1 port, trust authentication for the superuser. PostgreSQL refuses to run
as root, so when we are root the server runs as user `postgres` (via `runuser`) in a folder
that user owns (a folder inside root's private temp folder could not be entered). The data
stays until `close`, so `restart` is a fast shutdown and a start on the same port and data:
what a database host's reboot or a failover looks like to the workers.

`make postgres` installs Debian's postgresql-15 when it is missing.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

import psycopg

from newsroom.demo.ports import free_port
from storage.pg_admin import create_database, drop_database

SUPERUSER = "postgres"

FAST_SETTINGS: Mapping[str, str] = {
    "fsync": "off",
    "full_page_writes": "off",
    "shared_buffers": "256MB",
    "max_connections": "100",
}
"""Server settings for a server whose data may be lost (no fsync): the benchmarks' default."""


def pg_bindir() -> Path:
    """Where initdb and pg_ctl are: NEWSROOM_PG_BIN, Debian's /usr/lib/postgresql/<n>/bin
    (newest first; `make postgres` installs 15), or the PATH."""
    candidates = [Path(os.environ["NEWSROOM_PG_BIN"])] if os.environ.get("NEWSROOM_PG_BIN") \
        else sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    for candidate in candidates:
        if (candidate / "initdb").exists() and (candidate / "pg_ctl").exists():
            return candidate
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).parent
    raise RuntimeError("PostgreSQL is not installed: run `make postgres` (apt-get install "
                       "postgresql-15)")


def postgres_available() -> bool:
    try:
        pg_bindir()
    except RuntimeError:
        return False
    return True


class PgServer:
    """One throw-away PostgreSQL cluster: `start`, then databases on it, then `close`.

    `settings` are the server's `-c name=value` options (FAST_SETTINGS by default).
    """

    def __init__(self, settings: Mapping[str, str] = FAST_SETTINGS) -> None:
        self.bindir = pg_bindir()
        self.settings = dict(settings)
        self.folder = Path(tempfile.mkdtemp(prefix="newsroom-pg-"))
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        self.port = free_port()
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            shutil.chown(self.folder, "postgres", "postgres")
        self._names = itertools.count(1)

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> PgServer:
        """Create the cluster (the first time) and start the server; returns the server."""
        if not self.data.exists():
            self.initialise()
        options = " ".join(
            [f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1",
             *(f"-c {name}={value}" for name, value in self.settings.items())])
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w",
                  "-t", "60", "start")
        return self

    def initialise(self) -> None:
        """initdb: a UTF-8 cluster with the byte-order "C" locale, trust for local logins."""
        self._run("initdb", "-D", str(self.data), "-U", SUPERUSER, "--auth=trust",
                  "--encoding=UTF8", "--locale=C", "--no-sync")

    def stop(self, mode: str = "fast") -> None:
        """Stop the server, keeping its data (`mode`: pg_ctl's smart, fast or immediate)."""
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def restart(self) -> None:
        self.stop()
        self.start()

    def close(self, mode: str = "fast") -> None:
        """Stop the server and remove its folder (also when stopping fails)."""
        try:
            self.stop(mode)
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    # -- databases -------------------------------------------------------------------------
    def url(self, database: str = "postgres") -> str:
        """A TCP URL for `database` (trust authentication for the superuser)."""
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def admin(self) -> psycopg.Connection:
        """A superuser connection (autocommit) to the `postgres` database."""
        return psycopg.connect(self.url(), autocommit=True)

    def create_database(self, name: str | None = None, template: str | None = None) -> str:
        """A new database, empty or copied from `template`; returns its name (one made up
        from the process id and a counter when `name` is None)."""
        name = name or f"test_{os.getpid()}_{next(self._names)}"
        create_database(self.url(), name, template=template)
        return name

    def drop_database(self, name: str) -> None:
        """Drop `name` if it exists, closing any connection still open to it."""
        drop_database(self.url(), name)

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bindir / program), *args]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120,
                              cwd=self.folder, check=False)
        if done.returncode != 0:
            tail = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"{program} failed ({done.returncode}): "
                               f"{done.stderr.strip() or done.stdout.strip()}\n{tail}")
