"""Read queries behind the HTTP API (`api/`): documents page by page, counts, incidents.

Why not the dashboard's rollup queries: the API honours every filter (tag, text, place…)
and a project lead's scope on every figure, which the per-day rollups cannot split by, so
counts here are live over the documents of one bounded period (the API caps its length).
Labels are the effective ones (`storage.effective`: a correction is the truth); the model's
own verdict stays in `model_label`. Author pseudonyms are never selected: the dashboard
does not show them either.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from storage.db import Database
from storage.documents import DocumentFilter, filter_where
from storage.effective import (
    DOC_DAY,
    EFFECTIVE_COLUMNS,
    EFFECTIVE_JOIN,
    EFFECTIVE_LABEL,
    MODEL_COLUMNS,
)
from storage.incidents import list_incidents

Row = dict[str, Any]

DOC_TIME = "coalesce(d.published, d.first_seen)"
_LIST_COLUMNS = (
    f"d.num AS _num, {DOC_TIME} AS _time, d.id, d.source_id, src.name AS source_name, d.kind, "
    "d.url, d.title, d.published, d.first_seen, d.language, d.syndication_group, d.fictional, "
    f"{EFFECTIVE_COLUMNS}, s.model_name, s.model_version, {MODEL_COLUMNS}"
)
_FROM = f"FROM documents d {EFFECTIVE_JOIN} LEFT JOIN sources src ON src.id = d.source_id"
AGGREGATE_KEYS = ("day", "topic", "watch", "place")


@dataclass(frozen=True)
class ApiFilter:
    """The document filter plus what only the API filters on: annotation tags, and the
    watches a restricted reader is limited to (`scope_watch_ids`, None: no limit)."""

    documents: DocumentFilter
    tags: tuple[str, ...] = ()
    scope_watch_ids: tuple[int, ...] | None = None


def _where(db: Database, flt: ApiFilter) -> tuple[str, list[Any]]:
    where, params = filter_where(flt.documents, db)
    clauses = [where]
    if flt.tags:
        marks = ", ".join("?" for _ in flt.tags)
        clauses.append(f"d.id IN (SELECT document_id FROM annotations WHERE kind = 'tag' "
                       f"AND value IN ({marks}))")
        params.extend(flt.tags)
    if flt.scope_watch_ids is not None:
        scope = flt.scope_watch_ids or (-1,)
        marks = ", ".join("?" for _ in scope)
        clauses.append(f"d.id IN (SELECT document_id FROM watch_scores WHERE watch_id IN "
                       f"({marks}))")
        params.extend(scope)
    return " AND ".join(clauses), params


Cursor = tuple[str, int]


def documents_page(db: Database, flt: ApiFilter, limit: int,
                   after: Cursor | None = None) -> tuple[list[Row], Cursor | None]:
    """One page of documents, newest first, and the cursor of the next page (None: last).

    Keyset paging on (time, row number): a page never repeats or skips a document when new
    ones arrive between requests, unlike LIMIT/OFFSET.
    """
    where, params = _where(db, flt)
    if after is not None:
        where += f" AND ({DOC_TIME} < ? OR ({DOC_TIME} = ? AND d.num < ?))"
        params.extend([after[0], after[0], after[1]])
    rows = list(db.query(
        f"SELECT {_LIST_COLUMNS} {_FROM} WHERE {where} ORDER BY {DOC_TIME} DESC, d.num DESC "
        "LIMIT ?", [*params, limit + 1]))
    more = len(rows) > limit
    rows = rows[:limit]
    cursor = (str(rows[-1]["_time"]), int(rows[-1]["_num"])) if more and rows else None
    for row in rows:
        del row["_num"], row["_time"]
    return rows, cursor


def document_detail(db: Database, document_id: str,
                    scope_watch_ids: tuple[int, ...] | None = None) -> Row | None:
    """One document with its text, topics, places, tags and (scoped) watches; None when it
    does not exist or lies outside the reader's scope."""
    flt = ApiFilter(DocumentFilter(), scope_watch_ids=scope_watch_ids)
    where, params = _where(db, flt)
    rows = list(db.query(f"SELECT {_LIST_COLUMNS}, d.text {_FROM} WHERE d.id = ? AND {where}",
                         [document_id, *params]))
    if not rows:
        return None
    item = rows[0]
    del item["_num"], item["_time"]
    item["topics"] = [dict(r) for r in db.query(
        "SELECT topic, score FROM topics WHERE document_id = ? ORDER BY score DESC",
        [document_id])]
    item["places"] = [dict(r) for r in db.query(
        "SELECT cbs_code, name, level, mentions FROM places WHERE document_id = ? "
        "ORDER BY name", [document_id])]
    item["tags"] = [str(r["value"]) for r in db.query(
        "SELECT DISTINCT value FROM annotations WHERE document_id = ? AND kind = 'tag' "
        "ORDER BY value", [document_id])]
    watch_sql = ("SELECT w.id, w.name, ws.label, ws.mentions FROM watch_scores ws "
                 "JOIN watches w ON w.id = ws.watch_id WHERE ws.document_id = ?")
    watch_params: list[Any] = [document_id]
    if scope_watch_ids is not None:
        scope = scope_watch_ids or (-1,)
        watch_sql += f" AND ws.watch_id IN ({', '.join('?' for _ in scope)})"
        watch_params.extend(scope)
    item["watches"] = [dict(r) for r in db.query(watch_sql + " ORDER BY w.name", watch_params)]
    return item


