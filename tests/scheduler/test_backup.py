"""Backups: online copies that pass integrity_check, named by time, rotated to backup_keep.

SQLite only (a .db file copy, integrity_check, WAL): a PostgreSQL store is backed up with
pg_dump instead, tested in test_backup_postgres.py."""

from __future__ import annotations

import sqlite3
import threading
from datetime import timedelta
from pathlib import Path

import pytest
import sqlite_utils

from core.config import Config, load_config
from jobs import tasks
from jobs.backup import backup_dir_for, list_backups, rotate_backups, run_backup
from storage.backup import BackupError, backup_database, integrity_problems, table_counts
from storage.jobs import job_status
from tests.scheduler.conftest import write_config
from tests.scheduler.support import T0, add_news


def test_backup_is_a_valid_self_contained_copy(config: Config,
                                               store: sqlite_utils.Database) -> None:
    add_news(store, 25)
    result = run_backup(config, now=T0)
    assert config.path is not None
    assert result.path.parent == backup_dir_for(config) == config.path.parent / "data/backups"
    assert result.path.name == "newsroom-20260601T040000Z.db"
    assert result.documents == 25
    assert integrity_problems(result.path) == []
    copy = sqlite3.connect(result.path)
    try:
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        titles = {row[0] for row in copy.execute("SELECT title FROM documents")}
        assert "Artikel 24" in titles
        hits = copy.execute(
            "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'Artikel'"
        ).fetchone()[0]
        assert hits == 25
    finally:
        copy.close()
    assert not list(result.path.parent.glob("*.partial"))


def test_backups_are_rotated_to_keep_the_newest(config: Config,
                                                store: sqlite_utils.Database) -> None:
    assert config.schedule.backup_keep == 2
    paths = []
    for day in range(4):
        add_news(store, 1, offset=day)
        paths.append(run_backup(config, now=T0 + timedelta(days=day)).path)
    kept = list_backups(backup_dir_for(config))
    assert kept == paths[2:]
    assert [table_counts(p)["documents"] for p in kept] == [3, 4]


def test_rotation_only_touches_backups_it_wrote(tmp_path: Path) -> None:
    for name in ("newsroom-20260101T040000Z.db", "newsroom-20260102T040000Z.db",
                 "newsroom-20260103T040000Z.db", "newsroom.db", "notes.txt",
                 "newsroom-handmatig.db"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    removed = rotate_backups(tmp_path, keep=1)
    assert [p.name for p in removed] == ["newsroom-20260101T040000Z.db",
                                        "newsroom-20260102T040000Z.db"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "newsroom-20260103T040000Z.db", "newsroom-handmatig.db", "newsroom.db", "notes.txt",
    ]
    with pytest.raises(ValueError, match="keep must be 1 or more"):
        rotate_backups(tmp_path, keep=0)


def test_two_backups_in_the_same_second_get_distinct_names(config: Config,
                                                           store: sqlite_utils.Database) -> None:
    first = run_backup(config, now=T0).path
    second = run_backup(config, now=T0).path
    assert first != second and second.name == "newsroom-20260601T040000Z-1.db"
    assert list_backups(first.parent) == [first, second]


def test_backup_while_another_connection_writes(config: Config,
                                                store: sqlite_utils.Database) -> None:
    add_news(store, 200)
    done = threading.Event()
    errors: list[BaseException] = []

    def writer() -> None:
        from storage.db import open_db

        db = open_db(config.storage_path)
        try:
            offset = 1000
            while not done.is_set():
                add_news(db, 5, offset=offset)
                offset += 5
        except BaseException as exc:  # reported to the test thread
            errors.append(exc)
        finally:
            db.conn.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        result = run_backup(config, now=T0)
    finally:
        done.set()
        thread.join(timeout=30)
    assert not errors
    assert integrity_problems(result.path) == []
    assert result.documents >= 200


def test_a_corrupt_file_fails_the_integrity_check(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.db"
    bogus.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    assert integrity_problems(bogus) != []
    text = tmp_path / "text.db"
    text.write_text("geen database", encoding="utf-8")
    assert integrity_problems(text) != []
    missing = tmp_path / "missing.db"
    assert integrity_problems(missing) == [f"{missing} does not exist"]


def test_backup_of_a_missing_database_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(BackupError, match="does not exist; nothing to back up"):
        backup_database(tmp_path / "none.db", tmp_path / "copy.db")
    assert not (tmp_path / "copy.db").exists()


def test_unwritable_backup_folder_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "blocker").write_text("a file, not a folder", encoding="utf-8")
    config = load_config(write_config(tmp_path, backup_dir="blocker/sub"))
    from storage.db import open_db

    open_db(config.storage_path).conn.close()
    with pytest.raises(BackupError, match="Set schedule.backup_dir"):
        run_backup(config, now=T0)


def test_absolute_backup_dir_is_used_as_is(tmp_path: Path) -> None:
    target = tmp_path / "elders"
    config = load_config(write_config(tmp_path, backup_dir=str(target)))
    assert backup_dir_for(config) == target


def test_backup_job_records_the_file_it_wrote(config: Config,
                                              store: sqlite_utils.Database) -> None:
    add_news(store, 3)
    assert tasks.backup(str(config.path)) == "ok"
    detail = job_status(store)["backup"].detail
    assert detail.startswith("newsroom-") and "(3 documents, 0 rotated)" in detail
    assert len(list_backups(backup_dir_for(config))) == 1
