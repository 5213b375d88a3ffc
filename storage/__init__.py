"""The newsroom store: the only package that knows SQL.

Every other package imports the functions of these modules and speaks in the records of
`core.records`. Open a connection per process or thread with `storage.db.open_db`.
"""

from storage.db import StorageError, open_db

__all__ = ["StorageError", "open_db"]
