"""Queries of the Projecten page: a watch's series, outlets, share of voice, extremes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from storage.dashboard_queries.series import (
    SERIES_COLUMNS,
    Row,
    finish_series,
    in_clause,
    period_sql,
    time_bounds,
)
from storage.db import Database
from storage.effective import watch_columns, watch_join, watch_p


def watch_series(
    db: Database, watch_id: int, start: date, end: date, granularity: str = "day"
) -> list[Row]:
    """A watch's volume and its own sentiment (of the sentences that mention it) over time."""
    period = period_sql(db, granularity)
    rows = list(
        db.query(
            f"SELECT {period} AS period, {SERIES_COLUMNS} FROM daily_watch_rollup "
            "WHERE watch_id = ? AND day >= ? AND day < ? GROUP BY 1 ORDER BY 1",
            [watch_id, start.isoformat(), end.isoformat()],
        )
    )
    return finish_series(rows)


def watch_outlets(db: Database, watch_id: int, start: date, end: date) -> list[Row]:
    """Which outlets wrote about a watch in a period, most first."""
    rows = list(
        db.query(
            "SELECT r.source_id, coalesce(max(src.name), r.source_id) AS name, "
            "max(src.kind) AS kind, sum(r.n) AS n, sum(r.n_neg) AS n_neg, sum(r.n_neu) AS n_neu, "
            "sum(r.n_pos) AS n_pos, sum(r.polarity_sum) AS polarity_sum "
            "FROM daily_watch_rollup r LEFT JOIN sources src ON src.id = r.source_id "
            "WHERE r.watch_id = ? AND r.day >= ? AND r.day < ? GROUP BY r.source_id "
            "ORDER BY n DESC, r.source_id",
            [watch_id, start.isoformat(), end.isoformat()],
        )
    )
    return finish_series(rows)


def share_of_voice(
    db: Database, start: date, end: date, watch_ids: Sequence[int] = ()
) -> list[Row]:
    """Documents per watch in a period and each watch's share of all watch mentions."""
    id_sql, id_params = in_clause("r.watch_id", watch_ids)
    rows = list(
        db.query(
            "SELECT r.watch_id, w.name, sum(r.n) AS n, sum(r.n_neg) AS n_neg, "
            "sum(r.n_neu) AS n_neu, sum(r.n_pos) AS n_pos, sum(r.polarity_sum) AS polarity_sum "
            "FROM daily_watch_rollup r JOIN watches w ON w.id = r.watch_id "
            f"WHERE r.day >= ? AND r.day < ?{id_sql} GROUP BY r.watch_id, w.name "
            "ORDER BY n DESC, r.watch_id",
            [start.isoformat(), end.isoformat(), *id_params],
        )
    )
    total = sum(r["n"] for r in rows)
    for row in rows:
        row["share"] = round(row["n"] / total, 4) if total else None
    return finish_series(rows)


def watch_extremes(
    db: Database,
    watch_id: int,
    start: date,
    end: date,
    most: str = "negatief",
    limit: int = 5,
) -> list[Row]:
    """The most negative (or positive) documents about a watch in a period."""
    neg, pos = watch_p("w", "negatief"), watch_p("w", "positief")
    order = f"{neg} - {pos}" if most == "negatief" else f"{pos} - {neg}"
    if most not in ("negatief", "positief"):
        raise ValueError("most must be 'negatief' or 'positief'")
    return list(
        db.query(
            "SELECT d.id, d.title, d.source_id, d.kind, d.url, "
            f"coalesce(d.published, d.first_seen) AS time, {watch_columns('w')} "
            f"FROM watch_scores w JOIN documents d ON d.id = w.document_id {watch_join('w')} "
            "WHERE w.watch_id = ? AND coalesce(d.published, d.first_seen) >= ? "
            f"AND coalesce(d.published, d.first_seen) < ? ORDER BY {order} DESC NULLS LAST, "
            "coalesce(d.published, d.first_seen) DESC, d.num DESC LIMIT ?",
            [watch_id, *time_bounds(start, end), limit],
        )
    )
