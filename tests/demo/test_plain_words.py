"""No raw codes, slugs, source ids or UTC stamps where people read.

The demo is crawled for real (`newsroom demo run --no-dashboard --no-score`: the demo site
through the real spiders into SQLite, with its planted 404 making one run partial). Scoring
the whole demo with the model takes minutes on a small CPU, so the corpus' own labels, topics
(as taxonomy keys such as `verkeer-en-parkeren`), places and watch hits stand in for it, as
in tests/alerts/test_demo_incident.py. Then the real alert run, the digest previews, every
dashboard page for every role (AppTest), the digest and alert mails and `newsroom status`
are rendered, and every text a person reads is checked against `plain_words.PATTERNS`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner
from streamlit.testing.v1 import AppTest

from alerts.detect import run_alerts
from alerts.notify import alert_email
from core.config import Config, load_config
from core.records import utcnow
from digest.build import build_digest
from digest.preview import refresh_previews
from digest.weeks import week_of
from newsroom.cli.main import cli
from newsroom.demo.config import DEMO_PASSWORD, DEMO_USERS, SOURCE_IDS
from newsroom.demo.corpus import build_corpus, iter_valid
from newsroom.demo.ports import free_port
from newsroom.demo.synthetic import attach_analysis
from newsroom.demo.synthetic_words import PLACES
from nlp.watch_query import parse_query
from storage.adviser import list_watches
from storage.db import open_db
from storage.documents import iter_documents
from storage.incidents import list_incidents
from storage.rollups import refresh_daily_rollup

from .plain_words import TIME_PATTERNS, find_leaks

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
PAGES = ("overzicht", "projecten", "onderwerpen", "berichten", "kaart", "regels", "bronnen",
         "digest", "over", "auditlog")
TAXONOMY_KEY = {
    "wonen": "wonen", "parkeren": "verkeer-en-parkeren", "veiligheid": "veiligheid",
    "stadskantoor": "bestuur-en-politiek", "energie": "duurzaamheid-en-energie",
    "evenementen": "cultuur-en-evenementen", "jeugd": "onderwijs-en-jeugd",
    "zorg": "zorg-en-welzijn",
}
PLACE_CODES = {name: code for code, name, _level, _lat, _lon in PLACES}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    workdir = tmp_path_factory.mktemp("plain-words")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NEWSROOM_PSEUDONYM_KEY", "test-only-pseudonym-key-0123456789abcdef")
        patch.delenv("NEWSROOM_CONFIG", raising=False)
        result = CliRunner().invoke(cli, ["demo", "run", "--no-dashboard", "--no-score",
                                          "--dir", str(workdir), "--mail-port", str(free_port())])
        assert result.exit_code == 0, result.output
        config = load_config(workdir / "newsroom.toml")
        db = open_db(config.storage_path)
        _analyse_like_the_corpus(db)
        refresh_daily_rollup(db)
        new = run_alerts(db, config, notify=False)
        assert new and list_incidents(db), "the planted burst should raise an incident"
        refresh_previews(db, config)
        db.conn.close()
        patch.setenv("NEWSROOM_CONFIG", str(workdir / "newsroom.toml"))
        yield workdir


def _analyse_like_the_corpus(db: Any) -> None:
    """Labels, topics, places and watch hits from the corpus, for the crawled documents."""
    items = {item.title: item for item in iter_valid(build_corpus())}
    watches = [(w.id, parse_query(w.query)) for w in list_watches(db)]
    for doc in iter_documents(db):
        item = items.get(doc["title"])
        if item is None:
            continue
        text = f"{doc['title']}\n{doc['text']}"
        attach_analysis(
            db, doc["id"], item.polarity, topics=(TAXONOMY_KEY[item.topic],),
            places=(PLACE_CODES[item.place],) if item.place in PLACE_CODES else (),
            watch_ids=tuple(i for i, query in watches
                            if i is not None and query.matches(text)),
        )


def _texts(node: Any) -> Iterator[str]:
    """Every text of an AppTest element tree that a reader sees (charts left out)."""
    # A choice widget's value is the program's own key; what shows is its options (formatted).
    shown = ("label", "options", "help", "placeholder") if hasattr(node, "options") else (
        "value", "label", "help", "placeholder", "delta")
    for attr in shown:
        try:
            value = getattr(node, attr)
        except Exception:  # not every element has every attribute
            continue
        if isinstance(value, pd.DataFrame):
            yield " | ".join(map(str, value.columns))
            yield value.to_csv(index=False)
        elif isinstance(value, (list, tuple)):
            yield " | ".join(map(str, value))
        elif isinstance(value, str):
            yield value
    for child in getattr(node, "children", {}).values():
        yield from _texts(child)


def _login(user: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90).run()
    at.text_input(key="login_username").input(user)
    at.text_input(key="login_password").input(DEMO_PASSWORD)
    next(b for b in at.button if b.label == "Inloggen").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _check(where: str, text: str, leaks: dict[str, list[tuple[str, str]]],
           only: tuple[str, ...] | None = None) -> None:
    found = find_leaks(text, extra=SOURCE_IDS if only is None else (), only=only)
    if found:
        # Each piece with a little of what surrounds it, so a failure says where to look.
        leaks[where] = sorted({(name, _around(text, piece)) for name, piece in found})


@pytest.mark.parametrize("user", [name for name, _role, _w in DEMO_USERS])
def test_every_page_speaks_plain_dutch(demo: Path, user: str) -> None:
    at = _login(user)
    leaks: dict[str, list[tuple[str, str]]] = {}
    for page in PAGES:
        if not os.path.exists(Path(APP).parent / "views" / f"{page}.py"):
            continue
        try:
            at.switch_page(f"views/{page}.py").run()
        except Exception:  # a page this role may not open is not registered
            continue
        assert not at.exception, (page, [e.value for e in at.exception])
        text = "\n".join(_texts(at.main)) + "\n".join(_texts(at.sidebar))
        _check(page, text, leaks)
        if page == "bronnen":
            # The municipal source's last run was partial (its planted 404): never "gezond".
            assert "deels gelukt" in text and "http_404" not in text
            assert "pagina niet gevonden (404)" in text
    assert not leaks, _report(leaks)


def test_mails_speak_plain_dutch(demo: Path) -> None:
    config = load_config(demo / "newsroom.toml")
    db = open_db(config.storage_path)
    leaks: dict[str, list[tuple[str, str]]] = {}
    week = week_of((utcnow() - timedelta(days=1)).date(), _zone(config)).label
    for recipient in (None, *config.mail.recipients):
        digest = build_digest(db, config, week, recipient)
        who = recipient.email if recipient else "preview"
        _check(f"digest subject {who}", digest.subject, leaks)
        _check(f"digest text {who}", digest.text, leaks)
        _check(f"digest html {who}", _strip_tags(digest.html), leaks)
    alerts = [a for a in _stored_alerts(db)]
    assert alerts
    mail = alert_email(alerts, "monitor@example.org", "adviseur@example.org",
                       config.mail.dashboard_url)
    _check("alert subject", str(mail["Subject"]), leaks)
    for part in mail.walk():
        if part.get_content_type() in ("text/plain", "text/html"):
            _check(f"alert {part.get_content_type()}", _strip_tags(part.get_content()), leaks)
    assert not leaks, _report(leaks)


def test_cli_status_speaks_plain_dutch(demo: Path) -> None:
    result = CliRunner().invoke(cli, ["--config", str(demo / "newsroom.toml"), "status"])
    assert result.exit_code == 0, result.output
    leaks: dict[str, list[tuple[str, str]]] = {}
    # The CLI is for the people who run newsroom: source ids are what its commands take, and
    # model figures are theirs to read. Times are local, run states in words.
    _check("newsroom status", result.output, leaks,
           only=(*TIME_PATTERNS, "English status word", "percentage over 999 (1000% meer)"))
    assert "deels" in result.output  # the demo's municipal source had its planted 404
    assert not leaks, _report(leaks)


def _zone(config: Config) -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(config.schedule.timezone)


def _strip_tags(html: str) -> str:
    import re

    return re.sub(r"<[^>]+>", " ", re.sub(r"<style.*?</style>", " ", html, flags=re.S))


def _stored_alerts(db: Any) -> list[Any]:
    from storage.alerts import list_alerts

    return list(list_alerts(db))


def _report(leaks: dict[str, list[tuple[str, str]]]) -> str:
    return "\n".join(f"{where}: {name}: {piece!r}" for where, found in leaks.items()
                     for name, piece in found)


def _around(text: str, piece: str) -> str:
    at = text.find(piece)
    return text[max(0, at - 40):at + len(piece) + 20].replace("\n", " ") if at >= 0 else piece
