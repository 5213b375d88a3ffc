"""`newsroom score`, `newsroom watches` and the Model block of `newsroom status`."""

from __future__ import annotations

import json
from pathlib import Path

import click
from click.testing import CliRunner

from core.config import load_config
from newsroom.cli.main import cli
from nlp.pipeline import score_pending
from storage.db import open_db
from tests.nlp.conftest import HashingEncoder, LexiconDouble, add_documents, make_document

CONFIG = """
[storage]
path = "newsroom.db"

[model]
backend = "embedded"
"""


def write_config(tmp_path: Path) -> Path:
    path = tmp_path / "newsroom.toml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


def run(config: Path, *args: str) -> click.testing.Result:
    return CliRunner().invoke(cli, ["--config", str(config), *args], catch_exceptions=False)


def test_commands_have_help() -> None:
    for name in ("score", "watches"):
        command = cli.commands[name]
        assert (command.help or "").strip()
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, f"{name} {param.opts[0]}"
    group = cli.commands["watches"]
    assert isinstance(group, click.Group)
    for sub in group.commands.values():
        assert (sub.help or "").strip()
        assert all(p.help for p in sub.params if isinstance(p, click.Option))


def test_watches_add_list_remove(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    result = run(config, "watches", "add", "Brug", 'brug OR "nieuwe tunnel"', "--owner", "pl@x.nl")
    assert result.exit_code == 0, result.output
    assert "opgeslagen" in result.output
    listed = run(config, "watches", "list")
    assert 'Brug — pl@x.nl: brug OR "nieuwe tunnel"  [0 documenten]' in listed.output
    assert run(config, "watches", "remove", "Brug").exit_code == 0
    assert "Nog geen watches" in run(config, "watches", "list").output


def test_watches_add_rejects_bad_query_in_dutch(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    result = CliRunner().invoke(cli, ["--config", str(config), "watches", "add", "X", "(brug"])
    assert result.exit_code == 2
    assert "sluitend haakje" in result.output
    db = open_db(tmp_path / "newsroom.db")
    assert db.execute("SELECT count(*) FROM watches").fetchone()[0] == 0


def test_watches_remove_unknown(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    run(config, "watches", "add", "Brug", "brug")
    result = CliRunner().invoke(cli, ["--config", str(config), "watches", "remove", "Tunnel"])
    assert result.exit_code == 1
    assert "Geen watch met de naam 'Tunnel'" in result.output
    assert "Brug" in result.output


def test_status_shows_models_and_waiting(tmp_path: Path) -> None:
    config_path = write_config(tmp_path)
    config = load_config(config_path)
    db = open_db(config.storage_path)
    add_documents(
        db, [make_document(f"https://ad.example/{i}", f"T{i}", "Tekst.") for i in range(3)]
    )
    score_pending(db, config, limit=2, model=LexiconDouble(), encoder=HashingEncoder())
    result = CliRunner().invoke(cli, ["--config", str(config_path), "status"])
    assert "Model" in result.output
    assert "lexicon-double (versie 1): 2 documenten" in result.output
    assert "wachtend op scoren (nieuw of gewijzigd): 1" in result.output
    as_json = CliRunner().invoke(cli, ["--config", str(config_path), "status", "--json"])
    payload = json.loads(as_json.output)
    assert any("lexicon-double" in line for line in payload["Model"])


def test_score_command_with_the_real_embedded_model(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    db = open_db(tmp_path / "newsroom.db")
    add_documents(
        db,
        [
            make_document(
                "https://ad.example/1",
                "Prachtig nieuw park in Dordrecht",
                "Bewoners zijn erg blij met het mooie nieuwe park. Kinderen spelen er graag.",
            ),
            make_document(
                "https://ad.example/2",
                "Woede over overlast in Wielwijk",
                "Buurtbewoners zijn woedend over de aanhoudende overlast en vernielingen.",
            ),
        ],
    )
    result = run(config, "score", "--no-progress")
    assert result.exit_code == 0, result.output
    assert "Gescoord: 2 documenten" in result.output
    assert "Model: " in result.output
    # The dashboard's rollups are refreshed by the command: both documents count as scored.
    n, unscored, labelled = db.execute(
        "SELECT sum(n), sum(n_unscored), sum(n_neg + n_neu + n_pos) FROM daily_rollup"
    ).fetchone()
    assert (n, unscored, labelled) == (2, 0, 2)
    again = run(config, "score", "--no-progress")
    assert "Gescoord: 0 documenten" in again.output


def test_score_command_reports_a_model_that_cannot_load(tmp_path: Path) -> None:
    config = tmp_path / "newsroom.toml"
    missing = tmp_path / "no-such-model"
    config.write_text(
        '[storage]\npath = "newsroom.db"\n\n[model]\nbackend = "transformers"\n'
        f'name = "{missing}"\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["--config", str(config), "score", "--no-progress"])
    assert result.exit_code == 1
    assert "Het sentimentmodel kon niet laden" in result.output


def test_score_command_reports_a_bad_topics_file(tmp_path: Path) -> None:
    config = tmp_path / "newsroom.toml"
    config.write_text(
        '[storage]\npath = "newsroom.db"\n\n[model]\nbackend = "embedded"\n'
        'topics_file = "absent.toml"\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["--config", str(config), "score", "--no-progress"])
    assert result.exit_code == 2
    assert "topics_file" in result.output
