"""Queries of the Berichten page: search the documents and show one item."""

from __future__ import annotations

from storage.dashboard_queries.series import (
    Row,
)
from storage.db import Database
from storage.dialect import index_hint, sorted_concat
from storage.documents import DocumentFilter, filter_where
from storage.effective import (
    EFFECTIVE_COLUMNS,
    EFFECTIVE_JOIN,
    MODEL_COLUMNS,
    watch_join,
    watch_label,
)
from storage.search import text_search


def _list_columns(db: Database) -> str:
    return (
        "d.id, d.source_id, d.kind, d.url, d.title, d.published, d.first_seen, "
        f"d.syndication_group, {EFFECTIVE_COLUMNS}, s.model_name, s.model_version, "
        f"{MODEL_COLUMNS}, "
        # The adviser tags of each listed row (a lookup per row on idx_annotations_doc).
        f"(SELECT {sorted_concat(db, 'value')} FROM (SELECT DISTINCT value FROM annotations "
        "WHERE document_id = d.id AND kind = 'tag' ORDER BY value) tag_values) AS tags"
    )


def search_documents(
    db: Database, flt: DocumentFilter, limit: int = 100
) -> list[Row]:
    """Documents matching a filter, newest first; the text query goes through the full-text
    index (`storage.search`: FTS5 on SQLite, the `dutch` tsvector on PostgreSQL).

    With a text query the index drives the query, walked from the newest row back, so a
    common word still answers at once: the LIMIT stops the walk. Rows have no `text` (lists
    only need titles); open one with `document_item`.
    """
    if not flt.text_query.strip():
        # Walk the time index newest-first and stop at the LIMIT; without the hint SQLite
        # prefers the (kind, published) index and then sorts every match. `d.num DESC`
        # orders items of the same moment (newest stored first) as the text-query branch
        # does: SQLite's index already holds that order (num is its rowid), PostgreSQL's
        # order of equal keys was its own, so the two engines listed (and cut at the LIMIT)
        # different items.
        where, params = filter_where(flt, db)
        return list(
            db.query(
                f"SELECT {_list_columns(db)} FROM documents d "
                f"{index_hint(db, 'idx_documents_time')} "
                f"{EFFECTIVE_JOIN} "
                f"WHERE {where} ORDER BY coalesce(d.published, d.first_seen) DESC, d.num DESC "
                "LIMIT ?",
                [*params, limit],
            )
        )
    rest = DocumentFilter(**{**flt.__dict__, "text_query": ""})
    where, params = filter_where(rest, db)
    search, search_params = text_search(db, flt.text_query)
    sql = (
        f"SELECT {_list_columns(db)} FROM ({search}) m "
        "JOIN documents d ON d.num = m.num "
        f"{EFFECTIVE_JOIN} "
        f"WHERE {where} ORDER BY m.num DESC LIMIT ?"
    )
    rows = list(db.query(sql, [*search_params, *params, limit]))
    rows.sort(key=lambda r: r["published"] or r["first_seen"] or "", reverse=True)
    return rows


def document_item(db: Database, document_id: str) -> Row | None:
    """Everything the item view shows: the document, its score and model, its sentences with
    their scores, topics, places, story (with the other outlets) and watches."""
    docs = list(
        db.query(
            f"SELECT d.*, {EFFECTIVE_COLUMNS}, s.model_name, s.model_version, {MODEL_COLUMNS}, "
            "s.scored_at, src.name AS source_name FROM documents d "
            f"{EFFECTIVE_JOIN} "
            "LEFT JOIN sources src ON src.id = d.source_id WHERE d.id = ?",
            [document_id],
        )
    )
    if not docs:
        return None
    item = docs[0]
    item["sentences"] = list(
        db.query(
            'SELECT se.idx, se.text, se.start, se."end", sc.label, sc.p_neg, sc.p_neu, sc.p_pos '
            "FROM sentences se LEFT JOIN scores sc "
            "ON sc.document_id = se.document_id AND sc.sentence_idx = se.idx "
            "WHERE se.document_id = ? ORDER BY se.idx",
            [document_id],
        )
    )
    item["topics"] = list(
        db.query("SELECT topic, score FROM topics WHERE document_id = ? "
                 "ORDER BY score DESC, topic", [document_id])
    )
    item["places"] = list(
        db.query("SELECT cbs_code, name, level, mentions FROM places WHERE document_id = ? "
                 "ORDER BY cbs_code", [document_id])
    )
    item["watches"] = list(
        db.query(
            f"SELECT w.name, {watch_label('ws')} AS label, ws.mentions FROM watch_scores ws "
            f"JOIN watches w ON w.id = ws.watch_id {watch_join('ws')} "
            "WHERE ws.document_id = ? ORDER BY w.name",
            [document_id],
        )
    )
    story = db.execute(
        "SELECT st.id, st.label FROM document_stories ds JOIN stories st ON st.id = ds.story_id "
        "WHERE ds.document_id = ?",
        [document_id],
    ).fetchone()
    item["story"] = None
    if story is not None:
        outlets = list(
            db.query(
                "SELECT d.id, d.source_id, d.title, d.url FROM document_stories ds "
                "JOIN documents d ON d.id = ds.document_id WHERE ds.story_id = ? "
                "ORDER BY coalesce(d.published, d.first_seen), d.id LIMIT 50",
                [story[0]],
            )
        )
        item["story"] = {"id": story[0], "label": story[1], "documents": outlets}
    return item
