"""Model versions: every retrained candidate, its figures, and the promotion decision.

Why in storage: `newsroom status`, the dashboard and the scorer must agree on which model
serves (the newest promoted one) and why a candidate was refused, long after the job ran.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.records import utcnow
from core.timeutil import from_iso, to_iso
from storage.db import Database, transaction
from storage.nul import strip_nul_all

PROMOTED = "promoted"
REJECTED = "rejected"


@dataclass(frozen=True)
class ModelVersion:
    """One trained candidate and what happened to it."""

    id: int
    created: datetime
    path: str
    name: str
    version: str
    method: str
    n_train: int
    n_corrections: int
    corrections_upto: int
    figures: dict[str, dict[str, Any]]
    """Per development set: the candidate's macro_f1, neg_recall and n."""
    champion: dict[str, dict[str, Any]]
    """The same figures for the model that served when the candidate was judged."""
    decision: str
    reason: str
    active: bool


def record_version(db: Database, *, path: str, name: str, version: str,
                   method: str, n_train: int, n_corrections: int, corrections_upto: int,
                   figures: dict[str, dict[str, Any]], champion: dict[str, dict[str, Any]],
                   decision: str, reason: str, when: datetime | None = None) -> int:
    """Store a candidate; a promoted one becomes the only active version."""
    if decision not in (PROMOTED, REJECTED):
        raise ValueError(f"decision must be {PROMOTED!r} or {REJECTED!r}, not {decision!r}")
    with transaction(db) as conn:
        if decision == PROMOTED:
            conn.execute("UPDATE model_versions SET active = 0")
        cursor = conn.execute(
            "INSERT INTO model_versions (created, path, name, version, method, n_train, "
            "n_corrections, corrections_upto, figures_json, champion_json, decision, reason, "
            "active) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            strip_nul_all([to_iso(when or utcnow()), path, name, version, method, n_train,
                           n_corrections, corrections_upto, json.dumps(figures, sort_keys=True),
                           json.dumps(champion, sort_keys=True), decision, reason,
                           int(decision == PROMOTED)]),
        )
        return int(cursor.fetchall()[0][0])


def list_versions(db: Database, limit: int = 20) -> list[ModelVersion]:
    """The newest candidates first."""
    rows = db.query("SELECT * FROM model_versions ORDER BY id DESC LIMIT ?", [max(0, limit)])
    return [_version(row) for row in rows]


def active_version(db: Database) -> ModelVersion | None:
    """The promoted version that serves now, or None (the configured model serves)."""
    rows = list(db.query("SELECT * FROM model_versions WHERE active = 1 ORDER BY id DESC "
                         "LIMIT 1"))
    return _version(rows[0]) if rows else None


def last_corrections_upto(db: Database) -> int:
    """The newest correction any candidate learned from (0: none yet)."""
    row = db.execute("SELECT coalesce(max(corrections_upto), 0) FROM model_versions").fetchone()
    return int(row[0])


def corrections_since(db: Database, upto: int) -> tuple[int, int]:
    """(how many document corrections are newer than annotation id `upto`, newest id)."""
    row = db.execute(
        "SELECT count(*), coalesce(max(id), 0) FROM annotations WHERE kind = 'correction' "
        "AND id > ?", [upto],
    ).fetchone()
    return int(row[0]), max(int(row[1]), upto)


def _version(row: dict[str, Any]) -> ModelVersion:
    return ModelVersion(
        id=row["id"], created=from_iso(row["created"]) or utcnow(), path=row["path"],
        name=row["name"], version=row["version"], method=row["method"], n_train=row["n_train"],
        n_corrections=row["n_corrections"], corrections_upto=row["corrections_upto"],
        figures=json.loads(row["figures_json"]), champion=json.loads(row["champion_json"]),
        decision=row["decision"], reason=row["reason"], active=bool(row["active"]),
    )
