"""Queries of the tag report and the tag filter: which tags advisers use, how often per
week, the sentiment of the tagged documents, and the documents behind one tag.

Why per document's own time (published, else first seen) and not the time the tag was
added: the report answers "how many items about X did we see that week", the same week a
reader finds on Overzicht. A document tagged twice with one tag counts once. The sentiment
is the effective one (`storage.effective`), so a correction changes the report at once.
A project lead's report is limited to documents of their projects (`watch_ids`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from storage.dashboard_queries.series import Row, in_clause, label_count, time_bounds
from storage.db import Database
from storage.dialect import week_start
from storage.effective import EFFECTIVE_COLUMNS, EFFECTIVE_JOIN, EFFECTIVE_LABEL

_DOC_TIME = "coalesce(d.published, d.first_seen)"
_TAGGED = (
    "FROM (SELECT DISTINCT document_id, value AS tag FROM annotations WHERE kind = 'tag') t "
    f"JOIN documents d ON d.id = t.document_id {EFFECTIVE_JOIN} "
)


def _scope(watch_ids: Sequence[int]) -> tuple[str, list[int]]:
    if not watch_ids:
        return "", []
    marks = ", ".join("?" for _ in watch_ids)
    return (f" AND d.id IN (SELECT document_id FROM watch_scores WHERE watch_id IN ({marks}))",
            list(watch_ids))


def tag_names(db: Database, watch_ids: Sequence[int] = ()) -> list[str]:
    """Every tag in use (within the projects `watch_ids`, when given), A to Z."""
    scope, params = _scope(watch_ids)
    return [
        row["tag"] for row in db.query(
            # GROUP BY, not DISTINCT: PostgreSQL sorts a DISTINCT only by selected columns.
            f"SELECT t.tag {_TAGGED} WHERE 1 = 1{scope} GROUP BY t.tag "
            "ORDER BY lower(t.tag), t.tag",
            params,
        )
    ]


def tag_weeks(db: Database, start: date, end: date,
              tags: Sequence[str] = (), watch_ids: Sequence[int] = ()) -> list[Row]:
    """Tagged documents per tag per week (Monday) in [start, end): tag, week, n."""
    tag_sql, tag_params = in_clause("t.tag", tags)
    scope, scope_params = _scope(watch_ids)
    return list(db.query(
        f"SELECT t.tag, {week_start(db, f'substr({_DOC_TIME}, 1, 10)')} AS week, "
        f"count(*) AS n {_TAGGED} WHERE {_DOC_TIME} >= ? AND {_DOC_TIME} < ?"
        f"{tag_sql}{scope} GROUP BY t.tag, week ORDER BY week, lower(t.tag)",
        [*time_bounds(start, end), *tag_params, *scope_params],
    ))


def tag_sentiment(db: Database, start: date, end: date,
                  tags: Sequence[str] = (), watch_ids: Sequence[int] = ()) -> list[Row]:
    """Per tag in [start, end): documents, negative / neutral / positive / unscored counts
    and the negative share of the scored ones; most used tag first."""
    tag_sql, tag_params = in_clause("t.tag", tags)
    scope, scope_params = _scope(watch_ids)
    rows = list(db.query(
        f"SELECT t.tag, count(*) AS n, {label_count(EFFECTIVE_LABEL, 'negatief')} AS n_neg, "
        f"{label_count(EFFECTIVE_LABEL, 'neutraal')} AS n_neu, "
        f"{label_count(EFFECTIVE_LABEL, 'positief')} AS n_pos, "
        f"{label_count(EFFECTIVE_LABEL, None)} AS n_unscored "
        f"{_TAGGED} WHERE {_DOC_TIME} >= ? AND {_DOC_TIME} < ?{tag_sql}{scope} "
        "GROUP BY t.tag ORDER BY n DESC, lower(t.tag)",
        [*time_bounds(start, end), *tag_params, *scope_params],
    ))
    for row in rows:
        scored = row["n"] - row["n_unscored"]
        row["share_neg"] = row["n_neg"] / scored if scored else None
    return rows


def tag_documents(db: Database, tag: str, start: date, end: date,
                  watch_ids: Sequence[int] = (), limit: int = 500) -> list[Row]:
    """The documents behind one tag in [start, end), newest first, with their sentiment."""
    scope, scope_params = _scope(watch_ids)
    return list(db.query(
        f"SELECT d.id, d.title, d.source_id, d.kind, d.url, {_DOC_TIME} AS time, "
        f"{EFFECTIVE_COLUMNS} {_TAGGED} WHERE t.tag = ? AND {_DOC_TIME} >= ? "
        f"AND {_DOC_TIME} < ?{scope} ORDER BY {_DOC_TIME} DESC, d.num DESC LIMIT ?",
        [tag, *time_bounds(start, end), *scope_params, limit],
    ))
