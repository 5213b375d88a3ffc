"""`newsroom digest` and `newsroom alerts` through the real CLI and a real config file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import pytest
import sqlite_utils
from click.testing import CliRunner

from newsroom.cli.main import cli
from storage.db import open_db
from storage.digests import get_digest
from tests.digest.support import PASSWORD_ENV, USER_ENV, WEEK, WeekData


@pytest.fixture
def db(tmp_path: Path) -> sqlite_utils.Database:
    """The command line opens the SQLite file its config names, so fill that file."""
    return open_db(tmp_path / "newsroom.db")


def write_config(tmp_path: Path, port: int, recipients: bool = True) -> Path:
    people = """
[[mail.recipients]]
email = "directie@dordrecht.example"
role = "management"

[[mail.recipients]]
email = "sam@dordrecht.example"
role = "project_lead"
watches = ["Spuiboulevard"]
""" if recipients else ""
    path = tmp_path / "newsroom.toml"
    path.write_text(f"""
[storage]
path = "newsroom.db"

[mail]
host = "127.0.0.1"
port = {port}
security = "none"
sender = "newsroom@dordrecht.example"
username_env = "{USER_ENV}"
password_env = "{PASSWORD_ENV}"
{people}
""", encoding="utf-8")
    return path


def run(config: Path, *args: str) -> Any:
    return CliRunner().invoke(cli, ["--config", str(config), *args], catch_exceptions=False)


def test_preview_to_file_and_stdout(db: Any, week_data: WeekData, tmp_path: Path) -> None:
    config = write_config(tmp_path, 25)
    out = tmp_path / "voorbeeld.html"
    result = run(config, "digest", "--preview", "--week", WEEK, "--out", str(out))
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert html.count("data:image/png;base64,") == 2 and "Er waren deze week 14 berichten" in html
    result = run(config, "digest", "--week", WEEK, "--recipient", "sam@dordrecht.example")
    assert result.exit_code == 0
    assert "3 berichten over je projecten" in result.output
    assert get_digest(db, WEEK, "sam@dordrecht.example") is None  # a preview is not archived


def test_send_then_skip_then_force(db: Any, week_data: WeekData, smtp_server: Any,
                                   tmp_path: Path) -> None:
    config = write_config(tmp_path, smtp_server.port)
    first = run(config, "digest", "--send", "--week", WEEK)
    assert first.exit_code == 0, first.output
    assert first.output.count("verstuurd") == 2
    second = run(config, "digest", "--send", "--week", WEEK)
    assert "overgeslagen" in second.output and len(smtp_server.collector.messages) == 2
    forced = run(config, "digest", "--send", "--week", WEEK, "--force")
    assert forced.exit_code == 0 and len(smtp_server.collector.messages) == 4


def test_send_failure_exit_code(db: Any, week_data: WeekData, tmp_path: Path) -> None:
    from tests.digest.support import free_port

    config = write_config(tmp_path, free_port())
    result = run(config, "digest", "--send", "--week", WEEK)
    assert result.exit_code == 1
    assert "MISLUKT" in result.output


def test_bad_input_on_the_command_line(tmp_path: Path) -> None:
    config = write_config(tmp_path, 25, recipients=False)
    bad_week = run(config, "digest", "--week", "week 47")
    assert bad_week.exit_code == 2 and "YYYY-Www" in bad_week.output
    nobody = run(config, "digest", "--send", "--week", WEEK)
    assert nobody.exit_code == 1 and "Geen ontvangers ingesteld" in nobody.output
    unknown = run(config, "digest", "--recipient", "iemand@example.org")
    assert unknown.exit_code == 2 and "staat niet in [[mail.recipients]]" in unknown.output


def test_alerts_dry_run_and_send(tmp_path: Path) -> None:
    config = write_config(tmp_path, 25, recipients=False)
    dry = run(config, "alerts")
    assert dry.exit_code == 0 and "Proefdraaien" in dry.output
    sent = run(config, "alerts", "--send")
    assert sent.exit_code == 0 and "Nieuwe meldingen: 0" in sent.output


@pytest.mark.parametrize("name", ["digest", "alerts"])
def test_commands_and_options_have_help(name: str) -> None:
    command = cli.commands[name]
    assert command.help
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, f"{name} {param.name} has no help text"


def test_status_shows_digest_and_alerts(db: Any, week_data: WeekData, smtp_server: Any,
                                        tmp_path: Path) -> None:
    config = write_config(tmp_path, smtp_server.port)
    run(config, "digest", "--send", "--week", WEEK)
    result = run(config, "status")
    assert "Weekoverzicht en meldingen" in result.output
    assert f"laatste weekoverzicht: {WEEK}, verstuurd" in result.output
    assert "ontvangers: 2" in result.output
