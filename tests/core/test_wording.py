"""Codes and times in words: local time across daylight saving, unknown and broken values,
and tables for people (`dashboard.readable`)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd
import pytest

from core import wording
from dashboard.readable import readable


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (datetime(2026, 12, 3, 10, 40, tzinfo=UTC), "03-12-2026 11:40"),  # winter: UTC+1
        (datetime(2026, 7, 1, 22, 30, tzinfo=UTC), "02-07-2026 00:30"),  # summer: next day
        ("2026-03-29T01:30:00+00:00", "29-03-2026 03:30"),  # the night the clock moves
        ("2026-12-03T10:40:00Z", "03-12-2026 11:40"),
        (datetime(2026, 12, 3, 10, 40), "03-12-2026 11:40"),  # naive: storage is UTC
        (None, "onbekend"),
        ("gisteren", "onbekend"),
        ("", "onbekend"),
    ],
)
def test_local_time(value: object, shown: str) -> None:
    assert wording.local_time(value) == shown  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("code", "shown"),
    [
        ("http_404", "pagina niet gevonden (404)"),
        ("http_418", "fout (418)"),
        ("http_599", "fout bij de site (599)"),
        ("future_date_clamped", "datum in de toekomst, aangepast"),
        ("something_new", "something new"),
        (None, "onbekend"),
    ],
)
def test_reason_label(code: str | None, shown: str) -> None:
    assert wording.reason_label(code) == shown


def test_labels_for_codes() -> None:
    assert wording.topic_label("verkeer-en-parkeren") == "Verkeer en parkeren"
    assert wording.topic_label("") == "onbekend"
    assert wording.run_status_label("partial") == "deels gelukt"
    assert wording.run_status_label(None) == "nog nooit opgehaald"
    assert wording.percent(0.8182) == "82%"
    assert wording.percent(0.001) == "<1%"
    assert wording.percent(float("nan")) == "onbekend"
    assert wording.decimal(0.354) == "0,35"


def test_readable_table() -> None:
    frame = pd.DataFrame({
        "source_id": ["demo-gemeente", "onbekende-bron"],
        "topic": ["verkeer-en-parkeren", None],
        "n_neg": [3, 4],
        "share_neg": [0.8182, None],
        "status": ["partial", "ok"],
        "reden": ["http_404", "empty_timeline"],
        "details": ["published 2026-12-06 10:00:00+00:00 is after fetch time", None],
        "time": ["2026-12-03T10:40:00+00:00", "2026-07-01T22:30:00+00:00"],
        "period": [date(2026, 12, 1), date(2026, 12, 2)],
        "piek_aantal": [True, False],
        "kind": ["volume_spike", "negative_spike"],
    })
    out = readable(frame, {"demo-gemeente": "Gemeente Dordrecht"})
    assert list(out.columns) == ["bron", "onderwerp", "negatief", "aandeel negatief", "status",
                                 "reden", "details", "tijd", "periode", "piek in aantal",
                                 "soort"]
    rows = out.to_dict("records")
    assert rows[0]["bron"] == "Gemeente Dordrecht" and rows[1]["bron"] == "onbekende-bron"
    assert [r["onderwerp"] for r in rows] == ["Verkeer en parkeren", "onbekend"]
    assert [r["aandeel negatief"] for r in rows] == ["82%", "onbekend"]
    assert [r["status"] for r in rows] == ["deels gelukt", "gelukt"]
    assert rows[0]["reden"] == "pagina niet gevonden (404)"
    assert rows[0]["details"] == "published 06-12-2026 11:00 is after fetch time"
    assert rows[1]["details"] == "onbekend"
    assert [r["tijd"] for r in rows] == ["03-12-2026 11:40", "02-07-2026 00:30"]
    assert [r["periode"] for r in rows] == ["01-12-2026", "02-12-2026"]
    assert [r["piek in aantal"] for r in rows] == ["ja", "nee"]
    assert [r["soort"] for r in rows] == ["veel berichten", "veel negatieve berichten"]
    assert list(frame.columns)[0] == "source_id"  # the caller's frame is left alone


def test_readable_never_makes_two_columns_of_one_name() -> None:
    """'label' becomes 'sentiment' unless a 'sentiment' column is already there (the Labels
    page's export had both and broke the CSV/Excel writer)."""
    frame = pd.DataFrame({"sentiment": ["negatief"], "label": ["parkeren"], "title": ["Kop"]})
    out = readable(frame)
    assert list(out.columns) == ["sentiment", "label", "titel"]
    assert out.columns.is_unique


def test_an_adviser_label_column_keeps_its_name() -> None:
    frame = pd.DataFrame({"label": ["klacht", "compliment"], "n": [2, 1]})
    assert list(readable(frame).columns) == ["label", "berichten"]
    sentiment = pd.DataFrame({"label": ["negatief", None]})
    assert list(readable(sentiment).columns) == ["sentiment"]
