"""Dashboard login sessions: what the session cookie points at.

A session is a random token; only its SHA-256 is stored, so a copy of the database logs
nobody in. A session ends when it expires, when it was idle too long, or when it is revoked
(logout, password change, user removed): all checked here, on the server, on every page run.
Times are Unix seconds, passed in by the caller.
"""

from __future__ import annotations

import hashlib
import secrets

from storage.db import Database, transaction
from storage.nul import strip_nul

HANDOFF_SECONDS = 120.0
"""How long a new session may be turned into a cookie (once) after login."""
TOUCH_EVERY_SECONDS = 30.0
"""last_seen is written at most this often, to keep page runs from writing on every click."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_session(db: Database, username: str, now: float,
                   lifetime_seconds: float) -> str:
    """Start a session for `username` and return its (secret) token."""
    token = secrets.token_urlsafe(32)
    with transaction(db) as conn:
        conn.execute(
            "INSERT INTO dashboard_sessions (token_hash, username, created, last_seen, expires) "
            "VALUES (?, ?, ?, ?, ?)",
            [_hash(token), strip_nul(username), now, now, now + lifetime_seconds],
        )
    return token


def session_user(db: Database, token: str, now: float,
                 idle_seconds: float) -> str | None:
    """The user name of a live session (and mark it seen), or None when it has ended.

    A session idle for longer than `idle_seconds` is revoked here, so it stays ended.
    """
    with transaction(db) as conn:
        row = conn.execute(
            "SELECT username, last_seen, expires, revoked_at FROM dashboard_sessions "
            "WHERE token_hash = ?", [_hash(token)],
        ).fetchone()
        if row is None or row[3] is not None or row[2] <= now:
            return None
        if now - row[1] > idle_seconds:
            conn.execute("UPDATE dashboard_sessions SET revoked_at = ? WHERE token_hash = ?",
                         [now, _hash(token)])
            return None
        if now - row[1] >= TOUCH_EVERY_SECONDS:
            conn.execute("UPDATE dashboard_sessions SET last_seen = ? WHERE token_hash = ?",
                         [now, _hash(token)])
        return str(row[0])


def claim_for_cookie(db: Database, token: str, now: float) -> bool:
    """True once, shortly after login: the moment the browser may store the token as a cookie.

    The token travels to the browser through the page; claiming it once means a copy seen
    later cannot be turned into a second cookie.
    """
    with transaction(db) as conn:
        cursor = conn.execute(
            "UPDATE dashboard_sessions SET cookie_set = 1 WHERE token_hash = ? "
            "AND cookie_set = 0 AND revoked_at IS NULL AND created > ? AND expires > ?",
            [_hash(token), now - HANDOFF_SECONDS, now],
        )
        return cursor.rowcount == 1


def revoke_session(db: Database, token: str, now: float) -> None:
    """End one session (logout)."""
    with transaction(db) as conn:
        conn.execute("UPDATE dashboard_sessions SET revoked_at = ? "
                     "WHERE token_hash = ? AND revoked_at IS NULL", [now, _hash(token)])


def revoke_user_sessions(db: Database, username: str, now: float) -> int:
    """End every session of a user (password changed, user removed); how many ended."""
    with transaction(db) as conn:
        cursor = conn.execute("UPDATE dashboard_sessions SET revoked_at = ? "
                              "WHERE username = ? AND revoked_at IS NULL", [now, username])
        return cursor.rowcount


def purge_sessions(db: Database, now: float) -> int:
    """Forget sessions that expired (or were revoked) over a day ago."""
    with transaction(db) as conn:
        cursor = conn.execute(
            "DELETE FROM dashboard_sessions WHERE expires < ? OR revoked_at < ?",
            [now - 86_400, now - 86_400],
        )
        return cursor.rowcount


def signing_key(db: Database) -> bytes:
    """The store's key for signing session cookies, made on first use.

    Two dashboards starting at once on PostgreSQL may both insert: `ON CONFLICT DO NOTHING`
    makes the later one wait for the first and then read the key the first one stored.
    """
    with transaction(db) as conn:
        conn.execute("INSERT INTO access_secrets (name, value) VALUES (?, ?) "
                     "ON CONFLICT (name) DO NOTHING",
                     ["session_cookie", secrets.token_hex(32)])
        row = conn.execute("SELECT value FROM access_secrets WHERE name = 'session_cookie'")
        return bytes.fromhex(row.fetchone()[0])
