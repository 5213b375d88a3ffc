"""Crawl-run records, source health, watches and annotations, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.records import (
    Annotation,
    CrawlIssue,
    CrawlStats,
    Document,
    Source,
    Watch,
    document_id_for_url,
)
from storage.adviser import (
    AnnotationError,
    add_annotation,
    delete_watch,
    latest_corrections,
    list_annotations,
    list_watches,
    removed_watches,
    save_watch,
)
from storage.crawl_log import (
    finish_crawl_run,
    get_crawl_run,
    get_http_cache,
    list_sources,
    recent_crawl_runs,
    record_crawl_issue,
    set_http_cache,
    source_health,
    start_crawl_run,
    upsert_source,
)
from storage.documents import upsert_document

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
SOURCE = Source(id="drechtstad", name="Drechtstad Dagblad", kind="news", type="rss",
                url="http://127.0.0.1/feed.xml")


def add_doc(db, url="https://d.nl/1", when=NOW):
    doc = Document(id=document_id_for_url(url), source_id=SOURCE.id, kind="news", url=url,
                   title="Titel", text="Tekst over de Spuiboulevard.", published=when, fetched=when)
    upsert_document(db, doc)
    return doc


def test_crawl_run_round_trip_with_issues(any_db):
    run_id = start_crawl_run(any_db, SOURCE.id, started=NOW)
    record_crawl_issue(any_db, run_id, CrawlIssue("https://d.nl/x", "no_link", "x" * 2000))
    finish_crawl_run(any_db, run_id, CrawlStats(new=3, skipped=1, http_status=200), "partial",
                     ended=NOW)
    run = get_crawl_run(any_db, run_id)
    assert run is not None
    assert (run.status, run.stats.new, run.stats.skipped) == ("partial", 3, 1)
    assert run.issues[0].reason == "no_link"
    assert len(run.issues[0].detail) == 500


def test_http_cache_keeps_validators(any_db):
    assert get_http_cache(any_db, "http://a/feed") == (None, None)
    set_http_cache(any_db, "http://a/feed", '"abc"', "Wed, 21 Oct 2026 07:28:00 GMT")
    assert get_http_cache(any_db, "http://a/feed") == ('"abc"', "Wed, 21 Oct 2026 07:28:00 GMT")
    set_http_cache(any_db, "http://a/feed", '"def"', None)  # the newest validators win
    assert get_http_cache(any_db, "http://a/feed") == ('"def"', None)
    set_http_cache(any_db, "http://a/feed", None, None)  # nothing to remember: kept as is
    assert get_http_cache(any_db, "http://a/feed") == ('"def"', None)


def test_sources_are_upserted_and_runs_listed_newest_first(any_db):
    upsert_source(any_db, SOURCE)
    moved = Source(id=SOURCE.id, name="Drechtstad", kind="news", type="rss",
                   url="http://127.0.0.1/new.xml", enabled=False, options={"max_items": 5})
    upsert_source(any_db, moved)
    assert list_sources(any_db) == [moved]
    runs = [start_crawl_run(any_db, source, started=NOW + timedelta(minutes=n))
            for n, source in enumerate((SOURCE.id, "ander", SOURCE.id))]
    assert [r.id for r in recent_crawl_runs(any_db)] == runs[::-1]
    assert [r.id for r in recent_crawl_runs(any_db, SOURCE.id, limit=1)] == [runs[2]]


def test_source_health_counts_failures_in_a_row_and_silence(any_db):
    upsert_source(any_db, SOURCE)
    add_doc(any_db, when=NOW - timedelta(hours=30))
    ok = start_crawl_run(any_db, SOURCE.id, started=NOW - timedelta(hours=3))
    finish_crawl_run(any_db, ok, CrawlStats(new=1), "ok", ended=NOW - timedelta(hours=3))
    for hours in (2, 1):
        run = start_crawl_run(any_db, SOURCE.id, started=NOW - timedelta(hours=hours))
        finish_crawl_run(any_db, run, CrawlStats(), "failed", ended=NOW - timedelta(hours=hours))
    (health,) = source_health(any_db, now=NOW)
    assert health.consecutive_failures == 2
    assert health.last_success == NOW - timedelta(hours=3)
    assert not health.healthy
    assert health.silent_hours == 30.0
    assert health.documents_total == 1


def test_watches_are_saved_by_name_and_deleted(any_db):
    watch_id = save_watch(any_db, Watch(name="Stadskantoor", query="stadskantoor"))
    renamed = Watch(name="Stadskantoor", query="stadskantoor OR spui")
    assert save_watch(any_db, renamed) == watch_id
    (watch,) = list_watches(any_db)
    assert watch.query == "stadskantoor OR spui"
    delete_watch(any_db, watch_id)
    assert list_watches(any_db) == []
    assert removed_watches(any_db) == {"Stadskantoor": "stadskantoor OR spui"}
    again = save_watch(any_db, Watch(name="Stadskantoor", query="nieuw"))
    assert removed_watches(any_db) == {}  # saving the name again forgets the removal
    delete_watch(any_db, again)
    assert removed_watches(any_db) == {"Stadskantoor": "nieuw"}


def test_annotations_keep_author_and_time_and_feed_training(any_db):
    doc = add_doc(any_db)
    for value in ("positief", "negatief"):
        add_annotation(any_db, Annotation(doc.id, "correction", value, "adviseur", NOW))
    add_annotation(any_db, Annotation(doc.id, "note", "Let op: raadsvragen", "adviseur", NOW))
    notes = list_annotations(any_db, doc.id, "note")
    assert notes[0].author == "adviseur" and notes[0].created == NOW
    assert latest_corrections(any_db) == [(doc.id, None, "Titel. Tekst over de Spuiboulevard.",
                                             "negatief")]
    # A sentence's correction is its own line: it neither hides nor is hidden by the
    # document's (NULL sentence) correction.
    add_annotation(any_db, Annotation(doc.id, "correction", "neutraal", "adviseur", NOW,
                                      sentence_idx=0))
    assert [(c[1], c[3]) for c in latest_corrections(any_db)] == [(None, "negatief"),
                                                                 (0, "neutraal")]


@pytest.mark.parametrize(
    ("kind", "value", "author", "message"),
    [
        ("correction", "heel goed", "a", "must be one of"),
        ("like", "x", "a", "Unknown annotation kind"),
        ("note", "   ", "a", "needs a value"),
        ("note", "x", " ", "needs an author"),
    ],
)
def test_bad_annotations_are_refused(any_db, kind, value, author, message):
    doc = add_doc(any_db)
    with pytest.raises(AnnotationError, match=message):
        add_annotation(any_db, Annotation(doc.id, kind, value, author, NOW))


def test_annotation_on_unknown_document_is_refused(any_db):
    with pytest.raises(AnnotationError, match="No document"):
        add_annotation(any_db, Annotation("nope", "note", "x", "a", NOW))
