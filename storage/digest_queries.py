"""The figures of the weekly digest, read from storage for one period at a time.

A document's time is its publication time, else when it was first seen. Its label is an
adviser's correction or a rule when there is one, else the model's document score
(`storage.effective`).
Every function takes `watch_ids`: None means all documents; a tuple limits the figures to
documents that mention one of those watches (a project lead's digest); an empty tuple
means none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.records import utcnow
from core.timeutil import from_iso, to_iso
from storage.dashboard_queries.series import label_count
from storage.db import Database
from storage.dialect import count_if
from storage.effective import (
    EFFECTIVE_JOIN,
    EFFECTIVE_LABEL,
    EFFECTIVE_P_NEG,
    watch_join,
    watch_label,
)

DOC_TIME = "coalesce(d.published, d.first_seen)"
DOC_LABEL = EFFECTIVE_LABEL
SCORE_JOIN = EFFECTIVE_JOIN
P_NEG = EFFECTIVE_P_NEG
DISPLAY_TITLE = "CASE WHEN trim(d.title) = '' THEN substr(d.text, 1, 140) ELSE d.title END"
"""Social posts have no title: show the start of the post instead (never its author)."""


@dataclass(frozen=True)
class SentimentCounts:
    """How many documents a period had, per label."""

    total: int = 0
    negatief: int = 0
    neutraal: int = 0
    positief: int = 0

    @property
    def unscored(self) -> int:
        return self.total - self.negatief - self.neutraal - self.positief

    @property
    def scored(self) -> int:
        return self.negatief + self.neutraal + self.positief

    def share(self, label: str) -> float | None:
        """Share of scored documents with this label, in [0, 1]; None without scores."""
        return getattr(self, label) / self.scored if self.scored else None


@dataclass(frozen=True)
class ChangeRow:
    """A topic or watch: volume and negative volume this period and the period before."""

    key: str
    this_total: int
    prev_total: int
    this_negative: int
    prev_negative: int
    owner: str = ""
    watch_id: int | None = None


@dataclass(frozen=True)
class Candidate:
    """A document that may be one of the week's top items, with what ranking needs."""

    id: str
    title: str
    url: str
    source_id: str
    source_name: str
    kind: str
    time: datetime
    label: str | None
    p_neg: float
    group: str
    """Story id, else syndication group, else the document id: copies share it."""
    story_first_seen: datetime | None
    corrected: bool = False
    """True when an adviser corrected the label (it then overrides p_neg in ranking)."""


@dataclass(frozen=True)
class NoteRow:
    """An adviser's duiding note on a document."""

    document_id: str
    title: str
    url: str
    note: str
    author: str
    created: datetime


def _watch_filter(watch_ids: Sequence[int] | None) -> tuple[str, list[Any]]:
    if watch_ids is None:
        return "", []
    if not watch_ids:
        return " AND 1 = 0", []
    marks = ", ".join("?" for _ in watch_ids)
    return (
        f" AND d.id IN (SELECT document_id FROM watch_scores WHERE watch_id IN ({marks}))",
        list(watch_ids),
    )


def sentiment_counts(
    db: Database, start: datetime, end: datetime,
    watch_ids: Sequence[int] | None = None,
) -> SentimentCounts:
    """Documents in [start, end) per effective label."""
    extra, params = _watch_filter(watch_ids)
    row = db.execute(
        f"""
        SELECT count(*), {label_count('label', 'negatief')},
               {label_count('label', 'neutraal')}, {label_count('label', 'positief')}
        FROM (SELECT {DOC_LABEL} AS label FROM documents d {SCORE_JOIN}
              WHERE {DOC_TIME} >= ? AND {DOC_TIME} < ?{extra}) labelled
        """,
        [to_iso(start), to_iso(end), *params],
    ).fetchone()
    return SentimentCounts(*(int(value or 0) for value in row))


def document_times(
    db: Database, start: datetime, end: datetime,
    watch_ids: Sequence[int] | None = None,
) -> list[tuple[datetime, str | None]]:
    """(time, effective label) of every document in [start, end), for per-day charts."""
    extra, params = _watch_filter(watch_ids)
    rows = db.execute(
        f"SELECT {DOC_TIME}, {DOC_LABEL} FROM documents d {SCORE_JOIN} "
        f"WHERE {DOC_TIME} >= ? AND {DOC_TIME} < ?{extra} ORDER BY 1",
        [to_iso(start), to_iso(end), *params],
    ).fetchall()
    return [(from_iso(t) or start, label) for t, label in rows]


def topic_changes(
    db: Database, prev_start: datetime, this_start: datetime, this_end: datetime,
    watch_ids: Sequence[int] | None = None,
) -> list[ChangeRow]:
    """Per topic: documents (and negative ones) this period vs the period before."""
    extra, params = _watch_filter(watch_ids)
    this = to_iso(this_start)
    rows = db.execute(
        f"""
        SELECT t.topic,
               {count_if('x.time >= ?')}, {count_if('x.time < ?')},
               {count_if("x.time >= ? AND x.label = 'negatief'")},
               {count_if("x.time < ? AND x.label = 'negatief'")}
        FROM topics t
        JOIN (SELECT d.id, {DOC_TIME} AS time, {DOC_LABEL} AS label
              FROM documents d {SCORE_JOIN}
              WHERE {DOC_TIME} >= ? AND {DOC_TIME} < ?{extra}) x
          ON x.id = t.document_id
        GROUP BY t.topic ORDER BY t.topic
        """,
        [this, this, this, this, to_iso(prev_start), to_iso(this_end), *params],
    ).fetchall()
    return [ChangeRow(r[0], int(r[1] or 0), int(r[2] or 0), int(r[3] or 0), int(r[4] or 0))
            for r in rows]


