"""Free text with NUL characters ("\\x00") is stored without them, the same on both engines
(ids `sqlite`, `postgres`): PostgreSQL's TEXT cannot hold a NUL, and every writer of user-typed
or scraped text removes it at the write boundary (`storage.nul`). One test per kind of writer:
no crash, nothing else lost, the same stored text on both engines (each test runs on each,
against the same expected text); a user name with a NUL is refused in Dutch instead."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from core.records import Annotation, CrawlIssue, Document, Source, Watch, document_id_for_url
from storage.accounts import AccountError, StoredUser, add_user
from storage.adviser import add_annotation, save_watch
from storage.alerts import Alert, insert_alert, record_delivery
from storage.api_tokens import create_token
from storage.audit import record_event
from storage.bulk_labels import correct_documents, tag_documents
from storage.crawl_log import record_crawl_issue, set_http_cache, start_crawl_run, upsert_source
from storage.dead_letters import record_dead_letter
from storage.digests import DigestPreview, record_digest_failure, save_digest, save_preview
from storage.documents import DocumentFilter, list_documents, upsert_document
from storage.incidents import update_alert_text
from storage.jobs import finish_job_run, start_job_run
from storage.login_throttle import record_failure
from storage.model_versions import record_version
from storage.nul import has_nul, strip_nul, strip_nul_all, strip_nul_fields
from storage.outlines import StoredOutline, save_outlines
from storage.rules import add_rule
from storage.saved_views import save_view
from storage.sessions import create_session
from storage.watch_config import remember_config_state
from storage.watch_edits import create_watch, update_watch
from storage.watch_scores import mark_watch_backfilled

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
N = "\x00"


def _one(db: Any, sql: str, params: list[Any] | None = None) -> Any:
    rows = db.execute(sql, params or []).fetchall()
    assert len(rows) == 1, rows
    return rows[0]


def _no_nul_anywhere(db: Any, table: str) -> None:
    for row in db.execute(f"SELECT * FROM {table}").fetchall():
        assert not any(isinstance(value, str) and N in value for value in row), row


def _document(db: Any) -> str:
    url = "https://example.nl/brug"
    upsert_document(db, Document(id=document_id_for_url(url), source_id="s", kind="news",
                                 url=url, title=f"De br{N}ug", text=f"Tekst{N} over de brug.",
                                 published=NOW, fetched=NOW))
    return document_id_for_url(url)


# -- the helper ----------------------------------------------------------------------------

def test_helper_strips_text_only() -> None:
    assert strip_nul(f"a{N}b{N}") == "ab" and strip_nul(b"a\x00") == b"a\x00"
    assert strip_nul_all([f"x{N}", 1, None, 2.5]) == ["x", 1, None, 2.5]
    watch = Watch(name=f"Br{N}ug", query="brug")
    assert strip_nul_fields(watch, "name", "query") == Watch(name="Brug", query="brug")
    assert watch.name == f"Br{N}ug"  # the caller's record is left alone
    untouched = Watch(name="Brug", query="brug")
    assert strip_nul_fields(untouched, "name") is untouched
    assert has_nul(f"a{N}") and not has_nul("a") and not has_nul(None)


# -- documents and what advisers write about them -------------------------------------------

def test_document_title_and_text(any_db: Any) -> None:
    doc_id = _document(any_db)
    assert _one(any_db, "SELECT title, text FROM documents WHERE id = ?", [doc_id]) == (
        "De brug", "Tekst over de brug.")
    scraped = f"https://example.nl/x{N}y"
    upsert_document(any_db, Document(id=document_id_for_url(scraped), source_id="s",
                                     kind="news", url=scraped, title="t", text="x",
                                     published=NOW, fetched=NOW))
    assert _one(any_db, "SELECT url FROM documents WHERE id = ?",
                [document_id_for_url(scraped)]) == ("https://example.nl/xy",)


def test_notes_tags_and_corrections(any_db: Any) -> None:
    doc_id = _document(any_db)
    add_annotation(any_db, Annotation(doc_id, "note", f"Duiding{N}: let op", f"anna{N}", NOW))
    add_annotation(any_db, Annotation(doc_id, "tag", f"ver{N}keer", "anna", NOW))
    assert tag_documents(any_db, [doc_id], f"brug{N}werk", f"piet{N}", "adviser") == 1
    assert correct_documents(any_db, [doc_id], "negatief", f"anna{N}", "adviser") == 1
    rows = any_db.execute("SELECT kind, value, author FROM annotations ORDER BY id").fetchall()
    assert [tuple(row) for row in rows] == [
        ("note", "Duiding: let op", "anna"), ("tag", "verkeer", "anna"),
        ("tag", "brugwerk", "piet"), ("correction", "negatief", "anna")]
    assert _one(any_db, "SELECT author FROM label_overrides") == ("anna",)
    with pytest.raises(ValueError, match="value"):
        add_annotation(any_db, Annotation(doc_id, "note", N * 3, "anna", NOW))  # only NULs


def test_label_rules(any_db: Any) -> None:
    _document(any_db)
    rule = add_rule(any_db, f"br{N}ug", "negatief", f"anna{N}", "adviser")
    assert _one(any_db, "SELECT contains, author FROM label_rules") == ("brug", "anna")
    assert rule.contains == "brug"


# -- watches and saved views -----------------------------------------------------------------

def test_watches_from_config_and_dashboard(any_db: Any) -> None:
    watch_id = save_watch(any_db, Watch(name=f"Zwem{N}bad", query=f"zwembad{N}", owner=f"p{N}"))
    assert save_watch(any_db, Watch(name=f"Zwem{N}bad", query="zwembad OR bad")) == watch_id
    remember_config_state(any_db, f"Zwem{N}bad", f"zwembad{N}", None)
    mark_watch_backfilled(any_db, watch_id, f"q{N}", "2026-12-01")
    other = create_watch(any_db, Watch(name=f"Br{N}ug", query=f"brug{N}", owner="lead"))
    update_watch(any_db, Watch(id=other, name=f"Brug{N}2", query=f"brug{N}", owner="lead"))
    assert any_db.execute("SELECT name, query FROM watches ORDER BY id").fetchall() == [
        ("Zwembad", "zwembad OR bad"), ("Brug2", "brug")]
    assert _one(any_db, "SELECT name, query FROM watch_config_queries") == ("Zwembad", "zwembad")
    assert _one(any_db, "SELECT query FROM watch_progress") == ("q",)


def test_saved_view_names(any_db: Any) -> None:
    view = save_view(any_db, "anna", "adviser", "berichten", f"Mijn{N} brug", {"q": f"b{N}"})
    assert view.name == "Mijn brug"
    assert _one(any_db, "SELECT name FROM saved_views") == ("Mijn brug",)


# -- crawl log, jobs, dead letters -------------------------------------------------------------

def test_sources_crawl_issues_and_http_cache(any_db: Any) -> None:
    upsert_source(any_db, Source(id="s", name=f"Dag{N}blad", kind="news", type="rss",
                                 url="https://example.nl/feed"))
    run_id = start_crawl_run(any_db, "s")
    record_crawl_issue(any_db, run_id, CrawlIssue(f"https://example.nl/a{N}", f"parse{N}",
                                                  f"bad byte {N} in feed"))
    set_http_cache(any_db, "https://example.nl/feed", f'"etag{N}"', f"Tue{N}")
    assert _one(any_db, "SELECT name FROM sources") == ("Dagblad",)
    assert _one(any_db, "SELECT url, reason, detail FROM crawl_issues") == (
        "https://example.nl/a", "parse", "bad byte  in feed")
    assert _one(any_db, "SELECT etag, last_modified FROM http_cache") == ('"etag"', "Tue")


def test_job_run_messages_and_dead_letters(any_db: Any) -> None:
    run_id = start_job_run(any_db, f"digest{N}")
    finish_job_run(any_db, run_id, "failed", f"SMTP said {N}no")
    record_dead_letter(any_db, task="crawl", task_id=f"t{N}1", args=[f"a{N}"], attempts=3,
                       error=f"Traceback{N}: boom", source_id="s")
    assert _one(any_db, "SELECT job_id, detail FROM job_runs") == ("digest", "SMTP said no")
    assert _one(any_db, "SELECT task_id, error FROM dead_letters") == ("t1", "Traceback: boom")
    _no_nul_anywhere(any_db, "dead_letters")  # args are JSON: the NUL is escaped there


# -- alerts, incidents, digests ----------------------------------------------------------------

def _alert(message: str) -> Alert:
    return Alert(kind="volume_spike", scope_type="watch", scope_key=f"Br{N}ug",
                 window_start=NOW - timedelta(hours=1), window_end=NOW, figures={"n": 3},
                 message=message, dedupe_key=f"k{N}1", created=NOW,
                 items=[{"id": "d", "title": f"t{N}"}])


def test_alerts_their_delivery_and_incident_text(any_db: Any) -> None:
    alert = insert_alert(any_db, _alert(f"Meer{N} berichten"))
    assert alert is not None and alert.id is not None
    record_delivery(any_db, alert.id, "email", f"error: 550 {N}refused")
    update_alert_text(any_db, alert.id, _alert(f"Nog meer{N} berichten"))
    assert _one(any_db, "SELECT scope_key, message, dedupe_key, sent_email FROM alerts") == (
        "Brug", "Nog meer berichten", "k1", "error: 550 refused")
    _no_nul_anywhere(any_db, "alerts")


def test_digests_failures_and_previews(any_db: Any) -> None:
    digest_id = save_digest(any_db, "2026-W49", f"a{N}@x.nl", f"Week{N} 49", f"<p>{N}</p>",
                            f"tekst{N}")
    assert save_digest(any_db, "2026-W49", f"a{N}@x.nl", "Week 49", "<p></p>", "t") == digest_id
    record_digest_failure(any_db, digest_id, f"SMTP {N}timeout")
    save_preview(any_db, DigestPreview("2026-W49", "", f"Week{N}", f"<b>{N}</b>", f"t{N}",
                                       "stamp", NOW))
    assert _one(any_db, "SELECT recipient, subject, last_error FROM digests") == (
        "a@x.nl", "Week 49", "SMTP timeout")
    assert _one(any_db, "SELECT subject, html, text FROM digest_previews") == (
        "Week", "<b></b>", "t")


# -- users, sessions, tokens, audit --------------------------------------------------------------

def test_a_user_name_with_nul_is_refused_in_dutch(any_db: Any) -> None:
    with pytest.raises(AccountError, match="gebruikersnaam mag geen NUL-teken"):
        add_user(any_db, StoredUser(f"an{N}na", "adviser", "$2b$04$" + "a" * 53))
    assert any_db.execute("SELECT count(*) FROM dashboard_users").fetchone()[0] == 0


def test_sessions_login_throttle_tokens_and_audit(any_db: Any) -> None:
    create_session(any_db, f"anna{N}", 1000.0, 3600)
    record_failure(any_db, f"An{N}na", f"10.0.0.1{N}", 1000.0)
    token, _secret = create_token(any_db, "anna", f"Ra{N}pport")
    record_event(any_db, actor=f"anna{N}", action=f"export{N}.csv", target=f"t{N}",
                 detail=f"d{N}", client=f"c{N}")
    assert _one(any_db, "SELECT username FROM dashboard_sessions") == ("anna",)
    assert any_db.execute("SELECT scope, key FROM login_throttle ORDER BY scope").fetchall() == [
        ("client", "10.0.0.1"), ("user", "anna")]
    assert token.name == "Rapport" and _one(any_db, "SELECT name FROM api_tokens") == (
        "Rapport",)
    assert _one(any_db, "SELECT actor, action, target, detail, client FROM audit_log") == (
        "anna", "export.csv", "t", "d", "c")


# -- model versions and map outlines (text from files) -------------------------------------------

def test_model_versions_and_outlines(any_db: Any) -> None:
    record_version(any_db, path=f"/m{N}", name=f"m{N}", version="1", method="lr", n_train=1,
                   n_corrections=0, corrections_upto=0, figures={}, champion={},
                   decision="rejected", reason=f"lager{N} dan de kampioen")
    save_outlines(any_db, [StoredOutline("BU05050101", "buurt", f"Wielwijk{N}",
                                         {"type": "Polygon", "coordinates": []})], f"f{N}.gpkg")
    assert _one(any_db, "SELECT path, name, reason FROM model_versions") == (
        "/m", "m", "lager dan de kampioen")
    assert _one(any_db, "SELECT name, source FROM place_outlines") == ("Wielwijk", "f.gpkg")


# -- reading with a NUL (a search term, a filter from the API) ------------------------------------

def test_a_search_with_nul_is_no_error(any_db: Any) -> None:
    _document(any_db)
    found = list_documents(any_db, DocumentFilter(text_query=f"br{N}ug"))
    assert [row["title"] for row in found] == ["De brug"]  # FTS5 and tsquery alike
    assert list_documents(any_db, DocumentFilter(tags=(f"x{N}",))) == []  # no driver error


@pytest.mark.postgres
def test_postgres_drops_nul_from_any_parameter_as_a_last_net(pg_url: str) -> None:
    from storage.db import open_db

    db = open_db(pg_url, migrate=False)
    try:
        assert db.execute("SELECT ?", [f"a{N}b"]).fetchone()[0] == "ab"
        assert db.execute("SELECT :v", {"v": f"c{N}"}).fetchone()[0] == "c"
        assert next(db.query("SELECT ? AS v", [f"d{N}"]))["v"] == "d"
        db.conn.executemany("INSERT INTO removed_watches (name, query, removed) VALUES (?, ?, ?)",
                            [[f"w{N}1", "q", "r"], [f"w{N}2", f"q{N}", "r"]])
        assert db.execute("SELECT name, query FROM removed_watches ORDER BY name").fetchall() == [
            ("w1", "q"), ("w2", "q")]
        assert db.execute("SELECT ?", [b"\x00\x01"]).fetchone()[0] == b"\x00\x01"  # bytes kept
    finally:
        db.close()
