"""Rollups count exactly what the documents hold; dashboard queries answer from them.

Every test runs on a SQLite file and on a PostgreSQL database (ids `sqlite`, `postgres`)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from core.records import Annotation, Document, Source, Watch
from newsroom.demo.synthetic import attach_analysis
from storage import dashboard_queries as q
from storage.adviser import add_annotation, save_watch
from storage.crawl_log import upsert_source
from storage.dashboard_queries.tags import tag_documents
from storage.documents import DocumentFilter, upsert_document
from storage.rollups import refresh_daily_rollup, rollup_is_stale

DAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday


def add(db: Any, key: str, when: datetime, label: str | None,
        source: str = "krant", kind: str = "news", title: str = "", text: str = "", **extra
        ) -> str:
    doc = Document(id=f"d-{key}", source_id=source, kind=kind,  # type: ignore[arg-type]
                   url=f"https://x.invalid/{key}", title=title or f"Titel {key}",
                   text=text or f"Tekst {key}", published=when, fetched=when)
    upsert_document(db, doc)
    if label is not None:
        attach_analysis(db, doc.id, label, **extra)
    return doc.id


@pytest.fixture
def small(any_db: Any) -> Any:
    db = any_db
    upsert_source(db, Source(id="krant", name="De Krant", kind="news", type="rss",
                             url="https://x.invalid/feed"))
    upsert_source(db, Source(id="forum", name="Forum", kind="social", type="rss",
                             url="https://y.invalid/feed"))
    watch = save_watch(db, Watch(name="Brug", query="brug"))
    add(db, "a", DAY, "negatief", topics=("verkeer",), places=("WK050502",), watch_ids=(watch,))
    add(db, "b", DAY + timedelta(hours=2), "positief", topics=("verkeer",), watch_ids=(watch,))
    add(db, "c", DAY + timedelta(days=1), "neutraal", source="forum", kind="social",
        places=("WK050502",))
    add(db, "d", DAY + timedelta(days=8), None)  # not scored yet
    refresh_daily_rollup(db)
    return db


def test_daily_rollup_counts_labels_and_unscored(small: Any) -> None:
    rows = {(r["day"], r["source_id"]): r for r in small.query("SELECT * FROM daily_rollup")}
    first = rows[("2026-03-02", "krant")]
    assert (first["n"], first["n_neg"], first["n_pos"], first["n_unscored"]) == (2, 1, 1, 0)
    assert rows[("2026-03-10", "krant")]["n_unscored"] == 1
    assert sum(r["n"] for r in rows.values()) == 4
    assert not rollup_is_stale(small)


def test_refresh_is_idempotent_and_partial(small: Any) -> None:
    before = list(small.query("SELECT * FROM daily_rollup ORDER BY day, source_id"))
    refresh_daily_rollup(small)
    assert list(small.query("SELECT * FROM daily_rollup ORDER BY day, source_id")) == before
    add(small, "e", DAY + timedelta(days=8, hours=1), "negatief")
    assert rollup_is_stale(small)
    refresh_daily_rollup(small, since=DAY + timedelta(days=5))
    assert not rollup_is_stale(small)
    rows = list(small.query("SELECT * FROM daily_rollup ORDER BY day, source_id"))
    assert rows[:2] == before[:2]  # earlier days untouched
    assert rows[-1]["n"] == 2 and rows[-1]["n_neg"] == 1


def test_watch_topic_and_place_rollups(small: Any) -> None:
    watch = small.execute("SELECT sum(n), sum(n_neg), sum(n_pos) FROM daily_watch_rollup")
    assert watch.fetchone() == (2, 1, 1)
    topic = small.execute("SELECT topic, n FROM daily_topic_rollup").fetchall()
    assert topic == [("verkeer", 2)]
    place = small.execute("SELECT cbs_code, name, sum(n) FROM daily_place_rollup GROUP BY 1, 2")
    assert place.fetchall() == [("WK050502", "Krispijn", 2)]


def test_volume_series_by_day_and_week(small: Any) -> None:
    start, end = date(2026, 3, 1), date(2026, 3, 20)
    days = q.volume_series(small, start, end, "day")
    assert [(r["period"], r["n"]) for r in days] == [
        ("2026-03-02", 2), ("2026-03-03", 1), ("2026-03-10", 1)]
    assert days[0]["share_neg"] == 0.5
    assert days[2]["share_neg"] is None  # nothing scored that day
    weeks = q.volume_series(small, start, end, "week")
    assert [(r["period"], r["n"]) for r in weeks] == [("2026-03-02", 3), ("2026-03-09", 1)]
    social = q.volume_series(small, start, end, "day", kinds=("social",))
    assert [r["n"] for r in social] == [1]
    with pytest.raises(ValueError):
        q.volume_series(small, start, end, "month")


def test_volume_by_source_and_totals(small: Any) -> None:
    by_source = q.volume_by(small, date(2026, 3, 1), date(2026, 3, 20), "source")
    assert [(r["name"], r["n"]) for r in by_source] == [("De Krant", 3), ("Forum", 1)]
    totals = q.period_totals(small, date(2026, 3, 2), date(2026, 3, 9))
    assert totals["n"] == 3 and totals["n_neg"] == 1
    empty = q.period_totals(small, date(2020, 1, 1), date(2020, 1, 8))
    assert empty["n"] == 0 and empty["share_neg"] is None


def test_search_filters_and_fts(small: Any) -> None:
    assert {r["id"] for r in q.search_documents(small, DocumentFilter(labels=("negatief",)))} \
        == {"d-a"}
    assert [r["id"] for r in q.search_documents(small, DocumentFilter(text_query="tekst"))] == [
        "d-d", "d-c", "d-b", "d-a"]
    only_place = DocumentFilter(text_query="tekst", place_codes=("WK050502",))
    assert {r["id"] for r in q.search_documents(small, only_place)} == {"d-a", "d-c"}
    # FTS syntax characters in what an adviser types never raise.
    for text in ('"', "AND OR", "tekst)", "NEAR(", "*", "a:b"):
        q.search_documents(small, DocumentFilter(text_query=text))
    assert q.search_documents(small, DocumentFilter(text_query="tekst"), limit=2)[0]["id"] == "d-d"


def test_items_of_the_same_moment_list_in_one_order_on_both_engines(any_db: Any) -> None:
    """Berichten lists newest first; items published at the same second (a feed that stamps
    a batch with one time, or the synthetic corpus) come newest-stored first on both engines,
    with and without a text query, so the LIMIT cuts the list at the same item. Without the
    tie-breaker PostgreSQL returned such items in its own order (seen on the dashboard)."""
    keys = [f"t{i:02d}" for i in range(12)]
    for key in keys:
        add(any_db, key, DAY, "neutraal", title=f"Zelfde moment {key}")
    newest_stored_first = [f"d-{key}" for key in reversed(keys)]
    for flt in (DocumentFilter(), DocumentFilter(text_query="moment")):
        assert [r["id"] for r in q.search_documents(any_db, flt)] == newest_stored_first
        assert [r["id"] for r in q.search_documents(any_db, flt, limit=5)] == \
            newest_stored_first[:5]


def test_equal_counts_list_in_one_order_on_both_engines(any_db: Any) -> None:
    """Rows that tie on what a table is sorted by (outlets with as many items, areas, kinds,
    watches, stories of one size, tagged items of one moment) come in a fixed order: by
    their key, or newest stored first. Without it PostgreSQL returned ties in its own order,
    so the same page listed them differently on the two engines (Projecten's outlets)."""
    db = any_db
    brug, markt = (save_watch(db, Watch(name=name, query=name.lower()))
                   for name in ("Brug", "Markt"))
    sources = [f"bron{i}" for i in range(8)]
    wijken = [f"WK05050{i}" for i in range(8)]
    kinds = ["news", "social", "government"]
    for i, source in enumerate(reversed(sources)):  # stored in reverse key order
        key = f"e{i}"
        add(db, key, DAY, "negatief", source=source, kind=kinds[i % 3] if i < 6 else "news",
            places=(wijken[7 - i],), watch_ids=(markt, brug))
        add_annotation(db, Annotation(document_id=f"d-{key}", kind="tag", value="klacht",
                                      author="ann", created=DAY))
        db.execute("INSERT INTO stories VALUES (?, ?, ?, ?, 1)",
                   [f"st-{source}", f"Verhaal {i}", DAY.isoformat(), DAY.isoformat()])
        db.execute("INSERT INTO document_stories VALUES (?, ?)", [f"d-{key}", f"st-{source}"])
    refresh_daily_rollup(db)
    start, end = date(2026, 3, 1), date(2026, 3, 9)
    assert [r["key"] for r in q.volume_by(db, start, end, "source")] == sources
    assert [r["key"] for r in q.volume_by(db, start, end, "kind")] == [
        "news", "government", "social"]  # 4 news; then 2 each, by key
    assert [r["source_id"] for r in q.watch_outlets(db, brug, start, end)] == sources
    assert [r["watch_id"] for r in q.share_of_voice(db, start, end)] == sorted([brug, markt])
    assert [r["cbs_code"] for r in q.place_counts(db, start, end)] == wijken
    stories = [f"st-{source}" for source in sources]
    assert [r["story_id"] for r in q.top_stories(db, start, end, 5)] == stories[:5]
    assert [r["story_id"] for r in q.emerging_stories(db, start, 5)] == stories[:5]
    newest_stored_first = [f"d-e{i}" for i in reversed(range(8))]
    assert [r["id"] for r in tag_documents(db, "klacht", start, end, limit=5)] == \
        newest_stored_first[:5]


def test_watch_queries(small: Any) -> None:
    watch_id = small.execute("SELECT id FROM watches").fetchone()[0]
    start, end = date(2026, 3, 1), date(2026, 3, 20)
    assert [r["n"] for r in q.watch_series(small, watch_id, start, end)] == [2]
    assert q.watch_extremes(small, watch_id, start, end, "negatief")[0]["id"] == "d-a"
    assert q.watch_extremes(small, watch_id, start, end, "positief")[0]["id"] == "d-b"
    assert q.watch_outlets(small, watch_id, start, end)[0]["name"] == "De Krant"
    voice = q.share_of_voice(small, start, end)
    assert voice[0]["name"] == "Brug" and voice[0]["share"] == 1.0
    with pytest.raises(ValueError):
        q.watch_extremes(small, watch_id, start, end, "boos")


def test_place_counts_and_item(small: Any) -> None:
    places = q.place_counts(small, date(2026, 3, 1), date(2026, 3, 20))
    assert places[0]["name"] == "Krispijn" and places[0]["n"] == 2
    assert q.place_counts(small, date(2026, 3, 1), date(2026, 3, 20), ("buurt",)) == []
    item = q.document_item(small, "d-a")
    assert item is not None
    assert item["label"] == "negatief" and item["model_name"] == "synthetic"
    assert item["topics"][0]["topic"] == "verkeer" and item["watches"][0]["name"] == "Brug"
    assert item["source_name"] == "De Krant"
    assert q.document_item(small, "missing") is None


def test_stories_and_topics(any_db: Any) -> None:
    db = any_db
    for key, source in (("s1", "krant"), ("s2", "forum"), ("s3", "omroep")):
        add(db, key, DAY + timedelta(hours=1), "negatief", source=source, topics=("wonen",))
    db.execute("INSERT INTO stories VALUES ('st1', 'Woningnood', ?, ?, 3)",
               ["2026-03-02T10:00:00+00:00", "2026-03-02T11:00:00+00:00"])
    for key in ("s1", "s2", "s3"):
        db.execute("INSERT INTO document_stories VALUES (?, 'st1')", [f"d-{key}"])
    for offset in range(1, 29):
        add(db, f"old{offset}", DAY - timedelta(days=offset + 7), "neutraal", topics=("zorg",))
    refresh_daily_rollup(db)
    top = q.top_stories(db, date(2026, 3, 2), date(2026, 3, 9))
    assert len(top) == 1 and top[0]["n"] == 3
    assert top[0]["outlets"] == ["forum", "krant", "omroep"] and top[0]["label"] == "Woningnood"
    emerging = q.emerging_stories(db, date(2026, 3, 1))
    assert emerging[0]["story_id"] == "st1" and len(emerging[0]["outlets"]) == 3
    rising = q.emerging_topics(db, date(2026, 3, 2))
    assert rising[0]["topic"] == "wonen" and rising[0]["growth"] is None  # new topic
    assert {r["topic"]: r["recent"] for r in rising} == {"wonen": 3, "zorg": 0}
    assert q.topic_names(db) == ["wonen", "zorg"]
    story = q.document_item(db, "d-s2")["story"]  # type: ignore[index]
    assert story["label"] == "Woningnood"
    assert [d["id"] for d in story["documents"]] == ["d-s1", "d-s2", "d-s3"]  # same time: by id


def test_source_health_from_rollup_matches_core(any_db: Any) -> None:
    from newsroom.demo.synthetic import generate_corpus
    from storage.crawl_log import source_health

    now = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)
    generate_corpus(any_db, 1_500, days=40, now=now)
    fast = {h.source_id: h for h in q.source_health_from_rollup(any_db, now=now)}
    core = {h.source_id: h for h in source_health(any_db, now=now)}
    assert fast.keys() == core.keys() and len(fast) >= 10
    for source_id, expected in core.items():
        got = fast[source_id]
        assert (got.documents_total, got.silent_hours) == (
            expected.documents_total, expected.silent_hours)
        # The rollup counts whole days, the core exact timestamps: at most the boundary day.
        assert abs(got.items_per_day - expected.items_per_day) <= 0.6
        assert (got.last_success, got.consecutive_failures, got.healthy) == (
            expected.last_success, expected.consecutive_failures, expected.healthy)
    assert any(not h.healthy for h in fast.values())  # the failing synthetic source


