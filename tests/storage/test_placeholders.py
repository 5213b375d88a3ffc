"""`?` → `%s` for psycopg, aware of quotes, comments and PostgreSQL's own syntax."""

from __future__ import annotations

import pytest

from storage.placeholders import to_psycopg


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("SELECT * FROM t WHERE a = ? AND b = ?", "SELECT * FROM t WHERE a = %s AND b = %s"),
        ("SELECT '?' , ?", "SELECT '?' , %s"),
        ("SELECT 'it''s ?', ?", "SELECT 'it''s ?', %s"),
        ('SELECT "odd?col" FROM t WHERE x = ?', 'SELECT "odd?col" FROM t WHERE x = %s'),
        ("SELECT ? -- why? 100%\n, ?", "SELECT %s -- why? 100%%\n, %s"),
        ("SELECT ? /* what? 5% */ , ?", "SELECT %s /* what? 5%% */ , %s"),
        ("SELECT x FROM t WHERE y LIKE 'error%' AND z = ?",
         "SELECT x FROM t WHERE y LIKE 'error%%' AND z = %s"),
        ("SELECT 10 % 3, ?", "SELECT 10 %% 3, %s"),
        ("SELECT $$a ? b % c$$, ?", "SELECT $$a ? b %% c$$, %s"),
        ("SELECT $tag$ ? $tag$, ?", "SELECT $tag$ ? $tag$, %s"),
        ("SELECT '%s'", "SELECT '%%s'"),
        ("SELECT 'unterminated ?", "SELECT 'unterminated ?"),
        ("SELECT x::text, ?", "SELECT x::text, %s"),
    ],
)
def test_positional_marks(sql, expected):
    assert to_psycopg(sql) == expected


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("SELECT :a, :b_2", "SELECT %(a)s, %(b_2)s"),
        ("SELECT x::text, :a", "SELECT x::text, %(a)s"),
        ("SELECT ':a', '10:30', :a", "SELECT ':a', '10:30', %(a)s"),
        ("SELECT ? FROM t", "SELECT ? FROM t"),
        ("WHERE t >= :this AND t < :end", "WHERE t >= %(this)s AND t < %(end)s"),
    ],
)
def test_named_marks(sql, expected):
    assert to_psycopg(sql, named=True) == expected
