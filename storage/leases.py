"""Claimed work: a process leases the documents it is about to score.

Two `newsroom score` processes (or the scheduler's job and a manual run) must split the
work, not both do all of it. Before scoring a batch a scorer claims its documents for a
limited time; another scorer skips documents that are claimed. Claims are released when the
batch is saved. A scorer that crashes never releases its claim, so claims expire: after
`ttl` the documents are free again and the next run scores them. On the same machine a
claim of a process that is gone is freed at once.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from core.records import utcnow
from core.timeutil import to_iso
from storage.db import Database, transaction
from storage.dialect import lock_table
from storage.recovery import process_alive

DEFAULT_TTL = timedelta(minutes=15)
"""Longer than one batch takes on a slow CPU; a crashed scorer's work waits this long."""


def new_holder() -> str:
    """A name for one claimer: host, process and a random part (pids are reused)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def claim(
    db: Database,
    document_ids: Sequence[str],
    holder: str,
    ttl: timedelta = DEFAULT_TTL,
    now: datetime | None = None,
) -> list[str]:
    """Claim what is free of `document_ids` (expired claims are free); the ids now held
    by `holder`, in the order given.

    The claim is one statement per chunk, `INSERT … ON CONFLICT (document_id) DO UPDATE …
    WHERE <expired or ours> RETURNING document_id`, so two claimers never both win on either
    engine: SQLite runs it under its single write lock; on PostgreSQL (READ COMMITTED) a
    competing claimer's insert of the same id waits for the first one to commit and then
    re-checks the WHERE against the committed row, which is neither expired nor its own, so
    the id is not returned to it. A claim of our own is renewed (new expiry).

    On PostgreSQL claimers also take turns on the table (`dialect.lock_table`, what SQLite's
    write lock does anyway): two claimers that clear expired or dead claims and insert ids
    in different orders would otherwise lock the same rows in opposite orders (a deadlock).
    """
    if not document_ids:
        return []
    now = now or utcnow()
    expires = to_iso(now + ttl)
    held: set[str] = set()
    unique = list(dict.fromkeys(document_ids))  # PG refuses to upsert one key twice per statement
    with transaction(db) as conn:
        lock_table(conn, "score_leases")
        conn.execute("DELETE FROM score_leases WHERE expires < ?", [to_iso(now)])
        for (other,) in conn.execute("SELECT DISTINCT holder FROM score_leases").fetchall():
            if other != holder and _holder_is_dead(other):
                conn.execute("DELETE FROM score_leases WHERE holder = ?", [other])
        for start in range(0, len(unique), 500):
            chunk = unique[start:start + 500]
            rows = ", ".join("(?, ?, ?)" for _ in chunk)
            held.update(row[0] for row in conn.execute(
                f"INSERT INTO score_leases (document_id, holder, expires) VALUES {rows} "
                "ON CONFLICT (document_id) DO UPDATE SET holder = excluded.holder, "
                "expires = excluded.expires "
                "WHERE score_leases.holder = excluded.holder OR score_leases.expires < ? "
                "RETURNING document_id",
                [*(value for doc_id in chunk for value in (doc_id, holder, expires)),
                 to_iso(now)],
            ).fetchall())
    return [doc_id for doc_id in document_ids if doc_id in held]


def _holder_is_dead(holder: str) -> bool:
    """True for a holder of this machine whose process is gone (see `new_holder`)."""
    host, _, rest = holder.partition(":")
    pid = rest.split(":", 1)[0]
    return host == socket.gethostname() and pid.isdigit() and not process_alive(int(pid))


def release(db: Database, holder: str) -> None:
    """Give back every claim of `holder` (its batch is saved, or it stops)."""
    with transaction(db) as conn:
        conn.execute("DELETE FROM score_leases WHERE holder = ?", [holder])


def claimed_by_others(db: Database, holder: str, now: datetime | None = None
                      ) -> int:
    """How many documents other live claimers hold (for the scorer's report)."""
    row = db.execute(
        "SELECT count(*) FROM score_leases WHERE holder != ? AND expires >= ?",
        [holder, to_iso(now or utcnow())],
    ).fetchone()
    return int(row[0])
