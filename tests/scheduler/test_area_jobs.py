"""The jobs that call other areas, run for real: digest over SMTP on 127.0.0.1, alerts, rollup;
on a SQLite file and on a PostgreSQL database (`store_url`)."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from core.config import load_config
from core.records import Document, Source, document_id_for_url, utcnow
from digest.weeks import last_complete_week
from jobs import tasks
from newsroom.demo.synthetic import attach_analysis
from storage.crawl_log import upsert_source
from storage.db import open_db
from storage.documents import upsert_document
from storage.jobs import list_job_runs
from storage.rollups import refresh_daily_rollup
from tests.scheduler.conftest import write_config


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append(envelope)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _mail_config(tmp_path: Path, port: int, url: str) -> Path:
    path = write_config(tmp_path, url=url)
    text = path.read_text(encoding="utf-8").replace(
        "[[sources]]",
        f'[mail]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\n'
        'sender = "newsroom@dordrecht.test"\n\n'
        '[[mail.recipients]]\nemail = "directie@dordrecht.test"\nrole = "management"\n\n'
        "[[sources]]",
        1,
    )
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def inbox() -> Iterator[tuple[_Inbox, int]]:
    handler = _Inbox()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


TITLES = {"Brug weer dicht": "negatief", "Wachtlijst zwembad groeit": "negatief",
          "Klachten over parkeren": "negatief", "Raad vergadert": "neutraal",
          "Nieuw park geopend": "positief"}


def _seed_last_week(path: Path) -> None:
    """A source last heard from last week (the week the digest reports on) with five scored
    news items of that week's Thursday."""
    db = open_db(load_config(path).store_target)
    week_ago = last_complete_week(utcnow()).start + timedelta(days=3, hours=10)
    upsert_source(db, Source(id="ad-dordrecht", name="AD Dordrecht", kind="news", type="rss",
                             url="http://127.0.0.1:9/ad.xml"))
    for n, (title, label) in enumerate(TITLES.items()):
        url = f"https://ad.invalid/nieuws/{n}"
        doc = Document(id=document_id_for_url(url), source_id="ad-dordrecht", kind="news",
                       url=url, title=title, text=f"{title}. Meer over Dordrecht.",
                       published=week_ago + timedelta(minutes=n), fetched=week_ago)
        upsert_document(db, doc)
        attach_analysis(db, doc.id, label, topics=("verkeer",))
    refresh_daily_rollup(db)
    db.conn.close()


def _plain_text(envelope: Any) -> str:
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def _runs(path: Path, job_id: str) -> list:
    db = open_db(load_config(path).store_target)
    try:
        return list_job_runs(db, job_id)
    finally:
        db.conn.close()


def test_digest_job_sends_once_per_week(tmp_path: Path, inbox: tuple[_Inbox, int],
                                        store_url: str) -> None:
    handler, port = inbox
    path = _mail_config(tmp_path, port, store_url)
    _seed_last_week(path)
    assert tasks.digest(str(path)) == "ok"
    assert len(handler.messages) == 1
    assert handler.messages[0].rcpt_tos == ["directie@dordrecht.test"]
    body = _plain_text(handler.messages[0])
    assert all(title in body for title in TITLES), body  # last week's items, from the store
    assert "Deze week: 60% negatief, 20% neutraal, 20% positief." in body
    # The scheduler may fire again (a restart within the misfire grace): no second mail.
    assert tasks.digest(str(path)) == "ok"
    assert len(handler.messages) == 1
    second, first = _runs(path, "digest")
    assert "directie@dordrecht.test: sent" in first.detail
    assert "directie@dordrecht.test: skipped" in second.detail


def test_digest_job_fails_when_the_mail_server_is_down(tmp_path: Path, store_url: str) -> None:
    path = _mail_config(tmp_path, _free_port(), store_url)
    assert tasks.digest(str(path)) == "failed"
    (run,) = _runs(path, "digest")
    assert run.outcome == "failed" and "directie@dordrecht.test: failed" in run.detail


def test_alerts_job_runs_the_detector(tmp_path: Path, store_url: str) -> None:
    path = write_config(tmp_path, url=store_url)
    assert tasks.alerts(str(path)) == "ok"
    (run,) = _runs(path, "alerts")
    assert run.detail == "0 new alerts"
    _seed_last_week(path)  # AD Dordrecht silent since last week (limit 48 hours)
    assert tasks.alerts(str(path)) == "ok"
    assert tasks.alerts(str(path)) == "ok"  # within the cooldown: not alerted again
    later, first, _ = _runs(path, "alerts")
    assert (first.detail, later.detail) == ("1 new alerts", "0 new alerts")
    db = open_db(load_config(path).store_target)
    try:
        rows = db.execute("SELECT kind, scope_key FROM alerts").fetchall()
    finally:
        db.conn.close()
    assert [tuple(row) for row in rows] == [("silent_source", "ad-dordrecht")]
