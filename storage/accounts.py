"""Dashboard users kept in the store (`newsroom users add/list/remove/passwd`).

Users may also be listed in newsroom.toml ([[dashboard.users]]); a name lives in one place
only, which the CLI checks. Only bcrypt hashes are stored, never passwords.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from core.records import utcnow
from core.timeutil import to_iso
from storage.db import Database, transaction
from storage.nul import has_nul

ROLES = ("adviser", "project_lead", "management")


class AccountError(ValueError):
    """A user change that cannot be made; the message says why."""


@dataclass(frozen=True)
class StoredUser:
    username: str
    role: str
    password_hash: str
    watches: tuple[str, ...] = ()


def add_user(db: Database, user: StoredUser) -> None:
    """Add a new user; an existing name is refused (use set_password to change one)."""
    if user.role not in ROLES:
        raise AccountError(f"Unknown role {user.role!r}: use {', '.join(ROLES)}")
    if not user.username.strip() or len(user.username) > 100:
        raise AccountError("A user name must have 1 to 100 characters")
    if has_nul(user.username):
        raise AccountError("Een gebruikersnaam mag geen NUL-teken (\\x00) bevatten; typ de "
                           "naam opnieuw zonder dat teken.")
    now = to_iso(utcnow())
    with transaction(db) as conn:
        # ON CONFLICT rather than look-up-then-insert: on PostgreSQL two adds of one name can
        # race (no single writer lock), and the loser must get this error, not a driver error.
        added = conn.execute(
            "INSERT INTO dashboard_users (username, role, password_hash, watches_json, "
            "created, updated) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (username) DO NOTHING",
            [user.username, user.role, user.password_hash, json.dumps(list(user.watches)),
             now, now],
        ).rowcount
        if added != 1:
            raise AccountError(f"User {user.username!r} already exists")


def set_password(db: Database, username: str, password_hash: str) -> None:
    with transaction(db) as conn:
        cursor = conn.execute(
            "UPDATE dashboard_users SET password_hash = ?, updated = ? WHERE username = ?",
            [password_hash, to_iso(utcnow()), username],
        )
        if cursor.rowcount != 1:
            raise AccountError(f"No stored user {username!r}")


def remove_user(db: Database, username: str) -> None:
    with transaction(db) as conn:
        cursor = conn.execute("DELETE FROM dashboard_users WHERE username = ?", [username])
        if cursor.rowcount != 1:
            raise AccountError(f"No stored user {username!r}")


def list_users(db: Database) -> list[StoredUser]:
    """Stored users by name."""
    return [
        StoredUser(username=row["username"], role=row["role"],
                   password_hash=row["password_hash"],
                   watches=tuple(json.loads(row["watches_json"] or "[]")))
        for row in db.query("SELECT * FROM dashboard_users ORDER BY username")
    ]
