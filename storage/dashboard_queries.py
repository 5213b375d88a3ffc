"""Read queries behind the dashboard, written to stay fast at a million documents.

Time series come from the per-day rollups (storage.rollups), never from scanning documents;
lists use the time index and a LIMIT; text search walks the FTS5 index newest-first and stops
at the LIMIT. Periods are UTC days: `start` inclusive, `end` exclusive (`date` objects).
Every function returns plain dicts (or lists of them) so the dashboard can cache and tabulate
them without knowing SQL.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

import sqlite_utils

from storage.documents import DocumentFilter, _where, fts_query
from storage.effective import EFFECTIVE_COLUMNS, EFFECTIVE_JOIN, EFFECTIVE_LABEL, MODEL_COLUMNS
from storage.records import SourceHealth, utcnow
from storage.timeutil import from_iso

Row = dict[str, Any]

_SERIES_COLUMNS = (
    "sum(n) AS n, sum(n_neg) AS n_neg, sum(n_neu) AS n_neu, sum(n_pos) AS n_pos, "
    "sum(polarity_sum) AS polarity_sum"
)


def _period(granularity: str) -> str:
    """SQL for the period a rollup day belongs to: the day itself or the Monday of its week."""
    if granularity == "day":
        return "day"
    if granularity == "week":
        return "date(day, '-6 days', 'weekday 1')"
    raise ValueError(f"granularity must be 'day' or 'week', not {granularity!r}")


def _in(column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
    if not values:
        return "", []
    marks = ", ".join("?" for _ in values)
    return f" AND {column} IN ({marks})", list(values)


def _finish_series(rows: list[Row]) -> list[Row]:
    """Add the shares an adviser reads (share negative, mean polarity) to summed counts."""
    for row in rows:
        scored = (row["n_neg"] or 0) + (row["n_neu"] or 0) + (row["n_pos"] or 0)
        row["share_neg"] = round((row["n_neg"] or 0) / scored, 4) if scored else None
        row["share_pos"] = round((row["n_pos"] or 0) / scored, 4) if scored else None
        row["polarity"] = round((row["polarity_sum"] or 0.0) / scored, 4) if scored else None
    return rows


def volume_series(
    db: sqlite_utils.Database,
    start: date,
    end: date,
    granularity: str = "day",
    source_ids: Sequence[str] = (),
    kinds: Sequence[str] = (),
) -> list[Row]:
    """Documents and sentiment per day or week: period, n, n_neg/neu/pos, shares, polarity."""
    period = _period(granularity)
    src_sql, src_params = _in("source_id", source_ids)
    kind_sql, kind_params = _in("kind", kinds)
    rows = list(
        db.query(
            f"SELECT {period} AS period, {_SERIES_COLUMNS}, sum(n_unscored) AS n_unscored "
            f"FROM daily_rollup WHERE day >= ? AND day < ?{src_sql}{kind_sql} "
            "GROUP BY 1 ORDER BY 1",
            [start.isoformat(), end.isoformat(), *src_params, *kind_params],
        )
    )
    return _finish_series(rows)


def volume_by(
    db: sqlite_utils.Database, start: date, end: date, dimension: str = "source"
) -> list[Row]:
    """Totals in a period per source (with its name) or per kind, largest first."""
    if dimension == "kind":
        sql = (
            f"SELECT kind AS key, kind AS name, {_SERIES_COLUMNS} FROM daily_rollup "
            "WHERE day >= ? AND day < ? GROUP BY kind ORDER BY n DESC"
        )
    elif dimension == "source":
        sql = (
            f"SELECT r.source_id AS key, coalesce(max(src.name), r.source_id) AS name, "
            f"max(r.kind) AS kind, {_SERIES_COLUMNS.replace('sum(', 'sum(r.')} "
            "FROM daily_rollup r LEFT JOIN sources src ON src.id = r.source_id "
            "WHERE r.day >= ? AND r.day < ? GROUP BY r.source_id ORDER BY n DESC"
        )
    else:
        raise ValueError(f"dimension must be 'source' or 'kind', not {dimension!r}")
    return _finish_series(list(db.query(sql, [start.isoformat(), end.isoformat()])))


def period_totals(db: sqlite_utils.Database, start: date, end: date) -> Row:
    """One period's totals (for 'this week against last week')."""
    row = next(
        iter(
            db.query(
                f"SELECT {_SERIES_COLUMNS} FROM daily_rollup WHERE day >= ? AND day < ?",
                [start.isoformat(), end.isoformat()],
            )
        )
    )
    row = {key: (value or 0) for key, value in row.items()}
    return _finish_series([row])[0]


