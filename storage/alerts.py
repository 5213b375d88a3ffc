"""Alerts: stored with their evidence, deduplicated, and looked up for cooldowns and lists.

An alert is written once: its `dedupe_key` is unique, so a second detection run over the
same window cannot store it again. Delivery outcomes (email, webhooks) are recorded on the
alert itself, so a failed delivery is visible in the dashboard and can be retried.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from core.records import utcnow
from core.redact import redact
from core.timeutil import from_iso, to_iso
from storage.db import Database, transaction
from storage.effective import (
    EFFECTIVE_JOIN,
    EFFECTIVE_LABEL,
    EFFECTIVE_P_NEG,
    watch_join,
    watch_label,
)
from storage.nul import strip_nul, strip_nul_all

ALERT_KINDS = ("volume_spike", "negative_spike", "silent_source", "failing_source")
SCOPE_TYPES = ("overall", "topic", "watch", "source")
SENT_OK = "ok"
"""Prefix of a delivery outcome that succeeded; anything else starts with 'error'."""


@dataclass
class Alert:
    """One detected event with the evidence an adviser needs to judge it."""

    kind: str
    """volume_spike | negative_spike | silent_source | failing_source."""
    scope_type: str
    """overall | topic | watch | source."""
    scope_key: str
    window_start: datetime
    window_end: datetime
    figures: dict[str, Any]
    message: str
    dedupe_key: str
    created: datetime
    items: list[dict[str, Any]] = field(default_factory=list)
    id: int | None = None
    sent_email: str | None = None
    sent_webhook: str | None = None

    @property
    def scope_label(self) -> str:
        """Dutch words for the scope, e.g. 'onderwerp verkeer'."""
        words = {"overall": "alle berichten", "topic": "onderwerp", "watch": "project",
                 "source": "bron"}
        if self.scope_type == "overall":
            return words["overall"]
        return f"{words.get(self.scope_type, self.scope_type)} {self.scope_key}"


@dataclass(frozen=True)
class Observation:
    """One document as spike detection sees it: when, how negative, and what it is about."""

    document_id: str
    time: datetime
    label: str | None
    title: str
    url: str
    p_neg: float
    topics: tuple[str, ...] = ()
    watches: tuple[tuple[str, str], ...] = ()
    """(watch name, label of the sentences that mention the watch)."""
    places: tuple[str, ...] = ()
    """Names of the places (wijk, buurt) the document mentions, to say where an incident is."""


def insert_alert(db: Database, alert: Alert) -> Alert | None:
    """Store an alert; None when an alert with the same dedupe key already exists."""
    with transaction(db) as conn:
        cursor = conn.execute(
            "INSERT INTO alerts (kind, scope_type, scope_key, window_start, "
            "window_end, figures_json, items_json, message, dedupe_key, created) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id",
            strip_nul_all([
                alert.kind,
                alert.scope_type,
                alert.scope_key,
                to_iso(alert.window_start),
                to_iso(alert.window_end),
                json.dumps(alert.figures, ensure_ascii=False, sort_keys=True),
                json.dumps(alert.items, ensure_ascii=False),
                alert.message,
                alert.dedupe_key,
                to_iso(alert.created),
            ]),
        )
        # fetchall, not fetchone: SQLite finishes the statement before the COMMIT.
        inserted = cursor.fetchall()
        if not inserted:
            return None
        alert.id = int(inserted[0][0])
        return alert


def last_alert_time(
    db: Database, kind: str, scope_type: str, scope_key: str
) -> datetime | None:
    """When the newest alert of this kind for this scope was created (for the cooldown)."""
    row = db.execute(
        "SELECT max(created) FROM alerts WHERE kind = ? AND scope_type = ? AND scope_key = ?",
        [kind, scope_type, scope_key],
    ).fetchone()
    return from_iso(row[0]) if row else None


def list_alerts(
    db: Database,
    limit: int = 50,
    since: datetime | None = None,
    until: datetime | None = None,
    scope_type: str | None = None,
    scope_keys: tuple[str, ...] | None = None,
) -> list[Alert]:
    """Alerts, newest first; optionally those created in [since, until) and for some scopes."""
    clauses, params = [], []
    if since is not None:
        clauses.append("created >= ?")
        params.append(to_iso(since))
    if until is not None:
        clauses.append("created < ?")
        params.append(to_iso(until))
    if scope_type is not None:
        clauses.append("scope_type = ?")
        params.append(scope_type)
    if scope_keys is not None:
        marks = ", ".join("?" for _ in scope_keys)
        clauses.append(f"scope_key IN ({marks})" if scope_keys else "1 = 0")
        params.extend(scope_keys)
    where = " AND ".join(clauses) or "1 = 1"
    rows = db.query(
        f"SELECT * FROM alerts WHERE {where} ORDER BY created DESC, id DESC LIMIT ?",
        [*params, max(0, int(limit))],
    )
    return [_from_row(row) for row in rows]


def get_alert(db: Database, alert_id: int) -> Alert | None:
    """The alert with this id, or None."""
    rows = list(db.query("SELECT * FROM alerts WHERE id = ?", [alert_id]))
    return _from_row(rows[0]) if rows else None


def undelivered_alerts(
    db: Database, since: datetime, channel: str
) -> list[Alert]:
    """Alerts created since `since` whose delivery on `channel` failed (to retry them)."""
    column = _channel_column(channel)
    rows = db.query(
        # lower(): SQLite's LIKE ignores case, PostgreSQL's does not.
        f"SELECT * FROM alerts WHERE created >= ? AND lower({column}) LIKE 'error%' "
        "ORDER BY id",
        [to_iso(since)],
    )
    return [_from_row(row) for row in rows]


def record_delivery(
    db: Database, alert_id: int, channel: str, outcome: str
) -> None:
    """Record how delivery went on 'email' or 'webhook': 'ok …' or 'error: …'."""
    column = _channel_column(channel)
    with transaction(db) as conn:
        conn.execute(f"UPDATE alerts SET {column} = ? WHERE id = ?",
                     [strip_nul(redact(outcome))[:2000], alert_id])


def _channel_column(channel: str) -> str:
    if channel not in ("email", "webhook"):
        raise ValueError(f"Unknown delivery channel {channel!r}: use 'email' or 'webhook'")
    return f"sent_{channel}"


def count_alerts_since(db: Database, since: datetime) -> int:
    """How many alerts were created since `since` (for `newsroom status`)."""
    return int(
        db.execute("SELECT count(*) FROM alerts WHERE created >= ?", [to_iso(since)]).fetchone()[0]
    )


def _from_row(row: dict[str, Any]) -> Alert:
    return Alert(
        id=row["id"],
        kind=row["kind"],
        scope_type=row["scope_type"],
        scope_key=row["scope_key"],
        window_start=from_iso(row["window_start"]) or utcnow(),
        window_end=from_iso(row["window_end"]) or utcnow(),
        figures=json.loads(row["figures_json"] or "{}"),
        items=json.loads(row["items_json"] or "[]"),
        message=row["message"],
        dedupe_key=row["dedupe_key"],
        created=from_iso(row["created"]) or utcnow(),
        sent_email=row["sent_email"],
        sent_webhook=row["sent_webhook"],
    )




def observations(db: Database, since: datetime, until: datetime) -> list[Observation]:
    """Every document whose time (published, else first seen) lies in [since, until)."""
    rows = list(
        db.query(
            f"""
            SELECT d.id, coalesce(d.published, d.first_seen) AS t,
                   CASE WHEN trim(d.title) = '' THEN substr(d.text, 1, 140) ELSE d.title END
                   AS title, d.url,
                   {EFFECTIVE_LABEL} AS label, coalesce({EFFECTIVE_P_NEG}, 0.0) AS p_neg
            FROM documents d {EFFECTIVE_JOIN}
            WHERE coalesce(d.published, d.first_seen) >= ?
              AND coalesce(d.published, d.first_seen) < ?
            ORDER BY t
            """,
            [to_iso(since), to_iso(until)],
        )
    )
    if not rows:
        return []
    topics: dict[str, list[str]] = {}
    watches: dict[str, list[tuple[str, str]]] = {}
    span = [to_iso(since), to_iso(until)]
    in_span = (
        "SELECT id FROM documents WHERE coalesce(published, first_seen) >= ? "
        "AND coalesce(published, first_seen) < ?"
    )
    # Plain tuples, not dicts: these loops see every topic and watch row of 15 days.
    for doc_id, topic in db.execute(
        f"SELECT t.document_id, t.topic FROM topics t JOIN ({in_span}) x ON x.id = t.document_id",
        span,
    ).fetchall():
        topics.setdefault(doc_id, []).append(topic)
    for doc_id, name, label in db.execute(
        f"SELECT ws.document_id, w.name, {watch_label('ws')} FROM watch_scores ws "
        f"JOIN watches w ON w.id = ws.watch_id JOIN ({in_span}) x ON x.id = ws.document_id "
        f"{watch_join('ws')} "
        "WHERE w.active = 1",
        span,
    ).fetchall():
        watches.setdefault(doc_id, []).append((name, label))
    places: dict[str, set[str]] = {}
    for doc_id, name in db.execute(
        "SELECT p.document_id, p.name FROM places p "
        f"JOIN ({in_span}) x ON x.id = p.document_id WHERE p.level != 'gemeente'",
        span,
    ).fetchall():
        places.setdefault(doc_id, set()).add(name)
    return [
        Observation(
            document_id=row["id"],
            time=from_iso(row["t"]) or since,
            label=row["label"],
            title=row["title"],
            url=row["url"],
            p_neg=float(row["p_neg"]),
            topics=tuple(sorted(topics.get(row["id"], []))),
            watches=tuple(sorted(watches.get(row["id"], []))),
            places=tuple(sorted(places.get(row["id"], ()))),
        )
        for row in rows
    ]
