"""Bring the store in line with newsroom.toml: config is the truth for sources and watches."""

from __future__ import annotations

import sqlite_utils

from core.config import Config
from storage.adviser import list_watches, removed_watches, save_watch
from storage.crawl_log import upsert_source


def sync_config_to_store(db: sqlite_utils.Database, config: Config) -> dict[str, int]:
    """Record every configured source, and add configured watches that the store lacks.

    Watches edited in the dashboard are kept: a configured watch only overwrites a stored
    one with the same name when its query differs from the file. A watch that a user
    removed (CLI or dashboard) stays removed while its query in the file is the one it had
    when removed; changing that query in newsroom.toml counts as adding it again.
    """
    for source in config.sources:
        upsert_source(db, source)
    stored = {w.name: w for w in list_watches(db)}
    removed = removed_watches(db)
    for watch in config.watches:
        if removed.get(watch.name) == watch.query:
            continue
        current = stored.get(watch.name)
        if current is None or current.query != watch.query or current.owner != watch.owner:
            save_watch(db, watch)
    return {"sources": len(config.sources), "watches": len(list_watches(db))}
