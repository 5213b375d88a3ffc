"""The privacy CLI on a real SQLite file and on a real PostgreSQL database chosen by
`[storage] url` (with a password, which no output may show): erase (with backups), audit
list/export, register, and the retention block of `newsroom status`."""

from __future__ import annotations

import csv
import io
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from core.config import load_config
from core.records import Document, document_id_for_post
from newsroom.cli.main import cli
from storage.audit import list_events, record_event
from storage.backup import backup_database
from storage.db import Database, open_db
from storage.documents import upsert_document
from tests.pg_support import PASSWORD as PG_PASSWORD
from tests.pg_support import PgServer

CONFIG = """
[storage]
path = "newsroom.db"

[schedule]
backup_dir = "backups"

[retention]
social_days = 90
audit_days = 400

[privacy]
public_figures = ["Piet Hein"]
contact = "privacy@dordrecht.example"

[dashboard]
users = [
  {{ username = "anna", role = "adviser", password_hash = "{hash}" }},
  {{ username = "dirk", role = "management", password_hash = "{hash}" }},
]

[[sources]]
id = "masto"
name = "Mastodon #dordrecht"
kind = "social"
type = "mastodon"
url = "http://127.0.0.1:9"
tag = "dordrecht"

[[sources]]
id = "drechtstad"
name = "Drechtstad Dagblad"
kind = "news"
type = "rss"
url = "http://127.0.0.1:9/feed.xml"
"""
HASH = "$2b$04$" + "a" * 53
NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def home(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The config's folder. On PostgreSQL the store is the database in `[storage] url`; the
    backup folder still holds a SQLite backup (from before the move), which erase rewrites."""
    config = CONFIG.format(hash=HASH)
    if request.param == "postgres":
        server: PgServer = request.getfixturevalue("pg_server")
        database = request.getfixturevalue("pg_url").rsplit("/", 1)[1]
        config = config.replace('path = "newsroom.db"\n', 'path = "newsroom.db"\n'
                                f'url = "{server.password_url(database)}"\n')
    (tmp_path / "newsroom.toml").write_text(config, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEWSROOM_CONFIG", raising=False)
    _fill(open_db(tmp_path / "newsroom.db"))
    (tmp_path / "backups").mkdir()
    backup_database(tmp_path / "newsroom.db", tmp_path / "backups" / "newsroom-20261101T040000Z.db")
    if request.param == "postgres":
        (tmp_path / "newsroom.db").unlink()
        _fill(store(tmp_path))
    return tmp_path


def store(home: Path) -> Database:
    """The configured store (the SQLite file or the PostgreSQL database)."""
    return open_db(load_config(home / "newsroom.toml").store_target)


def _fill(db: Database) -> None:
    for n, pseudonym in ((1, "aaaa"), (2, "aaaa"), (3, "bbbb")):
        upsert_document(db, Document(
            id=document_id_for_post("mastodon", f"social.example/{n}"), source_id="masto",
            kind="social", url=f"https://social.example/statuses/{n}",
            title=f"Bericht nummer {n} over de Vogelbuurt", text="Tekst over de Vogelbuurt",
            published=NOW - timedelta(days=n), fetched=NOW - timedelta(days=n),
            author_pseudonym=pseudonym, platform="mastodon", post_id=f"social.example/{n}"))
    db.conn.close()


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def backup_count(home: Path, pseudonym: str) -> int:
    conn = sqlite3.connect(home / "backups" / "newsroom-20261101T040000Z.db")
    try:
        return int(conn.execute("SELECT count(*) FROM documents WHERE author_pseudonym = ?",
                                [pseudonym]).fetchone()[0])
    finally:
        conn.close()


def test_erase_help_names_every_selector() -> None:
    output = run("erase", "--help")
    for option in ("--url", "--pseudonym", "--source", "--dry-run", "--reason"):
        assert option in output


@pytest.mark.parametrize("args", [[], ["--url", "x", "--pseudonym", "y"]])
def test_erase_needs_exactly_one_selector(home: Path, args: list[str]) -> None:
    result = CliRunner().invoke(cli, ["erase", *args, "--reason", "r"])
    assert result.exit_code == 2 and "exactly one of" in result.output


def test_erase_without_reason_is_refused(home: Path) -> None:
    result = CliRunner().invoke(cli, ["erase", "--pseudonym", "aaaa"])
    assert result.exit_code == 2 and "reason" in result.output
    assert backup_count(home, "aaaa") == 2


def test_dry_run_then_erase_by_pseudonym_including_backups(home: Path) -> None:
    dry = run("erase", "--pseudonym", "aaaa", "--dry-run")
    assert "Zou verwijderen: 2 documents" in dry and "1 bestand(en) zouden" in dry
    assert backup_count(home, "aaaa") == 2
    done = run("erase", "--pseudonym", "aaaa", "--reason", "verzoek, kenmerk 17")
    assert "Verwijderd: 2 documents" in done and "1 bestand(en) herschreven" in done
    db = store(home)
    assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
    assert backup_count(home, "aaaa") == 0 and backup_count(home, "bbbb") == 1
    actions = [(e.action, e.target) for e in list_events(db)]
    assert actions == [("erase.backups", "pseudonym:aaaa"), ("erase", "pseudonym:aaaa")]
    assert "kenmerk 17" in list_events(db, action_prefix="erase")[1].detail


def test_erasing_a_still_enabled_source_warns(home: Path) -> None:
    output = run("erase", "--source", "masto", "--reason", "bron vervalt")
    assert "Verwijderd: 3 documents" in output and "staat nog aan" in output


def test_audit_list_and_export_neutralise_formulas_and_record_the_export(home: Path) -> None:
    db = store(home)
    record_event(db, actor="anna", action="login.success", client="10.1.2.3")
    record_event(db, actor="=cmd|' /C calc'!A0", action="login.failure", client="10.1.2.4")
    listed = run("audit", "list", "--action", "login.")
    assert "10.1.2.3" in listed and "login.failure" in listed
    run("audit", "export", "--out", "audit.csv")
    rows = list(csv.DictReader(io.StringIO((home / "audit.csv").read_text(encoding="utf-8"))))
    assert [row["action"] for row in rows] == ["login.failure", "login.success"]
    assert rows[0]["actor"].startswith("'=")
    assert list_events(db, limit=1)[0].action == "export.audit"


def test_document_export_is_recorded(home: Path) -> None:
    run("export", "--out", "docs.csv")
    [event] = list_events(store(home), action_prefix="export.")
    assert event.action == "export.csv" and event.detail == "3 documents"
    assert event.actor.startswith("cli:")


def test_register_has_every_standard_field_from_the_running_config(home: Path) -> None:
    run("register", "--out", "algoritmeregister.md")
    text = (home / "algoritmeregister.md").read_text(encoding="utf-8")
    for heading in ("## Naam", "## Doel", "## Impact", "## Menselijke tussenkomst",
                    "## Risico's", "## Gegevensbronnen", "## Werking",
                    "## Leverancier en licentie", "## Contact"):
        assert heading in text
    assert "Mastodon #dordrecht (mastodon, sociale media)" in text
    assert "sociale media: 1 bron(nen)" in text and "nieuws: 1 bron(nen)" in text
    assert "berichten van sociale media: 90 dagen" in text and "auditlog: 400 dagen" in text
    assert "0.642" in text  # the embedded model's unseen-domain figure, from the card
    assert "newsroom-e5-lora-sentiment" in text  # backend auto: the embedded default
    assert "1 ambtsdrager(s)" in text and "privacy@dordrecht.example" in text
    assert "adviseur (1 gebruiker(s))" in text and "management (1 gebruiker(s))" in text
    assert "EUPL-1.2" in text


def test_dpia_starting_point_lists_what_the_officer_fills_in(home: Path) -> None:
    output = run("register", "--dpia")
    for heading in ("## Verwerkingsdoel", "## Rechtsgrond", "## Categorieën betrokkenen",
                    "## Bewaartermijnen", "## Ontvangers", "## Maatregelen"):
        assert heading in output
    assert "[in te vullen door de organisatie]" in output


def test_status_shows_oldest_item_per_store_against_its_limit(home: Path) -> None:
    db = store(home)
    db.execute("UPDATE documents SET first_seen = ? WHERE title LIKE '%nummer 3%'",
               [(NOW - timedelta(days=120)).isoformat()])
    result = CliRunner().invoke(cli, ["status"])
    assert "Bewaartermijnen" in result.output
    social = next(line for line in result.output.splitlines() if "sociale media" in line)
    assert "120 d" in social and "90 d" in social and "TE OUD" in social
    news = next(line for line in result.output.splitlines() if "nieuwsberichten" in line)
    assert "leeg" in news and "onbeperkt" in news
    backups = next(line for line in result.output.splitlines() if "back-ups" in line)
    assert "30 d" in backups
    config = load_config(home / "newsroom.toml")
    if config.store_engine == "postgresql":  # the engine and where, never the password
        shown = "Opslag: PostgreSQL postgresql://newsroom_pw:[verborgen]@127.0.0.1:"
        assert shown in result.output
        assert PG_PASSWORD not in result.output
        assert not (home / "newsroom.db").exists()  # nothing fell back to the SQLite file
    else:
        assert f"Opslag: SQLite {config.storage_path}" in result.output


def test_watch_changes_from_the_cli_are_audited(home: Path) -> None:
    run("watches", "add", "Nieuwe brug", '"nieuwe brug" OR brugzaak')
    run("watches", "remove", "Nieuwe brug")
    actions = [(e.action, e.detail) for e in reversed(list_events(store(home)))]
    assert actions[0] == ("watch.save", 'Nieuwe brug | "nieuwe brug" OR brugzaak | owner -')
    assert actions[1] == ("watch.delete", "Nieuwe brug")
