"""Backups of a PostgreSQL store (`[storage] url`): the nightly job and `newsroom backup` write
verified `pg_dump` archives into the same folder, rotated like SQLite copies, and `newsroom
backup restore` puts one back — against a real PostgreSQL 15 server."""

from __future__ import annotations

import stat
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from core.config import Config, load_config
from jobs import tasks
from jobs.backup import list_backups, run_backup
from newsroom.cli.main import cli
from storage.backup import backup_database, pg_dump_problems
from storage.db import open_db
from storage.documents import count_documents
from storage.jobs import job_status
from tests.pg_support import PASSWORD, PgServer
from tests.scheduler.conftest import write_config
from tests.scheduler.support import T0, add_news

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_config(tmp_path: Path, pg_server: PgServer, pg_url: str) -> Config:
    """A config whose store is a fresh PostgreSQL database, reached with a password."""
    url = pg_server.password_url(pg_url.rsplit("/", 1)[1])
    return load_config(write_config(tmp_path, url=url))


def test_backup_of_a_postgresql_store_is_a_verified_private_dump_rotated_to_keep(
    pg_config: Config
) -> None:
    db = open_db(pg_config.store_target)
    add_news(db, 12, words=20)
    first = run_backup(pg_config, now=T0)
    assert first.path.name == "newsroom-20260601T040000Z.dump"
    assert first.documents == 12 and pg_dump_problems(first.path) == []
    assert stat.S_IMODE(first.path.stat().st_mode) == 0o600
    assert PASSWORD.encode() not in first.path.read_bytes()
    later = [run_backup(pg_config, now=T0 + timedelta(hours=h)) for h in (1, 2)]
    assert list_backups(first.path.parent) == [r.path for r in later]  # backup_keep = 2
    assert later[-1].removed == (first.path,)
    assert not list(first.path.parent.glob("*.partial"))
    assert not (pg_config.storage_path).exists()  # no SQLite file on the side
    db.conn.close()


def test_the_nightly_job_backs_up_postgresql_and_records_its_run(pg_config: Config) -> None:
    assert tasks.backup(str(pg_config.path)) == "ok"
    db = open_db(pg_config.store_target)
    run = job_status(db)["backup"]
    assert run.outcome == "ok" and ".dump (0 documents" in run.detail
    db.conn.close()


def test_restore_puts_a_dump_back_only_with_force_and_refuses_a_sqlite_copy(
    pg_config: Config, tmp_path: Path
) -> None:
    db = open_db(pg_config.store_target)
    add_news(db, 5, words=20)
    dump = run_backup(pg_config, now=T0).path
    db.execute("DELETE FROM documents WHERE title = 'Artikel 3'")
    assert count_documents(db) == 4
    config_file = str(pg_config.path)

    refused = CliRunner().invoke(cli, ["--config", config_file, "backup", "restore", str(dump)])
    assert refused.exit_code == 2 and "holds 4 documents" in refused.output
    done = CliRunner().invoke(cli, ["--config", config_file, "backup", "restore", str(dump),
                                    "--force"])
    assert done.exit_code == 0, done.output
    assert "Teruggezet" in done.output and "(5 documenten)" in done.output
    assert "PostgreSQL postgresql://newsroom_pw:[verborgen]@" in done.output
    assert PASSWORD not in done.output
    db = open_db(pg_config.store_target)
    assert count_documents(db) == 5
    hits = db.execute("SELECT count(*) FROM documents_search").fetchone()[0]
    assert hits == 5  # the search index came back with the rows

    open_db(tmp_path / "other.db").conn.close()
    sqlite_copy = tmp_path / "newsroom-20260101T040000Z.db"
    backup_database(tmp_path / "other.db", sqlite_copy)
    wrong = CliRunner().invoke(cli, ["--config", config_file, "backup", "restore",
                                     str(sqlite_copy), "--force"])
    assert wrong.exit_code == 1 and "cannot be restored into PostgreSQL" in wrong.output
    assert count_documents(db) == 5
    db.conn.close()


def test_backup_now_on_postgresql_from_the_cli(pg_config: Config) -> None:
    result = CliRunner().invoke(cli, ["--config", str(pg_config.path), "backup", "now"])
    assert result.exit_code == 0, result.output
    assert "Back-up geschreven:" in result.output and ".dump (0 documenten)" in result.output
