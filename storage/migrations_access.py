"""SQL of the access-control migrations (0033-0035), listed in storage.migrations.MIGRATIONS.

Times are Unix seconds (REAL): they are only compared.
"""

from __future__ import annotations

LOGIN_THROTTLE = """
-- Failed logins per user name and per client address, so a lockout survives reloads and
-- restarts; a row is reset on success and forgotten once its window has passed.
CREATE TABLE login_throttle (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    failures INTEGER NOT NULL,
    window_start REAL NOT NULL,
    locked_until REAL NOT NULL DEFAULT 0,
    PRIMARY KEY (scope, key)
);
"""

SESSIONS = """
-- Dashboard sessions behind the login cookie: only a hash of the token is stored, so a copy
-- of the database cannot log anyone in; revoked_at ends a session server-side.
CREATE TABLE dashboard_sessions (
    token_hash TEXT PRIMARY KEY,
    username TEXT NOT NULL,
    created REAL NOT NULL,
    last_seen REAL NOT NULL,
    expires REAL NOT NULL,
    cookie_set INTEGER NOT NULL DEFAULT 0,
    revoked_at REAL
);
CREATE INDEX idx_dashboard_sessions_user ON dashboard_sessions(username);
CREATE TABLE access_secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""

USERS = """
-- Dashboard users managed with `newsroom users`, beside those in newsroom.toml.
CREATE TABLE dashboard_users (
    username TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    watches_json TEXT NOT NULL DEFAULT '[]',
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
"""
