"""What the dashboard's query modules share: row type, summed rollup columns, filters."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from storage.dialect import count_if, week_start

Row = dict[str, Any]

SERIES_COLUMNS = (
    "sum(n) AS n, sum(n_neg) AS n_neg, sum(n_neu) AS n_neu, sum(n_pos) AS n_pos, "
    "sum(polarity_sum) AS polarity_sum"
)


def period_sql(db: Any, granularity: str) -> str:
    """SQL for the period a rollup day belongs to: the day itself or the Monday of its week."""
    if granularity == "day":
        return "day"
    if granularity == "week":
        return week_start(db, "day")
    raise ValueError(f"granularity must be 'day' or 'week', not {granularity!r}")


def in_clause(column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
    """` AND column IN (?, …)` with its parameters; empty when no values (no filter)."""
    if not values:
        return "", []
    marks = ", ".join("?" for _ in values)
    return f" AND {column} IN ({marks})", list(values)


def label_count(label_expr: str, label: str | None) -> str:
    """How many rows have label expression `label` (None: unscored rows), via `count_if`."""
    condition = f"{label_expr} IS NULL" if label is None else f"{label_expr} = '{label}'"
    return count_if(condition)


def finish_series(rows: list[Row]) -> list[Row]:
    """Add the shares an adviser reads (share negative, mean polarity) to summed counts."""
    for row in rows:
        scored = (row["n_neg"] or 0) + (row["n_neu"] or 0) + (row["n_pos"] or 0)
        row["share_neg"] = round((row["n_neg"] or 0) / scored, 4) if scored else None
        row["share_pos"] = round((row["n_pos"] or 0) / scored, 4) if scored else None
        row["polarity"] = round((row["polarity_sum"] or 0.0) / scored, 4) if scored else None
    return rows


def time_bounds(start: date, end: date) -> list[str]:
    """ISO bounds of the UTC days [start, end) for comparing with document times."""
    return [f"{start.isoformat()}T00:00:00", f"{end.isoformat()}T00:00:00"]