def rollup_range(db: sqlite_utils.Database) -> tuple[date | None, date | None]:
    """First and last day the rollup covers (None when it is empty)."""
    first, last = db.execute("SELECT min(day), max(day) FROM daily_rollup").fetchone()
    return (
        date.fromisoformat(first) if first else None,
        date.fromisoformat(last) if last else None,
    )


def _time_bounds(start: date, end: date) -> list[str]:
    return [f"{start.isoformat()}T00:00:00", f"{end.isoformat()}T00:00:00"]


def top_stories(db: sqlite_utils.Database, start: date, end: date, limit: int = 10) -> list[Row]:
    """Stories with the most documents in a period, each once, with the outlets that ran it."""
    rows = list(
        db.query(
            "SELECT ds.story_id, count(*) AS n, group_concat(DISTINCT d.source_id) AS outlets, "
            "min(coalesce(d.published, d.first_seen)) AS first_seen, "
            f"sum({EFFECTIVE_LABEL} = 'negatief') AS n_neg, "
            f"sum({EFFECTIVE_LABEL} = 'positief') AS n_pos, "
            "min(d.id) AS example_id "
            "FROM documents d JOIN document_stories ds ON ds.document_id = d.id "
            f"{EFFECTIVE_JOIN} "
            "WHERE coalesce(d.published, d.first_seen) >= ? "
            "AND coalesce(d.published, d.first_seen) < ? "
            "GROUP BY ds.story_id ORDER BY n DESC, first_seen DESC LIMIT ?",
            [*_time_bounds(start, end), limit],
        )
    )
    return _with_story_titles(db, rows)


def _with_story_titles(db: sqlite_utils.Database, rows: list[Row]) -> list[Row]:
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


