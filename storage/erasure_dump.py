"""Erasure in PostgreSQL backups: rewrite each `pg_dump` archive without the erased data.

A custom-format archive cannot be edited in place, so each one takes a round trip on the
live store's own server: restore it into a scratch database (`newsroom_erase_…`, created
from template0), apply the same erasure as on the live store (`erasure.erase_in_restored_copy`),
dump it again next to the archive (mode 0600, checked with `pg_restore --list` as the
nightly backup is), and only then rename the new dump over the old one. The scratch
database is dropped whatever happened. A failure at any step leaves the old archive as it
was and raises `DumpRewriteError` naming it, so the caller can say which archive still holds
the data. Passwords reach pg_dump/pg_restore only in PGPASSWORD (`storage.backup`).
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

import psycopg

from storage.backup import (
    BackupError,
    pg_dump_database,
    pg_dump_problems,
    pg_restore_database,
)
from storage.erasure import ErasureReport, ErasureRequest, erase_in_restored_copy
from storage.pg import PgDatabase, redact_url
from storage.pg_admin import create_database, drop_database, url_for_database

logger = logging.getLogger(__name__)

SCRATCH_PREFIX = "newsroom_erase_"


class DumpRewriteError(Exception):
    """One archive could not be rewritten; it is left unchanged. `archive` names it."""

    def __init__(self, archive: Path, reason: str) -> None:
        super().__init__(f"{archive.name} is not rewritten: {reason}")
        self.archive = archive
        self.reason = reason


def erase_in_pg_dump(archive: Path, server_url: str, request: ErasureRequest) -> ErasureReport:
    """Rewrite one pg_dump archive without what `request` selects (see the module doc).

    `server_url`: the live store's URL; its server hosts the scratch database, and its role
    needs the CREATEDB privilege.
    """
    problems = pg_dump_problems(archive)
    if problems:
        raise DumpRewriteError(archive, "; ".join(problems[:2]))
    scratch = f"{SCRATCH_PREFIX}{os.getpid()}_{secrets.token_hex(4)}"
    partial = archive.with_name(f"{archive.name}.{os.getpid()}.partial")
    try:
        create_database(server_url, scratch, pristine=True)
    except psycopg.Error as exc:
        raise DumpRewriteError(archive, f"cannot create a scratch database on "
                               f"{redact_url(server_url)}: {_first_line(exc)}") from exc
    try:
        scratch_url = url_for_database(server_url, scratch)
        pg_restore_database(archive, scratch_url)
        db = PgDatabase(scratch_url)
        try:
            report = erase_in_restored_copy(db, request)
        finally:
            db.close()
        pg_dump_database(scratch_url, partial)
        problems = pg_dump_problems(partial)
        if problems:
            raise BackupError(f"the new dump failed pg_restore --list: {'; '.join(problems)}")
        os.replace(partial, archive)
    except (BackupError, psycopg.Error, OSError) as exc:
        raise DumpRewriteError(archive, _first_line(exc)) from exc
    finally:
        partial.unlink(missing_ok=True)
        _drop_quietly(server_url, scratch)
    logger.info("rewrote %s without %s", archive, request.describe())
    return report


def _drop_quietly(server_url: str, scratch: str) -> None:
    try:
        drop_database(server_url, scratch)
    except psycopg.Error as exc:
        logger.error("could not drop the scratch database %s: %s; drop it by hand",
                     scratch, _first_line(exc))


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return (text.splitlines()[0] if text else type(exc).__name__)[:300]
