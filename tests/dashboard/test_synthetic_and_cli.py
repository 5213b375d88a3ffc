"""The synthetic load corpus and the dashboard commands."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import bcrypt
import pytest
import sqlite_utils
from click.testing import CliRunner

from newsroom.cli.main import cli
from newsroom.demo.synthetic import SOURCES, WATCH_WORDS, WATCHES, attach_analysis, generate_corpus
from storage.db import open_db

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


def test_generate_corpus_writes_consistent_rows(fresh_db: sqlite_utils.Database) -> None:
    report = generate_corpus(fresh_db, 2_000, days=30, now=NOW, batch=700)
    db = fresh_db
    assert report.documents == 2_000
    count = db.execute("SELECT count(*) FROM documents WHERE fictional = 1").fetchone()[0]
    assert count == 2_000
    assert db.execute("SELECT count(*) FROM scores WHERE sentence_idx = -1").fetchone()[0] == 2_000
    assert db.execute("SELECT count(*) FROM topics").fetchone()[0] == 2_000
    assert db.execute("SELECT sum(n) FROM daily_rollup").fetchone()[0] == 2_000
    assert db.execute("SELECT count(*) FROM watch_scores").fetchone()[0] == report.watch_scores
    assert report.stories > 0 and report.watch_scores > 0
    first, last = db.execute("SELECT min(published), max(published) FROM documents").fetchone()
    assert first >= "2026-05-17" and last <= NOW.isoformat()
    # Documents of a watch really mention it, so a search finds them.
    for (name, _query, _owner), word in zip(WATCHES, WATCH_WORDS, strict=True):
        missing = db.execute(
            "SELECT count(*) FROM watch_scores w JOIN watches x ON x.id = w.watch_id "
            "JOIN documents d ON d.id = w.document_id WHERE x.name = ? "
            "AND instr(lower(d.text), ?) = 0", [name, word],
        ).fetchone()[0]
        assert missing == 0
    sources = {row[0] for row in db.execute("SELECT DISTINCT source_id FROM documents")}
    assert sources <= {s[0] for s in SOURCES}
    # FTS index follows the inserts.
    hits = db.execute(
        "SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'zwembad'").fetchone()[0]
    assert hits > 0


def test_generate_corpus_is_reproducible_and_appends(tmp_path: Path) -> None:
    one, two = open_db(tmp_path / "a.db"), open_db(tmp_path / "b.db")
    generate_corpus(one, 300, days=10, now=NOW)
    generate_corpus(two, 300, days=10, now=NOW)
    sql = "SELECT id, title, published FROM documents ORDER BY id"
    assert list(one.query(sql)) == list(two.query(sql))
    generate_corpus(one, 100, days=10, now=NOW)
    assert one.execute("SELECT count(*) FROM documents").fetchone()[0] == 400


@pytest.mark.parametrize("kwargs", [{"documents": 0}, {"documents": 10, "days": 0}])
def test_generate_corpus_rejects_bad_sizes(fresh_db: sqlite_utils.Database, kwargs) -> None:
    with pytest.raises(ValueError):
        generate_corpus(fresh_db, **kwargs)


def test_attach_analysis_rejects_bad_input(fresh_db: sqlite_utils.Database) -> None:
    with pytest.raises(ValueError, match="no document"):
        attach_analysis(fresh_db, "missing", "negatief")
    with pytest.raises(ValueError, match="labels"):
        attach_analysis(fresh_db, "missing", "boos")


def test_demo_data_command(tmp_path: Path) -> None:
    target = tmp_path / "load.db"
    result = CliRunner().invoke(cli, ["demo-data", "--documents", "500", "--days", "20",
                                      "--db", str(target)])
    assert result.exit_code == 0, result.output
    assert "500 berichten" in result.output
    db = open_db(target)
    assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == 500
    bad = CliRunner().invoke(cli, ["demo-data", "--documents", "0", "--db", str(target)])
    assert bad.exit_code == 2


def test_hash_password_command() -> None:
    result = CliRunner().invoke(cli, ["hash-password"], input="s3cret!\ns3cret!\n")
    assert result.exit_code == 0, result.output
    hashed = result.output.strip().splitlines()[-1]
    assert bcrypt.checkpw(b"s3cret!", hashed.encode())
    mismatch = CliRunner().invoke(cli, ["hash-password"], input="a\nb\na\na\n")
    assert "s3cret" not in mismatch.output


def test_dashboard_command_line() -> None:
    from newsroom.cli.dashboard import streamlit_command  # after main: it registers commands

    command = streamlit_command(8600, "127.0.0.1")
    assert command[1:4] == ["-m", "streamlit", "run"]
    assert Path(command[4]).name == "app.py" and Path(command[4]).exists()
    assert command[command.index("--server.headless") + 1] == "true"
    assert command[command.index("--server.port") + 1] == "8600"


@pytest.mark.parametrize("name", ["dashboard", "demo-data", "hash-password"])
def test_commands_have_help(name: str) -> None:
    command = cli.commands[name]
    assert command.help and all(p.help for p in command.params if p.name != "help")
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0 and "Usage" in result.output
