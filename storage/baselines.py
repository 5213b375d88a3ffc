"""Naive baselines for the dashboard benchmark: the page queries written the slow way.

`make bench` times each dashboard query (storage.dashboard_queries, on the rollups) against
the query it replaces (a scan of documents), and reports the ratio. SQL, so it lives here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from storage.db import Database
from storage.dialect import count_if

_NEG = count_if("s.label = 'negatief'")
_POS = count_if("s.label = 'positief'")
_WATCH_NEG = count_if("w.label = 'negatief'")


def naive_series(db: Database, start: date, end: date) -> list[Any]:
    return list(db.execute(
        "SELECT substr(coalesce(d.published, d.first_seen), 1, 10) AS day, count(*), "
        f"{_NEG}, {_POS} FROM documents d "
        "LEFT JOIN scores s ON s.document_id = d.id AND s.sentence_idx = -1 "
        "WHERE coalesce(d.published, d.first_seen) >= ? AND coalesce(d.published, d.first_seen) "
        "< ? GROUP BY 1", [start.isoformat(), end.isoformat()]))


def naive_topics(db: Database, start: date, end: date) -> list[Any]:
    return list(db.execute(
        "SELECT substr(coalesce(d.published, d.first_seen), 1, 10), t.topic, count(*) "
        "FROM topics t JOIN documents d ON d.id = t.document_id "
        "WHERE coalesce(d.published, d.first_seen) >= ? GROUP BY 1, 2", [start.isoformat()]))


def naive_places(db: Database, start: date) -> list[Any]:
    return list(db.execute(
        f"SELECT p.cbs_code, count(*), {_NEG} FROM places p "
        "JOIN documents d ON d.id = p.document_id "
        "LEFT JOIN scores s ON s.document_id = d.id AND s.sentence_idx = -1 "
        "WHERE coalesce(d.published, d.first_seen) >= ? GROUP BY 1", [start.isoformat()]))


def naive_watch(db: Database, watch_id: int, start: date) -> list[Any]:
    return list(db.execute(
        "SELECT substr(coalesce(d.published, d.first_seen), 1, 10), count(*), "
        f"{_WATCH_NEG} FROM watch_scores w "
        "JOIN documents d ON d.id = w.document_id "
        "WHERE w.watch_id = ? AND coalesce(d.published, d.first_seen) >= ? GROUP BY 1",
        [watch_id, start.isoformat()]))


def like_search(db: Database, word: str, limit: int = 100) -> list[Any]:
    return list(db.execute(
        "SELECT id FROM documents WHERE lower(title) LIKE lower(?) "
        "OR lower(text) LIKE lower(?) "
        "ORDER BY coalesce(published, first_seen) DESC LIMIT ?",
        [f"%{word}%", f"%{word}%", limit]))
