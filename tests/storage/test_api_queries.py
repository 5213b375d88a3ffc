"""The HTTP API's read queries (storage.api_queries) and its tokens (storage.api_tokens),
on a SQLite file and on a PostgreSQL database (ids `sqlite`, `postgres`).

Why here and not only through the server (tests/api): the server opens the store its config
names; these tests call the queries on both engines directly: keyset paging that never
repeats a row, filters and a project lead's scope on every figure, counts per day / topic /
watch / place by effective label, incidents without what lies outside the scope.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.records import Annotation, Document, Source, Watch, document_id_for_url
from newsroom.demo.synthetic import attach_analysis
from storage.adviser import add_annotation, save_watch
from storage.alerts import Alert
from storage.api_queries import (
    ApiFilter,
    aggregate,
    document_detail,
    documents_page,
    existing_documents,
    incidents,
)
from storage.api_tokens import (
    TokenError,
    create_token,
    find_token,
    list_tokens,
    mark_used,
    revoke_token,
)
from storage.crawl_log import upsert_source
from storage.db import Database
from storage.documents import DocumentFilter, upsert_document
from storage.incidents import create_incident

NOON = datetime(2026, 11, 20, 12, tzinfo=UTC)
ALL = ApiFilter(DocumentFilter())
Store = tuple[Database, dict[str, str], int, int]


def _doc(db: Database, key: str, hours_ago: float, label: str | None, *,
         topic: str = "verkeer", place: str | None = None,
         watch: int | None = None) -> str:
    url = f"https://krant.invalid/{key}"
    when = NOON - timedelta(hours=hours_ago)
    doc = Document(id=document_id_for_url(url), source_id="krant", kind="news", url=url,
                   title=f"Titel {key}", text=f"Tekst over {key}.", published=when,
                   fetched=when)
    upsert_document(db, doc)
    if label is not None:
        attach_analysis(db, doc.id, label, topics=(topic,),
                        places=(place,) if place else (), watch_ids=(watch,) if watch else ())
    return doc.id


@pytest.fixture
def store(any_db: Database) -> Store:
    db = any_db
    upsert_source(db, Source(id="krant", name="De Krant", kind="news", type="rss",
                             url="https://krant.invalid/feed"))
    zwembad = save_watch(db, Watch(name="Zwembad", query="zwembad"))
    brug = save_watch(db, Watch(name="Brug", query="brug"))
    ids = {
        "a": _doc(db, "a", 1, "negatief", topic="sport", place="WK050502", watch=zwembad),
        "b": _doc(db, "b", 2, "positief", topic="sport", watch=zwembad),
        "c": _doc(db, "c", 26, "neutraal", place="WK050500", watch=brug),
        "d": _doc(db, "d", 27, None),
        "e": _doc(db, "e", 50, "negatief"),
        "f": _doc(db, "f", 50, "negatief"),
    }
    add_annotation(db, Annotation(ids["b"], "correction", "negatief", "adviseur", NOON))
    add_annotation(db, Annotation(ids["c"], "tag", "raadsvragen", "adviseur", NOON))
    add_annotation(db, Annotation(ids["c"], "tag", "raadsvragen", "adviseur", NOON))
    return db, ids, zwembad, brug


def test_pages_walk_every_document_once_newest_first(store: Store) -> None:
    db, ids, _zwembad, _brug = store
    seen: list[str] = []
    cursor = None
    for _ in range(10):
        rows, cursor = documents_page(db, ALL, 2, cursor)
        assert "_num" not in rows[0] and "_time" not in rows[0]
        seen.extend(r["id"] for r in rows)
        if cursor is None:
            break
    # "e" and "f" share a time: the later stored one (higher row number) comes first.
    assert seen == [ids["a"], ids["b"], ids["c"], ids["d"], ids["f"], ids["e"]]
    first, _ = documents_page(db, ALL, 10)
    by_id = {r["id"]: r for r in first}
    # The correction is the label; the model's own verdict stays readable.
    assert (by_id[ids["b"]]["label"], by_id[ids["b"]]["model_label"]) == ("negatief", "positief")
    assert by_id[ids["d"]]["label"] is None and by_id[ids["a"]]["source_name"] == "De Krant"


def test_filters_tags_and_scope(store: Store) -> None:
    db, ids, zwembad, brug = store
    negatives, _ = documents_page(db, ApiFilter(DocumentFilter(labels=("negatief",))), 10)
    assert {r["id"] for r in negatives} == {ids["a"], ids["b"], ids["e"], ids["f"]}
    tagged, _ = documents_page(db, ApiFilter(DocumentFilter(), tags=("raadsvragen",)), 10)
    assert [r["id"] for r in tagged] == [ids["c"]]
    scoped, _ = documents_page(db, ApiFilter(DocumentFilter(), scope_watch_ids=(zwembad,)), 10)
    assert [r["id"] for r in scoped] == [ids["a"], ids["b"]]
    nothing, cursor = documents_page(db, ApiFilter(DocumentFilter(), scope_watch_ids=()), 10)
    assert (nothing, cursor) == ([], None)
    assert existing_documents(db, [ids["a"], ids["c"], "weg"]) == {ids["a"], ids["c"]}
    assert existing_documents(db, [ids["a"], ids["c"]], (brug,)) == {ids["c"]}


def test_detail_has_topics_places_tags_and_scoped_watches(store: Store) -> None:
    db, ids, zwembad, brug = store
    item = document_detail(db, ids["c"])
    assert item is not None and item["text"] == "Tekst over c."
    assert [t["topic"] for t in item["topics"]] == ["verkeer"]
    assert [p["cbs_code"] for p in item["places"]] == ["WK050500"]
    assert item["tags"] == ["raadsvragen"] and [w["name"] for w in item["watches"]] == ["Brug"]
    assert document_detail(db, ids["c"], (zwembad,)) is None  # outside a lead's scope
    assert document_detail(db, ids["c"], (brug,)) is not None
    assert document_detail(db, "bestaat-niet") is None


def test_counts_per_day_topic_watch_and_place(store: Store) -> None:
    db, _ids, zwembad, _brug = store
    days = aggregate(db, ALL, "day")
    assert [(r["day"], r["documents"], r["negatief"]) for r in days] == [
        ("2026-11-18", 2, 2), ("2026-11-19", 2, 0), ("2026-11-20", 2, 2)]
    topics = aggregate(db, ALL, "topic")
    assert [(r["topic"], r["documents"], r["negatief"], r["neutraal"]) for r in topics] == [
        ("verkeer", 3, 2, 1), ("sport", 2, 2, 0)]
    watches = aggregate(db, ALL, "watch")
    assert [(r["watch"], r["documents"], r["negatief"]) for r in watches] == [
        ("Zwembad", 2, 2), ("Brug", 1, 0)]
    scoped = aggregate(db, ApiFilter(DocumentFilter(), scope_watch_ids=(zwembad,)), "watch")
    assert [r["watch"] for r in scoped] == ["Zwembad"]
    places = aggregate(db, ALL, "place")
    assert [(r["cbs_code"], r["name"], r["level"], r["documents"]) for r in places] == [
        ("WK050500", "Binnenstad", "wijk", 1), ("WK050502", "Krispijn", "wijk", 1)]
    for row in days + topics + watches + places:
        assert all(isinstance(row[key], int) for key in ("documents", "negatief", "positief"))
    with pytest.raises(ValueError, match="aggregate by one of"):
        aggregate(db, ALL, "bron")


def test_incidents_list_existing_evidence_and_hide_the_message_outside_scope(
        store: Store) -> None:
    db, ids, zwembad, brug = store
    alert = Alert(kind="negative_spike", scope_type="overall", scope_key="alles",
                  window_start=NOON - timedelta(days=1), window_end=NOON, figures={},
                  message="Piek: zwembad", dedupe_key="test-zwembad", created=NOON)
    incident = create_incident(db, alert, ("overall:alles",),
                               frozenset({ids["a"], ids["e"], "gewist"}), 3)
    assert incident is not None
    [full] = incidents(db, 10)
    assert full["documents"] == sorted([ids["a"], ids["e"]]) and full["message"] == "Piek: zwembad"
    assert full["kind"] == "negative_spike" and full["peak_count"] == 3
    [lead] = incidents(db, 10, (zwembad,))
    assert lead["documents"] == [ids["a"]] and lead["message"] is None
    assert incidents(db, 10, (brug,)) == []


def test_tokens_are_stored_hashed_listed_revoked_once_and_marked_used(
        any_db: Database) -> None:
    db = any_db
    first, secret = create_token(db, "anna", " laptop ")
    second, _ = create_token(db, "piet", "", NOON.replace(year=2099))
    assert second.id > first.id > 0 and first.name == "laptop"
    assert secret not in str(db.execute("SELECT token_hash FROM api_tokens").fetchall())
    found = find_token(db, secret)
    assert found is not None and (found.id, found.username) == (first.id, "anna")
    assert find_token(db, "nrt_onbekend") is None and find_token(db, "x" * 300) is None
    assert [t.id for t in list_tokens(db)] == [first.id, second.id]
    assert [t.username for t in list_tokens(db, "piet")] == ["piet"]
    mark_used(db, found, NOON)
    used = find_token(db, secret)
    assert used is not None and used.last_used == NOON
    mark_used(db, used, NOON + timedelta(seconds=10))  # within a minute: not written again
    assert find_token(db, secret).last_used == NOON  # type: ignore[union-attr]
    assert revoke_token(db, first.id).revoked is None
    assert list_tokens(db, "anna")[0].state(NOON) == "ingetrokken"
    with pytest.raises(TokenError, match="al ingetrokken"):
        revoke_token(db, first.id)
    with pytest.raises(TokenError, match="geen token met nummer"):
        revoke_token(db, 999)
    with pytest.raises(TokenError, match="verleden"):
        create_token(db, "anna", "oud", datetime(2000, 1, 1, tzinfo=UTC))
