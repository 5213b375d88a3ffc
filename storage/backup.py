"""Online backups of the store and their verification (owned by the scheduler area).

SQLite: `sqlite3.Connection.backup` copies a consistent snapshot page by page while crawlers and
the scorer keep writing (WAL content included), which a plain file copy cannot promise.
Rotation and naming live in `jobs.backup`; only the SQLite calls are here.
PostgreSQL: `pg_dump_database` / `pg_restore_database` (custom format, at the end).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from storage.pg import redact_url

logger = logging.getLogger(__name__)

PAGES_PER_STEP = 1024
"""Copy in steps so a long backup lets writers in between (each step holds a read lock)."""


class BackupError(Exception):
    """A backup could not be written or its copy failed verification."""


def backup_database(source: str | Path, target: str | Path) -> None:
    """Copy the database at `source` into a new file `target` with the online backup API.

    The copy is switched to rollback-journal mode so it is one self-contained file that can
    be copied elsewhere or opened read-only without a -wal companion.
    """
    source_path = Path(source)
    if not source_path.is_file():
        raise BackupError(f"Database {source_path} does not exist; nothing to back up.")
    try:
        # A normal connection: a read-only one cannot open a WAL database whose -shm is gone.
        src = sqlite3.connect(str(source_path), timeout=30)
    except sqlite3.Error as exc:
        raise BackupError(f"Cannot open {source_path} for backup: {exc}") from exc
    try:
        # Created 0600 before SQLite opens it: a backup holds everything, secrets included,
        # so only the owner may read it (SQLite gives its journal the same mode).
        os.close(os.open(str(target), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
        os.chmod(target, 0o600)
        dst = sqlite3.connect(str(target))
    except (OSError, sqlite3.Error) as exc:
        src.close()
        raise BackupError(f"Cannot create backup file {target}: {exc}") from exc
    try:
        src.backup(dst, pages=PAGES_PER_STEP)
        dst.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.Error as exc:
        raise BackupError(f"Backup of {source_path} into {target} failed: {exc}") from exc
    finally:
        dst.close()
        src.close()


def restore_database(backup: str | Path, target: str | Path) -> None:
    """Copy a backup file into the database at `target`, page by page, through SQLite.

    Using the backup API in this direction (rather than copying the file) respects the
    target's locks and WAL: a reader that has it open sees the old or the new database,
    never a half-written file. The caller checks the backup's integrity first.
    """
    try:
        src = sqlite3.connect(f"file:{Path(backup)}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise BackupError(f"Cannot open backup {backup}: {exc}") from exc
    try:
        target_path = Path(target)
        if not target_path.exists():
            os.close(os.open(str(target_path), os.O_WRONLY | os.O_CREAT, 0o600))
        dst = sqlite3.connect(str(target_path), timeout=30)
    except (OSError, sqlite3.Error) as exc:
        src.close()
        raise BackupError(f"Cannot open the database {target} to restore into: {exc}") from exc
    try:
        src.backup(dst, pages=PAGES_PER_STEP)
    except sqlite3.Error as exc:
        raise BackupError(f"Restore of {backup} into {target} failed: {exc}") from exc
    finally:
        dst.close()
        src.close()


def integrity_problems(path: str | Path) -> list[str]:
    """Run PRAGMA integrity_check on a database file; an empty list means it is sound."""
    target = Path(path)
    if not target.is_file():
        return [f"{target} does not exist"]
    try:
        conn = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return [f"cannot open: {exc}"]
    try:
        rows = [str(row[0]) for row in conn.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as exc:
        return [f"not a usable SQLite database: {exc}"]
    finally:
        conn.close()
    return [] if rows == ["ok"] else rows


def table_counts(path: str | Path, tables: tuple[str, ...] = ("documents",)) -> dict[str, int]:
    """Row counts of some tables in a database file (to report what a backup holds)."""
    conn = sqlite3.connect(f"file:{Path(path)}?mode=ro", uri=True)
    try:
        known = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        return {
            table: int(conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])
            for table in tables
            if table in known
        }
    finally:
        conn.close()


# -- PostgreSQL (issue 16) --------------------------------------------------------------------
# A PostgreSQL store is backed up with the server's own tools: `pg_dump --format=custom`
# reads one consistent snapshot of the live database (writers go on) into one compressed
# file, and `pg_restore` puts it back. The same by hand:
#     pg_dump --format=custom --no-owner --no-privileges --file=newsroom.dump "$URL"
#     pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction \
#         --dbname="$URL" newsroom.dump
# The password never goes on a command line (other users can read those in `ps`): it is
# handed to the tools in PGPASSWORD.

PG_TOOL_DIRS = ("/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin",
                "/usr/lib/postgresql/17/bin")


def pg_dump_database(url: str, target: str | Path) -> None:
    """Write a custom-format `pg_dump` of the database at `url` into `target` (mode 0600)."""
    try:
        os.close(os.open(str(target), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
        os.chmod(target, 0o600)
    except OSError as exc:
        raise BackupError(f"Cannot create backup file {target}: {exc}") from exc
    _run_pg_tool("pg_dump", url, ["--format=custom", "--no-owner", "--no-privileges",
                                  f"--file={target}"], what=f"Backup into {target}")


def pg_restore_database(dump: str | Path, url: str) -> None:
    """Replace the contents of the database at `url` with the dump, in one transaction.

    `--clean --if-exists` drops what the dump holds before recreating it, and
    `--single-transaction` makes a failed restore leave the database as it was.
    """
    if not Path(dump).is_file():
        raise BackupError(f"Backup {dump} does not exist; nothing to restore.")
    _run_pg_tool("pg_restore", url, ["--clean", "--if-exists", "--no-owner", "--no-privileges",
                                     "--single-transaction", "--exit-on-error", str(dump)],
                 what=f"Restore of {dump}", dbname_flag=True)


def pg_dump_problems(dump: str | Path) -> list[str]:
    """Check that a file is a readable custom-format dump holding our documents table."""
    path = Path(dump)
    if not path.is_file():
        return [f"{path} does not exist"]
    result = subprocess.run([_pg_tool("pg_restore"), "--list", str(path)],
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        return [f"not a usable pg_dump archive: {result.stderr.strip()[:300]}"]
    if not re.search(r"TABLE DATA \S+ documents\b", result.stdout):
        return ["the archive holds no documents table"]
    return []


def _run_pg_tool(tool: str, url: str, args: list[str], *, what: str,
                 dbname_flag: bool = False) -> None:
    try:
        params = conninfo_to_dict(url)
    except psycopg.Error:
        raise BackupError(f"{what} failed: {redact_url(url)} is not a valid PostgreSQL URL; "
                          "check [storage] url in newsroom.toml.") from None
    password = params.pop("password", None)
    env = dict(os.environ)
    if password:
        env["PGPASSWORD"] = str(password)
    conninfo = make_conninfo("", **{k: v for k, v in params.items() if v is not None})
    command = [_pg_tool(tool), f"--dbname={conninfo}", *args]
    try:
        result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    except OSError as exc:
        raise BackupError(f"{what} failed: cannot run {tool}: {exc}") from exc
    if result.returncode != 0:
        message = result.stderr.strip()[-500:]
        if password:
            message = message.replace(str(password), "***")
        raise BackupError(f"{what} failed ({redact_url(url)}): {message}")


def _pg_tool(name: str) -> str:
    """The newest installed `pg_dump`/`pg_restore` (it must not be older than the server)."""
    for folder in reversed(PG_TOOL_DIRS):
        candidate = Path(folder) / name
        if candidate.is_file():
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed; install PostgreSQL's client tools "
                          "(Debian: apt-get install postgresql-client-15).")
    return found
