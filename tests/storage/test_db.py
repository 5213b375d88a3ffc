"""Opening, migrating and the transaction helper."""

from __future__ import annotations

import pytest

from storage import db as db_module
from storage.db import StorageError, applied_migrations, open_db, transaction


def test_new_file_database_is_migrated_in_wal_mode(tmp_path):
    db = open_db(tmp_path / "sub" / "n.db")
    assert applied_migrations(db) == [name for name, _ in db_module.MIGRATIONS]
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] == db_module.BUSY_TIMEOUT_MS


def test_reopening_applies_nothing_twice(tmp_path):
    path = tmp_path / "n.db"
    open_db(path).conn.close()
    db = open_db(path)
    assert db_module.apply_migrations(db) == []


def test_failing_migration_rolls_back_whole(tmp_path, monkeypatch):
    path = tmp_path / "n.db"
    open_db(path).conn.close()
    broken = "CREATE TABLE half_done (x INTEGER);\nTHIS IS NOT SQL;"
    monkeypatch.setattr(db_module, "MIGRATIONS", [*db_module.MIGRATIONS, ("9999_broken", broken)])
    with pytest.raises(StorageError, match="9999_broken"):
        open_db(path)
    db = open_db(path, migrate=False)
    assert "half_done" not in db.table_names()
    assert "9999_broken" not in applied_migrations(db)


def test_unwritable_location_gives_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StorageError, match="storage"):
        open_db(blocker / "n.db")


def test_transaction_rolls_back_on_error(fresh_db):
    with pytest.raises(RuntimeError), transaction(fresh_db) as conn:
        conn.execute(
            "INSERT INTO watches (name, query, created, updated) VALUES ('w', 'q', 'a', 'b')"
        )
        raise RuntimeError("boom")
    assert fresh_db["watches"].count == 0
