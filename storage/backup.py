"""Online backups of the SQLite store and their verification (owned by the scheduler area).

`sqlite3.Connection.backup` copies a consistent snapshot page by page while crawlers and
the scorer keep writing (WAL content included), which a plain file copy cannot promise.
Rotation and naming live in `jobs.backup`; only the SQLite calls are here.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

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
        dst = sqlite3.connect(str(target))
    except sqlite3.Error as exc:
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
