"""Chart shaping: zero periods drawn, peaks newest first, rising topics selected first,
integer count axes and bar charts tall enough for their labels."""

from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd

from dashboard import ui
from dashboard.series import (
    all_periods,
    bar_height,
    default_topics,
    fill_periods,
    newest_first,
)


def test_days_without_documents_are_drawn_as_zero() -> None:
    frame = pd.DataFrame([
        {"period": "2026-11-02", "n": 3, "n_neg": 1, "share_neg": 1 / 3},
        {"period": "2026-11-05", "n": 2, "n_neg": 0, "share_neg": 0.0},
    ])
    filled = fill_periods(frame, date(2026, 11, 1), date(2026, 11, 7), "day")
    assert [p.day for p in filled["period"]] == [1, 2, 3, 4, 5, 6]
    assert filled["n"].tolist() == [0, 3, 0, 0, 2, 0]
    assert filled["n_neg"].tolist() == [0, 1, 0, 0, 0, 0]
    # An empty day has no share: NaN, not a claimed 0%.
    assert filled["share_neg"].isna().tolist() == [True, False, True, True, False, True]


def test_weeks_are_mondays_and_filled_per_topic() -> None:
    assert [p.date() for p in all_periods(date(2026, 11, 4), date(2026, 11, 20), "week")] == [
        date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16)]
    frame = pd.DataFrame([
        {"period": "2026-11-09", "topic": "verkeer", "n": 4},
        {"period": "2026-11-02", "topic": "zorg", "n": 1},
    ])
    filled = fill_periods(frame, date(2026, 11, 4), date(2026, 11, 20), "week", by="topic")
    assert len(filled) == 6
    verkeer = filled[filled["topic"] == "verkeer"]["n"].tolist()
    assert verkeer == [0, 4, 0]


def test_empty_result_stays_empty() -> None:
    empty = pd.DataFrame(columns=["period", "n"])
    assert fill_periods(empty, date(2026, 11, 1), date(2026, 11, 7), "day").empty


def test_peaks_are_listed_newest_first_and_keep_the_current_one() -> None:
    peaks = [pd.Timestamp(f"2026-{month:02d}-01") for month in range(1, 12)]
    shown = newest_first(peaks)
    assert shown[0] == pd.Timestamp("2026-11-01") and len(shown) == 8
    assert shown == sorted(shown, reverse=True)


def test_rising_topics_are_selected_first_then_the_busiest() -> None:
    series = pd.DataFrame([
        {"topic": "afval", "n": 1}, {"topic": "bouw", "n": 2}, {"topic": "cultuur", "n": 9},
        {"topic": "zorg", "n": 5}, {"topic": "verkeer", "n": 7},
    ])
    chosen = default_topics(series, rising=["zorg", "onbekend"], limit=3)
    assert chosen == ["zorg", "cultuur", "verkeer"]
    assert default_topics(series.iloc[0:0], rising=["zorg"]) == []


def test_bar_height_grows_with_rows() -> None:
    assert bar_height(1) >= 160
    assert bar_height(30) > bar_height(10) >= 28 * 10


def test_count_axes_show_whole_numbers_and_labels_are_not_cut() -> None:
    frame = pd.DataFrame({"name": ["Een heel lange naam van een bron"] * 1 + ["b"],
                          "n": [1, 2]})
    spec = ui.bar_chart(frame, "name", "n", "Bron", "Berichten").to_dict()
    assert spec["encoding"]["x"]["axis"] == {"format": "d", "tickMinStep": 1}
    assert spec["encoding"]["y"]["axis"]["labelLimit"] == 0
    assert spec["height"] == bar_height(2)
    average = ui.bar_chart(frame, "name", "n", "Bron", "Per dag", whole_numbers=False).to_dict()
    assert "format" not in average["encoding"]["x"].get("axis", {})
    series = pd.DataFrame({"period": pd.to_datetime(["2026-11-01"]), "n": [1],
                           "n_neg": [0], "n_neu": [1], "n_pos": [0]})
    assert ui.volume_line_chart(series).to_dict()["encoding"]["y"]["axis"]["format"] == "d"
    stack = ui.sentiment_stack_chart(series, "Dag").to_dict()
    assert stack["encoding"]["y"]["axis"]["tickMinStep"] == 1
    assert isinstance(ui.COUNT_AXIS, alt.Axis)