def test_lists_for_filters_ranges_and_crawl_issues(small: Any) -> None:
    from core.records import CrawlIssue
    from storage.crawl_log import record_crawl_issue, start_crawl_run
    from storage.scope import documents_in_watches

    assert q.rollup_range(small) == (date(2026, 3, 2), date(2026, 3, 10))
    by_kind = q.volume_by(small, date(2026, 3, 1), date(2026, 3, 20), "kind")
    assert [(r["key"], r["n"], r["n_neg"]) for r in by_kind] == [("news", 3, 1), ("social", 1, 0)]
    with pytest.raises(ValueError):
        q.volume_by(small, date(2026, 3, 1), date(2026, 3, 20), "taal")
    assert [(p["cbs_code"], p["name"], p["level"]) for p in q.place_names(small)] == [
        ("WK050502", "Krispijn", "wijk")]
    weeks = q.topic_series(small, date(2026, 3, 1), date(2026, 3, 20), "week")
    assert [(r["period"], r["topic"], r["n"], r["polarity"] is not None) for r in weeks] == [
        ("2026-03-02", "verkeer", 2, True)]
    assert [s["name"] for s in q.source_options(small)] == ["De Krant", "Forum"]
    run = start_crawl_run(small, "forum", started=DAY)
    for n in range(3):
        record_crawl_issue(small, run, CrawlIssue(f"https://y.invalid/{n}", "parse_error"))
    issues = q.recent_crawl_issues(small, limit=2)
    assert [i["url"] for i in issues] == ["https://y.invalid/2", "https://y.invalid/1"]
    assert issues[0]["source_id"] == "forum" and issues[0]["status"] == "running"
    watch_id = small.execute("SELECT id FROM watches").fetchone()[0]
    assert documents_in_watches(small, ["d-a", "d-b", "d-c"], [watch_id]) == {"d-a", "d-b"}
    assert documents_in_watches(small, ["d-a"], []) == set()
