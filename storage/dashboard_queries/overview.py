"""Queries of the Overzicht page: volume and sentiment series, totals, top stories."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from storage.dashboard_queries.series import (
    SERIES_COLUMNS,
    Row,
    finish_series,
    in_clause,
    label_count,
    period_sql,
    time_bounds,
)
from storage.db import Database
from storage.dialect import distinct_concat
from storage.effective import EFFECTIVE_JOIN, EFFECTIVE_LABEL


def volume_series(
    db: Database,
    start: date,
    end: date,
    granularity: str = "day",
    source_ids: Sequence[str] = (),
    kinds: Sequence[str] = (),
) -> list[Row]:
    """Documents and sentiment per day or week: period, n, n_neg/neu/pos, shares, polarity."""
    period = period_sql(db, granularity)
    src_sql, src_params = in_clause("source_id", source_ids)
    kind_sql, kind_params = in_clause("kind", kinds)
    rows = list(
        db.query(
            f"SELECT {period} AS period, {SERIES_COLUMNS}, sum(n_unscored) AS n_unscored "
            f"FROM daily_rollup WHERE day >= ? AND day < ?{src_sql}{kind_sql} "
            "GROUP BY 1 ORDER BY 1",
            [start.isoformat(), end.isoformat(), *src_params, *kind_params],
        )
    )
    return finish_series(rows)


def volume_by(
    db: Database, start: date, end: date, dimension: str = "source"
) -> list[Row]:
    """Totals in a period per source (with its name) or per kind, largest first."""
    if dimension == "kind":
        sql = (
            f"SELECT kind AS key, kind AS name, {SERIES_COLUMNS} FROM daily_rollup "
            "WHERE day >= ? AND day < ? GROUP BY kind ORDER BY n DESC, kind"
        )
    elif dimension == "source":
        sql = (
            f"SELECT r.source_id AS key, coalesce(max(src.name), r.source_id) AS name, "
            f"max(r.kind) AS kind, {SERIES_COLUMNS.replace('sum(', 'sum(r.')} "
            "FROM daily_rollup r LEFT JOIN sources src ON src.id = r.source_id "
            "WHERE r.day >= ? AND r.day < ? GROUP BY r.source_id ORDER BY n DESC, r.source_id"
        )
    else:
        raise ValueError(f"dimension must be 'source' or 'kind', not {dimension!r}")
    return finish_series(list(db.query(sql, [start.isoformat(), end.isoformat()])))


def period_totals(db: Database, start: date, end: date) -> Row:
    """One period's totals (for 'this week against last week')."""
    row = next(
        iter(
            db.query(
                f"SELECT {SERIES_COLUMNS} FROM daily_rollup WHERE day >= ? AND day < ?",
                [start.isoformat(), end.isoformat()],
            )
        )
    )
    row = {key: (value or 0) for key, value in row.items()}
    return finish_series([row])[0]


def rollup_range(db: Database) -> tuple[date | None, date | None]:
    """First and last day the rollup covers (None when it is empty)."""
    first, last = db.execute("SELECT min(day), max(day) FROM daily_rollup").fetchone()
    return (
        date.fromisoformat(first) if first else None,
        date.fromisoformat(last) if last else None,
    )


def period_last_day(last: date | None, today: date) -> date:
    """The day the dashboard's periods end on: today, or the rollup's last day when the
    store is older (a demo or a paused crawl still opens on its own data)."""
    return last if last is not None and last < today else today


def top_stories(db: Database, start: date, end: date, limit: int = 10) -> list[Row]:
    """Stories with the most documents in a period, each once, with the outlets that ran it."""
    rows = list(
        db.query(
            f"SELECT ds.story_id, count(*) AS n, {distinct_concat(db, 'd.source_id')} AS outlets, "
            "min(coalesce(d.published, d.first_seen)) AS first_seen, "
            f"{label_count(EFFECTIVE_LABEL, 'negatief')} AS n_neg, "
            f"{label_count(EFFECTIVE_LABEL, 'positief')} AS n_pos, "
            "min(d.id) AS example_id "
            "FROM documents d JOIN document_stories ds ON ds.document_id = d.id "
            f"{EFFECTIVE_JOIN} "
            "WHERE coalesce(d.published, d.first_seen) >= ? "
            "AND coalesce(d.published, d.first_seen) < ? "
            "GROUP BY ds.story_id ORDER BY n DESC, first_seen DESC, ds.story_id LIMIT ?",
            [*time_bounds(start, end), limit],
        )
    )
    return _with_story_titles(db, rows)


def _with_story_titles(db: Database, rows: list[Row]) -> list[Row]:
    """Add the story label and the title of one of its documents (shown once per story)."""
    for row in rows:
        story = db.execute("SELECT label FROM stories WHERE id = ?", [row["story_id"]]).fetchone()
        title = db.execute(
            "SELECT title FROM documents WHERE id = ?", [row["example_id"]]
        ).fetchone()
        row["label"] = story[0] if story else row["story_id"]
        row["title"] = title[0] if title else ""
        row["outlets"] = sorted(set((row.get("outlets") or "").split(",")) - {""})
    return rows


def emerging_stories(db: Database, since: date, limit: int = 15) -> list[Row]:
    """Stories first seen on or after `since`, largest first, with outlets and one title."""
    rows = list(
        db.query(
            "SELECT st.id AS story_id, st.label, st.first_seen, st.last_seen, st.size AS n, "
            f"(SELECT {distinct_concat(db, 'd.source_id')} FROM document_stories ds "
            " JOIN documents d ON d.id = ds.document_id WHERE ds.story_id = st.id) AS outlets, "
            "(SELECT min(ds.document_id) FROM document_stories ds WHERE ds.story_id = st.id) "
            " AS example_id "
            "FROM stories st WHERE st.first_seen >= ? "
            "ORDER BY st.size DESC, st.first_seen DESC, st.id LIMIT ?",
            [f"{since.isoformat()}T00:00:00", limit],
        )
    )
    for row in rows:
        title = db.execute(
            "SELECT title FROM documents WHERE id = ?", [row["example_id"]]
        ).fetchone()
        row["title"] = title[0] if title else ""
        row["outlets"] = sorted(set((row.get("outlets") or "").split(",")) - {""})
    return rows
