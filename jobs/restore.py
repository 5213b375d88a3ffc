"""`newsroom backup restore FILE`: put a backup back, checked first, never by accident.

A restore replaces every document, score and note in the store with the backup's, so it
checks the backup (SQLite integrity check, and that it is a newsroom database) before it
touches anything, and refuses to overwrite a database that has data unless `force` is set.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from storage.backup import (
    BackupError,
    integrity_problems,
    pg_dump_problems,
    pg_restore_database,
    restore_database,
    table_counts,
)
from storage.db import open_db
from storage.documents import count_documents

logger = logging.getLogger(__name__)


class RestoreRefused(BackupError):
    """The restore would overwrite a database with data; the message says how to proceed."""


@dataclass(frozen=True)
class RestoreResult:
    documents: int
    replaced_documents: int | None
    """Documents the database held before (None when there was no database)."""


def restore_backup(backup: Path, target: Path, force: bool = False) -> RestoreResult:
    """Check `backup` and copy it into the database at `target`; see the module docstring."""
    if not backup.is_file():
        raise BackupError(f"Backup {backup} does not exist.")
    problems = integrity_problems(backup)
    if problems:
        raise BackupError(f"Backup {backup} is damaged ({'; '.join(problems[:3])}); "
                          "choose another backup.")
    counts = table_counts(backup, ("documents", "schema_migrations"))
    if "documents" not in counts or "schema_migrations" not in counts:
        raise BackupError(f"{backup} is not a newsroom database (no documents table).")
    replaced = _documents_in(target)
    if replaced is not None and not force:
        raise RestoreRefused(
            f"The database {target} exists and holds {replaced} documents; a restore "
            "replaces all of it. Stop the scheduler and dashboard, then run the command "
            "again with --force."
        )
    restore_database(backup, target)
    documents = _documents_after_restore(target)
    logger.warning("restored %s (%s documents) into %s", backup, documents, target)
    return RestoreResult(documents=documents, replaced_documents=replaced)


def _documents_in(target: Path) -> int | None:
    """Documents in the database at `target`; None when there is no database there."""
    if not target.exists() or target.stat().st_size == 0:
        return None
    try:
        return table_counts(target, ("documents",)).get("documents", 0)
    except sqlite3.DatabaseError:
        return 0  # a file that is no database: still something --force must confirm


def restore_pg_backup(dump: Path, url: str, force: bool = False) -> RestoreResult:
    """PostgreSQL (`[storage] url`): check the `pg_dump` archive `dump` and restore it into
    the database at `url` in one transaction; refused over documents unless `force`."""
    if not dump.is_file():
        raise BackupError(f"Backup {dump} does not exist.")
    problems = pg_dump_problems(dump)
    if problems:
        raise BackupError(f"{dump} cannot be restored into PostgreSQL ({'; '.join(problems[:2])})"
                          "; choose a newsroom-….dump file written by the backup job.")
    db = open_db(url)
    try:
        replaced = count_documents(db)
    finally:
        db.conn.close()
    if replaced and not force:
        raise RestoreRefused(
            f"The PostgreSQL database holds {replaced} documents; a restore replaces all of "
            "it. Stop the scheduler, workers and dashboard, then run the command again with "
            "--force."
        )
    pg_restore_database(dump, url)
    documents = _documents_after_restore(url)
    logger.warning("restored %s (%s documents) into PostgreSQL", dump, documents)
    return RestoreResult(documents=documents, replaced_documents=replaced)


def _documents_after_restore(target: str | Path) -> int:
    """Open the restored store (which migrates one written by an older version) and count it."""
    db = open_db(target)
    try:
        return count_documents(db)
    finally:
        db.conn.close()
