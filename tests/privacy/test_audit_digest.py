"""Digest sends land in the audit log: one event per recipient, sent or failed."""

from __future__ import annotations

from pathlib import Path

from aiosmtpd.controller import Controller

from digest.send import send_weekly_digests
from storage.audit import list_events
from storage.db import open_db
from tests.digest import support


def test_each_send_and_failure_is_recorded_with_its_actor(tmp_path: Path) -> None:
    db = open_db(tmp_path / "newsroom.db")
    support.fill_week(support.StoreWriter(db))
    port = support.free_port()
    config = support.make_config(tmp_path, port=port, recipients=(support.MANAGER,))
    send_weekly_digests(db, config, support.WEEK, now=support.NOW)  # nothing listens yet
    collector = support.Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        send_weekly_digests(db, config, support.WEEK, now=support.NOW, actor="cli:anna")
    finally:
        controller.stop()
    assert len(collector.messages) == 1
    events = [(e.actor, e.action, e.target, e.detail) for e in list_events(db)]
    assert events == [
        ("cli:anna", "digest.send", support.MANAGER.email, f"week {support.WEEK}"),
        ("scheduler", "digest.send_failed", support.MANAGER.email, f"week {support.WEEK}"),
    ]
