"""Storage round-trips, idempotent upserts, edit history, FTS and purge.

Every test with `any_db` runs on a SQLite file and on PostgreSQL (issue 16)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.records import (
    MAX_TEXT_CHARS,
    MAX_TITLE_CHARS,
    Document,
    document_id_for_post,
    document_id_for_url,
)
from storage.documents import (
    DERIVED_TABLES,
    DocumentFilter,
    count_documents,
    document_versions,
    fts_query,
    get_document,
    list_documents,
    purge_older_than,
    set_syndication_group,
    upsert_document,
)

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def make_doc(url: str = "https://example.nl/a", **overrides: object) -> Document:
    values: dict[str, object] = {
        "id": document_id_for_url(url),
        "source_id": "drechtstad",
        "kind": "news",
        "url": url,
        "title": "Nieuw stadskantoor aan de Spuiboulevard",
        "text": "Het stadskantoor opent in maart. Bewoners zijn tevreden.",
        "published": NOW - timedelta(days=1),
        "fetched": NOW,
    }
    values.update(overrides)
    return Document(**values)  # type: ignore[arg-type]


def test_upsert_is_idempotent(any_db):
    assert upsert_document(any_db, make_doc()) == "new"
    assert upsert_document(any_db, make_doc()) == "unchanged"
    assert count_documents(any_db) == 1


def test_edit_updates_in_place_and_keeps_history(any_db):
    upsert_document(any_db, make_doc())
    edited = make_doc(text="Het stadskantoor opent pas in mei. Bewoners zijn boos.")
    assert upsert_document(any_db, edited) == "updated"
    assert count_documents(any_db) == 1
    stored = get_document(any_db, edited.id)
    assert stored is not None and "mei" in stored.text
    history = document_versions(any_db, edited.id)
    assert [v["version"] for v in history] == [1]
    assert "maart" in history[0]["text"]


def test_update_keeps_syndication_group_when_not_given(any_db):
    doc = make_doc()
    upsert_document(any_db, doc)
    set_syndication_group(any_db, [doc.id], "g1")
    upsert_document(any_db, make_doc(text="Andere tekst"))
    stored = get_document(any_db, doc.id)
    assert stored is not None and stored.syndication_group == "g1"


def test_social_ids_derive_from_platform_and_post_id():
    assert document_id_for_post("Mastodon", "123") == document_id_for_post("mastodon", "123")
    assert document_id_for_post("mastodon", "123") != document_id_for_post("bluesky", "123")


def test_oversized_text_is_capped(any_db):
    doc = make_doc(text="x" * 500_000, title="t" * 5000)
    upsert_document(any_db, doc)
    stored = get_document(any_db, doc.id)
    assert stored is not None
    assert len(stored.text) == MAX_TEXT_CHARS and len(stored.title) == MAX_TITLE_CHARS
    assert MAX_TEXT_CHARS == 100_000  # the one cap, shared with the crawler


def test_full_text_search_follows_edits(any_db):
    doc = make_doc()
    upsert_document(any_db, doc)
    assert len(list_documents(any_db, DocumentFilter(text_query="maart"))) == 1
    upsert_document(any_db, make_doc(text="Opening uitgesteld tot mei."))
    assert list_documents(any_db, DocumentFilter(text_query="maart")) == []
    assert len(list_documents(any_db, DocumentFilter(text_query="uitgesteld"))) == 1


def test_search_ignores_diacritics_and_handles_syntax(any_db):
    upsert_document(any_db, make_doc(text="Een café in de Voorstraat sluit."))
    assert len(list_documents(any_db, DocumentFilter(text_query="cafe"))) == 1
    # Characters that are FTS5 syntax must not raise.
    for nasty in ['"', "AND", "(((", "col:umn", "*", "NEAR(", "-x"]:
        list_documents(any_db, DocumentFilter(text_query=nasty))


def test_fts_query_keeps_phrases_operators_and_prefixes():
    assert fts_query('stadskantoor OR "nieuwe brug" parkeer*') == (
        '"stadskantoor" OR "nieuwe brug" "parkeer"*'
    )
    assert fts_query("OR OR") == '""'
    assert fts_query("brug AND") == '"brug"'


def test_filters_by_kind_and_period(any_db):
    upsert_document(any_db, make_doc("https://a.nl/1", kind="social"))
    upsert_document(any_db, make_doc("https://a.nl/2", published=NOW - timedelta(days=30)))
    rows = list_documents(any_db, DocumentFilter(kinds=("social",)))
    assert [r["url"] for r in rows] == ["https://a.nl/1"]
    recent = list_documents(any_db, DocumentFilter(since=NOW - timedelta(days=7)))
    assert [r["url"] for r in recent] == ["https://a.nl/1"]


def test_purge_removes_old_social_posts_and_derived_rows_only(any_db):
    old = make_doc("https://m.nl/1", kind="social", fetched=NOW - timedelta(days=100))
    new = make_doc("https://m.nl/2", kind="social", fetched=NOW - timedelta(days=1))
    news = make_doc("https://a.nl/3", fetched=NOW - timedelta(days=400))
    for doc in (old, new, news):
        upsert_document(any_db, doc)
    any_db.execute('INSERT INTO sentences (document_id, idx, text, start, "end") '
                   "VALUES (?, ?, ?, ?, ?)", [old.id, 0, "x", 0, 1])
    removed = purge_older_than(any_db, "social", NOW - timedelta(days=90))
    assert removed == 1
    assert get_document(any_db, old.id) is None
    assert get_document(any_db, new.id) is not None
    assert get_document(any_db, news.id) is not None
    assert any_db.execute("SELECT count(*) FROM sentences").fetchone()[0] == 0
    assert list_documents(any_db, DocumentFilter(text_query="stadskantoor"))  # FTS in sync


odd_text = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"]), min_size=0, max_size=300
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    title=odd_text,
    text=st.one_of(
        odd_text,
        st.sampled_from(
            [
                "Gemeente Dordrecht zegt: “prima” — 👍🏽 café’s en ĳsbaan",
                "Mojibake: cafÃ© Ã¨ â€œ",
                "\x00NUL in tekst\ufeff met BOM",
                "Tab\tnieuwe\r\nregel",
            ]
        ),
    ),
)
def test_round_trip_preserves_any_text(any_db, title, text):
    doc = make_doc(f"https://example.nl/{abs(hash((title, text)))}", title=title, text=text)
    upsert_document(any_db, doc)
    stored = get_document(any_db, doc.id)
    assert stored is not None
    # NUL is dropped (PostgreSQL's TEXT cannot hold it); everything else survives as is.
    assert (stored.title, stored.text) == (title.replace("\x00", ""), text.replace("\x00", ""))
    assert stored.published == doc.published


def test_naive_datetimes_are_taken_as_utc(any_db):
    doc = make_doc(published=datetime(2026, 1, 1, 9, 30))
    upsert_document(any_db, doc)
    stored = get_document(any_db, doc.id)
    assert stored is not None and stored.published == datetime(2026, 1, 1, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize("kind", ["news", "social", "official"])
def test_kind_survives_round_trip(any_db, kind):
    doc = make_doc(f"https://k.nl/{kind}", kind=kind)
    upsert_document(any_db, doc)
    stored = get_document(any_db, doc.id)
    assert stored is not None and stored.kind == kind


def test_every_table_keyed_by_document_is_purged_with_it(fresh_db):
    """A new table with a document_id column must join DERIVED_TABLES, or retention leaks."""
    keyed = {
        name
        for name in fresh_db.table_names()
        if "document_id" in fresh_db[name].columns_dict and not name.endswith("_fts")
    }
    assert keyed == {table for table, _ in DERIVED_TABLES}
