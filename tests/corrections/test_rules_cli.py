"""`newsroom rules add/list/remove` on a real store; bad input exits with a message."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newsroom.cli.main import cli
from storage.audit import list_events
from storage.db import open_db
from storage.documents import DocumentFilter, list_documents

CONFIG = """
[storage]
path = "newsroom.db"

[[sources]]
id = "ad"
name = "AD Dordrecht"
kind = "news"
type = "rss"
url = "http://127.0.0.1:9/feed.xml"
"""


@pytest.fixture
def db(tmp_path: Path) -> Any:
    """The SQLite file this CLI config names; the CLI reads its store from the config, so
    these tests stay on that file (the storage calls behind the CLI run on both engines in
    test_rules.py)."""
    return open_db(tmp_path / "newsroom.db")


def _run(config: Path, *args: str) -> Any:
    return CliRunner().invoke(cli, ["--config", str(config), *args])


def test_rules_add_list_remove(tmp_path: Path, writer: Any) -> None:
    """`writer` fills the same file the config names (tmp_path/newsroom.db)."""
    config = tmp_path / "newsroom.toml"
    config.write_text(CONFIG, encoding="utf-8")
    assert _run(config, "init").exit_code == 0
    doc_id = writer.doc("Column: de parkeerpolitie", datetime(2026, 11, 2, tzinfo=UTC), "neutraal")
    added = _run(config, "rules", "add", "parkeerpolitie", "negatief", "--source", "ad",
                 "--author", "anna")
    assert added.exit_code == 0, added.output
    assert "1 berichten passen erop" in added.output
    rows = list_documents(open_db(tmp_path / "newsroom.db"), DocumentFilter())
    assert {r["id"]: r["label"] for r in rows} == {doc_id: "negatief"}
    listed = _run(config, "rules", "list")
    assert 'bron ad en tekst bevat "parkeerpolitie" -> negatief | geraakt: 1' in listed.output
    removed = _run(config, "rules", "remove", "1")
    assert removed.exit_code == 0 and "1 berichten hebben weer" in removed.output
    assert "nog geen regels" in _run(config, "rules", "list").output
    rows = list_documents(open_db(tmp_path / "newsroom.db"), DocumentFilter())
    assert rows[0]["label"] == "neutraal"
    audited = [(e.action, e.target) for e in list_events(open_db(tmp_path / "newsroom.db"))
               if e.action.startswith("rule.")]
    assert sorted(audited) == [("rule.add", "1"), ("rule.remove", "1")]


def test_rules_cli_refuses_bad_input(tmp_path: Path) -> None:
    config = tmp_path / "newsroom.toml"
    config.write_text(CONFIG, encoding="utf-8")
    short = _run(config, "rules", "add", "ab", "negatief")
    assert short.exit_code == 1 and "at least 3 characters" in short.output
    bad_label = _run(config, "rules", "add", "parkeren", "boos")
    assert bad_label.exit_code == 2
    unknown = _run(config, "rules", "remove", "7")
    assert unknown.exit_code == 1 and "No rule with id 7" in unknown.output


def test_export_has_the_corrected_label_and_what_the_model_said(tmp_path: Path,
                                                                writer: Any) -> None:
    config = tmp_path / "newsroom.toml"
    config.write_text(CONFIG, encoding="utf-8")
    doc_id = writer.doc("Boetes bij parkeerautomaten", datetime(2026, 11, 2, tzinfo=UTC),
                        "neutraal")
    writer.correction(doc_id, "negatief", datetime(2026, 11, 3, tzinfo=UTC))
    result = _run(config, "export", "--label", "negatief", "--no-text")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["id"], r["label"], r["model_label"], r["corrected_by"]) for r in rows] == [
        (doc_id, "negatief", "neutraal", "correction")]
