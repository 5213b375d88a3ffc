"""Reach and representativeness per period (storage.reach), its digest sentences and the
dashboard's table rows, on a real SQLite file and a real PostgreSQL database."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from core.records import Document, document_id_for_post, document_id_for_url
from dashboard.reach import reach_rows
from digest.reach_text import reach_sentences
from storage.documents import upsert_document
from storage.reach import reach_between, weekly_reach

MONDAY = datetime(2026, 11, 16, tzinfo=UTC)


def news(db: Any, n: int, kind: str = "news") -> None:
    for i in range(n):
        url = f"https://krant.test/{kind}/{i}"
        upsert_document(db, Document(
            id=document_id_for_url(url), source_id=kind, kind=kind,  # type: ignore[arg-type]
            url=url, title=f"Bericht {i}", text="Tekst over de stad.",
            published=MONDAY + timedelta(hours=i), fetched=MONDAY))


def posts(db: Any, platform: str, authors: list[str], start: int = 0) -> None:
    for i, author in enumerate(authors, start=start):
        upsert_document(db, Document(
            id=document_id_for_post(platform, str(i)), source_id=platform, kind="social",
            url=f"https://{platform}.test/{i}", title="", text=f"Post {i} over de stad",
            published=MONDAY + timedelta(days=1, minutes=i), fetched=MONDAY,
            author_pseudonym=author, platform=platform, post_id=str(i)))


@pytest.fixture
def db(any_db: Any) -> Any:
    return any_db


def test_shares_authors_and_concentration(db: Any) -> None:
    news(db, 10)
    news(db, 5, "official")
    # 3 accounts write 60 posts, 20 others one each: a spike of few voices.
    loud = [f"a{i % 3}" for i in range(60)]
    quiet = [f"q{i}" for i in range(20)]
    posts(db, "mastodon", loud)
    posts(db, "bluesky", quiet, start=100)
    reach = reach_between(db, MONDAY, MONDAY + timedelta(days=7))
    assert reach.total == 95
    assert reach.by_kind == {"news": 10, "official": 5, "social": 80}
    assert reach.by_platform == {"news": 10, "official": 5, "mastodon": 60, "bluesky": 20}
    assert reach.social_posts == 80 and reach.authors == 23
    assert reach.top_posts == 60 + 7  # the 3 loud accounts and 7 of the quiet ones
    assert reach.top_share == pytest.approx(67 / 80, abs=1e-4)
    assert reach.concentrated

    lines = reach_sentences(reach)
    assert lines[0].startswith("De 95 berichten van deze week komen van: Mastodon 63%")
    assert "23 verschillende accounts 80 berichten; 84%" in lines[1]
    assert lines[2].startswith("Let op")


def test_many_voices_is_not_concentrated_and_other_weeks_are_apart(db: Any) -> None:
    posts(db, "reddit", [f"r{i}" for i in range(40)])
    reach = reach_between(db, MONDAY, MONDAY + timedelta(days=7))
    assert reach.authors == 40 and reach.top_share == 0.25 and not reach.concentrated
    assert len(reach_sentences(reach)) == 2
    weeks = weekly_reach(db, date(2026, 11, 10), date(2026, 11, 22))
    assert [week.total for week in weeks] == [0, 40]
    assert reach_sentences(weeks[0]) == ["Deze week zijn er geen berichten om te tellen."]


def test_dashboard_rows_in_percent(db: Any) -> None:
    news(db, 3)
    posts(db, "youtube", ["y1"])
    week = reach_between(db, MONDAY, MONDAY + timedelta(days=7))
    row = reach_rows([{**week.__dict__, "top_share": week.top_share}])[0]
    assert row["berichten"] == 4 and row["% nieuws"] == 75 and row["% YouTube"] == 25
    assert row["auteurs (pseudoniem)"] == 1 and row["% van top 10 auteurs"] == 100
