"""Incidents: one stored event per burst, with its one alert (message) and its evidence.

Why: one parking burst used to raise an overall, a topic and a watch spike, each with its
own alert repeating the same posts. An incident keeps the spikes that share evidence
together (`alerts.incidents` decides), points at the single alert that carries the message,
and is updated in place while it stays open, so later growth changes the figures instead of
sending another alert.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from core.records import utcnow
from core.timeutil import from_iso, to_iso
from storage.alerts import Alert, insert_alert
from storage.db import Database, transaction
from storage.nul import strip_nul

MAX_EVIDENCE_IDS = 5000
"""Enough to compare any day's burst; a cap keeps one row small."""


@dataclass(frozen=True)
class Incident:
    """A stored incident: which scopes spiked, on which documents, and its message's alert."""

    id: int
    alert_id: int
    opened: datetime
    updated: datetime
    scopes: tuple[str, ...]
    """'type:key' of every spike that belongs to it, e.g. 'topic:verkeer-en-parkeren'."""
    evidence: frozenset[str]
    peak_count: int
    updates: int


def open_incidents(db: Database, since: datetime) -> list[Incident]:
    """Incidents updated at or after `since` (still open), newest first."""
    rows = db.execute(
        "SELECT id, alert_id, opened, updated, scopes_json, evidence_json, peak_count, updates "
        "FROM incidents WHERE updated >= ? ORDER BY updated DESC, id DESC",
        [to_iso(since)],
    ).fetchall()
    return [_incident(row) for row in rows]


def list_incidents(db: Database, limit: int = 50) -> list[Incident]:
    """The newest incidents first."""
    rows = db.execute(
        "SELECT id, alert_id, opened, updated, scopes_json, evidence_json, peak_count, updates "
        "FROM incidents ORDER BY opened DESC, id DESC LIMIT ?",
        [max(0, int(limit))],
    ).fetchall()
    return [_incident(row) for row in rows]


def create_incident(db: Database, alert: Alert, scopes: tuple[str, ...],
                    evidence: frozenset[str], peak_count: int) -> Incident | None:
    """Store the incident's alert and the incident itself; None if the alert already exists."""
    now = alert.created
    with transaction(db) as conn:
        stored = insert_alert(db, alert)
        if stored is None or stored.id is None:
            return None
        cursor = conn.execute(
            "INSERT INTO incidents (alert_id, opened, updated, scopes_json, evidence_json, "
            "peak_count, updates) VALUES (?, ?, ?, ?, ?, ?, 0) RETURNING id",
            [stored.id, to_iso(now), to_iso(now), json.dumps(sorted(scopes)),
             json.dumps(sorted(evidence)[:MAX_EVIDENCE_IDS]), peak_count],
        )
        incident_id = int(cursor.fetchall()[0][0])
    alert.figures["incident_id"] = incident_id
    update_alert_text(db, stored.id, alert)
    return Incident(incident_id, stored.id, now, now, tuple(sorted(scopes)), evidence,
                    peak_count, 0)


def update_incident(db: Database, incident: Incident, alert: Alert,
                    scopes: tuple[str, ...], evidence: frozenset[str], peak_count: int,
                    now: datetime | None = None) -> Incident:
    """Grow an open incident: merge scopes and evidence, keep the peak, rewrite its message."""
    now = now or utcnow()
    merged_scopes = tuple(sorted(set(incident.scopes) | set(scopes)))
    merged_evidence = frozenset(incident.evidence | evidence)
    peak = max(incident.peak_count, peak_count)
    with transaction(db) as conn:
        conn.execute(
            "UPDATE incidents SET updated = ?, scopes_json = ?, evidence_json = ?, "
            "peak_count = ?, updates = updates + 1 WHERE id = ?",
            [to_iso(now), json.dumps(list(merged_scopes)),
             json.dumps(sorted(merged_evidence)[:MAX_EVIDENCE_IDS]), peak, incident.id],
        )
        update_alert_text(db, incident.alert_id, alert)
    return Incident(incident.id, incident.alert_id, incident.opened, now, merged_scopes,
                    merged_evidence, peak, incident.updates + 1)


def update_alert_text(db: Database, alert_id: int, alert: Alert) -> None:
    """Rewrite an alert's figures, evidence items and message (its delivery state stays)."""
    with transaction(db) as conn:
        conn.execute(
            "UPDATE alerts SET figures_json = ?, items_json = ?, message = ? WHERE id = ?",
            [json.dumps(alert.figures, ensure_ascii=False, sort_keys=True),
             json.dumps(alert.items, ensure_ascii=False), strip_nul(alert.message), alert_id],
        )


def _incident(row: tuple) -> Incident:  # type: ignore[type-arg]
    return Incident(
        id=int(row[0]), alert_id=int(row[1]), opened=from_iso(row[2]) or utcnow(),
        updated=from_iso(row[3]) or utcnow(), scopes=tuple(json.loads(row[4])),
        evidence=frozenset(json.loads(row[5])), peak_count=int(row[6]), updates=int(row[7]),
    )
