"""Per-day counts that the dashboard reads instead of scanning a million documents.

`refresh_daily_rollup` recomputes whole days (from `since` on, or everything), so running it
again is always safe: a day's rows are deleted and rebuilt in one transaction, never added to.
Days are UTC calendar days of a document's time (published, else first seen).

Tables (see storage/migrations.py):
- `daily_rollup`: day x source x kind, with counts per label and the polarity sum;
- `daily_watch_rollup`: day x watch x source, on the watch's own sentiment (watch_scores,
  replaced by the document's correction or rule where there is one);
- `daily_topic_rollup`: day x topic;
- `daily_place_rollup`: day x CBS area (with its name, level and label point).
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import datetime

from core.timeutil import to_iso
from storage.db import Database, transaction
from storage.dialect import count_if
from storage.effective import (
    EFFECTIVE_JOIN,
    EFFECTIVE_LABEL,
    EFFECTIVE_POLARITY,
    apply_pending_rules,
    days_of,
    watch_join,
    watch_label,
    watch_p,
)

logger = logging.getLogger(__name__)

DAY_EXPR = "substr(coalesce(d.published, d.first_seen), 1, 10)"
"""The UTC day of a document, as YYYY-MM-DD (stored times are ISO strings in UTC)."""

_N_NEG = count_if(f"{EFFECTIVE_LABEL} = 'negatief'")
_N_NEU = count_if(f"{EFFECTIVE_LABEL} = 'neutraal'")
_N_POS = count_if(f"{EFFECTIVE_LABEL} = 'positief'")
_N_UNSCORED = count_if(f"{EFFECTIVE_LABEL} IS NULL")

_COUNTS = f"coalesce({_N_NEG}, 0), coalesce({_N_POS}, 0)"
"""Negative and positive documents by their effective label (a correction counts)."""

_W_LABEL = watch_label("w")
"""A watch score's label as it counts: a correction of the document replaces it."""

_W_COUNTS = ", ".join(
    count_if(f"{_W_LABEL} = '{label}'") for label in ("negatief", "neutraal", "positief")
)


def _day_clause(since: datetime | None) -> tuple[str, list[str]]:
    if since is None:
        return "1 = 1", []
    day = (to_iso(since) or "")[:10]
    return f"{DAY_EXPR} >= ?", [day]


def refresh_daily_rollup(db: Database, since: datetime | None = None) -> int:
    """Rebuild the per-day rollups for every day on or after `since` (all days when None).

    Returns how many `daily_rollup` rows now cover those days. Called by the scheduler after
    scoring, and by `newsroom demo-data`; the dashboard only reads.
    """
    where, params = _day_clause(since)
    day_from = params[0] if params else None
    with transaction(db) as conn:
        # Rules reach new documents here, before anything counts them.
        relabelled = apply_pending_rules(conn)
        _rebuild(conn, where, params, "day >= ?" if day_from else "1 = 1", params)
        count_sql = "SELECT count(*) FROM daily_rollup" + (" WHERE day >= ?" if day_from else "")
        rows = int(conn.execute(count_sql, [day_from] if day_from else []).fetchone()[0])
    if relabelled and day_from is not None:
        earlier = {day for day in days_of(db, relabelled) if day < day_from}
        if earlier:
            refresh_rollup_days(db, sorted(earlier))
    logger.info("daily rollups refreshed from %s: %s source-day rows", day_from or "the start",
                rows)
    return rows


def refresh_rollup_days(db: Database, days: list[str]) -> None:
    """Rebuild the rollups of exactly these UTC days (YYYY-MM-DD).

    A correction or a rule changes a few documents on a few days; rebuilding only those days
    keeps the charts true at once without recounting every later day.
    """
    days = sorted(set(days))
    for start in range(0, len(days), 200):
        chunk = days[start:start + 200]
        marks = ", ".join("?" for _ in chunk)
        with transaction(db) as conn:
            _rebuild(conn, f"{DAY_EXPR} IN ({marks})", chunk, f"day IN ({marks})", chunk)


def _rebuild(conn: sqlite3.Connection, where: str, params: list[str], delete_where: str,
             delete_params: list[str]) -> None:
    """Delete and recount the rollup rows selected by the two conditions (one transaction)."""
    for table in ("daily_rollup", "daily_watch_rollup", "daily_topic_rollup",
                  "daily_place_rollup"):
        conn.execute(f"DELETE FROM {table} WHERE {delete_where}", delete_params)
    conn.execute(
        "INSERT INTO daily_rollup (day, source_id, kind, n, n_neg, n_pos, n_neu, "
        "n_unscored, polarity_sum) "
        f"SELECT {DAY_EXPR}, d.source_id, d.kind, count(*), "
        f"{_COUNTS}, coalesce({_N_NEU}, 0), {_N_UNSCORED}, "
        f"coalesce(sum({EFFECTIVE_POLARITY}), 0.0) "
        f"FROM documents d {EFFECTIVE_JOIN} "
        f"WHERE {where} GROUP BY 1, 2, 3",
        params,
    )
    conn.execute(
        "INSERT INTO daily_watch_rollup (day, watch_id, source_id, n, n_neg, n_neu, n_pos, "
        "polarity_sum) "
        f"SELECT {DAY_EXPR}, w.watch_id, d.source_id, count(*), "
        f"{_W_COUNTS}, "
        f"sum({watch_p('w', 'positief')} - {watch_p('w', 'negatief')}) "
        f"FROM watch_scores w JOIN documents d ON d.id = w.document_id {watch_join('w')} "
        f"WHERE {where} GROUP BY 1, 2, 3",
        params,
    )
    conn.execute(
        "INSERT INTO daily_topic_rollup (day, topic, n, n_neg, n_pos, polarity_sum) "
        f"SELECT {DAY_EXPR}, t.topic, count(*), "
        f"{_COUNTS}, coalesce(sum({EFFECTIVE_POLARITY}), 0.0) "
        "FROM topics t JOIN documents d ON d.id = t.document_id "
        f"{EFFECTIVE_JOIN} "
        f"WHERE {where} GROUP BY 1, 2",
        params,
    )
    conn.execute(
        "INSERT INTO daily_place_rollup (day, cbs_code, name, level, lat, lon, n, n_neg, "
        "n_pos, polarity_sum) "
        f"SELECT {DAY_EXPR}, p.cbs_code, max(p.name), max(p.level), max(p.lat), "
        "max(p.lon), count(*), "
        f"{_COUNTS}, coalesce(sum({EFFECTIVE_POLARITY}), 0.0) "
        "FROM places p JOIN documents d ON d.id = p.document_id "
        f"{EFFECTIVE_JOIN} "
        f"WHERE {where} GROUP BY 1, 2",
        params,
    )


def rollup_is_stale(db: Database) -> bool:
    """True when documents exist that the rollup does not count yet (a cheap check)."""
    rolled = db.execute("SELECT coalesce(sum(n), 0) FROM daily_rollup").fetchone()[0]
    total = db.execute("SELECT count(*) FROM documents").fetchone()[0]
    return int(rolled) != int(total)
