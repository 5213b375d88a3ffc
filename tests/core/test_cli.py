"""The core CLI: help on every command, init, status and export."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import click
from click.testing import CliRunner

from core.records import CrawlStats, Document, DocumentKind, document_id_for_url
from newsroom.cli.main import cli
from storage.crawl_log import finish_crawl_run, start_crawl_run
from storage.db import open_db
from storage.documents import upsert_document

CONFIG = """
[storage]
path = "newsroom.db"

[[sources]]
id = "drechtstad"
name = "Drechtstad Dagblad"
kind = "news"
type = "rss"
url = "http://127.0.0.1:9/feed.xml"

[[watches]]
name = "Stadskantoor"
query = "stadskantoor"
"""


def walk(command: click.Command, path: str = "newsroom"):
    yield path, command
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from walk(sub, f"{path} {name}")


def test_every_command_and_option_has_help_text():
    missing = []
    for path, command in walk(cli):
        if not (command.help or "").strip():
            missing.append(path)
        for param in command.params:
            if isinstance(param, click.Option) and not param.hidden and not param.help:
                missing.append(f"{path} {param.opts[0]}")
    assert missing == []


def write_config(tmp_path):
    path = tmp_path / "newsroom.toml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


def test_init_creates_database_and_loads_sources_and_watches(tmp_path):
    config = write_config(tmp_path)
    result = CliRunner().invoke(cli, ["--config", str(config), "init"])
    assert result.exit_code == 0, result.output
    assert "1 sources, 1 watches" in result.output
    db = open_db(tmp_path / "newsroom.db")
    assert [r["id"] for r in db["sources"].rows] == ["drechtstad"]


def test_status_exit_code_reflects_source_health(tmp_path):
    config = write_config(tmp_path)
    runner = CliRunner()
    result = runner.invoke(cli, ["--config", str(config), "status"])
    assert result.exit_code == 0, result.output  # never crawled is not a failure
    assert "drechtstad" in result.output and "nog niet" in result.output
    db = open_db(tmp_path / "newsroom.db")
    run = start_crawl_run(db, "drechtstad")
    finish_crawl_run(db, run, CrawlStats(failed=1), "failed")
    result = runner.invoke(cli, ["--config", str(config), "status"])
    assert result.exit_code == 3, result.output
    assert "FOUT" in result.output
    run = start_crawl_run(db, "drechtstad")
    finish_crawl_run(db, run, CrawlStats(new=2), "ok")
    result = runner.invoke(cli, ["--config", str(config), "status"])
    assert result.exit_code == 0, result.output
    assert "gezond" in result.output and "Nog niet gecrawld" not in result.output
    result = runner.invoke(cli, ["--config", str(config), "status", "--json"])
    assert '"healthy": true' in result.output


def test_invalid_config_is_a_usage_error(tmp_path):
    path = tmp_path / "newsroom.toml"
    path.write_text("[crawl]\nretries = 'x'\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--config", str(path), "status"])
    assert result.exit_code == 2
    assert "crawl.retries" in result.output


def test_export_writes_filtered_csv_and_defuses_formulas(tmp_path):
    config = write_config(tmp_path)
    db = open_db(tmp_path / "newsroom.db")
    now = datetime(2026, 11, 20, tzinfo=UTC)
    seeds: list[tuple[DocumentKind, str]] = [
        ("news", "Stadskantoor open"), ("social", "=HYPERLINK(\"http://x\")"), ("news", "Oud")
    ]
    for index, (kind, title) in enumerate(seeds):
        url = f"https://d.nl/{index}"
        upsert_document(db, Document(
            id=document_id_for_url(url), source_id="drechtstad", kind=kind, url=url, title=title,
            text=" =cmd|' /C calc'!A0" if index == 0 else "tekst",  # formula after a space
            published=now - timedelta(days=index * 40), fetched=now))
    out = tmp_path / "export.csv"
    result = CliRunner().invoke(
        cli, ["--config", str(config), "export", "--since", "2026-10-01", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [r["title"] for r in rows] == ["Stadskantoor open", "'=HYPERLINK(\"http://x\")"]
    assert rows[0]["text"] == "' =cmd|' /C calc'!A0"
    result = CliRunner().invoke(
        cli, ["--config", str(config), "export", "--kind", "news", "--no-text"]
    )
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert {r["title"] for r in rows} == {"Stadskantoor open", "Oud"}
    assert "text" not in rows[0]


def test_export_rejects_a_bad_date(tmp_path):
    config = write_config(tmp_path)
    result = CliRunner().invoke(cli, ["--config", str(config), "export", "--since", "gisteren"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output
