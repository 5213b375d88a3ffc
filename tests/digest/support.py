"""Shared helpers of the digest and alerts tests: constants, the fixture week, SMTP collector.

Imported as `tests.digest.support` (the tests folder is a package), also by the alerts tests.
"""

from __future__ import annotations

import email
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import sqlite_utils
from aiosmtpd.controller import Controller

from core.config import Config, MailSettings, Recipient
from core.timeutil import to_iso
from newsroom.demo.ports import free_port as free_port  # for the tests that import it here
from tests.digest.store_writer import StoreWriter as StoreWriter  # for the fixtures

USER_ENV = "NEWSROOM_TEST_SMTP_USER"
PASSWORD_ENV = "NEWSROOM_TEST_SMTP_PASSWORD"
WEEK = "2026-W46"  # Monday 9 Nov 2026 00:00 CET = 8 Nov 23:00 UTC
WEEK_START = datetime(2026, 11, 8, 23, 0, tzinfo=UTC)
PREV_START = WEEK_START - timedelta(days=7)
NOW = datetime(2026, 11, 16, 7, 0, tzinfo=UTC)  # Monday morning after the week


def count_docs(db: sqlite_utils.Database, start: datetime, end: datetime,
               label: str | None = None) -> int:
    """Counted here independently of storage.digest_queries (corrections applied by hand)."""
    rows = db.execute(
        "SELECT d.id, s.label FROM documents d LEFT JOIN scores s ON s.document_id = d.id "
        "AND s.sentence_idx = -1 WHERE d.published >= ? AND d.published < ?",
        [to_iso(start), to_iso(end)],
    ).fetchall()
    corrected = dict(db.execute(
        "SELECT document_id, value FROM annotations WHERE kind = 'correction'").fetchall())
    labels = [corrected.get(doc_id, model) for doc_id, model in rows]
    return len(labels) if label is None else sum(1 for lbl in labels if lbl == label)


class Collector:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        parsed = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), parsed))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for rcpts, m in self.messages if address in rcpts]


@dataclass
class SmtpServer:
    host: str
    port: int
    collector: Collector
    controller: Controller = field(repr=False)


@contextmanager
def running_smtp_server(port: int | None = None, **options: Any) -> Iterator[SmtpServer]:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps every message it receives, on
    `port` (a free one when None), stopped when the block ends. A test that first sends to
    a closed port passes that port, to see a retry reach the server; `options` go to
    aiosmtpd's Controller (TLS, authentication)."""
    collector = Collector()
    port = free_port() if port is None else port
    controller = Controller(collector, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        yield SmtpServer("127.0.0.1", port, collector, controller)
    finally:
        controller.stop()


MANAGER = Recipient(email="directie@dordrecht.example", role="management", name="Directie")
LEAD = Recipient(email="projectleider@dordrecht.example", role="project_lead",
                 watches=("Spuiboulevard",), name="Sam")


def make_config(tmp_path: Path, port: int = 25, security: str = "none",
                recipients: tuple[Recipient, ...] = (MANAGER, LEAD)) -> Config:
    mail = MailSettings(host="127.0.0.1", port=port, security=security,
                        sender="newsroom@dordrecht.example", username_env=USER_ENV,
                        password_env=PASSWORD_ENV, recipients=recipients,
                        dashboard_url="https://monitor.dordrecht.example")
    return replace(Config(), storage_path=tmp_path / "newsroom.db", mail=mail)


@dataclass
class WeekData:
    """What the fixture week holds, as the test wrote it."""

    ids: dict[str, str]
    spui_titles: list[str]
    other_titles: list[str]


def fill_week(writer: Any) -> WeekData:
    """Two weeks of documents: W45 (previous) and W46 (the digest's week)."""
    writer.source("ad", "AD Dordrecht")
    writer.source("gemeente", "Gemeente Dordrecht", kind="official")
    writer.watch("Spuiboulevard", owner="Sam")
    writer.watch("Zwembad", owner="Kim")
    ids: dict[str, str] = {}
    day = timedelta(days=1)
    # Previous week: 8 documents, 2 negative; 1 about the Spuiboulevard.
    for i in range(8):
        writer.doc(f"Vorige week bericht {i}", PREV_START + day * (i % 7) + timedelta(hours=12),
                   "negatief" if i < 2 else "neutraal", topics=("verkeer",) if i < 3 else ())
    writer.doc("Stadskantoor op schema", PREV_START + day * 2 + timedelta(hours=10), "positief",
               watches={"Spuiboulevard": "positief"})
    spui_titles = []
    other_titles = []
    # This week: the Spuiboulevard story on three outlets, mostly negative.
    first_seen = WEEK_START + timedelta(hours=9)
    for n, source in enumerate(("ad", "gemeente", "ad")):
        title = f"Bouw stadskantoor Spuiboulevard loopt vertraging op ({n})"
        ids[f"spui{n}"] = writer.doc(
            title, first_seen + timedelta(hours=n), "negatief", p_neg=0.9 - n * 0.05,
            source=source, topics=("verkeer", "wonen"), watches={"Spuiboulevard": "negatief"},
            story=("story-spui", first_seen))
        spui_titles.append(title)
    ids["script"] = writer.doc("<script>alert('x')</script> Brand in Sterrenburg",
                               WEEK_START + day * 2 + timedelta(hours=8), "negatief", p_neg=0.95,
                               topics=("veiligheid",), url="https://ad.example/brand?a=1&b=2")
    other_titles.append("Brand in Sterrenburg")
    ids["jsurl"] = writer.doc("Verdacht linkje", WEEK_START + day * 3 + timedelta(hours=8),
                              "neutraal", url="javascript:alert(1)")
    ids["zwembad"] = writer.doc("Nieuw zwembad open", WEEK_START + day * 4 + timedelta(hours=8),
                                "positief", watches={"Zwembad": "positief"})
    other_titles.append("Nieuw zwembad open")
    for i in range(6):
        writer.doc(f"Gewoon nieuws {i}", WEEK_START + day * (i % 7) + timedelta(hours=14),
                   "neutraal", topics=("verkeer",) if i < 4 else ())
    ids["unscored"] = writer.doc("Nog niet gescoord", WEEK_START + day * 5 + timedelta(hours=8),
                                 None)
    # An adviser corrects one neutral item to negative; it must count as negative.
    ids["corrected"] = writer.doc("Bewoners boos over parkeren",
                                  WEEK_START + day * 6 + timedelta(hours=8), "neutraal",
                                  p_neg=0.2)
    writer.correction(ids["corrected"], "negatief", WEEK_START + day * 6 + timedelta(hours=9))
    writer.note(ids["spui0"], "Raad stelt vragen; woordvoerder is ingelicht.", "adviseur Anna",
                WEEK_START + day * 2 + timedelta(hours=9))
    writer.note(ids["zwembad"], "Positieve ontvangst, delen op sociale media.", "adviseur Bo",
                WEEK_START + day * 4 + timedelta(hours=9))
    return WeekData(ids=ids, spui_titles=spui_titles, other_titles=other_titles)
