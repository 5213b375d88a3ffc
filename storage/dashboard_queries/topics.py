"""Queries of the Onderwerpen and Kaart pages: topic series, emerging topics, places."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from storage.dashboard_queries.series import (
    Row,
    in_clause,
    period_sql,
)
from storage.db import Database


def topic_series(
    db: Database, start: date, end: date, granularity: str = "day"
) -> list[Row]:
    """Per topic and period: n, negatives, positives, polarity (from the topic rollup)."""
    period = period_sql(db, granularity)
    rows = list(
        db.query(
            f"SELECT {period} AS period, topic, sum(n) AS n, sum(n_neg) AS n_neg, "
            "sum(n_pos) AS n_pos, sum(polarity_sum) AS polarity_sum FROM daily_topic_rollup "
            "WHERE day >= ? AND day < ? GROUP BY 1, 2 ORDER BY 1, 2",
            [start.isoformat(), end.isoformat()],
        )
    )
    for row in rows:
        row["polarity"] = round(row["polarity_sum"] / row["n"], 4) if row["n"] else None
    return rows


def emerging_topics(
    db: Database, today: date, recent_days: int = 7, baseline_days: int = 28
) -> list[Row]:
    """Topics whose daily volume in the last `recent_days` rose most against the days before.

    `growth` is the recent daily mean over the baseline daily mean (1.0 = no change); None
    for a topic without baseline, and such new topics come first.
    """
    recent_start = today - timedelta(days=recent_days - 1)
    base_start = recent_start - timedelta(days=baseline_days)
    rows = list(
        db.query(
            "SELECT topic, sum(CASE WHEN day >= ? THEN n ELSE 0 END) AS recent, "
            "sum(CASE WHEN day < ? THEN n ELSE 0 END) AS baseline, "
            "sum(CASE WHEN day >= ? THEN n_neg ELSE 0 END) AS recent_neg "
            "FROM daily_topic_rollup WHERE day >= ? AND day <= ? GROUP BY topic",
            [recent_start.isoformat(), recent_start.isoformat(), recent_start.isoformat(),
             base_start.isoformat(), today.isoformat()],
        )
    )
    for row in rows:
        recent_mean = row["recent"] / recent_days
        base_mean = row["baseline"] / baseline_days
        row["recent_per_day"] = round(recent_mean, 2)
        row["baseline_per_day"] = round(base_mean, 2)
        row["growth"] = round(recent_mean / base_mean, 2) if base_mean else None
        row["share_neg"] = round(row["recent_neg"] / row["recent"], 4) if row["recent"] else None
    # A topic that is new (no baseline) but present now is the most emerging of all.
    rows.sort(key=lambda r: (not (r["growth"] is None and r["recent"] > 0),
                             -(r["growth"] or 0), -r["recent"]))
    return rows


def topic_names(db: Database) -> list[str]:
    """Topics that occur in the rollup (cheap, for filter lists)."""
    return [r[0] for r in db.execute("SELECT DISTINCT topic FROM daily_topic_rollup ORDER BY 1")]


def place_names(db: Database) -> list[Row]:
    """Areas that occur in the place rollup: cbs_code, name, level."""
    return list(
        db.query(
            "SELECT cbs_code, max(name) AS name, max(level) AS level FROM daily_place_rollup "
            "GROUP BY cbs_code ORDER BY level, name"
        )
    )


def place_counts(
    db: Database, start: date, end: date, levels: Sequence[str] = ("wijk", "buurt")
) -> list[Row]:
    """Per CBS area in a period: name, level, label point, counts and mean polarity."""
    level_sql, level_params = in_clause("level", levels)
    rows = list(
        db.query(
            "SELECT cbs_code, max(name) AS name, max(level) AS level, max(lat) AS lat, "
            "max(lon) AS lon, sum(n) AS n, sum(n_neg) AS n_neg, sum(n_pos) AS n_pos, "
            "sum(polarity_sum) AS polarity_sum FROM daily_place_rollup "
            f"WHERE day >= ? AND day < ?{level_sql} GROUP BY cbs_code "
            "ORDER BY n DESC, cbs_code",
            [start.isoformat(), end.isoformat(), *level_params],
        )
    )
    for row in rows:
        row["share_neg"] = round(row["n_neg"] / row["n"], 4) if row["n"] else None
        row["polarity"] = round(row["polarity_sum"] / row["n"], 4) if row["n"] else None
    return rows
