"""Saving a watch from the dashboard: by id, never by name, with the owner checked.

`storage.adviser.save_watch` matches on name (what config sync needs); a user editing a
project must not reach another project by typing its name, so the dashboard goes through
here: a new name that another watch already has is refused, and an edit can be tied to the
owner the caller saw, checked inside the same transaction as the write.
"""

from __future__ import annotations

from core.records import Watch, utcnow
from core.timeutil import to_iso
from storage.db import Database, transaction
from storage.nul import strip_nul_fields


class WatchNameTaken(ValueError):
    """Another watch already has this name; choose another one."""


class WatchNotFound(LookupError):
    """No watch with this id (it may have been removed)."""


class WatchOwnerChanged(PermissionError):
    """The watch's owner is not the one the caller was allowed to edit for."""


def find_watch(db: Database, watch_id: int) -> Watch | None:
    row = db.execute("SELECT id, name, query, owner, active FROM watches WHERE id = ?",
                     [watch_id]).fetchone()
    if row is None:
        return None
    return Watch(id=row[0], name=row[1], query=row[2], owner=row[3], active=bool(row[4]))


def create_watch(db: Database, watch: Watch) -> int:
    """Insert a new watch and return its id; a name in use raises WatchNameTaken."""
    watch = strip_nul_fields(watch, "name", "query", "owner")
    now = to_iso(utcnow())
    with transaction(db) as conn:
        if conn.execute("SELECT 1 FROM watches WHERE name = ?", [watch.name]).fetchone():
            raise WatchNameTaken(watch.name)
        cursor = conn.execute(
            "INSERT INTO watches (name, query, owner, active, created, updated) "
            "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            [watch.name, watch.query, watch.owner, int(watch.active), now, now],
        )
        return int(cursor.fetchall()[0][0])


def update_watch(db: Database, watch: Watch,
                 expected_owner: str | None = None) -> None:
    """Update the watch with `watch.id`: name, query, owner, active.

    `expected_owner`, when given, must still be the stored owner (a project lead editing
    their own project). Its per-document scores are dropped, so nlp re-applies the watch.
    """
    if watch.id is None:
        raise WatchNotFound("a watch without id cannot be updated")
    watch = strip_nul_fields(watch, "name", "query", "owner")
    with transaction(db) as conn:
        row = conn.execute("SELECT owner FROM watches WHERE id = ?", [watch.id]).fetchone()
        if row is None:
            raise WatchNotFound(str(watch.id))
        if expected_owner is not None and row[0] != expected_owner:
            raise WatchOwnerChanged(str(watch.id))
        clash = conn.execute("SELECT 1 FROM watches WHERE name = ? AND id != ?",
                             [watch.name, watch.id]).fetchone()
        if clash:
            raise WatchNameTaken(watch.name)
        conn.execute(
            "UPDATE watches SET name = ?, query = ?, owner = ?, active = ?, updated = ? "
            "WHERE id = ?",
            [watch.name, watch.query, watch.owner, int(watch.active), to_iso(utcnow()),
             watch.id],
        )
        conn.execute("DELETE FROM watch_scores WHERE watch_id = ?", [watch.id])
