"""Bring the store in line with newsroom.toml: config is the truth for sources and watches."""

from __future__ import annotations

from core.config import Config
from storage.adviser import list_watches, removed_watches, save_watch
from storage.crawl_log import upsert_source
from storage.db import Database
from storage.watch_config import config_state, remember_config_state


def sync_config_to_store(db: Database, config: Config) -> dict[str, int]:
    """Record every configured source, and bring configured watches into the store.

    newsroom.toml is the truth for what it *changes*: a configured watch is written when it is
    new, or when its query or owner in the file differs from what the file said at the last
    sync. A watch a user edited (or renamed) in the dashboard or CLI while the file stayed the
    same keeps the user's version. A watch a user removed stays removed while its query in the
    file is the one it had when removed; changing that query in newsroom.toml counts as adding
    it again.
    """
    for source in config.sources:
        upsert_source(db, source)
    stored = {w.name: w for w in list_watches(db)}
    removed = removed_watches(db)
    last_synced = config_state(db)
    for watch in config.watches:
        if removed.get(watch.name) == watch.query:
            continue
        file_changed = last_synced.get(watch.name) != (watch.query, watch.owner)
        current = stored.get(watch.name)
        # Absent but synced before, unchanged in the file and not removed: a user renamed it.
        if file_changed and (current is None or (current.query, current.owner)
                             != (watch.query, watch.owner)):
            save_watch(db, watch)
        remember_config_state(db, watch.name, watch.query, watch.owner)
    return {"sources": len(config.sources), "watches": len(list_watches(db))}
