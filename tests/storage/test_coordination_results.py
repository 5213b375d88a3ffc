"""The Overzicht page's coordination signal, stored by the rollup job (migration 0122):
the stored signals equal the live ones, are used only while their data stamp matches, are
never shown when unreadable, and go with any erasure — on both engines."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from core.records import Document, document_id_for_post
from storage.coordination_results import (
    default_window,
    detect_between,
    page_last_day,
    refresh_signals,
    signals_between,
    stored_signals,
)
from storage.coordination_signal import MIN_ACCOUNTS
from storage.documents import upsert_document
from storage.erasure import ErasureRequest, erase
from storage.rollups import refresh_daily_rollup

NOW = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)
TEXT = "Stop de bouw van het nieuwe stadskantoor aan de Spuiboulevard, het is geldverspilling"


def _post(db: Any, number: int, author: str, when: datetime, text: str) -> str:
    doc_id = document_id_for_post("mastodon", str(number))
    upsert_document(db, Document(
        id=doc_id, source_id="m", kind="social", url=f"https://m.test/{number}", title="",
        text=text, published=when, fetched=when, author_pseudonym=author,
        platform="mastodon", post_id=str(number)))
    return doc_id


def _window(db: Any) -> tuple[date, date]:
    """The window the Overzicht page opens on (its period ends on the last day with data)."""
    return default_window(page_last_day(db, NOW.date()))


def _burst(db: Any, first: int, at: datetime, text: str = TEXT) -> list[str]:
    return [_post(db, first + i, f"p{first + i}", at + timedelta(minutes=3 * i),
                  f"{text} {'!' * i}") for i in range(MIN_ACCOUNTS + 1)]


def test_the_job_stores_what_the_page_would_compute(any_db: Any) -> None:
    db = any_db
    burst = _burst(db, 0, NOW - timedelta(days=2))
    refresh_daily_rollup(db)
    start, end = _window(db)
    live = detect_between(db, start, end)
    assert [set(s.document_ids) for s in live] == [set(burst)]
    assert refresh_signals(db, NOW) == 1
    assert stored_signals(db, start, end) == live
    assert refresh_signals(db, NOW) is None  # current: nothing recomputed
    # Another window is never answered from the stored one.
    assert stored_signals(db, start - timedelta(days=1), end) is None


def test_new_posts_move_the_stamp_and_the_page_computes_them(any_db: Any) -> None:
    db = any_db
    _burst(db, 0, NOW - timedelta(days=2))
    refresh_daily_rollup(db)
    refresh_signals(db, NOW)
    start, end = _window(db)
    second = _burst(db, 100, NOW - timedelta(days=2, hours=-3),
                    "Het zwembad moet open blijven voor alle kinderen uit de wijk Sterrenburg")
    assert stored_signals(db, start, end) is None
    found = signals_between(db, start, end)
    assert len(found) == 2 and set(found[1].document_ids) == set(second)
    assert refresh_signals(db, NOW) == 2
    assert stored_signals(db, start, end) == found


def test_an_unreadable_row_is_recomputed_never_shown(any_db: Any) -> None:
    db = any_db
    _burst(db, 0, NOW - timedelta(days=2))
    refresh_daily_rollup(db)
    refresh_signals(db, NOW)
    start, end = _window(db)
    for broken in ("not json", '[{"kind": "near_identical"}]', '[{"start": null}]'):
        db.execute("UPDATE coordination_results SET signals = ?", [broken])
        assert stored_signals(db, start, end) is None
        assert len(signals_between(db, start, end)) == 1


def test_erasure_empties_the_stored_signals(any_db: Any) -> None:
    db = any_db
    burst = _burst(db, 0, NOW - timedelta(days=2))
    refresh_daily_rollup(db)
    refresh_signals(db, NOW)
    report = erase(db, ErasureRequest("pseudonym", "p0"), actor="test", reason="verzoek")
    assert report.rows["coordination_results"] == 1
    assert db.execute("SELECT count(*) FROM coordination_results").fetchone()[0] == 0
    start, end = _window(db)
    [signal] = signals_between(db, start, end)  # the other five accounts still form one
    assert burst[0] not in signal.document_ids
