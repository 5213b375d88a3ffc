"""The storage error every caller can act on (kept apart so storage.db and the PostgreSQL
opener, storage.pg_open, both raise it without importing each other)."""

from __future__ import annotations


class StorageError(Exception):
    """The database cannot be opened or migrated; the message says what to do."""
