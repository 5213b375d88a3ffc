"""Full-text search on both engines (storage.search): words, phrases, prefixes, operators,
ranking, diacritics; Dutch stemming where the engine has it (PostgreSQL's `dutch`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.records import Document, document_id_for_url
from storage import dialect
from storage.db import apply_migrations, open_db
from storage.documents import DocumentFilter, list_documents, purge_older_than, upsert_document
from storage.search import fts5_query, text_search

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def _store(db, slug: str, title: str, text: str, age_days: int = 1) -> None:
    url = f"https://example.nl/{slug}"
    upsert_document(db, Document(
        id=document_id_for_url(url), source_id="s", kind="news", url=url, title=title,
        text=text, published=NOW - timedelta(days=age_days), fetched=NOW))


def _found(db, query: str, *, by_relevance: bool = False) -> list[str]:
    rows = list_documents(db, DocumentFilter(text_query=query), limit=None,
                          by_relevance=by_relevance)
    return [row["url"].rsplit("/", 1)[1] for row in rows]


@pytest.fixture
def corpus(any_db):
    _store(any_db, "brug", "De nieuwe brug is open", "Fietsers zijn blij met de brug.")
    _store(any_db, "oud", "Brug wordt gesloopt", "Een nieuwe aanpak voor de oude brug.", 2)
    _store(any_db, "parkeren", "Parkeerplaatsen verdwijnen", "Bewoners klagen.", 3)
    _store(any_db, "fiets", "Fietspad langs de Merwede", "Het fietspad is breder.", 4)
    _store(any_db, "zwembad", "Zwembad dicht", "Het zwembad blijft een maand dicht.", 5)
    _store(any_db, "cafe", "Café De Hoek sluit", "Het café aan de Voorstraat sluit.", 6)
    return any_db


def test_words_are_anded_and_phrases_keep_their_order(corpus):
    assert sorted(_found(corpus, "nieuwe brug")) == ["brug", "oud"]
    assert _found(corpus, '"nieuwe brug"') == ["brug"]
    assert _found(corpus, '"brug nieuwe"') == []


def test_a_phrase_does_not_run_from_the_title_into_the_text(corpus):
    """FTS5 matches a phrase within one column; PostgreSQL's one tsvector per document must
    not let a phrase span the title's last word and the text's first either."""
    assert _found(corpus, '"open fietsers"') == []
    assert _found(corpus, '"dicht het zwembad"') == []
    assert _found(corpus, '"brug is open"') == ["brug"]  # within the title
    assert _found(corpus, '"blij met de brug"') == ["brug"]  # within the text
    assert _found(corpus, "open fietsers") == ["brug"]  # words may come from both


OLD_SEARCH_SYNC = """
CREATE OR REPLACE FUNCTION documents_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM documents_search WHERE num = OLD.num;
        RETURN OLD;
    END IF;
    INSERT INTO documents_search (num, tsv)
    VALUES (NEW.num, setweight(to_tsvector('newsroom_dutch', NEW.title), 'A')
                     || setweight(to_tsvector('newsroom_dutch', NEW.text), 'B'))
    ON CONFLICT (num) DO UPDATE SET tsv = excluded.tsv;
    RETURN NEW;
END
$$;
"""
"""The trigger function PostgreSQL databases had before the phrase fix (positions of the
text straight after the title's)."""


@pytest.mark.postgres
def test_migration_0121_mends_search_rows_of_an_older_database(pg_url):
    """A database made before the fix: its search rows let a phrase span title and text;
    migration 0121 replaces the trigger function and rebuilds every row through it."""
    db = open_db(pg_url, migrate=False)
    try:
        _store(db, "brug", "De nieuwe brug is open", "Fietsers zijn blij met de brug.")
        db.execute(OLD_SEARCH_SYNC)
        db.execute("UPDATE documents SET title = title")
        db.execute("DELETE FROM schema_migrations WHERE name = ?",
                   ["0121_pg_search_phrase_positions"])
        assert _found(db, '"open fietsers"') == ["brug"]  # the old behaviour, reproduced
        assert apply_migrations(db) == ["0121_pg_search_phrase_positions"]
        assert _found(db, '"open fietsers"') == []
        assert _found(db, '"brug is open"') == ["brug"]
        assert _found(db, "open fietsers") == ["brug"]
    finally:
        db.conn.close()


def test_prefix_or_and_not(corpus):
    assert _found(corpus, "parkeer*") == ["parkeren"]
    assert sorted(_found(corpus, "zwembad OR parkeer*")) == ["parkeren", "zwembad"]
    assert _found(corpus, "brug NOT gesloopt") == ["brug"]
    assert sorted(_found(corpus, "zwembad OR brug NOT gesloopt")) == ["brug", "zwembad"]


def test_diacritics_do_not_matter(corpus):
    assert _found(corpus, "cafe") == ["cafe"]
    assert _found(corpus, "café") == ["cafe"]


def test_dutch_stemming_where_the_engine_has_it(corpus):
    """PostgreSQL's `dutch` configuration stems ("fietspaden" finds "fietspad"); SQLite's
    FTS5 has no Dutch stemmer, where a prefix ("fietspad*") finds both forms instead."""
    expected = ["fiets"] if dialect.is_postgres(corpus) else []
    assert _found(corpus, "fietspaden") == expected
    assert _found(corpus, "fietspad*") == ["fiets"]
    assert _found(corpus, "fietspad") == ["fiets"]


def test_ranking_puts_title_hits_first(corpus):
    # "oud" is the newest with "nieuwe" only in its text; "brug" has it in the title.
    _store(corpus, "tekst", "Raadsvergadering", "Er komt een nieuwe aanpak.", 0)
    assert _found(corpus, "nieuwe")[0] == "tekst"  # default order: newest first
    ranked = _found(corpus, "nieuwe", by_relevance=True)
    assert ranked[0] == "brug" and sorted(ranked) == ["brug", "oud", "tekst"]


@pytest.mark.parametrize("nasty", ['"', "AND", "(((", "col:umn", "*", "NEAR(", "-x", "'",
                                   "\\", ":*", "a & b", "a | b", "!x", "<->", "x:*A",
                                   "'; DROP TABLE documents; --", "de", "OR NOT"])
def test_search_syntax_never_raises(corpus, nasty):
    list_documents(corpus, DocumentFilter(text_query=nasty))
    assert "documents" in corpus.table_names()


def test_empty_queries_match_nothing(corpus):
    for query in ["OR OR", '""', "*"]:
        search, params = text_search(corpus, query)
        assert list(corpus.query(search, params)) == []


def test_index_follows_edits_and_purges(corpus):
    _store(corpus, "zwembad", "Zwembad weer open", "Het bad is open.")
    assert _found(corpus, "dicht") == []
    assert sorted(_found(corpus, "open")) == ["brug", "zwembad"]
    purge_older_than(corpus, "news", NOW + timedelta(days=1))
    assert _found(corpus, "open") == []
    if dialect.is_postgres(corpus):
        assert corpus.execute("SELECT count(*) FROM documents_search").fetchone()[0] == 0


def test_ranked_subquery_gives_relevance(corpus):
    search, params = text_search(corpus, "brug", ranked=True)
    rows = list(corpus.query(f"SELECT num, relevance FROM ({search}) m ORDER BY num", params))
    assert len(rows) == 2 and all(row["relevance"] > 0 for row in rows)


def test_fts5_query_quotes_everything():
    assert fts5_query('stadskantoor OR "nieuwe brug" parkeer*') == (
        '"stadskantoor" OR "nieuwe brug" "parkeer"*')
    assert fts5_query("brug AND NOT") == '"brug"'