def watch_changes(
    db: Database, prev_start: datetime, this_start: datetime, this_end: datetime,
    watch_ids: Sequence[int] | None = None,
) -> list[ChangeRow]:
    """Per active watch: mentioning documents (and negative mentions) this vs previous period.

    Negative here is the label of the sentences that mention the watch (watch_scores), or
    the document's correction where an adviser or a rule set one.
    """
    where, params = "", []
    if watch_ids is not None:
        where = (f" AND w.id IN ({', '.join('?' for _ in watch_ids)})" if watch_ids
                 else " AND 1 = 0")
        params = list(watch_ids)
    rows = db.execute(
        f"""
        SELECT w.id, w.name, w.owner,
               coalesce({count_if('x.time >= ?')}, 0), coalesce({count_if('x.time < ?')}, 0),
               coalesce({count_if("x.time >= ? AND x.label = 'negatief'")}, 0),
               coalesce({count_if("x.time < ? AND x.label = 'negatief'")}, 0)
        FROM watches w
        LEFT JOIN (SELECT ws.watch_id, {DOC_TIME} AS time, {watch_label('ws')} AS label
                   FROM watch_scores ws JOIN documents d ON d.id = ws.document_id
                   {watch_join('ws')}
                   WHERE {DOC_TIME} >= ? AND {DOC_TIME} < ?) x ON x.watch_id = w.id
        WHERE w.active = 1{where}
        GROUP BY w.id, w.name, w.owner ORDER BY w.name
        """,
        [*[to_iso(this_start)] * 4, to_iso(prev_start), to_iso(this_end), *params],
    ).fetchall()
    return [
        ChangeRow(r[1], int(r[3]), int(r[4]), int(r[5]), int(r[6]), owner=r[2], watch_id=r[0])
        for r in rows
    ]


def watch_ids_by_name(db: Database, names: Sequence[str]) -> tuple[int, ...]:
    """Ids of the stored watches with these names (unknown names are left out)."""
    if not names:
        return ()
    marks = ", ".join("?" for _ in names)
    rows = db.execute(f"SELECT id FROM watches WHERE name IN ({marks}) ORDER BY id", list(names))
    return tuple(int(r[0]) for r in rows.fetchall())


def top_item_candidates(
    db: Database, start: datetime, end: datetime,
    watch_ids: Sequence[int] | None = None,
) -> list[Candidate]:
    """Every document of the period, with its label, copy group and story start."""
    extra, params = _watch_filter(watch_ids)
    rows = db.query(
        f"""
        SELECT d.id, {DISPLAY_TITLE} AS title, d.url, d.source_id,
               coalesce(src.name, d.source_id) AS source_name,
               d.kind, {DOC_TIME} AS time, {DOC_LABEL} AS label, coalesce({P_NEG}, 0.0) AS p_neg,
               coalesce(ds.story_id, d.syndication_group, d.id) AS grp,
               st.first_seen AS story_first_seen,
               EXISTS (SELECT 1 FROM annotations a WHERE a.document_id = d.id
                       AND a.kind = 'correction' AND a.sentence_idx IS NULL) AS corrected
        FROM documents d {SCORE_JOIN}
        LEFT JOIN sources src ON src.id = d.source_id
        LEFT JOIN document_stories ds ON ds.document_id = d.id
        LEFT JOIN stories st ON st.id = ds.story_id
        WHERE {DOC_TIME} >= ? AND {DOC_TIME} < ?{extra}
        ORDER BY time, d.id
        """,
        [to_iso(start), to_iso(end), *params],
    )
    return [
        Candidate(
            id=r["id"], title=r["title"], url=r["url"], source_id=r["source_id"],
            source_name=r["source_name"], kind=r["kind"], time=from_iso(r["time"]) or start,
            label=r["label"], p_neg=float(r["p_neg"]), group=r["grp"],
            story_first_seen=from_iso(r["story_first_seen"]),
            corrected=bool(r["corrected"]),
        )
        for r in rows
    ]


def notes_in_period(
    db: Database, start: datetime, end: datetime,
    watch_ids: Sequence[int] | None = None, limit: int = 20,
) -> list[NoteRow]:
    """Advisers' duiding notes written in [start, end), oldest first."""
    extra, params = _watch_filter(watch_ids)
    rows = db.query(
        f"""
        SELECT a.document_id, {DISPLAY_TITLE} AS title, d.url, a.value, a.author, a.created
        FROM annotations a JOIN documents d ON d.id = a.document_id
        WHERE a.kind = 'note' AND a.created >= ? AND a.created < ?{extra}
        ORDER BY a.created, a.id LIMIT ?
        """,
        [to_iso(start), to_iso(end), *params, limit],
    )
    return [
        NoteRow(r["document_id"], r["title"], r["url"], r["value"], r["author"],
                from_iso(r["created"]) or utcnow())
        for r in rows
    ]
