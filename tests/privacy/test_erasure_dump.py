"""`newsroom erase` reaches PostgreSQL backups too: every `pg_dump` archive in the backup
folder is restored into a scratch database on the live server, erased there, dumped again
and put in place of the old one, against a real PostgreSQL 15 server reached with a
password. A failure leaves that archive as it was and says which one."""

from __future__ import annotations

import stat
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from core.records import Document, document_id_for_post
from newsroom.cli.main import cli
from storage.audit import list_events
from storage.backup import _pg_tool, pg_dump_database, pg_restore_database
from storage.db import Database, open_db
from storage.documents import upsert_document
from tests.pg_support import PASSWORD, PgServer

NOW = datetime.now(UTC).replace(microsecond=0)
OLD = "newsroom-20261101T040000Z.dump"
NEWER = "newsroom-20261102T040000Z.dump"


def _config(home: Path, url: str = "") -> None:
    (home / "newsroom.toml").write_text(
        '[storage]\npath = "newsroom.db"\n' + (f'url = "{url}"\n' if url else "")
        + '\n[schedule]\nbackup_dir = "backups"\n', encoding="utf-8")
    (home / "backups").mkdir(mode=0o700)


def _fill(db: Database) -> None:
    for n, pseudonym in ((1, "aaaa"), (2, "aaaa"), (3, "bbbb")):
        upsert_document(db, Document(
            id=document_id_for_post("mastodon", f"social.example/{n}"), source_id="masto",
            kind="social", url=f"https://social.example/statuses/{n}",
            title=f"Geheim bericht {n} over de Vogelbuurt", text=f"Tekst nummer {n} hier",
            published=NOW - timedelta(days=n), fetched=NOW - timedelta(days=n),
            author_pseudonym=pseudonym, platform="mastodon", post_id=f"social.example/{n}"))


@pytest.fixture
def pg_home(tmp_path: Path, pg_server: PgServer, pg_url: str,
            monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    """A config on a PostgreSQL store (password login) with two pg_dump backups of it."""
    url = pg_server.password_url(pg_url.rsplit("/", 1)[1])
    _config(tmp_path, url)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEWSROOM_CONFIG", raising=False)
    db = open_db(url)
    _fill(db)
    db.execute("INSERT INTO audit_log (at, actor, action) VALUES (?, ?, ?)",
               ["2026-11-01T04:00:00+00:00", "beheer", "vóór de back-up"])
    db.close()
    for name in (OLD, NEWER):
        pg_dump_database(url, tmp_path / "backups" / name)
    return tmp_path, url


def _sql_text(archive: Path) -> str:
    """The archive as the SQL script pg_restore would run: every stored value is in it."""
    return subprocess.run([_pg_tool("pg_restore"), "--file=-", str(archive)],
                          capture_output=True, text=True, check=True).stdout


def _restored(pg_server: PgServer, archive: Path) -> tuple[Database, str]:
    name = pg_server.create_database()
    pg_restore_database(archive, pg_server.url(name))
    return open_db(pg_server.url(name), migrate=False), name


def _scratch_databases(pg_server: PgServer) -> list[str]:
    with pg_server.admin() as conn:
        return [row[0] for row in conn.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE 'newsroom_erase_%'")]


@pytest.mark.postgres
def test_erase_rewrites_every_pg_dump_archive_without_the_erased_author(
    pg_home: tuple[Path, str], pg_server: PgServer
) -> None:
    home, url = pg_home
    before = {name: _sql_text(home / "backups" / name) for name in (OLD, NEWER)}
    assert all("Geheim bericht 1" in text and "aaaa" in text for text in before.values())

    result = CliRunner().invoke(cli, ["erase", "--pseudonym", "aaaa", "--reason", "kenmerk 9"])
    assert result.exit_code == 0, result.output
    assert "2 bestand(en) herschreven" in result.output and "NIET" not in result.output
    assert PASSWORD not in result.output

    for name in (OLD, NEWER):
        archive = home / "backups" / name
        assert stat.S_IMODE(archive.stat().st_mode) == 0o600
        text = _sql_text(archive)
        for erased in ("Geheim bericht 1", "Geheim bericht 2", "Tekst nummer 1", "aaaa",
                       "social.example/statuses/1"):
            assert erased not in text, (name, erased)
        assert PASSWORD not in text
        copy, database = _restored(pg_server, archive)
        try:
            assert copy.execute("SELECT author_pseudonym, title FROM documents").fetchall() == [
                ("bbbb", "Geheim bericht 3 over de Vogelbuurt")]
            assert copy.execute("SELECT count(*) FROM documents_search").fetchone()[0] == 1
            assert [row[0] for row in copy.execute("SELECT action FROM audit_log")] == [
                "vóór de back-up"]  # the rest of the backup is kept as it was
        finally:
            copy.close()
            pg_server.drop_database(database)
    assert list((home / "backups").iterdir()) and not list((home / "backups").glob("*.partial"))
    assert _scratch_databases(pg_server) == []
    db = open_db(url, migrate=False)
    event = list_events(db, action_prefix="erase.backups")[0]
    assert event.detail == "0 backup files and 2 pg_dump archives rewritten"
    db.close()


@pytest.mark.postgres
@pytest.mark.parametrize("keep", [
    pytest.param(lambda size: size * 2 // 3, id="unreadable-table-of-contents"),
    pytest.param(lambda size: size - 40, id="restore-fails-in-the-scratch-database"),
])
def test_an_archive_that_cannot_be_rewritten_is_kept_named_and_audited(
    pg_home: tuple[Path, str], pg_server: PgServer, keep: Callable[[int], int]
) -> None:
    home, url = pg_home
    broken = home / "backups" / OLD
    good = broken.read_bytes()
    broken.write_bytes(good[: keep(len(good))])  # cut short: rewriting it must fail
    cut = broken.read_bytes()

    result = CliRunner().invoke(cli, ["erase", "--pseudonym", "aaaa", "--reason", "kenmerk 9"])
    assert result.exit_code == 1
    assert f"back-up {Path('backups') / OLD} is NIET herschreven" in result.output
    assert "1 bestand(en) herschreven" in result.output
    assert broken.read_bytes() == cut  # the old archive is left as it was
    assert "Geheim bericht 1" not in _sql_text(home / "backups" / NEWER)
    assert _scratch_databases(pg_server) == []
    assert not list((home / "backups").glob("*.partial"))
    db = open_db(url, migrate=False)
    detail = list_events(db, action_prefix="erase.backups")[0].detail
    assert detail.startswith("0 backup files and 1 pg_dump archives rewritten; "
                             f"NOT rewritten: {OLD} is not rewritten: ")
    assert PASSWORD not in detail and PASSWORD not in result.output
    assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == 1  # live store erased
    db.close()


def test_a_dump_next_to_a_sqlite_store_is_named_as_not_rewritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _config(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEWSROOM_CONFIG", raising=False)
    db = open_db(tmp_path / "newsroom.db")
    _fill(db)
    db.conn.close()
    archive = tmp_path / "backups" / OLD
    archive.write_bytes(b"PGDMP not really")
    result = CliRunner().invoke(cli, ["erase", "--pseudonym", "aaaa", "--reason", "r"])
    assert result.exit_code == 1
    assert f"back-up {Path('backups') / OLD} is NIET herschreven" in result.output
    assert archive.read_bytes() == b"PGDMP not really"
    db = open_db(tmp_path / "newsroom.db")
    assert "NOT rewritten: " + OLD in list_events(db, action_prefix="erase.backups")[0].detail
