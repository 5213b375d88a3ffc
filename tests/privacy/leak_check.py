"""Collect everything newsroom shows or keeps after a crawl — every table, the CSV and audit
exports, the digest and alert mails, the logs, the dashboard pages — and find author
identifiers in it. Imported as `tests.privacy.leak_check`."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import bcrypt
from click.testing import CliRunner
from streamlit.testing.v1 import AppTest

from alerts.notify import alert_email
from core.config import load_config
from core.records import utcnow
from digest.build import build_digest
from digest.weeks import week_of
from newsroom.cli.main import cli
from storage.alerts import Alert
from storage.db import open_db
from storage.rollups import refresh_daily_rollup

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")
PROFILE_KEYS = ("username", "acct", "display_name", "displayName", "handle", "screen_name")


def identifiers_in_saved(body: str) -> set[str]:
    """Handles, display names and profile URLs in a saved platform response (any JSON API):
    the values of name-like keys, and the URLs of the objects that hold them."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if any(key in node for key in PROFILE_KEYS):
                found.update(str(node[key]) for key in PROFILE_KEYS if node.get(key))
                found.update(str(node[key]) for key in ("url", "avatar") if node.get(key))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(body))
    return {value for value in found if value.strip()}


def add_dashboard_user(config_path: Path) -> tuple[str, str]:
    """A management login for the dashboard pages (appended to the config)."""
    password = "leak-check-geheim"
    digest = bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=4)).decode()
    with config_path.open("a", encoding="utf-8") as handle:
        handle.write(f'\n[[dashboard.users]]\nusername = "toezicht"\nrole = "management"\n'
                     f'password_hash = "{digest}"\n')
    return "toezicht", password


def surfaces(config_path: Path, logs: str, monkeypatch: Any) -> dict[str, str]:
    """Every place a handle could end up, as text."""
    config = load_config(config_path)
    db = open_db(config.storage_path)
    refresh_daily_rollup(db)  # as the scheduler does: the dashboard's periods follow it
    found: dict[str, str] = {"logs": logs}
    conn = sqlite3.connect(config.storage_path)
    try:
        found["storage"] = "\n".join(conn.iterdump())
    finally:
        conn.close()
    runner = CliRunner()
    for name, args in (("export", ["export"]), ("audit export", ["audit", "export"]),
                       ("register", ["register"])):
        result = runner.invoke(cli, ["--config", str(config_path), *args])
        assert result.exit_code == 0, result.output
        found[name] = result.output
    found["mail"] = _mails(db, config)
    found["dashboard"] = _dashboard(config_path, monkeypatch)
    return found


def _mails(db: Any, config: Any) -> str:
    rows = list(db.query("SELECT id, title, url, first_seen FROM documents "
                         "ORDER BY kind = 'social' DESC, first_seen DESC, id"))  # posts first
    texts = []
    days = sorted({row["first_seen"][:10] for row in rows})
    zone = ZoneInfo(config.schedule.timezone)
    weeks = sorted({week_of(date.fromisoformat(day), zone).label for day in days})
    for week in weeks:
        digest = build_digest(db, config, week, None)
        texts += [digest.subject, digest.html, digest.text]
    now = utcnow()
    alert = Alert(kind="volume_spike", scope_type="overall", scope_key="", window_start=now,
                  window_end=now + timedelta(hours=1), figures={"n": len(rows)},
                  message="Piek", dedupe_key="leak", created=now,
                  items=[{"id": r["id"], "title": r["title"], "url": r["url"]} for r in rows])
    message = alert_email([alert], "n@x.example", "a@x.example", "https://monitor.example")
    texts.append(message.as_string())
    texts += [str(part.get_content()) for part in message.walk()
              if part.get_content_maintype() == "text"]  # decoded, not quoted-printable
    return "\n".join(texts)


def _dashboard(config_path: Path, monkeypatch: Any) -> str:
    username, password = add_dashboard_user(config_path)
    monkeypatch.setenv("NEWSROOM_CONFIG", str(config_path))
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input(password)
    [b for b in at.button if b.label == "Inloggen"][0].click().run()
    shown = []
    for page in ("overzicht", "berichten", "bronnen", "onderwerpen", "over", "auditlog"):
        at.switch_page(f"views/{page}.py").run()
        assert not at.exception, [e.value for e in at.exception]
        shown += [str(el.value) for el in (*at.title, *at.markdown, *at.text, *at.caption)]
        shown += [frame.value.to_csv() for frame in at.dataframe]
        shown += [h.proto.body for h in at.get("html")]
        shown += [str(option) for box in at.selectbox for option in box.options]
    assert any(t == "Berichten" for t in shown) or shown
    return "\n".join(shown)


def leaks(texts: dict[str, str], identifiers: Iterable[str]) -> list[tuple[str, str]]:
    """(surface, identifier) for every identifier found; names match as whole words."""
    found = []
    for identifier in sorted(set(identifiers)):
        pattern = re.compile(rf"(?<![\w]){re.escape(identifier)}(?![\w])", re.IGNORECASE)
        for surface, text in texts.items():
            if pattern.search(text):
                found.append((surface, identifier))
    return found
