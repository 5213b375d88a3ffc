"""A second connection to the store a test already has, on either engine.

"A restart" or "another process" in a test is a second connection to the same store: for
SQLite the same file, for PostgreSQL the same database URL (`any_db` gives either).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from storage.db import open_db
from storage.dialect import is_postgres


def opener(db: Any) -> Callable[[], Any]:
    """A function that opens another connection to the store behind `db`.

    Call it in the thread that will use the connection: a sqlite3 connection refuses to be
    used by a thread other than the one that opened it.
    """
    if is_postgres(db):
        url: str = db.url
        return lambda: open_db(url, migrate=False)
    path = db.execute("PRAGMA database_list").fetchone()[2]  # (seq, name, file)
    assert path, "an in-memory SQLite database cannot be opened twice"
    return lambda: open_db(path, migrate=False)


def reopen(db: Any) -> Any:
    """Another connection to the store behind `db` (migrations are already applied)."""
    return opener(db)()