def emerging_stories(db: sqlite_utils.Database, since: date, limit: int = 15) -> list[Row]:
    """Stories first seen on or after `since`, largest first, with outlets and one title."""
    rows = list(
        db.query(
            "SELECT st.id AS story_id, st.label, st.first_seen, st.last_seen, st.size AS n, "
            "(SELECT group_concat(DISTINCT d.source_id) FROM document_stories ds "
            " JOIN documents d ON d.id = ds.document_id WHERE ds.story_id = st.id) AS outlets, "
            "(SELECT min(ds.document_id) FROM document_stories ds WHERE ds.story_id = st.id) "
            " AS example_id "
            "FROM stories st WHERE st.first_seen >= ? ORDER BY st.size DESC, st.first_seen DESC "
            "LIMIT ?",
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


def topic_series(
    db: sqlite_utils.Database, start: date, end: date, granularity: str = "day"
) -> list[Row]:
    """Per topic and period: n, negatives, positives, polarity (from the topic rollup)."""
    period = _period(granularity)
    rows = list(
        db.query(
            f"SELECT {period} AS period, topic, sum(n) AS n, sum(n_neg) AS n_neg, "
            "sum(n_pos) AS n_pos, sum(polarity_sum) AS polarity_sum FROM daily_topic_rollup "
            "WHERE day >= ? AND day < ? GROUP BY 1, 2 ORDER BY 1, 2",
            [start.isoformat(), end.isoformat()],
        )
    )
    for row in rows:
        row["polarity"] = round(row["polarity_sum"] / row["n"], 4) if row["n"] else None
    return rows


def emerging_topics(
    db: sqlite_utils.Database, today: date, recent_days: int = 7, baseline_days: int = 28
) -> list[Row]:
    """Topics whose daily volume in the last `recent_days` rose most against the days before.

    `growth` is the recent daily mean over the baseline daily mean (1.0 = no change); None
    for a topic without baseline, and such new topics come first.
    """
    recent_start = today - timedelta(days=recent_days - 1)
    base_start = recent_start - timedelta(days=baseline_days)
    rows = list(
        db.query(
            "SELECT topic, sum(CASE WHEN day >= ? THEN n ELSE 0 END) AS recent, "
            "sum(CASE WHEN day < ? THEN n ELSE 0 END) AS baseline, "
            "sum(CASE WHEN day >= ? THEN n_neg ELSE 0 END) AS recent_neg "
            "FROM daily_topic_rollup WHERE day >= ? AND day <= ? GROUP BY topic",
            [recent_start.isoformat(), recent_start.isoformat(), recent_start.isoformat(),
             base_start.isoformat(), today.isoformat()],
        )
    )
    for row in rows:
        recent_mean = row["recent"] / recent_days
        base_mean = row["baseline"] / baseline_days
        row["recent_per_day"] = round(recent_mean, 2)
        row["baseline_per_day"] = round(base_mean, 2)
        row["growth"] = round(recent_mean / base_mean, 2) if base_mean else None
        row["share_neg"] = round(row["recent_neg"] / row["recent"], 4) if row["recent"] else None
    # A topic that is new (no baseline) but present now is the most emerging of all.
    rows.sort(key=lambda r: (not (r["growth"] is None and r["recent"] > 0),
                             -(r["growth"] or 0), -r["recent"]))
    return rows


def topic_names(db: sqlite_utils.Database) -> list[str]:
    """Topics that occur in the rollup (cheap, for filter lists)."""
    return [r[0] for r in db.execute("SELECT DISTINCT topic FROM daily_topic_rollup ORDER BY 1")]


def place_names(db: sqlite_utils.Database) -> list[Row]:
    """Areas that occur in the place rollup: cbs_code, name, level."""
    return list(
        db.query(
            "SELECT cbs_code, max(name) AS name, max(level) AS level FROM daily_place_rollup "
            "GROUP BY cbs_code ORDER BY level, name"
        )
    )


def place_counts(
    db: sqlite_utils.Database, start: date, end: date, levels: Sequence[str] = ("wijk", "buurt")
) -> list[Row]:
    """Per CBS area in a period: name, level, label point, counts and mean polarity."""
    level_sql, level_params = _in("level", levels)
    rows = list(
        db.query(
            "SELECT cbs_code, max(name) AS name, max(level) AS level, max(lat) AS lat, "
            "max(lon) AS lon, sum(n) AS n, sum(n_neg) AS n_neg, sum(n_pos) AS n_pos, "
            "sum(polarity_sum) AS polarity_sum FROM daily_place_rollup "
            f"WHERE day >= ? AND day < ?{level_sql} GROUP BY cbs_code ORDER BY n DESC",
            [start.isoformat(), end.isoformat(), *level_params],
        )
    )
    for row in rows:
        row["share_neg"] = round(row["n_neg"] / row["n"], 4) if row["n"] else None
        row["polarity"] = round(row["polarity_sum"] / row["n"], 4) if row["n"] else None
    return rows


def watch_series(
    db: sqlite_utils.Database, watch_id: int, start: date, end: date, granularity: str = "day"
) -> list[Row]:
    """A watch's volume and its own sentiment (of the sentences that mention it) over time."""
    period = _period(granularity)
    rows = list(
        db.query(
            f"SELECT {period} AS period, {_SERIES_COLUMNS} FROM daily_watch_rollup "
            "WHERE watch_id = ? AND day >= ? AND day < ? GROUP BY 1 ORDER BY 1",
            [watch_id, start.isoformat(), end.isoformat()],
        )
    )
    return _finish_series(rows)


def watch_outlets(db: sqlite_utils.Database, watch_id: int, start: date, end: date) -> list[Row]:
    """Which outlets wrote about a watch in a period, most first."""
    rows = list(
        db.query(
            "SELECT r.source_id, coalesce(max(src.name), r.source_id) AS name, "
            "max(src.kind) AS kind, sum(r.n) AS n, sum(r.n_neg) AS n_neg, sum(r.n_neu) AS n_neu, "
            "sum(r.n_pos) AS n_pos, sum(r.polarity_sum) AS polarity_sum "
            "FROM daily_watch_rollup r LEFT JOIN sources src ON src.id = r.source_id "
            "WHERE r.watch_id = ? AND r.day >= ? AND r.day < ? GROUP BY r.source_id "
            "ORDER BY n DESC",
            [watch_id, start.isoformat(), end.isoformat()],
        )
    )
    return _finish_series(rows)


def share_of_voice(
    db: sqlite_utils.Database, start: date, end: date, watch_ids: Sequence[int] = ()
) -> list[Row]:
    """Documents per watch in a period and each watch's share of all watch mentions."""
    id_sql, id_params = _in("r.watch_id", watch_ids)
    rows = list(
        db.query(
            "SELECT r.watch_id, w.name, sum(r.n) AS n, sum(r.n_neg) AS n_neg, "
            "sum(r.n_neu) AS n_neu, sum(r.n_pos) AS n_pos, sum(r.polarity_sum) AS polarity_sum "
            "FROM daily_watch_rollup r JOIN watches w ON w.id = r.watch_id "
            f"WHERE r.day >= ? AND r.day < ?{id_sql} GROUP BY r.watch_id ORDER BY n DESC",
            [start.isoformat(), end.isoformat(), *id_params],
        )
    )
    total = sum(r["n"] for r in rows)
    for row in rows:
        row["share"] = round(row["n"] / total, 4) if total else None
    return _finish_series(rows)


def watch_extremes(
    db: sqlite_utils.Database,
    watch_id: int,
    start: date,
    end: date,
    most: str = "negatief",
    limit: int = 5,
) -> list[Row]:
    """The most negative (or positive) documents about a watch in a period."""
    order = "w.p_neg - w.p_pos" if most == "negatief" else "w.p_pos - w.p_neg"
    if most not in ("negatief", "positief"):
        raise ValueError("most must be 'negatief' or 'positief'")
    return list(
        db.query(
            "SELECT d.id, d.title, d.source_id, d.kind, d.url, "
            "coalesce(d.published, d.first_seen) AS time, w.label, w.p_neg, w.p_neu, w.p_pos "
            "FROM watch_scores w JOIN documents d ON d.id = w.document_id "
            "WHERE w.watch_id = ? AND coalesce(d.published, d.first_seen) >= ? "
            f"AND coalesce(d.published, d.first_seen) < ? ORDER BY {order} DESC LIMIT ?",
            [watch_id, *_time_bounds(start, end), limit],
        )
    )


_LIST_COLUMNS = (
    "d.id, d.source_id, d.kind, d.url, d.title, d.published, d.first_seen, "
    f"d.syndication_group, {EFFECTIVE_COLUMNS}, s.model_name, s.model_version, {MODEL_COLUMNS}"
)


def search_documents(
    db: sqlite_utils.Database, flt: DocumentFilter, limit: int = 100
) -> list[Row]:
    """Documents matching a filter, newest first; the text query goes through FTS5.

    With a text query the FTS index drives the query, walked from the newest row back, so a
    common word still answers at once: the LIMIT stops the walk. Rows have no `text` (lists
    only need titles); open one with `document_item`.
    """
    if not flt.text_query.strip():
        # Walk the time index newest-first and stop at the LIMIT; without the hint SQLite
        # prefers the (kind, published) index and then sorts every match.
        where, params = _where(flt)
        return list(
            db.query(
                f"SELECT {_LIST_COLUMNS} FROM documents d INDEXED BY idx_documents_time "
                f"{EFFECTIVE_JOIN} "
                f"WHERE {where} ORDER BY coalesce(d.published, d.first_seen) DESC LIMIT ?",
                [*params, limit],
            )
        )
    rest = DocumentFilter(**{**flt.__dict__, "text_query": ""})
    where, params = _where(rest)
    sql = (
        f"SELECT {_LIST_COLUMNS} FROM documents_fts f "
        "JOIN documents d ON d.num = f.rowid "
        f"{EFFECTIVE_JOIN} "
        f"WHERE documents_fts MATCH ? AND {where} ORDER BY f.rowid DESC LIMIT ?"
    )
    rows = list(db.query(sql, [fts_query(flt.text_query), *params, limit]))
    rows.sort(key=lambda r: r["published"] or r["first_seen"] or "", reverse=True)
    return rows


def document_item(db: sqlite_utils.Database, document_id: str) -> Row | None:
    """Everything the item view shows: the document, its score and model, its sentences with
    their scores, topics, places, story (with the other outlets) and watches."""
    docs = list(
        db.query(
            f"SELECT d.*, {EFFECTIVE_COLUMNS}, s.model_name, s.model_version, {MODEL_COLUMNS}, "
            "s.scored_at, src.name AS source_name FROM documents d "
            f"{EFFECTIVE_JOIN} "
            "LEFT JOIN sources src ON src.id = d.source_id WHERE d.id = ?",
            [document_id],
        )
    )
    if not docs:
        return None
    item = docs[0]
    item["sentences"] = list(
        db.query(
            'SELECT se.idx, se.text, se.start, se."end", sc.label, sc.p_neg, sc.p_neu, sc.p_pos '
            "FROM sentences se LEFT JOIN scores sc "
            "ON sc.document_id = se.document_id AND sc.sentence_idx = se.idx "
            "WHERE se.document_id = ? ORDER BY se.idx",
            [document_id],
        )
    )
    item["topics"] = list(
        db.query("SELECT topic, score FROM topics WHERE document_id = ? ORDER BY score DESC",
                 [document_id])
    )
    item["places"] = list(
        db.query("SELECT cbs_code, name, level, mentions FROM places WHERE document_id = ?",
                 [document_id])
    )
    item["watches"] = list(
        db.query(
            "SELECT w.name, ws.label, ws.mentions FROM watch_scores ws "
            "JOIN watches w ON w.id = ws.watch_id WHERE ws.document_id = ? ORDER BY w.name",
            [document_id],
        )
    )
    story = db.execute(
        "SELECT st.id, st.label FROM document_stories ds JOIN stories st ON st.id = ds.story_id "
        "WHERE ds.document_id = ?",
        [document_id],
    ).fetchone()
    item["story"] = None
    if story is not None:
        outlets = list(
            db.query(
                "SELECT d.id, d.source_id, d.title, d.url FROM document_stories ds "
                "JOIN documents d ON d.id = ds.document_id WHERE ds.story_id = ? "
                "ORDER BY coalesce(d.published, d.first_seen) LIMIT 50",
                [story[0]],
            )
        )
        item["story"] = {"id": story[0], "label": story[1], "documents": outlets}
    return item


def recent_crawl_issues(db: sqlite_utils.Database, limit: int = 50) -> list[Row]:
    """The newest crawl issues with their source and run time (for the Bronnen page)."""
    return list(
        db.query(
            "SELECT r.source_id, r.started, r.status, i.reason, i.url, i.detail "
            "FROM crawl_issues i JOIN crawl_runs r ON r.id = i.run_id "
            "ORDER BY i.id DESC LIMIT ?",
            [limit],
        )
    )


def source_options(db: sqlite_utils.Database) -> list[Row]:
    """Sources for filter lists: id, name, kind."""
    return list(db.query("SELECT id, name, kind FROM sources ORDER BY name"))


def source_health_from_rollup(
    db: sqlite_utils.Database, now: datetime | None = None, window_days: int = 14
) -> list[SourceHealth]:
    """`storage.crawl_log.source_health`, but with totals from the daily rollup.

    The core function counts each source's documents directly, which takes seconds at a
    million documents; here totals and items per day come from `daily_rollup` (days of
    publication, so as fresh as the last rollup refresh) and the newest document from the
    (source_id, published) index. Crawl-run facts are read the same way as in the core.
    """
    now = now or utcnow()
    since_day = (now - timedelta(days=window_days)).date().isoformat()
    result = []
    for health in _runs_only_health(db):
        total, recent = db.execute(
            "SELECT coalesce(sum(n), 0), coalesce(sum(CASE WHEN day >= ? THEN n END), 0) "
            "FROM daily_rollup WHERE source_id = ?", [since_day, health["id"]],
        ).fetchone()
        newest = db.execute(
            "SELECT max(published) FROM documents WHERE source_id = ?", [health["id"]]
        ).fetchone()[0]
        newest_dt = from_iso(newest)
        result.append(SourceHealth(
            source_id=health["id"], name=health["name"], kind=health["kind"],
            last_run=health["last_run"], last_success=health["last_success"],
            last_status=health["last_status"], consecutive_failures=health["failures"],
            documents_total=int(total), items_per_day=round(int(recent) / window_days, 2),
            silent_hours=(round(max(0.0, (now - newest_dt).total_seconds() / 3600), 1)
                          if newest_dt else None),
        ))
    return result


def _runs_only_health(db: sqlite_utils.Database) -> list[Row]:
    """Per source: last run, last success, status and failures in a row (last 50 runs)."""
    rows = []
    for source in db.query("SELECT id, name, kind FROM sources ORDER BY id"):
        runs = list(db.query(
            "SELECT ended, status FROM crawl_runs WHERE source_id = ? AND status != 'running' "
            "ORDER BY id DESC LIMIT 50", [source["id"]]))
        failures = 0
        for run in runs:
            if run["status"] != "failed":
                break
            failures += 1
        rows.append({
            **source,
            "last_run": from_iso(runs[0]["ended"]) if runs else None,
            "last_success": from_iso(next((r["ended"] for r in runs
                                            if r["status"] != "failed"), None)),
            "last_status": runs[0]["status"] if runs else None,
            "failures": failures,
        })
    return rows
