"""The audit log: who did what, when, from where — append-only.

A municipality must be able to show its privacy officer and CISO who exported, corrected,
changed watches, rules or users, erased data, sent digests and logged in. Rows are only ever
appended: a trigger refuses every UPDATE, and every DELETE except the retention purge, which
opens a one-row gate (`audit_purge_gate`) holding its cutoff inside its own transaction, so
even the purge can only remove rows older than that cutoff and no other connection ever sees
the gate open. The log never holds erased content, only what was done to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.records import utcnow
from core.timeutil import from_iso, to_iso
from storage.db import Database, transaction
from storage.nul import strip_nul

MAX_FIELD_CHARS = 2_000
"""Cap per field: actors, targets and details may come from users or scraped text."""



class AuditError(ValueError):
    """An audit event is missing its actor or action; say who did what."""


@dataclass(frozen=True)
class AuditEvent:
    """One line of the audit log."""

    id: int
    at: datetime
    actor: str
    action: str
    target: str
    detail: str
    client: str


def record_event(
    db: Database,
    *,
    actor: str,
    action: str,
    target: str = "",
    detail: str = "",
    client: str = "",
) -> None:
    """Append one event. `actor` is a user name (or `cli:<os user>`, `scheduler`), `action`
    a dotted verb like `login.failure`, `export.csv`, `watch.update`, `erase`, `digest.send`.

    >>> from storage.db import open_db
    >>> db = open_db(":memory:")
    >>> record_event(db, actor="anna", action="export.csv", target="documents")
    >>> [e.action for e in list_events(db)]
    ['export.csv']
    """
    actor, action = strip_nul(actor).strip(), strip_nul(action).strip()
    if not actor or not action:
        raise AuditError("An audit event needs an actor and an action (who did what).")
    with transaction(db) as conn:
        conn.execute(
            "INSERT INTO audit_log (at, actor, action, target, detail, client) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                to_iso(utcnow()),
                _cap(actor),
                _cap(action),
                _cap(target),
                _cap(detail),
                _cap(client),
            ],
        )


def _cap(value: str) -> str:
    return strip_nul(value or "")[:MAX_FIELD_CHARS]


def list_events(
    db: Database,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    actor: str | None = None,
    action_prefix: str | None = None,
    limit: int | None = 1000,
) -> list[AuditEvent]:
    """Events newest first, filtered by time window, actor and action prefix (`login.`)."""
    clauses: list[str] = []
    params: list[object] = []
    if since is not None:
        clauses.append("at >= ?")
        params.append(to_iso(since))
    if until is not None:
        clauses.append("at < ?")
        params.append(to_iso(until))
    if actor:
        clauses.append("actor = ?")
        params.append(actor)
    if action_prefix:
        # The length is an int we computed, written into the SQL: PostgreSQL's substr wants
        # an `integer` and would refuse a bigint parameter.
        clauses.append(f"substr(action, 1, {len(action_prefix):d}) = ?")
        params.append(action_prefix)
    sql = "SELECT * FROM audit_log WHERE " + (" AND ".join(clauses) or "1 = 1")
    sql += " ORDER BY at DESC, id DESC"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return [_event(row) for row in db.query(sql, params)]


def _event(row: dict[str, object]) -> AuditEvent:
    return AuditEvent(
        id=int(row["id"]),  # type: ignore[call-overload]
        at=from_iso(str(row["at"])) or utcnow(),
        actor=str(row["actor"]),
        action=str(row["action"]),
        target=str(row["target"]),
        detail=str(row["detail"]),
        client=str(row["client"]),
    )


def oldest_event_at(db: Database) -> datetime | None:
    """When the oldest kept event happened (for `newsroom status`), or None."""
    row = db.execute("SELECT min(at) FROM audit_log").fetchone()
    return from_iso(row[0]) if row and row[0] else None


def purge_events_older_than(db: Database, cutoff: datetime) -> int:
    """Delete events older than `cutoff` (retention); the only delete the trigger allows.

    The purge itself is recorded as an event, so the log shows that it was shortened.
    """
    with transaction(db) as conn:
        conn.execute("INSERT INTO audit_purge_gate (cutoff) VALUES (?)", [to_iso(cutoff)])
        removed = conn.execute("DELETE FROM audit_log WHERE at < ?", [to_iso(cutoff)]).rowcount
        conn.execute("DELETE FROM audit_purge_gate")
    if removed:
        record_event(
            db,
            actor="retention",
            action="audit.purge",
            detail=f"{removed} events older than {to_iso(cutoff)} removed",
        )
    return int(removed)
