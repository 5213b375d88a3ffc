"""CLI friction from issue 14: no config, status after init, removed watches, broken watch
queries, unknown export sources and crawl error codes with their fix (real SQLite files)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from core.records import CrawlIssue, CrawlStats
from crawlers.error_help import explain
from crawlers.runner import CrawlSummary
from newsroom.cli.crawl import describe
from newsroom.cli.main import cli
from storage.adviser import list_watches
from storage.db import open_db
from tests.core.test_cli import CONFIG as ONE_WATCH_CONFIG

CONFIG = ONE_WATCH_CONFIG + """
[[watches]]
name = "Brug"
query = "brug OR fietsbrug"
"""
"""The core CLI tests' config (one source, one watch) with a second watch."""


def write(tmp_path: Path, text: str = CONFIG) -> Path:
    path = tmp_path / "newsroom.toml"
    path.write_text(text, encoding="utf-8")
    return path


def invoke(config: Path, *args: str):
    return CliRunner().invoke(cli, ["--config", str(config), *args])


@pytest.mark.parametrize("command", [["status"], ["export"], ["crawl"], ["score"],
                                     ["watches", "list"]])
def test_commands_without_a_config_say_so_and_create_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEWSROOM_CONFIG", raising=False)
    result = CliRunner().invoke(cli, command)
    assert result.exit_code == 2, result.output
    assert "Geen newsroom.toml gevonden" in result.output
    assert "newsroom init" in result.output
    assert list(tmp_path.iterdir()) == []  # no ./data/newsroom.db


def test_init_without_a_config_still_creates_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEWSROOM_CONFIG", raising=False)
    result = CliRunner().invoke(cli, ["init"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "newsroom.toml").exists()


def test_status_right_after_init_explains_not_crawled_yet(tmp_path: Path) -> None:
    config = write(tmp_path)
    assert invoke(config, "init").exit_code == 0
    result = invoke(config, "status")
    assert result.exit_code == 0, result.output
    assert "Nog niet gecrawld: drechtstad" in result.output
    assert "newsroom crawl" in result.output


def test_removed_watch_stays_removed_after_init(tmp_path: Path) -> None:
    config = write(tmp_path)
    assert invoke(config, "init").exit_code == 0
    result = invoke(config, "watches", "remove", "Brug")
    assert result.exit_code == 0, result.output
    assert "zet hem niet terug" in result.output
    for _ in range(2):
        assert invoke(config, "init").exit_code == 0
        assert invoke(config, "status").exit_code == 0  # status syncs the config too
    db = open_db(tmp_path / "newsroom.db")
    assert [w.name for w in list_watches(db)] == ["Stadskantoor"]

    # Changing the query in the file is a deliberate new watch: it comes back.
    write(tmp_path, CONFIG.replace("brug OR fietsbrug", "brug OR voetbrug"))
    assert invoke(config, "init").exit_code == 0
    assert {w.name: w.query for w in list_watches(db)}["Brug"] == "brug OR voetbrug"


def test_watch_added_again_in_the_cli_forgets_the_removal(tmp_path: Path) -> None:
    config = write(tmp_path)
    assert invoke(config, "init").exit_code == 0
    assert invoke(config, "watches", "remove", "Brug").exit_code == 0
    assert invoke(config, "watches", "add", "Brug", "brug").exit_code == 0
    assert invoke(config, "watches", "remove", "Stadskantoor").exit_code == 0
    assert invoke(config, "init").exit_code == 0
    db = open_db(tmp_path / "newsroom.db")
    # Brug: added again by hand with another query while the file stayed the same: the
    # user's version stands; Stadskantoor stays removed.
    assert {w.name: w.query for w in list_watches(db)} == {"Brug": "brug"}
    # Editing the watch in the file is a deliberate change: the file wins then.
    write(tmp_path, CONFIG.replace("brug OR fietsbrug", "brug OR loopbrug"))
    assert invoke(config, "init").exit_code == 0
    assert {w.name: w.query for w in list_watches(db)} == {"Brug": "brug OR loopbrug"}


def test_invalid_watch_query_fails_init_with_its_position(tmp_path: Path) -> None:
    broken = CONFIG.replace('query = "brug OR fietsbrug"', 'query = "brug AND (fiets"')
    config = write(tmp_path, broken)
    result = invoke(config, "init")
    assert result.exit_code == 2, result.output
    line = broken.splitlines().index('query = "brug AND (fiets"') + 1
    assert f"regel {line}" in result.output
    assert "[[watches]] nr. 2 ('Brug')" in result.output
    assert not (tmp_path / "newsroom.db").exists()


def test_invalid_watch_query_fails_score(tmp_path: Path) -> None:
    config = write(tmp_path)
    assert invoke(config, "init").exit_code == 0
    write(tmp_path, CONFIG.replace('query = "stadskantoor"', 'query = "stads*kantoor"'))
    result = invoke(config, "score", "--no-progress")
    assert result.exit_code == 2, result.output
    assert "[[watches]] nr. 1 ('Stadskantoor')" in result.output
    assert "* midden in het woord" in result.output


def test_export_of_an_unknown_source_fails_with_the_known_ids(tmp_path: Path) -> None:
    config = write(tmp_path)
    out = tmp_path / "x.csv"
    result = invoke(config, "export", "--source", "drechtstad", "--source", "nergens",
                    "-o", str(out))
    assert result.exit_code == 2, result.output
    assert "Onbekende bron: nergens" in result.output
    assert "Bekende bronnen: drechtstad" in result.output
    assert not out.exists()
    assert invoke(config, "export", "--source", "drechtstad", "-o", str(out)).exit_code == 0


def test_error_codes_come_with_a_dutch_fix() -> None:
    key = explain("missing_pseudonym_key")
    assert key is not None and "NEWSROOM_PSEUDONYM_KEY" in key and "secrets.token_hex" in key
    assert "bestaat niet" in (explain("http_404") or "")
    assert "storing" in (explain("http_503") or "")
    assert "418" in (explain("http_418") or "")
    assert explain("http_abc") is None
    assert explain("iets_onbekends") is None


def test_crawl_line_shows_the_fix_beside_the_code() -> None:
    summary = CrawlSummary(
        source_id="demo-social", run_id=1, status="failed", stats=CrawlStats(failed=1),
        issues=(CrawlIssue(url="http://x", reason="missing_pseudonym_key"),
                CrawlIssue(url="http://y", reason="weird_thing")),
    )
    text = describe(summary)
    assert "missing_pseudonym_key ×1" in text
    assert "missing_pseudonym_key: de geheime sleutel" in text
    assert "weird_thing: " not in text
