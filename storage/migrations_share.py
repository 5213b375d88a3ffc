"""SQL of the sharing migrations (issue 14: 0071-0072), listed in storage.migrations.MIGRATIONS.

Kept apart so that the migration list itself stays short enough to read at once.
"""

from __future__ import annotations

API_TOKENS = """
-- API tokens per dashboard user: only the SHA-256 of the secret is stored (a copy of the
-- database lets nobody read the API); revoked or expired tokens stay for the audit trail.
CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    username TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL,
    expires TEXT,
    revoked TEXT,
    last_used TEXT
);
CREATE INDEX idx_api_tokens_user ON api_tokens(username);
"""

SAVED_VIEWS = """
-- A named filter set of one dashboard page, owned by a user and opened by others through a
-- link (?view=<id>); the id is random so links cannot be guessed by counting.
CREATE TABLE saved_views (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    page TEXT NOT NULL,
    name TEXT NOT NULL,
    filters_json TEXT NOT NULL,
    created TEXT NOT NULL
);
CREATE INDEX idx_saved_views_owner ON saved_views(owner, page);
"""

SHARE_MIGRATIONS: list[tuple[str, str]] = [
    ("0071_api_tokens", API_TOKENS),
    ("0072_saved_views", SAVED_VIEWS),
]
