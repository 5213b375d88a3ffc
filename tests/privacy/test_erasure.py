"""`storage.erasure`: one post, one pseudonym or one source goes with everything derived from
it — on a real SQLite file and a real PostgreSQL database (`any_db`), filled through the real
storage, alerts and digest code."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from digest.build import build_digest
from digest.preview import preview
from storage.alerts import Alert, insert_alert
from storage.audit import list_events
from storage.backup import backup_database
from storage.db import Database, open_db
from storage.dead_letters import list_dead_letters, record_dead_letter
from storage.dialect import engine
from storage.digests import save_digest
from storage.erasure import ErasureError, ErasureRequest, erase, erase_in_backup
from storage.rollups import refresh_daily_rollup
from storage.search import text_search
from tests.digest import support

SECRET_TITLE = "Buurvrouw vertelt over ruzie in de Vogelbuurt"
PSEUDONYM = "a1b2c3d4e5f60718"


@pytest.fixture
def filled(any_db: Database, tmp_path: Path) -> Any:
    return _fill(any_db, tmp_path)


@pytest.fixture
def filled_file(tmp_path: Path) -> Any:
    """SQLite only: backup files are copies of the SQLite file."""
    return _fill(open_db(tmp_path / "newsroom.db"), tmp_path)


def _fill(db: Any, tmp_path: Path) -> Any:
    writer = support.StoreWriter(db)
    week = support.fill_week(writer)
    writer.source("masto", "Mastodon", kind="social")
    when = support.WEEK_START + timedelta(days=2, hours=11)
    secret = writer.doc(SECRET_TITLE, when, "negatief", p_neg=0.99, source="masto",
                        kind="social", url="https://social.example/statuses/4242",
                        topics=("veiligheid",), watches={"Spuiboulevard": "negatief"},
                        story=("story-vogel", when), author_pseudonym=PSEUDONYM)
    second = writer.doc("Tweede bericht van dezelfde schrijver", when + timedelta(hours=1),
                        "neutraal", source="masto", kind="social",
                        url="https://social.example/statuses/4243", author_pseudonym=PSEUDONYM)
    writer.note(secret, "Doorgestuurd naar wijkagent.", "adviseur Anna", when)
    refresh_daily_rollup(db)
    insert_alert(db, Alert(
        kind="negative_spike", scope_type="overall", scope_key="", window_start=when,
        window_end=when + timedelta(hours=2), figures={"n": 2}, message="Negatieve piek",
        dedupe_key="spike-1", created=when,
        items=[{"id": secret, "title": SECRET_TITLE, "url": "https://social.example/statuses/4242"},
               {"id": week.ids["spui0"], "title": "Bouw", "url": "https://ad.example/1"}],
    ))
    config = support.make_config(tmp_path)
    digest = build_digest(db, config, support.WEEK, None, now=support.NOW)
    assert SECRET_TITLE in digest.text  # the fixture really quotes the post
    save_digest(db, support.WEEK, "directie@dordrecht.example", digest.subject, digest.html,
                digest.text)
    preview(db, config, support.WEEK, None, now=support.NOW)
    return db, secret, second, week


def counts(db: Any, doc_id: str) -> dict[str, int]:
    tables = ("documents", "sentences", "scores", "topics", "watch_scores", "annotations",
              "document_stories")
    result = {t: db.execute(f"SELECT count(*) FROM {t} WHERE "
                            f"{'id' if t == 'documents' else 'document_id'} = ?",
                            [doc_id]).fetchone()[0] for t in tables}
    search, params = text_search(db, "Vogelbuurt")  # the full-text index itself, per engine
    result["fts"] = db.execute(f"SELECT count(*) FROM ({search}) m", params).fetchone()[0]
    return result


def tables_mentioning(db: Any, word: str) -> list[str]:
    """Every table with a row whose text holds `word` (any case): on PostgreSQL whole rows
    cast to text, so full-text vectors ('vogelbuurt') count too."""
    word = word.lower()
    found = []
    for table in db.table_names():
        if engine(db) == "postgresql":
            rows = db.execute(f'SELECT t::text FROM "{table}" t').fetchall()
        elif table.startswith("documents_fts"):
            continue  # FTS5's shadow tables hold the index as blobs: `counts()` reads it
        else:
            rows = db.execute(f'SELECT * FROM "{table}"').fetchall()
        if any(word in str(row).lower() for row in rows):
            found.append(table)
    return found


def test_erase_by_url_removes_the_post_and_everything_derived(filled: Any) -> None:
    db, secret, second, week = filled
    before_total = db.execute("SELECT sum(n) FROM daily_rollup").fetchone()[0]
    assert counts(db, secret)["scores"] == 1 and counts(db, secret)["fts"] == 1
    report = erase(db, ErasureRequest("url", "https://social.example/statuses/4242"),
                   actor="cli:privacy", reason="verzoek betrokkene, kenmerk 2026-17")
    assert report.documents == 1
    assert all(n == 0 for n in counts(db, secret).values()), counts(db, secret)
    assert db.execute("SELECT count(*) FROM stories WHERE id = 'story-vogel'").fetchone()[0] == 0
    items = json.loads(db.execute("SELECT items_json FROM alerts").fetchone()[0])
    assert [item["id"] for item in items] == [week.ids["spui0"]]
    assert report.alerts_changed == 1
    assert report.digests_removed == 1 and report.previews_removed == 1
    for table in ("digests", "digest_previews"):
        for html_body, text in db.execute(f"SELECT html, text FROM {table}"):
            assert "Vogelbuurt" not in html_body + text
    assert db.execute("SELECT sum(n) FROM daily_rollup").fetchone()[0] == before_total - 1
    # The other post of the same author and the rest of the week are untouched.
    assert counts(db, second)["documents"] == 1
    assert counts(db, week.ids["spui0"])["annotations"] == 1
    [event] = list_events(db, action_prefix="erase")
    assert event.actor == "cli:privacy" and event.target.startswith("url:https://social")
    assert "kenmerk 2026-17" in event.detail and "1 documents" in event.detail
    assert SECRET_TITLE not in event.detail
    assert tables_mentioning(db, "Vogelbuurt") == []
    if engine(db) == "sqlite":
        files = [Path(db.conn.execute("PRAGMA database_list").fetchone()[2])]
        files.append(files[0].with_name(files[0].name + "-wal"))
        for path in files:
            if path.exists():
                assert b"Vogelbuurt" not in path.read_bytes(), path  # secure_delete, optimize
    else:  # the dead row versions of the erased rows were vacuumed away
        vacuumed = dict(db.execute(
            "SELECT relname, last_vacuum IS NOT NULL FROM pg_stat_user_tables "
            "WHERE relname IN ('documents', 'documents_search', 'scores', 'digests')"
        ).fetchall())
        assert vacuumed == {"documents": True, "documents_search": True, "scores": True,
                            "digests": True}


def test_erase_by_the_handle_link_a_person_sees_finds_the_stored_post(filled: Any) -> None:
    db, secret, second, _ = filled
    report = erase(db, ErasureRequest("url", "https://social.example/@buurvrouw/4242"),
                   actor="anna", reason="verzoek")
    assert report.documents == 1 and counts(db, secret)["documents"] == 0
    assert counts(db, second)["documents"] == 1


def test_erase_by_pseudonym_removes_every_post_of_that_author(filled: Any) -> None:
    db, secret, second, _ = filled
    report = erase(db, ErasureRequest("pseudonym", PSEUDONYM), actor="anna", reason="verzoek")
    assert report.documents == 2
    assert counts(db, secret)["documents"] == counts(db, second)["documents"] == 0
    assert db.execute("SELECT count(*) FROM documents WHERE author_pseudonym = ?",
                      [PSEUDONYM]).fetchone()[0] == 0


def test_erase_by_source_also_drops_its_crawl_issues(filled: Any) -> None:
    db, _, _, week = filled
    run_id = db.execute("INSERT INTO crawl_runs (source_id, started) "
                        "VALUES ('masto', '2026-11-10') RETURNING id").fetchone()[0]
    db.execute("INSERT INTO crawl_issues (run_id, url, reason) VALUES (?, ?, 'bad_post')",
               [run_id, "https://social.example/statuses/9"])
    report = erase(db, ErasureRequest("source", "masto"), actor="anna", reason="bron vervalt")
    assert report.documents == 2 and report.crawl_issues_removed == 1
    assert db.execute("SELECT count(*) FROM documents WHERE source_id = 'masto'").fetchone()[0] == 0
    assert counts(db, week.ids["spui0"])["documents"] == 1


def test_erasure_reaches_dead_lettered_queue_tasks(filled: Any) -> None:
    """A finally failed task whose error names an erased post's link goes with the post; an
    erased source takes its failed tasks along; other failed tasks stay."""
    db, _, _, _ = filled
    record_dead_letter(db, task="crawl_source", task_id="a", args=["masto"], attempts=3,
                       error="fout bij https://social.example/statuses/4242", source_id="masto")
    record_dead_letter(db, task="crawl_source", task_id="b", args=["masto"], attempts=3,
                       error="time-out", source_id="masto")
    record_dead_letter(db, task="crawl_source", task_id="c", args=["ad"], attempts=3,
                       error="http_404", source_id="ad")
    report = erase(db, ErasureRequest("url", "https://social.example/statuses/4242"),
                   actor="anna", reason="verzoek")
    assert report.rows["dead_letters"] == 1
    assert sorted(d.task_id for d in list_dead_letters(db)) == ["b", "c"]
    erase(db, ErasureRequest("source", "masto"), actor="anna", reason="bron vervalt")
    assert [d.task_id for d in list_dead_letters(db)] == ["c"]


def test_dry_run_counts_but_changes_nothing_and_records_nothing(filled: Any) -> None:
    db, secret, _, _ = filled
    report = erase(db, ErasureRequest("pseudonym", PSEUDONYM), actor="anna", reason="",
                   dry_run=True)
    assert report.documents == 2 and report.rows["scores"] == 2
    assert report.digests_removed == 1
    assert counts(db, secret)["documents"] == 1
    assert db.execute("SELECT count(*) FROM digests").fetchone()[0] == 1
    assert list_events(db) == []


def test_bad_requests_are_refused(filled: Any) -> None:
    db, secret, _, _ = filled
    with pytest.raises(ErasureError, match="reason"):
        erase(db, ErasureRequest("pseudonym", PSEUDONYM), actor="anna", reason="  ")
    with pytest.raises(ErasureError, match="which pseudonym"):
        erase(db, ErasureRequest("pseudonym", " "), actor="anna", reason="x")
    with pytest.raises(ErasureError, match="Unknown erasure kind"):
        erase(db, ErasureRequest("email", "x"), actor="anna", reason="x")  # type: ignore[arg-type]
    assert counts(db, secret)["documents"] == 1


def test_nothing_matching_erases_nothing_but_is_still_recorded(filled: Any) -> None:
    db, _, _, _ = filled
    total = db.execute("SELECT count(*) FROM documents").fetchone()[0]
    report = erase(db, ErasureRequest("url", "https://nergens.example/x"), actor="anna",
                   reason="verzoek")
    assert report.documents == 0
    assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == total
    assert len(list_events(db, action_prefix="erase")) == 1


def test_backup_is_rewritten_without_the_erased_rows(filled_file: Any, tmp_path: Path) -> None:
    db, secret, _, _ = filled_file
    copy = tmp_path / "newsroom-20261116T040000Z.db"
    backup_database(tmp_path / "newsroom.db", copy)
    report = erase_in_backup(copy, ErasureRequest("pseudonym", PSEUDONYM))
    assert report.documents == 2
    conn = sqlite3.connect(copy)
    try:
        assert conn.execute("SELECT count(*) FROM documents WHERE id = ?",
                            [secret]).fetchone()[0] == 0
    finally:
        conn.close()
    assert b"Vogelbuurt" not in copy.read_bytes()  # vacuumed: not even in free pages
