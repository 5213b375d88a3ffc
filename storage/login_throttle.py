"""Server-side login throttling per user name and per client address.

The counters live in the store (table `login_throttle`), not in the browser session, so
reloading the page or restarting the dashboard does not reset them. Too many failures within
`WINDOW_SECONDS` lock the user name (or the client) for `LOCK_SECONDS`; the lock then expires
on its own. A client gets more tries than a user name, because one office may share an
address. Times are Unix seconds, passed in by the caller so tests need no clock.
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.db import Database, transaction
from storage.dialect import lock_table
from storage.nul import strip_nul

USER_LIMIT = 5
"""Failures per user name within the window before that name is locked."""
CLIENT_LIMIT = 20
"""Failures per client address within the window before that client is locked."""
WINDOW_SECONDS = 15 * 60.0
LOCK_SECONDS = 15 * 60.0
MAX_KEY_CHARS = 100
"""User names are typed by anyone: cap what is stored."""


@dataclass(frozen=True)
class Lockout:
    """Why and until when logins are refused."""

    scope: str
    """"user" or "client"."""
    until: float


def _keys(username: str, client: str) -> list[tuple[str, str]]:
    """The throttle keys of a login attempt: typed text, so without NUL on both engines."""
    return [("user", strip_nul(username).strip().lower()[:MAX_KEY_CHARS]),
            ("client", strip_nul(client or "unknown")[:MAX_KEY_CHARS])]


def current_lockout(db: Database, username: str, client: str,
                    now: float) -> Lockout | None:
    """The lock that refuses this login attempt right now, if any (checked before the password)."""
    for scope, key in _keys(username, client):
        row = db.execute(
            "SELECT locked_until FROM login_throttle WHERE scope = ? AND key = ?", [scope, key]
        ).fetchone()
        if row is not None and row[0] > now:
            return Lockout(scope, float(row[0]))
    return None


def record_failure(db: Database, username: str, client: str,
                   now: float) -> Lockout | None:
    """Count one failed login for the name and the client; the lock it caused, if any.

    The count is raised inside one upsert (`ON CONFLICT … DO UPDATE … RETURNING`), not read
    first and written after: on PostgreSQL two dashboards may record failures for the same
    name at the same moment (READ COMMITTED, no single writer lock as on SQLite), and a
    read-then-write would lose one of them. The upsert holds the row lock until commit, so
    the follow-up lock write sees the count it raised. Writers also take turns on the table
    (`dialect.lock_table`; SQLite's write lock does that anyway), so the clean-up DELETE of
    one failure and the upserts of another never lock rows in opposite orders (a deadlock).
    """
    limits = {"user": USER_LIMIT, "client": CLIENT_LIMIT}
    caused: Lockout | None = None
    window_floor = now - WINDOW_SECONDS
    with transaction(db) as conn:
        lock_table(conn, "login_throttle")
        conn.execute("DELETE FROM login_throttle WHERE window_start < ? AND locked_until < ?",
                     [window_floor, now])
        for scope, key in _keys(username, client):
            failures = conn.execute(
                "INSERT INTO login_throttle (scope, key, failures, window_start, locked_until) "
                "VALUES (?, ?, 1, ?, 0) ON CONFLICT (scope, key) DO UPDATE SET "
                "failures = CASE WHEN login_throttle.window_start < ? THEN 1 "
                "ELSE login_throttle.failures + 1 END, "
                "window_start = CASE WHEN login_throttle.window_start < ? "
                "THEN excluded.window_start ELSE login_throttle.window_start END "
                "RETURNING failures",
                [scope, key, now, window_floor, window_floor],
            ).fetchone()[0]
            if int(failures) >= limits[scope]:
                locked_until = now + LOCK_SECONDS
                caused = caused or Lockout(scope, locked_until)
                conn.execute(
                    "UPDATE login_throttle SET failures = 0, window_start = ?, "
                    "locked_until = CASE WHEN locked_until > ? THEN locked_until ELSE ? END "
                    "WHERE scope = ? AND key = ?",
                    [now, locked_until, locked_until, scope, key],
                )
    return caused


def record_success(db: Database, username: str) -> None:
    """A correct password clears the name's counter (the client's count stays)."""
    with transaction(db) as conn:
        conn.execute("DELETE FROM login_throttle WHERE scope = 'user' AND key = ?",
                     [_keys(username, "")[0][1]])
