"""The coordinated-posting signal: a precision/recall floor on seeded synthetic weeks with
planted bursts, the window rules, and the storage reads on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from alerts.coordination_eval import evaluate
from core.records import Document, document_id_for_post
from storage.coordination import SocialPostRow, first_seen_by_author, social_posts_between
from storage.coordination_signal import MIN_ACCOUNTS, detect_coordination, normalise_link
from storage.dialect import engine
from storage.documents import upsert_document

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
TEXT = "Stop de bouw van het nieuwe stadskantoor aan de Spuiboulevard, het is geldverspilling"


def post(i: int, author: str, minutes: float, text: str = TEXT) -> SocialPostRow:
    return SocialPostRow(f"d{i}", T0 + timedelta(minutes=minutes), author, text, f"u{i}")


def test_precision_and_recall_floor_on_planted_bursts() -> None:
    score = evaluate(range(5))
    assert score.planted == 30
    assert score.precision >= 0.9, score
    assert score.recall >= 0.85, score


def test_burst_needs_enough_accounts_within_the_window() -> None:
    quick = [post(i, f"a{i}", i * 5, f"{TEXT} {'!' * i}") for i in range(MIN_ACCOUNTS)]
    [signal] = detect_coordination(quick, {})
    assert signal.kind == "near_identical" and signal.accounts == MIN_ACCOUNTS
    assert "bijna gelijke berichten van 5 accounts" in signal.describe()
    slow = [post(i, f"a{i}", i * 90) for i in range(MIN_ACCOUNTS)]
    assert detect_coordination(slow, {}) == []
    one_voice = [post(i, "a0", i) for i in range(20)]
    assert detect_coordination(one_voice, {}) == []


def test_link_push_counts_only_new_accounts() -> None:
    link = "https://nep.test/verhaal?utm_source=telegram"
    posts = [post(i, f"n{i}", i * 30, f"Bericht {i} lees dit {link}") for i in range(6)]
    known = {f"n{i}": T0 - timedelta(days=100) for i in range(6)}
    assert detect_coordination(posts, known) == []
    [signal] = detect_coordination(posts, {})
    assert signal.kind == "link_push" and signal.example == "https://nep.test/verhaal"
    assert normalise_link("https://WWW.Nep.test/a/?fbclid=1&x=2") == "https://nep.test/a?x=2"


def test_storage_reads_social_posts_and_first_seen(any_db: Any) -> None:
    db = any_db
    for i, (author, when) in enumerate([("a", T0), ("b", T0 + timedelta(hours=1)),
                                        ("a", T0 - timedelta(days=30))]):
        upsert_document(db, Document(
            id=document_id_for_post("mastodon", str(i)), source_id="m", kind="social",
            url=f"https://m.test/{i}", title="", text=f"post {i}", published=when,
            fetched=when, author_pseudonym=author, platform="mastodon", post_id=str(i)))
    rows = social_posts_between(db, T0 - timedelta(hours=1), T0 + timedelta(hours=2))
    assert [row.author for row in rows] == ["a", "b"]
    assert first_seen_by_author(db, {"a", "b"}) == {"a": T0 - timedelta(days=30),
                                                    "b": T0 + timedelta(hours=1)}


def test_a_text_repeated_all_period_groups_only_within_the_window() -> None:
    """A template posted every 2 hours by a new account, plus one real burst: the burst is
    found, the template's copies (each alone in its window) are not, whatever the input
    order (the detector visits posts oldest first and forgets those outside the window)."""
    template = "Goedemorgen Dordrecht, het weer vandaag is zonnig met later wat regen"
    spread = [post(i, f"t{i}", i * 120, template) for i in range(40)]
    burst = [post(100 + i, f"b{i}", 3000 + i * 4, f"{TEXT} {'!' * i}")
             for i in range(MIN_ACCOUNTS + 1)]
    ordered = sorted(spread + burst, key=lambda p: p.time)
    [signal] = detect_coordination(ordered, {})
    assert signal.kind == "near_identical" and signal.accounts == MIN_ACCOUNTS + 1
    assert set(signal.document_ids) == {p.document_id for p in burst}
    assert detect_coordination(list(reversed(ordered)), {}) == [signal]


def test_first_seen_is_an_index_lookup(any_db: Any) -> None:
    """Migration 0120: the pseudonym index covers the first-seen query on both engines (a
    scan of every social document took 5 s at 1M documents)."""
    sql = ("SELECT author_pseudonym, min(coalesce(published, first_seen)) AS t FROM documents "
           "WHERE kind = 'social' AND author_pseudonym IN (?, ?) GROUP BY author_pseudonym")
    if engine(any_db) == "sqlite":
        plan = " ".join(str(row[-1]) for row in any_db.execute(
            f"EXPLAIN QUERY PLAN {sql}", ["a", "b"]).fetchall())
        assert "idx_documents_author" in plan, plan
    else:
        names = {row["indexname"] for row in any_db.query(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'documents'")}
        assert "idx_documents_author" in names