def aggregate(db: Database, flt: ApiFilter, by: str) -> list[Row]:
    """Document counts per day, topic, watch or place, split by effective label."""
    where, params = _where(db, flt)
    counts = (f"count(DISTINCT d.id) AS documents, "
              f"count(DISTINCT CASE WHEN {EFFECTIVE_LABEL} = 'negatief' THEN d.id END) "
              "AS negatief, "
              f"count(DISTINCT CASE WHEN {EFFECTIVE_LABEL} = 'neutraal' THEN d.id END) "
              "AS neutraal, "
              f"count(DISTINCT CASE WHEN {EFFECTIVE_LABEL} = 'positief' THEN d.id END) "
              "AS positief")
    base = f"FROM documents d {EFFECTIVE_JOIN}"
    if by == "day":
        sql = (f"SELECT {DOC_DAY} AS day, {counts} {base} WHERE {where} "
               "GROUP BY 1 ORDER BY 1")
    elif by == "topic":
        sql = (f"SELECT t.topic AS topic, {counts} {base} JOIN topics t ON t.document_id = d.id "
               f"WHERE {where} GROUP BY t.topic ORDER BY documents DESC, t.topic")
    elif by == "place":
        sql = (f"SELECT p.cbs_code AS cbs_code, p.name AS name, p.level AS level, {counts} "
               f"{base} JOIN places p ON p.document_id = d.id WHERE {where} "
               "GROUP BY p.cbs_code, p.name, p.level ORDER BY documents DESC, p.name")
    elif by == "watch":
        scope_sql = ""
        if flt.scope_watch_ids is not None:
            scope = flt.scope_watch_ids or (-1,)
            scope_sql = f" AND ws.watch_id IN ({', '.join('?' for _ in scope)})"
            params = [*scope, *params]
        sql = (f"SELECT w.id AS watch_id, w.name AS watch, {counts} {base} "
               f"JOIN watch_scores ws ON ws.document_id = d.id{scope_sql} "
               f"JOIN watches w ON w.id = ws.watch_id WHERE {where} "
               "GROUP BY w.id, w.name ORDER BY documents DESC, w.name")
    else:
        raise ValueError(f"aggregate by one of {', '.join(AGGREGATE_KEYS)}, not {by!r}")
    return [dict(row) for row in db.query(sql, params)]


def existing_documents(db: Database, document_ids: Sequence[str],
                       scope_watch_ids: tuple[int, ...] | None = None) -> set[str]:
    """The ids that still exist (erased ones are gone) and lie inside the reader's scope."""
    found: set[str] = set()
    ids = list(document_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        flt = ApiFilter(DocumentFilter(), scope_watch_ids=scope_watch_ids)
        where, params = _where(db, flt)
        marks = ", ".join("?" for _ in chunk)
        found.update(str(r[0]) for r in db.execute(
            f"SELECT d.id FROM documents d WHERE d.id IN ({marks}) AND {where}",
            [*chunk, *params]).fetchall())
    return found


def incidents(db: Database, limit: int,
              scope_watch_ids: tuple[int, ...] | None = None) -> list[Row]:
    """The newest incidents with their alert's wording and the ids of their documents.

    Evidence lists only documents that still exist (and, for a restricted reader, lie in
    their scope); a restricted reader sees an incident only when some of its documents are
    theirs, and without its message, which summarises documents outside their scope.
    """
    out: list[Row] = []
    for incident in list_incidents(db, limit=limit):
        evidence = sorted(existing_documents(db, sorted(incident.evidence), scope_watch_ids))
        if scope_watch_ids is not None and not evidence:
            continue
        alert = db.execute(
            "SELECT kind, scope_type, scope_key, window_start, window_end, message "
            "FROM alerts WHERE id = ?", [incident.alert_id]).fetchone()
        out.append({
            "id": incident.id, "opened": incident.opened.isoformat(),
            "updated": incident.updated.isoformat(), "scopes": list(incident.scopes),
            "peak_count": incident.peak_count, "updates": incident.updates,
            "documents": evidence,
            "kind": alert[0] if alert else None,
            "window_start": alert[3] if alert else None,
            "window_end": alert[4] if alert else None,
            "message": alert[5] if alert and scope_watch_ids is None else None,
        })
    return out

