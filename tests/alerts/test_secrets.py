"""Secrets never leak (issue 13): each configured secret is fed through each failure path,
then the log file, the database (and its WAL) and a backup are searched for it.

Before the fix a webhook URL that could not be parsed (a trailing newline from a copy-paste,
a broken IPv6 bracket) put its token and signature into the log traceback and into
`alerts.sent_webhook`, and so into every backup.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from alerts.detect import run_alerts
from core import redact
from core.config import load_config
from jobs.backup import run_backup
from storage.jobs import finish_job_run, start_job_run

TOKEN = "c0ffee11-2222-4333-8444-a5a5a5a5a5a5@77778888-9999-4aaa-bbbb-ccccdddd0000"
SIGNATURE = "sIgNaTuRe-0123456789abcdefABCDEF_xyz"
TOKEN2 = "IncomingWebhook-5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e"
SMTP_PASSWORD = "smtp-wachtwoord-Zeer-Geheim-42"
PSEUDONYM_KEY = "pseudonym-key-f00dfacefeedbeef0123"
SECRETS = (TOKEN, SIGNATURE, TOKEN2, SMTP_PASSWORD, PSEUDONYM_KEY)


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    """Every log record of the process into a file, through the entry points' redaction."""
    path = tmp_path / "newsroom.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    previous_factory = logging.getLogRecordFactory()
    redact.install()
    root.addHandler(handler)
    old_level = root.level
    root.setLevel(logging.DEBUG)
    try:
        yield path
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
        handler.close()
        logging.setLogRecordFactory(previous_factory)


def write_config(tmp_path: Path, db_path: Path, smtp_port: int) -> Path:
    path = tmp_path / "newsroom.toml"
    path.write_text(f"""
[storage]
path = "{db_path}"

[schedule]
backup_dir = "{tmp_path / 'backups'}"

[mail]
host = "127.0.0.1"
port = {smtp_port}
security = "none"
allow_plaintext_auth = true
[[mail.recipients]]
email = "directie@dordrecht.example"
role = "management"

[alerts]
email = true
[[alerts.webhooks]]
type = "teams"
url_env = "NEWSROOM_TEST_HOOK_NEWLINE"
[[alerts.webhooks]]
type = "json"
url_env = "NEWSROOM_TEST_HOOK_IPV6"
[[alerts.webhooks]]
type = "teams-workflow"
url_env = "NEWSROOM_TEST_HOOK_DOWN"
""", encoding="utf-8")
    return path


def test_each_secret_through_each_failure_path_stays_out_of_logs_db_and_backup(
    tmp_path: Path, db: Any, spike_scenario: Any, webhooks: Any, log_file: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    hook = f"{webhooks.url}/webhookb2/{TOKEN}/IncomingWebhook/{TOKEN2}?sig={SIGNATURE}"
    monkeypatch.setenv("NEWSROOM_TEST_HOOK_NEWLINE", hook + "\n")  # pasted with a newline
    monkeypatch.setenv("NEWSROOM_TEST_HOOK_IPV6",
                       f"https://[prod-12.westeurope/workflows/{TOKEN2}?sig={SIGNATURE}")
    monkeypatch.setenv("NEWSROOM_TEST_HOOK_DOWN",
                       f"http://127.0.0.1:9/workflows/{TOKEN}?sig={SIGNATURE}")
    monkeypatch.setenv("NEWSROOM_SMTP_USER", "nieuws@dordrecht.example")
    monkeypatch.setenv("NEWSROOM_SMTP_PASSWORD", SMTP_PASSWORD)
    monkeypatch.setenv("NEWSROOM_PSEUDONYM_KEY", PSEUDONYM_KEY)
    db_path = Path(db.execute("PRAGMA database_list").fetchone()[2])
    config = load_config(write_config(tmp_path, db_path, smtp_port=9))  # SMTP: refused

    alerts = run_alerts(db, config, now=spike_scenario.now)  # every delivery fails
    assert alerts
    # A job failure whose text carries a secret (e.g. an exception message).
    run = start_job_run(db, "alerts")
    finish_job_run(db, run, "failed", f"post to {hook} failed; key {PSEUDONYM_KEY}")
    logging.getLogger("newsroom.test").error("failed with %s", hook, exc_info=ValueError(hook))
    backup = run_backup(config).path

    outcomes = [row[0] for row in db.execute("SELECT sent_webhook FROM alerts")]
    assert all(outcome.startswith("error") for outcome in outcomes)
    logged = log_file.read_text(encoding="utf-8")
    places = {"log": logged.encode(), "backup": backup.read_bytes(),
              "database": db_path.read_bytes() + _wal(db_path)}
    for name, content in places.items():
        for secret in SECRETS:
            assert secret.encode() not in content, f"{secret[:12]}… leaked into the {name}"
    assert "webhook" in logged and "[verborgen]" in logged


def _wal(db_path: Path) -> bytes:
    wal = db_path.with_name(db_path.name + "-wal")
    return wal.read_bytes() if wal.exists() else b""


def test_redact_masks_url_credentials_without_registration() -> None:
    text = redact.redact("https://user:hunter2pw@mail.example/x?token=abc123&page=2")
    assert "hunter2pw" not in text and "abc123" not in text and "page=2" in text
