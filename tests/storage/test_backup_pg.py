"""PostgreSQL backups (issue 16): pg_dump in custom format, verified, restored in place."""

from __future__ import annotations

import stat
from datetime import UTC, datetime

import pytest

from core.records import Document, document_id_for_url
from storage.backup import BackupError, pg_dump_database, pg_dump_problems, pg_restore_database
from storage.db import applied_migrations, apply_migrations, open_db
from storage.documents import DocumentFilter, list_documents, upsert_document
from storage.migrations import MIGRATIONS

pytestmark = pytest.mark.postgres
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def _doc(n: int, text: str = "Het fietspad langs de Merwede is klaar.") -> Document:
    url = f"https://example.nl/{n}"
    return Document(id=document_id_for_url(url), source_id="s", kind="news", url=url,
                    title=f"Bericht {n}", text=text, published=NOW, fetched=NOW)


def _ids(db) -> set[str]:
    return {row[0] for row in db.execute("SELECT id FROM documents")}


def test_dump_and_restore_round_trip(pg_server, pg_url, tmp_path):
    db = open_db(pg_url, migrate=False)
    for n in range(5):
        upsert_document(db, _doc(n))
    db.execute("INSERT INTO audit_log (at, actor, action) VALUES (?, ?, ?)",
               ["2026-11-20T12:00:00+00:00", "beheer", "backup"])
    before = _ids(db)
    dump = tmp_path / "newsroom.dump"
    pg_dump_database(pg_url, dump)
    assert stat.S_IMODE(dump.stat().st_mode) == 0o600
    assert pg_dump_problems(dump) == []

    # Life goes on after the backup: an edit, a new document, a deletion.
    upsert_document(db, _doc(0, text="Nieuwe tekst over de brug."))
    upsert_document(db, _doc(99))
    db.execute("DELETE FROM documents WHERE id = ?", [_doc(1).id])
    db.close()

    pg_restore_database(dump, pg_url)
    restored = open_db(pg_url)  # migrates: nothing left to apply
    assert applied_migrations(restored) == [name for name, _ in MIGRATIONS]
    assert apply_migrations(restored) == []
    assert _ids(restored) == before
    # The search index, its trigger and the Dutch configuration came back too.
    assert len(list_documents(restored, DocumentFilter(text_query="fietspaden"))) == 5
    upsert_document(restored, _doc(7, text="Een nieuw zwembad."))
    assert len(list_documents(restored, DocumentFilter(text_query="zwembaden"))) == 1
    assert restored.execute("SELECT count(*) FROM audit_log").fetchone()[0] == 1
    new_id = restored.execute("INSERT INTO watches (name, query, created, updated) "
                              "VALUES ('w', 'q', 'a', 'b') RETURNING id").fetchone()[0]
    assert new_id == 1
    restored.close()


def test_restore_into_a_new_empty_database(pg_server, pg_url, tmp_path):
    db = open_db(pg_url, migrate=False)
    upsert_document(db, _doc(1))
    db.close()
    dump = tmp_path / "n.dump"
    pg_dump_database(pg_url, dump)
    name = pg_server.create_database()
    try:
        target = pg_server.url(name)
        pg_restore_database(dump, target)
        copy = open_db(target)
        assert _ids(copy) == {_doc(1).id}
        copy.close()
    finally:
        pg_server.drop_database(name)


def test_password_goes_to_the_tools_but_never_into_errors(pg_server, pg_url, tmp_path):
    name = pg_url.rsplit("/", 1)[1]
    dump = tmp_path / "pw.dump"
    pg_dump_database(pg_server.password_url(name), dump)  # scram over TCP works
    assert pg_dump_problems(dump) == []
    secret = "Fout-Wachtwoord-42"
    with pytest.raises(BackupError) as info:
        pg_dump_database(pg_server.password_url(name, password=secret), tmp_path / "x.dump")
    assert secret not in str(info.value) and "***" in str(info.value)
    with pytest.raises(BackupError, match="not a valid PostgreSQL URL") as bad:
        pg_dump_database(f"postgresql://u:{secret}@h:notaport/db?x", tmp_path / "y.dump")
    assert secret not in str(bad.value)


def test_bad_archives_and_places_are_refused(pg_url, tmp_path):
    junk = tmp_path / "junk.dump"
    junk.write_bytes(b"not a dump")
    assert pg_dump_problems(junk)[0].startswith("not a usable pg_dump archive")
    assert pg_dump_problems(tmp_path / "missing.dump") == [f"{tmp_path / 'missing.dump'} "
                                                           "does not exist"]
    with pytest.raises(BackupError, match="does not exist"):
        pg_restore_database(tmp_path / "missing.dump", pg_url)
    with pytest.raises(BackupError, match="Restore of"):
        pg_restore_database(junk, pg_url)
    with pytest.raises(BackupError, match="Cannot create backup file"):
        pg_dump_database(pg_url, tmp_path / "no" / "such" / "dir.dump")
    db = open_db(pg_url, migrate=False)  # a failed restore changed nothing
    assert "documents" in db.table_names()
    db.close()
