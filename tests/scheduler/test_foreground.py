"""`run_forever`: the foreground loop closes runs a killed process left open, picks up an edited
newsroom.toml and stops on request; its store is a SQLite file or a PostgreSQL database."""

from __future__ import annotations

import logging
import os
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import scheduler as sched
from core.config import load_config
from jobs.store import read_schedule
from storage.db import open_db
from storage.jobs import job_status, start_job_run
from tests.scheduler.conftest import SOURCES, wait_until, write_config
from tests.scheduler.support import schedule_far_ahead


def _touch_later(path: Path, text: str) -> None:
    """Replace the file atomically and move its mtime on (seen even on coarse clocks)."""
    stamp = path.stat().st_mtime_ns
    staged = path.with_suffix(".staged")
    staged.write_text(text, encoding="utf-8")
    os.utime(staged, ns=(stamp + 2_000_000_000, stamp + 2_000_000_000))
    os.replace(staged, path)


def test_a_half_written_config_is_not_read(tmp_path: Path) -> None:
    config = load_config(write_config(tmp_path))
    assert config.path is not None
    watcher = sched.ConfigWatcher(config)
    assert watcher.changed_config() is None
    stamp = config.path.stat().st_mtime_ns
    config.path.write_text("", encoding="utf-8")  # caught in the middle of a save
    os.utime(config.path, ns=(stamp + 10**9, stamp + 10**9))
    assert watcher.changed_config() is None  # changed, but not yet stable
    (tmp_path / "edit").mkdir()
    edited = write_config(tmp_path / "edit", extra="score_interval_minutes = 7\n")
    _touch_later(config.path, edited.read_text(encoding="utf-8"))
    assert watcher.changed_config() is None
    reloaded = watcher.changed_config()
    assert reloaded is not None and reloaded.schedule.score_interval_minutes == 7
    assert len(reloaded.sources) == 3
    assert watcher.changed_config() is None  # seen once, not again


def test_edited_config_is_synced_while_running(
    tmp_path: Path, store_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    config = load_config(write_config(tmp_path, url=store_url))
    later = schedule_far_ahead(config)
    db = open_db(config.store_target)
    # Left 'running' by a process killed yesterday, and one that may still be going.
    killed = start_job_run(db, "score", started=datetime.now(UTC) - timedelta(days=1))
    recent = start_job_run(db, "crawl:ad-dordrecht")
    stop = threading.Event()
    thread = threading.Thread(
        target=sched.run_forever, args=(config,), kwargs={"stop": stop,
                                                          "config_check_seconds": 0.02},
    )
    caplog.set_level(logging.INFO, logger="scheduler")
    caplog.set_level(logging.INFO, logger="jobs.recording")
    thread.start()
    try:
        wait_until(lambda: "scheduler running with 8 jobs" in caplog.text)
        status = job_status(db)
        assert (status["score"].id, status["score"].outcome) == (killed, "interrupted")
        assert (status["crawl:ad-dordrecht"].id,
                status["crawl:ad-dordrecht"].outcome) == (recent, "running")
        assert "1 job runs of an earlier process were marked interrupted" in caplog.text
        assert config.path is not None
        # An invalid edit is refused and the schedule stays as it was.
        good_text = config.path.read_text(encoding="utf-8")
        _touch_later(config.path, good_text.replace('backup_keep = 2', 'backup_keep = "twee"'))
        wait_until(lambda: "keeping the current schedule" in caplog.text)
        assert len(read_schedule(config)) == 8
        # Dropping the Mastodon source removes its crawl job; the rest keep their times.
        without_social = "[[sources]]".join(
            part for part in SOURCES.split("[[sources]]") if "mastodon" not in part
        )
        _touch_later(config.path, good_text.replace(SOURCES, without_social))
        wait_until(lambda: "crawl:mastodon-dordrecht" not in read_schedule(config))
        schedule = read_schedule(config)
        assert len(schedule) == 7 and set(schedule.values()) == {later}
        assert thread.is_alive()
        assert "job crawl:" not in caplog.text  # nothing was crawled meanwhile
    finally:
        stop.set()
        thread.join(timeout=30)
        db.conn.close()
    assert not thread.is_alive()
    assert "scheduler stopped" in caplog.text
