"""Nightly backup of the store: timestamped, verified, rotated.

A new copy is written under a temporary name, checked, and only then renamed into place;
only after that are the oldest copies removed, so a failing backup never costs a good one.
SQLite: an online copy of the file (`newsroom-….db`), checked with PRAGMA integrity_check.
PostgreSQL (`[storage] url`): a `pg_dump` archive (`newsroom-….dump`), checked by listing it
with `pg_restore --list`. Rotation and retention treat both kinds alike.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from core.config import Config
from core.records import utcnow
from storage.backup import (
    BackupError,
    backup_database,
    integrity_problems,
    pg_dump_database,
    pg_dump_problems,
    table_counts,
)
from storage.db import open_db
from storage.documents import count_documents
from storage.recovery import process_alive

logger = logging.getLogger(__name__)

BACKUP_PREFIX = "newsroom-"
BACKUP_SUFFIX = ".db"
DUMP_SUFFIX = ".dump"
"""A PostgreSQL store's backups are pg_dump archives (custom format)."""
_BACKUP_NAME = re.compile(r"^newsroom-(\d{8}T\d{6}Z)(?:-(\d+))?\.(?:db|dump)$")
"""Only files this job wrote match, so rotation never deletes anything else in the folder."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    documents: int
    removed: tuple[Path, ...]


def backup_dir_for(config: Config) -> Path:
    """The backup folder; a relative schedule.backup_dir is taken from the config file's folder.

    (Like storage.path, so a service started from another working directory writes to the
    same place.)
    """
    folder = Path(config.schedule.backup_dir)
    if folder.is_absolute():
        return folder
    base = config.path.parent if config.path is not None else Path(".")
    return base / folder


def list_backups(folder: Path) -> list[Path]:
    """Backups written by this job in `folder`, oldest first (by the time in their names)."""
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        match = _BACKUP_NAME.match(path.name)
        if match and path.is_file():
            found.append(((match.group(1), int(match.group(2) or 0)), path))
    return [path for _, path in sorted(found)]


def run_backup(config: Config, now: datetime | None = None) -> BackupResult:
    """Back up the store into the backup folder and keep the newest `backup_keep`."""
    folder = backup_dir_for(config)
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(
            f"Cannot create the backup folder {folder}: {exc}. "
            "Set schedule.backup_dir in newsroom.toml to a writable folder."
        ) from exc
    remove_stale_partials(folder)
    postgres = config.store_engine == "postgresql"
    target = _new_backup_path(folder, now or utcnow(), DUMP_SUFFIX if postgres else BACKUP_SUFFIX)
    partial = target.with_name(f"{target.name}.{os.getpid()}{PARTIAL_SUFFIX}")
    try:
        if postgres:
            pg_dump_database(config.storage_url, partial)
            problems, check = pg_dump_problems(partial), "pg_restore --list"
        else:
            backup_database(config.storage_path, partial)
            problems, check = integrity_problems(partial), "integrity_check"
        if problems:
            raise BackupError(f"Backup copy failed {check}: {'; '.join(problems[:3])}")
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    removed = rotate_backups(folder, config.schedule.backup_keep)
    documents = (_documents_now(config.storage_url) if postgres
                 else table_counts(target).get("documents", 0))
    logger.info("backup %s written (%s documents), %s old copies removed",
                target, documents, len(removed))
    return BackupResult(path=target, documents=documents, removed=tuple(removed))


PARTIAL_SUFFIX = ".partial"
_PARTIAL_NAME = re.compile(
    r"^newsroom-\d{8}T\d{6}Z(?:-\d+)?\.(?:db|dump)(?:\.(\d+))?\.partial$")


def remove_stale_partials(folder: Path) -> list[Path]:
    """Delete half-written backups left by a killed process (`newsroom-….db.PID.partial`
    whose PID is gone, or the older `….db.partial`); a live backup's file is kept."""
    removed = []
    for path in folder.iterdir() if folder.is_dir() else ():
        match = _PARTIAL_NAME.match(path.name)
        if not match:
            continue
        pid = int(match.group(1)) if match.group(1) else None
        if pid is not None and pid != os.getpid() and process_alive(pid):
            continue
        for leftover in (path, path.with_name(path.name + "-journal")):
            leftover.unlink(missing_ok=True)
        removed.append(path)
    if removed:
        logger.warning("removed %s half-written backups of an earlier process", len(removed))
    return removed


def _documents_now(url: str) -> int:
    """Documents in the PostgreSQL store (the dump's snapshot was taken a moment before)."""
    db = open_db(url, migrate=False)
    try:
        return count_documents(db)
    finally:
        db.conn.close()


def _new_backup_path(folder: Path, now: datetime, suffix: str = BACKUP_SUFFIX) -> Path:
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    candidate = folder / f"{BACKUP_PREFIX}{stamp}{suffix}"
    counter = 1
    while candidate.exists():
        candidate = folder / f"{BACKUP_PREFIX}{stamp}-{counter}{suffix}"
        counter += 1
    return candidate


def rotate_backups(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups; returns what was deleted."""
    if keep < 1:
        raise ValueError("keep must be 1 or more: rotation never deletes the newest backup")
    backups = list_backups(folder)
    doomed = backups[: max(0, len(backups) - keep)]
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed
