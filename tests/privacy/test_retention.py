"""Retention covers every store: alerts with evidence, digests and previews, crawl and job
logs, backups and the audit log — each against its own `[retention]` period, on SQLite and
PostgreSQL (`any_db`)."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import freezegun
import pytest

from core.config import ConfigError, RetentionSettings, ScheduleSettings, load_config
from core.records import CrawlIssue
from jobs.purge import run_purge
from storage.alerts import Alert, insert_alert
from storage.audit import list_events, record_event
from storage.crawl_log import record_crawl_issue, start_crawl_run
from storage.db import Database
from storage.dead_letters import list_dead_letters, record_dead_letter
from storage.digests import DigestPreview, save_digest, save_preview
from storage.retention import oldest_items
from tests.digest import support

NOW = datetime(2026, 11, 16, 7, 0, tzinfo=UTC)


def test_every_store_is_purged_against_its_own_limit(any_db: Database, tmp_path: Path) -> None:
    db = any_db
    old, young = NOW - timedelta(days=400), NOW - timedelta(days=10)
    for n, when in enumerate((old, young)):
        insert_alert(db, Alert(kind="volume_spike", scope_type="overall", scope_key="",
                               window_start=when, window_end=when, figures={}, message="m",
                               dedupe_key=f"k{n}", created=when,
                               items=[{"id": "x", "title": "t", "url": "https://a.example"}]))
        save_digest(db, f"2026-W{n + 10}", "a@b.example", "s", "<p>h</p>", "t", created=when)
        save_preview(db, DigestPreview(week=f"2026-W{n + 10}", recipient="", subject="s",
                                       html="h", text="t", data_stamp="1", built_at=when))
        run = start_crawl_run(db, "ad", started=when)
        record_crawl_issue(db, run, CrawlIssue(url="https://a.example/x", reason="http_404"))
        start_crawl_run(db, "ad", started=when + timedelta(minutes=1))
        with freezegun.freeze_time(when):
            record_event(db, actor="anna", action="export.csv")
        record_dead_letter(db, task="crawl_source", task_id=f"t{n}", args=["ad"], attempts=3,
                           error="http_404", source_id="ad", now=when)
    backups = tmp_path / "backups"
    backups.mkdir()
    for stamp, when in (("20251001T040000Z", old), ("20261106T040000Z", young)):
        path = backups / f"newsroom-{stamp}.db"
        path.write_bytes(b"x")
        os.utime(path, (when.timestamp(), when.timestamp()))
    config = replace(support.make_config(tmp_path), path=tmp_path / "newsroom.toml",
                     schedule=replace(ScheduleSettings(), backup_dir=str(backups)))

    assert oldest_items(db)["alerts"] == old
    removed = run_purge(db, config, now=NOW)

    assert removed["alerts"] == 1 and removed["digests"] == 2 and removed["backups"] == 1
    assert removed["crawl_runs"] == 2 and removed["audit"] == 0  # audit kept 730 days
    assert removed["dead_letters"] == 1
    assert [d.task_id for d in list_dead_letters(db)] == ["t1"]
    oldest = oldest_items(db)
    for store in ("alerts", "digests"):
        assert oldest[store] == young, store
    assert db.execute("SELECT count(*) FROM crawl_issues").fetchone()[0] == 1
    assert [p.name for p in sorted(backups.iterdir())] == ["newsroom-20261106T040000Z.db"]
    assert oldest["audit"] == old and oldest["logs"] == young

    shorter = replace(config, retention=replace(RetentionSettings(), audit_days=100))
    assert run_purge(db, shorter, now=NOW)["audit"] == 1
    assert [e.action for e in list_events(db)] == ["audit.purge", "export.csv"]


def test_negative_retention_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "newsroom.toml"
    path.write_text("[retention]\naudit_days = -1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="retention.audit_days"):
        load_config(path)
