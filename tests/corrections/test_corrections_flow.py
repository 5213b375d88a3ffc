"""A correction is the truth everywhere at once: rollups, lists, filters, exports, item view,
digest figures and alert detection, with the model's own verdict still visible."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pandas as pd
import pytest

from alerts.detect import detect_alerts
from core.config import Config
from dashboard.export import to_csv_bytes
from storage.bulk_labels import MAX_BULK, correct_documents, tag_documents
from storage.dashboard_queries import document_item, search_documents
from storage.digest_queries import sentiment_counts
from storage.documents import DocumentFilter, list_documents
from storage.effective import LabelError
from storage.rollups import refresh_daily_rollup

NOW = datetime(2026, 11, 20, 10, 30, tzinfo=UTC)
END = NOW.replace(minute=0)


def _quiet_then_burst(writer: Any) -> list[str]:
    """14 quiet days, then 12 items today that the model wrongly calls neutral."""
    writer.source("ad", "AD Dordrecht")
    for day in range(1, 15):
        for i in range(3):
            writer.doc(f"Rustig bericht {day}-{i}", END - timedelta(days=day, hours=i + 1),
                       "neutraal")
    return [
        writer.doc(f"Storing parkeerautomaten binnenstad {i}", END - timedelta(hours=1 + i),
                   "neutraal", topics=("parkeren",))
        for i in range(12)
    ]


def _day_row(db: Any, day: str) -> tuple[int, int, int]:
    row = db.execute(
        "SELECT sum(n_neg), sum(n_neu), sum(n_pos) FROM daily_rollup WHERE day = ?", [day]
    ).fetchone()
    return tuple(int(v or 0) for v in row)  # type: ignore[return-value]


def test_one_correction_changes_every_reader(db: Any, writer: Any) -> None:
    ids = _quiet_then_burst(writer)
    refresh_daily_rollup(db)
    day = (END - timedelta(hours=1)).date().isoformat()
    before = _day_row(db, day)
    writer.correction(ids[0], "negatief", NOW)
    # Rollups: the day's counts moved at once, without a scheduler run.
    after = _day_row(db, day)
    assert after[0] == before[0] + 1 and after[1] == before[1] - 1
    topic = db.execute("SELECT sum(n_neg) FROM daily_topic_rollup WHERE topic = 'parkeren'")
    assert topic.fetchone()[0] == 1
    # Lists and the label filter (what the export streams), with the model's verdict kept.
    negative = list_documents(db, DocumentFilter(labels=("negatief",)))
    assert [r["id"] for r in negative] == [ids[0]]
    assert negative[0]["model_label"] == "neutraal" and negative[0]["corrected_by"] == "correction"
    assert negative[0]["p_neg"] == 1.0
    assert ids[0] not in {r["id"] for r in list_documents(db, DocumentFilter(labels=("neutraal",)))}
    csv = to_csv_bytes(pd.DataFrame(negative)).decode("utf-8-sig")
    assert "negatief" in csv and "correction" in csv
    # Dashboard search and the item view.
    flt = DocumentFilter(labels=("negatief",), text_query="parkeerautomaten")
    found = search_documents(db, flt)
    assert [r["id"] for r in found] == [ids[0]]
    item = document_item(db, ids[0])
    assert item is not None and item["label"] == "negatief" and item["model_label"] == "neutraal"
    # Digest figures.
    counts = sentiment_counts(db, END - timedelta(days=1), END)
    assert (counts.negatief, counts.neutraal) == (1, 11)
    # A later correction wins over an earlier one.
    writer.correction(ids[0], "positief", NOW + timedelta(minutes=1))
    assert _day_row(db, day)[2] == before[2] + 1
    assert sentiment_counts(db, END - timedelta(days=1), END).negatief == 0


def test_bulk_correction_creates_a_negative_spike(db: Any, writer: Any) -> None:
    ids = _quiet_then_burst(writer)
    kinds = {(a.kind, a.scope_type) for a in detect_alerts(db, Config(), NOW)}
    assert ("negative_spike", "overall") not in kinds and ("volume_spike", "overall") in kinds
    assert correct_documents(db, ids, "negatief", author="anna", role="adviser") == 12
    kinds = {(a.kind, a.scope_type) for a in detect_alerts(db, Config(), NOW)}
    assert ("negative_spike", "overall") in kinds and ("negative_spike", "topic") in kinds
    history = db.execute("SELECT count(*) FROM annotations WHERE kind = 'correction'")
    assert history.fetchone()[0] == 12  # each row keeps its own who/when


def test_bulk_tag_adds_each_tag_once(db: Any, writer: Any) -> None:
    ids = _quiet_then_burst(writer)[:3]
    assert tag_documents(db, ids, "parkeerstoring", author="pim", role="project_lead") == 3
    assert tag_documents(db, ids, "parkeerstoring", author="pim", role="adviser") == 0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"role": "management"}, "may not change sentiment"),
        ({"role": "project_lead"}, "may not change sentiment"),
        ({"label": "boos"}, "Use one of"),
        ({"author": "  "}, "needs an author"),
        ({"ids": []}, "at least one"),
        ({"ids": ["nope"]}, "No document with id 'nope'"),
        ({"ids": [f"x{i}" for i in range(MAX_BULK + 1)]}, "At most"),
    ],
)
def test_bulk_correction_refuses_bad_input(db: Any, writer: Any, kwargs: dict[str, Any],
                                           message: str) -> None:
    ids = _quiet_then_burst(writer)
    args = {"ids": ids[:2], "label": "negatief", "author": "anna", "role": "adviser", **kwargs}
    with pytest.raises(LabelError, match=message):
        correct_documents(db, args["ids"], args["label"], author=args["author"],
                          role=args["role"])
    assert db.execute("SELECT count(*) FROM label_overrides").fetchone()[0] == 0


def test_tag_refuses_management_and_empty_tags(db: Any, writer: Any) -> None:
    ids = _quiet_then_burst(writer)[:1]
    with pytest.raises(LabelError, match="may not add tags"):
        tag_documents(db, ids, "x", author="m", role="management")
    with pytest.raises(LabelError, match="needs some text"):
        tag_documents(db, ids, "   ", author="a", role="adviser")
