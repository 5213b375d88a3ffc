"""Bulk adviser actions: set the sentiment of many documents, or tag many, in one write.

Why a module of its own: the Berichten page lets an adviser select many rows at once; each
row still gets its own annotation (who, when, what), so `newsroom train` and the history
stay exact, and the rollups of every touched day are rebuilt once at the end.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from core.records import utcnow
from core.timeutil import to_iso
from storage.db import Database, transaction
from storage.dialect import lock_table
from storage.effective import LabelError, check_label, check_role, days_of, set_correction
from storage.nul import strip_nul
from storage.rollups import refresh_rollup_days

MAX_BULK = 5000
"""More rows than an adviser can have looked at; above this a rule is the right tool."""

TAG_ROLES = ("adviser", "project_lead")


def correct_documents(db: Database, document_ids: Sequence[str], label: str,
                      author: str, role: str, when: datetime | None = None) -> int:
    """Correct the sentiment of every listed document to `label`; returns how many.

    Raises `LabelError` for a role that may not correct, an unknown label, no author, an
    unknown document id, or too many rows at once. Nothing is written on an error.
    """
    check_role(role)
    check_label(label)
    author = strip_nul(author)
    ids = _checked_ids(db, document_ids, author)
    when = when or utcnow()
    with transaction(db) as conn:
        for document_id in ids:
            conn.execute(
                "INSERT INTO annotations (document_id, kind, value, sentence_idx, author, "
                "created) VALUES (?, 'correction', ?, NULL, ?, ?)",
                [document_id, label, author, to_iso(when)],
            )
            set_correction(conn, document_id, label, author, when)
    refresh_rollup_days(db, sorted(days_of(db, ids)))
    return len(ids)


def tag_documents(db: Database, document_ids: Sequence[str], tag: str,
                  author: str, role: str, when: datetime | None = None) -> int:
    """Add the tag `tag` to every listed document (once each); returns how many got it.

    "Once each" is a look-up, then an insert: SQLite's write lock makes that exclusive; on
    PostgreSQL annotation writers take turns on the table (`dialect.lock_table`) for it.
    """
    if role not in TAG_ROLES:
        raise LabelError(f"Role {role!r} may not add tags: an adviser or project lead may")
    tag, author = strip_nul(tag).strip()[:200], strip_nul(author)
    if not tag:
        raise LabelError("A tag needs some text")
    ids = _checked_ids(db, document_ids, author)
    added = 0
    with transaction(db) as conn:
        lock_table(conn, "annotations")
        for document_id in ids:
            exists = conn.execute(
                "SELECT 1 FROM annotations WHERE document_id = ? AND kind = 'tag' AND value = ?",
                [document_id, tag],
            ).fetchone()
            if exists is None:
                conn.execute(
                    "INSERT INTO annotations (document_id, kind, value, sentence_idx, author, "
                    "created) VALUES (?, 'tag', ?, NULL, ?, ?)",
                    [document_id, tag, author, to_iso(when or utcnow())],
                )
                added += 1
    return added


def _checked_ids(db: Database, document_ids: Sequence[str], author: str) -> list[str]:
    if not author.strip():
        raise LabelError("A bulk action needs an author")
    ids = list(dict.fromkeys(document_ids))
    if not ids:
        raise LabelError("Select at least one document")
    if len(ids) > MAX_BULK:
        raise LabelError(f"At most {MAX_BULK} documents at once; use a rule for more")
    known: set[str] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ", ".join("?" for _ in chunk)
        known.update(r[0] for r in db.execute(
            f"SELECT id FROM documents WHERE id IN ({marks})", chunk))
    missing = [i for i in ids if i not in known]
    if missing:
        raise LabelError(f"No document with id {missing[0]!r} ({len(missing)} unknown)")
    return ids
