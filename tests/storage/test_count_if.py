"""`storage.dialect.count_if`, the one way our SQL counts rows by a condition, counts as
SQLite's `sum(condition)` does on both engines (ids `sqlite`, `postgres`): a row whose
condition is NULL (an unscored row, for a label test) counts in no test, and a group with
no true or false value counts NULL, not 0 (callers that mean 0 wrap it in coalesce)."""

from __future__ import annotations

from typing import Any

from storage.dialect import count_if

_LABELS = ("(SELECT 'negatief' AS label UNION ALL SELECT 'positief' UNION ALL SELECT NULL "
           "UNION ALL SELECT 'negatief') x")
_NEG = count_if("label = 'negatief'")


def test_counts_the_rows_where_the_condition_holds(any_db: Any) -> None:
    neutral = count_if("label = 'neutraal'")
    either = count_if("label = 'negatief' OR label IS NULL")
    row = any_db.execute(
        f"SELECT {_NEG}, {neutral}, {count_if('label IS NULL')}, {either} FROM {_LABELS}"
    ).fetchone()
    assert tuple(row) == (2, 0, 1, 3)  # the NULL label counts in no label test


def test_is_null_when_no_row_has_a_true_or_false_value(any_db: Any) -> None:
    only_unscored = any_db.execute(
        f"SELECT {_NEG}, coalesce({_NEG}, 0) FROM {_LABELS} WHERE label IS NULL").fetchone()
    assert tuple(only_unscored) == (None, 0)
    no_rows = any_db.execute(f"SELECT {count_if('1 = 1')} FROM {_LABELS} WHERE 1 = 0")
    assert no_rows.fetchone()[0] is None


def test_counts_per_group(any_db: Any) -> None:
    rows = any_db.execute(
        f"SELECT label IS NULL AS unscored, {_NEG} FROM {_LABELS} GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert [tuple(r)[1] for r in rows] == [2, None]
