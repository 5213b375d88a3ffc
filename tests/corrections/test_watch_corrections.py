"""A correction is the truth for a watch (project) too: its rollups, the Projecten queries, the
item view, the digest's watch figures and the watch alerts follow the corrected label at once,
also when the watch's own label came from the target-sentiment path (watch_scores)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from alerts.detect import detect_alerts
from core.config import Config
from storage.bulk_labels import correct_documents
from storage.dashboard_queries import document_item, watch_extremes, watch_series
from storage.digest_queries import watch_changes
from storage.rollups import refresh_daily_rollup
from storage.rules import add_rule, remove_rule

NOW = datetime(2026, 11, 20, 10, 30, tzinfo=UTC)
END = NOW.replace(minute=0)
WATCH = "Spuiboulevard"


def _burst(writer: Any) -> list[str]:
    """14 quiet days about the watch, then 10 items today whose target label is negative.

    The document label is neutral on purpose: the watch's own (target) sentiment differs
    from the document's, as it does when a sentence about the project is critical.
    """
    writer.source("ad", "AD Dordrecht")
    writer.watch(WATCH)
    for day in range(1, 15):
        for i in range(3):
            writer.doc(f"Spuiboulevard rustig {day}-{i}", END - timedelta(days=day, hours=i + 1),
                       "neutraal", watches={WATCH: "neutraal"})
    return [
        writer.doc(f"Spuiboulevard weer afgesloten {i}", END - timedelta(hours=1 + i),
                   "neutraal", watches={WATCH: "negatief"})
        for i in range(10)
    ]


def _watch_day(db: Any, day: str) -> tuple[int, int, int]:
    row = db.execute(
        "SELECT sum(n_neg), sum(n_neu), sum(n_pos) FROM daily_watch_rollup WHERE day = ?", [day]
    ).fetchone()
    return tuple(int(v or 0) for v in row)  # type: ignore[return-value]


def test_correction_changes_the_watch_figures_at_once(db: Any, writer: Any) -> None:
    ids = _burst(writer)
    refresh_daily_rollup(db)
    watch_id = writer.watch_ids[WATCH]
    day = (END - timedelta(hours=1)).date()
    assert _watch_day(db, day.isoformat()) == (10, 0, 0)
    writer.correction(ids[0], "positief", NOW)
    # Rollup, without a scheduler run: the model's negative target label no longer counts.
    assert _watch_day(db, day.isoformat()) == (9, 0, 1)
    series = watch_series(db, watch_id, day, day + timedelta(days=1))
    assert [(r["n_neg"], r["n_pos"]) for r in series] == [(9, 1)]
    # Projecten's most negative / most positive lists.
    start, end = day - timedelta(days=1), day + timedelta(days=1)
    most_pos = watch_extremes(db, watch_id, start, end, most="positief", limit=1)
    assert [(r["id"], r["label"], r["p_pos"]) for r in most_pos] == [(ids[0], "positief", 1.0)]
    most_neg = watch_extremes(db, watch_id, start, end, most="negatief", limit=20)
    assert ids[0] not in {r["id"] for r in most_neg if r["label"] == "negatief"}
    # The item view lists the watch with the corrected label.
    item = document_item(db, ids[0])
    assert item is not None and item["watches"][0]["label"] == "positief"
    untouched = document_item(db, ids[1])
    assert untouched is not None and untouched["watches"][0]["label"] == "negatief"
    # Digest: negative mentions this period.
    change = watch_changes(db, END - timedelta(days=14), END - timedelta(days=1), END)
    assert [(c.key, c.this_negative) for c in change] == [(WATCH, 9)]


def test_bulk_correction_removes_the_watch_spike(db: Any, writer: Any) -> None:
    ids = _burst(writer)
    scopes = {(a.kind, a.scope_type) for a in detect_alerts(db, Config(), NOW)}
    assert ("negative_spike", "watch") in scopes
    assert correct_documents(db, ids, "neutraal", author="anna", role="adviser") == 10
    scopes = {(a.kind, a.scope_type) for a in detect_alerts(db, Config(), NOW)}
    assert ("negative_spike", "watch") not in scopes
    assert ("volume_spike", "watch") in scopes  # the volume is real; only the tone changed


def test_rule_reaches_the_watch_and_is_reversible(db: Any, writer: Any) -> None:
    ids = _burst(writer)
    refresh_daily_rollup(db)
    day = (END - timedelta(hours=1)).date().isoformat()
    rule = add_rule(db, "weer afgesloten", "neutraal", author="anna", role="adviser")
    assert _watch_day(db, day) == (0, 10, 0)
    item = document_item(db, ids[3])
    assert item is not None and item["watches"][0]["label"] == "neutraal"
    assert remove_rule(db, rule.id, role="adviser") == 10
    assert _watch_day(db, day) == (10, 0, 0)
