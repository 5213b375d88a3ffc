"""Backups after a crash, their file modes, and `newsroom backup restore` (issue 13).

SQLite only (.db copies, .partial files, -wal/-shm, damaged pages): the PostgreSQL dump, its
mode and its restore (--force, refused SQLite copy) are tested in test_backup_postgres.py."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

import sqlite_utils
from click.testing import CliRunner

from core.config import Config
from jobs.backup import backup_dir_for, list_backups, run_backup
from newsroom.cli.main import cli
from storage.db import open_db
from storage.documents import count_documents
from tests.scheduler.support import T0, add_news


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_backups_are_readable_by_the_owner_only(config: Config,
                                               store: sqlite_utils.Database) -> None:
    add_news(store, 3)
    path = run_backup(config, now=T0).path
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) & 0o077 == 0


def test_a_half_written_backup_of_a_killed_process_is_removed_on_the_next_run(
    config: Config, store: sqlite_utils.Database
) -> None:
    add_news(store, 3)
    folder = backup_dir_for(config)
    folder.mkdir(parents=True, exist_ok=True)
    stale = folder / f"newsroom-20260531T040000Z.db.{_dead_pid()}.partial"
    stale.write_bytes(b"\0" * 4096)
    legacy = folder / "newsroom-20260530T040000Z.db.partial"  # written by older versions
    legacy.write_bytes(b"\0" * 4096)
    unrelated = folder / "notities.txt"
    unrelated.write_text("blijft staan", encoding="utf-8")
    run_backup(config, now=T0)
    assert not stale.exists() and not legacy.exists()
    assert unrelated.exists()
    assert [path.name for path in list_backups(folder)] == ["newsroom-20260601T040000Z.db"]


def invoke(config: Config, *args: str) -> object:
    assert config.path is not None
    return CliRunner().invoke(cli, ["--config", str(config.path), "backup", *args])


def test_restore_refuses_a_live_database_without_force(config: Config,
                                                       store: sqlite_utils.Database) -> None:
    add_news(store, 5)
    backup = run_backup(config, now=T0).path
    add_news(store, 7, offset=5)
    refused = invoke(config, "restore", str(backup))
    assert refused.exit_code == 2, refused.output  # type: ignore[attr-defined]
    assert "--force" in refused.output  # type: ignore[attr-defined]
    assert count_documents(store) == 12
    done = invoke(config, "restore", str(backup), "--force")
    assert done.exit_code == 0, done.output  # type: ignore[attr-defined]
    assert "5 documenten" in done.output  # type: ignore[attr-defined]
    assert count_documents(open_db(config.storage_path)) == 5


def test_restore_into_an_empty_place_and_of_a_damaged_backup(config: Config,
                                                            store: sqlite_utils.Database,
                                                            tmp_path: Path) -> None:
    add_news(store, 4)
    backup = run_backup(config, now=T0).path
    damaged = tmp_path / "kapot.db"
    data = bytearray(backup.read_bytes())
    data[4096:8192] = b"\xff" * 4096  # a page of garbage
    damaged.write_bytes(bytes(data))
    result = invoke(config, "restore", str(damaged), "--force")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert "damaged" in result.output or "not a newsroom" in result.output  # type: ignore[attr-defined]
    assert count_documents(store) == 4  # nothing was touched
    not_a_db = tmp_path / "tekst.db"
    not_a_db.write_text("geen database", encoding="utf-8")
    assert invoke(config, "restore", str(not_a_db)).exit_code == 1  # type: ignore[attr-defined]

    store.conn.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{config.storage_path}{suffix}").unlink(missing_ok=True)
    restored = invoke(config, "restore", str(backup))  # nothing there: no --force needed
    assert restored.exit_code == 0, restored.output  # type: ignore[attr-defined]
    assert count_documents(open_db(config.storage_path)) == 4
