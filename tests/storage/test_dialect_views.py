"""The dialect helpers of the read/view queries give the same answers on both engines
(ids `sqlite`, `postgres`): the Monday of a week, concatenated distinct or sorted values,
the SQLite-only index hint, and the "rows were written" mark of the digest's data stamp."""

from __future__ import annotations

from typing import Any

import pytest

from storage.dialect import (
    distinct_concat,
    engine,
    index_hint,
    insert_mark,
    sorted_concat,
    week_start,
)


@pytest.mark.parametrize(("day", "monday"), [
    ("2026-11-30", "2026-11-30"),  # a Monday is its own week's start
    ("2026-12-06", "2026-11-30"),  # a Sunday belongs to the week before it
    ("2026-12-03", "2026-11-30"),
    ("2027-01-01", "2026-12-28"),  # across a year end
    ("2024-03-03", "2024-02-26"),  # across a leap day
])
def test_week_start_is_the_monday_as_text(any_db: Any, day: str, monday: str) -> None:
    assert any_db.execute(f"SELECT {week_start(any_db, '?')}", [day]).fetchone()[0] == monday


def test_week_start_groups_rollup_days(any_db: Any) -> None:
    for day, n in (("2026-11-29", 1), ("2026-11-30", 2), ("2026-12-06", 4), ("2026-12-07", 8)):
        any_db.execute(
            "INSERT INTO daily_rollup (day, source_id, kind, n, n_neg, n_neu, n_pos, "
            "n_unscored, polarity_sum) VALUES (?, 'krant', 'news', ?, 0, 0, 0, 0, 0.0)",
            [day, n])
    rows = any_db.execute(
        f"SELECT {week_start(any_db, 'day')} AS week, sum(n) FROM daily_rollup "
        "GROUP BY 1 ORDER BY 1").fetchall()
    assert [tuple(r) for r in rows] == [("2026-11-23", 1), ("2026-11-30", 6), ("2026-12-07", 8)]


def _annotate(db: Any, values: list[str]) -> None:
    for value in values:
        db.execute("INSERT INTO annotations (document_id, kind, value, author, created) "
                   "VALUES ('d1', 'tag', ?, 'adviseur', '2026-12-01T00:00:00+00:00')", [value])


def test_distinct_concat_lists_each_value_once(any_db: Any) -> None:
    _annotate(any_db, ["zwembad", "brug", "zwembad", "brug", "raad"])
    joined = any_db.execute(
        f"SELECT {distinct_concat(any_db, 'value')} FROM annotations").fetchone()[0]
    assert sorted(joined.split(",")) == ["brug", "raad", "zwembad"]
    empty = any_db.execute(
        f"SELECT {distinct_concat(any_db, 'value')} FROM annotations WHERE 1 = 0").fetchone()[0]
    assert empty is None


def test_sorted_concat_follows_the_sorted_subquery(any_db: Any) -> None:
    _annotate(any_db, ["zwembad", "Brug", "aanbesteding", "zwembad"])
    joined = any_db.execute(
        f"SELECT {sorted_concat(any_db, 'value', '; ')} FROM "
        "(SELECT DISTINCT value FROM annotations ORDER BY value) v").fetchone()[0]
    assert joined == "Brug; aanbesteding; zwembad"  # byte order on both: capitals first


def test_index_hint_only_on_sqlite(any_db: Any) -> None:
    hint = index_hint(any_db, "idx_documents_time")
    assert (hint != "") == (engine(any_db) == "sqlite")
    assert any_db.execute(f"SELECT count(*) FROM documents d {hint}").fetchone()[0] == 0


def _score(db: Any, doc: str, when: str) -> None:
    db.execute("DELETE FROM scores WHERE document_id = ?", [doc])
    db.execute(
        "INSERT INTO scores (document_id, sentence_idx, label, p_neg, p_neu, p_pos, "
        "model_name, model_version, content_hash, scored_at) "
        "VALUES (?, -1, 'neutraal', 0.1, 0.8, 0.1, 'm', '1', 'h', ?)", [doc, when])


def test_insert_mark_moves_on_the_same_writes_on_both_engines(any_db: Any) -> None:
    mark = insert_mark(any_db, "scores")
    steps = [
        ("first score", lambda: _score(any_db, "d1", "2026-12-01T10:00:00+00:00")),
        ("a new document's score", lambda: _score(any_db, "d2", "2026-12-01T10:00:00+00:00")),
        ("only reads", lambda: any_db.execute("SELECT count(*) FROM scores").fetchall()),
        ("a rescore: delete and insert again",
         lambda: _score(any_db, "d1", "2026-12-01T10:00:00+00:00")),  # same time, same count
        ("another table written", lambda: any_db.execute(
            "INSERT INTO annotations (document_id, kind, value, author, created) "
            "VALUES ('d1', 'note', 'x', 'a', '2026-12-01T10:00:00+00:00')")),
        ("a rolled-back transaction wrote nothing", lambda: _rolled_back(any_db)),
    ]
    before = any_db.execute(mark).fetchone()[0]
    moved = []
    for name, step in steps:
        step()
        now = any_db.execute(mark).fetchone()[0]
        moved.append((name, now != before))
        before = now
    # The same answer on both engines (this test runs on each).
    assert moved == [("first score", True), ("a new document's score", True),
                     ("only reads", False), ("a rescore: delete and insert again", True),
                     ("another table written", False),
                     ("a rolled-back transaction wrote nothing", False)]


def _rolled_back(db: Any) -> None:
    db.conn.execute("BEGIN")
    db.conn.execute("SELECT count(*) FROM scores").fetchall()
    db.conn.execute("ROLLBACK")


def test_insert_mark_of_document_versions_moves_when_a_version_is_kept(any_db: Any) -> None:
    mark = insert_mark(any_db, "document_versions")
    before = any_db.execute(mark).fetchone()[0]
    any_db.execute("INSERT INTO document_versions (document_id, version, title, text, "
                   "content_hash, recorded_at) VALUES ('d1', 1, 't', 'x', 'h', '2026-12-01')")
    assert any_db.execute(mark).fetchone()[0] != before


def test_insert_mark_reads_no_row_of_the_table(any_db: Any) -> None:
    """An O(1) read at any size: SQLite's rowid b-tree end, PostgreSQL's sequence."""
    plan = " ".join(str(row[-1]) for row in any_db.execute(
        f"EXPLAIN {'' if engine(any_db) == 'postgresql' else 'QUERY PLAN '}"
        f"{insert_mark(any_db, 'scores')}").fetchall())
    if engine(any_db) == "postgresql":
        assert "scores_write_mark" in plan and " on scores " not in plan + " ", plan
    else:
        assert plan == "SEARCH scores", plan  # the end of the rowid b-tree; no SCAN


def test_insert_mark_refuses_a_table_without_a_mark(any_db: Any) -> None:
    with pytest.raises(ValueError, match="no write mark"):
        insert_mark(any_db, "annotations")
