"""What newsroom.toml said about each watch at the last sync, so a later sync can tell
"the file changed" from "a user changed the watch in the dashboard or CLI".

Without this memory a sync can only compare the file with the store, and then every
dashboard edit of a configured watch looks like drift and is overwritten by `newsroom init`.
"""

from __future__ import annotations

from storage.db import Database, transaction
from storage.nul import strip_nul_all


def config_state(db: Database) -> dict[str, tuple[str, str | None]]:
    """Watch name -> (query, owner) as newsroom.toml had them at the last sync."""
    rows = db.execute("SELECT name, query, owner FROM watch_config_queries")
    return {row[0]: (row[1], row[2]) for row in rows}


def remember_config_state(db: Database, name: str, query: str,
                          owner: str | None) -> None:
    """Record the file's query and owner for `name` (replacing an earlier sync's)."""
    with transaction(db) as conn:
        conn.execute(
            "INSERT INTO watch_config_queries (name, query, owner) VALUES (?, ?, ?) "
            "ON CONFLICT(name) DO UPDATE SET query = excluded.query, owner = excluded.owner",
            strip_nul_all([name, query, owner]),
        )
