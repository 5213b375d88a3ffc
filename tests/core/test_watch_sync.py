"""Config sync keeps what users change in the dashboard unless newsroom.toml itself changed
(real SQLite file, the dashboard's own write path `storage.watch_edits.update_watch`)."""

from __future__ import annotations

from pathlib import Path

from core.config import Config
from core.records import Watch
from newsroom.sync import sync_config_to_store
from storage.adviser import list_watches
from storage.db import open_db
from storage.watch_edits import update_watch


def config_with(*watches: Watch) -> Config:
    return Config(watches=tuple(watches))


def stored(db) -> dict[str, tuple[str, str]]:
    return {w.name: (w.query, w.owner) for w in list_watches(db)}


def test_dashboard_edit_survives_a_sync_of_an_unchanged_file(tmp_path: Path) -> None:
    db = open_db(tmp_path / "n.db")
    config = config_with(Watch(name="Brug", query="brug", owner="lead"))
    sync_config_to_store(db, config)
    watch = next(w for w in list_watches(db) if w.name == "Brug")
    update_watch(db, Watch(id=watch.id, name="Brug", query="brug OR fietsbrug", owner="lead"))
    for _ in range(2):
        sync_config_to_store(db, config)
    assert stored(db) == {"Brug": ("brug OR fietsbrug", "lead")}


def test_a_changed_file_wins_over_an_earlier_dashboard_edit(tmp_path: Path) -> None:
    db = open_db(tmp_path / "n.db")
    sync_config_to_store(db, config_with(Watch(name="Brug", query="brug", owner="lead")))
    watch = list_watches(db)[0]
    update_watch(db, Watch(id=watch.id, name="Brug", query="brug OR fietsbrug", owner="lead"))
    sync_config_to_store(db, config_with(Watch(name="Brug", query="brug OR loopbrug",
                                               owner="lead")))
    assert stored(db) == {"Brug": ("brug OR loopbrug", "lead")}


def test_a_new_owner_in_the_file_is_applied(tmp_path: Path) -> None:
    db = open_db(tmp_path / "n.db")
    sync_config_to_store(db, config_with(Watch(name="Brug", query="brug", owner="lead")))
    sync_config_to_store(db, config_with(Watch(name="Brug", query="brug", owner="other")))
    assert stored(db) == {"Brug": ("brug", "other")}


def test_a_watch_renamed_in_the_dashboard_does_not_come_back_under_its_old_name(
    tmp_path: Path,
) -> None:
    db = open_db(tmp_path / "n.db")
    config = config_with(Watch(name="Brug", query="brug", owner="lead"))
    sync_config_to_store(db, config)
    watch = list_watches(db)[0]
    update_watch(db, Watch(id=watch.id, name="Fietsbrug", query="brug", owner="lead"))
    sync_config_to_store(db, config)
    assert stored(db) == {"Fietsbrug": ("brug", "lead")}


def test_a_store_from_before_the_memory_takes_the_file_once(tmp_path: Path) -> None:
    """Stores synced before watch_config_queries existed have no memory: the first sync
    behaves as before (the file wins), later ones keep dashboard edits."""
    db = open_db(tmp_path / "n.db")
    sync_config_to_store(db, config_with(Watch(name="Brug", query="brug", owner="lead")))
    db.execute("DELETE FROM watch_config_queries")
    watch = list_watches(db)[0]
    update_watch(db, Watch(id=watch.id, name="Brug", query="brug OR x", owner="lead"))
    sync_config_to_store(db, config_with(Watch(name="Brug", query="brug", owner="lead")))
    assert stored(db) == {"Brug": ("brug", "lead")}
