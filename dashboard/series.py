"""Shaping query results for charts: zero periods drawn, peaks newest first, default topics.

The rollup queries only return periods that have documents, so a line drawn straight from
them jumps over quiet days and suggests activity that was not there. These helpers are
pure (no Streamlit), so the pages stay short and the rules are tested directly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

import pandas as pd

COUNT_COLUMNS = ("n", "n_neg", "n_neu", "n_pos", "n_unscored", "polarity_sum")


def all_periods(start: date, end: date, granularity: str) -> list[pd.Timestamp]:
    """Every day, or every week's Monday, from `start` (inclusive) to `end` (exclusive)."""
    if granularity == "week":
        first = start - timedelta(days=start.weekday())
        step = timedelta(days=7)
    else:
        first, step = start, timedelta(days=1)
    periods = []
    current = first
    while current < end:
        periods.append(pd.Timestamp(current))
        current += step
    return periods


def fill_periods(frame: pd.DataFrame, start: date, end: date, granularity: str,
                 by: str | None = None) -> pd.DataFrame:
    """`frame` with a row for every period (per `by` value when given); counts there are 0.

    Shares and averages of an empty period stay empty (NaN): 0% negative would be a claim.
    """
    periods = all_periods(start, end, granularity)
    if frame.empty or not periods:
        return frame
    frame = frame.copy()
    frame["period"] = pd.to_datetime(frame["period"])
    keys = ["period"] if by is None else [by, "period"]
    if by is None:
        index = pd.Index(periods, name="period")
    else:
        index = pd.MultiIndex.from_product([sorted(frame[by].unique()), periods],
                                           names=[by, "period"])
    filled = frame.set_index(keys).reindex(index.union(frame.set_index(keys).index))
    for column in COUNT_COLUMNS:
        if column in filled.columns:
            filled[column] = filled[column].fillna(0).astype(
                float if column == "polarity_sum" else int
            )
    return filled.reset_index().sort_values(keys).reset_index(drop=True)


def newest_first(periods: Iterable[pd.Timestamp], limit: int = 8) -> list[pd.Timestamp]:
    """The `limit` most recent peaks, newest first: the current spike must never be cut."""
    return sorted(periods, reverse=True)[:limit]


def default_topics(series: pd.DataFrame, rising: Sequence[str], limit: int = 5) -> list[str]:
    """Topics to select at first: the rising ones, then the busiest, never alphabetical."""
    present = set(series["topic"]) if not series.empty else set()
    chosen = [topic for topic in rising if topic in present][:limit]
    if len(chosen) < limit and not series.empty:
        busiest = series.groupby("topic")["n"].sum().sort_values(ascending=False, kind="stable")
        chosen += [t for t in busiest.index if t not in chosen][: limit - len(chosen)]
    return chosen


def bar_height(rows: int, per_row: int = 28, minimum: int = 160) -> int:
    """Chart height that gives every bar and its label room, however many rows there are."""
    return max(minimum, per_row * rows + 60)
