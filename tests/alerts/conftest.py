"""Fixtures for the alert tests: a real SQLite file, a local webhook receiver, SMTP."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils

from storage.db import open_db
from tests.digest import support


@pytest.fixture
def db(tmp_path: Path) -> sqlite_utils.Database:
    return open_db(tmp_path / "newsroom.db")


@pytest.fixture
def writer(db: sqlite_utils.Database) -> Any:
    return support.StoreWriter(db)


@dataclass
class WebhookReceiver:
    """A local HTTP server that records JSON posts; `status` and `hang` set its answer."""

    url: str
    requests: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    status: int = 200
    fail_paths: set[str] = field(default_factory=set)
    hang: bool = False
    release: threading.Event = field(default_factory=threading.Event)

    def bodies(self, path: str) -> list[dict[str, Any]]:
        return [body for p, body in self.requests if p == path]


@pytest.fixture
def webhooks() -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length).decode("utf-8"))
            receiver.requests.append((self.path, body))
            if receiver.hang:
                receiver.release.wait(timeout=10)  # bounded: the test releases it
                return  # the client has given up by now; answer nothing
            self.send_response(500 if self.path in receiver.fail_paths else receiver.status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        receiver.release.set()
        server.shutdown()
        server.server_close()


@dataclass
class SpikeScenario:
    now: datetime
    spike_ids: list[str]
    future_id: str


@pytest.fixture
def spike_scenario(writer: Any) -> SpikeScenario:
    """14 quiet days (3 items a day), then 12 negative items on traffic and the Spuiboulevard."""
    now = datetime(2026, 11, 20, 10, 30, tzinfo=UTC)
    end = now.replace(minute=0)
    writer.source("ad", "AD Dordrecht")
    writer.watch("Spuiboulevard", owner="Sam")
    for day in range(1, 15):
        for i in range(3):
            writer.doc(f"Rustig bericht {day}-{i}", end - timedelta(days=day, hours=i + 1),
                       "neutraal", topics=("verkeer",) if i == 0 else ())
    spike_ids = [
        writer.doc(f"Boze reacties op afsluiting Spuiboulevard {i}",
                   end - timedelta(hours=1, minutes=30 * i), "negatief", p_neg=0.6 + i * 0.03,
                   topics=("verkeer",), watches={"Spuiboulevard": "negatief"})
        for i in range(12)
    ]
    future_id = writer.doc("Bericht met een datum in de toekomst", now + timedelta(days=3),
                           "negatief", topics=("verkeer",))
    return SpikeScenario(now=now, spike_ids=spike_ids, future_id=future_id)


@pytest.fixture
def smtp_server() -> Iterator[support.SmtpServer]:
    with support.running_smtp_server() as server:
        yield server
