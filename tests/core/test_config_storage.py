"""`[storage] url`: the PostgreSQL store as a configuration choice, validated, its password
never shown; `Config.store_target` is what every process opens."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from click.testing import CliRunner

from core import redact
from core.config import (
    ConfigError,
    describe_store,
    display_store_url,
    load_config,
    parse_config,
)
from newsroom.cli.main import cli

PASSWORD = "Sup3r-geheim-wachtwoord"
URL = f"postgresql://newsroom:{PASSWORD}@db.example:5432/newsroom?sslmode=require"


def test_sqlite_file_stays_the_default(tmp_path: Path) -> None:
    config = parse_config({"storage": {"path": "data/news.db"}}, base_dir=tmp_path)
    assert config.store_target == tmp_path / "data/news.db"
    assert config.store_engine == "sqlite" and config.storage_url == ""
    assert describe_store(config) == f"SQLite {tmp_path / 'data/news.db'}"
    assert parse_config({}).store_target == Path("data/newsroom.db")


def test_a_postgresql_url_is_the_store_target_and_path_stays_the_data_folder(
    tmp_path: Path
) -> None:
    config = parse_config({"storage": {"url": URL, "path": "var/newsroom.db"}}, base_dir=tmp_path)
    assert config.store_target == URL and config.store_engine == "postgresql"
    assert config.storage_path == tmp_path / "var/newsroom.db"  # models, scheduler.db
    shown = describe_store(config)
    assert shown == ("PostgreSQL postgresql://newsroom:[verborgen]@db.example:5432/newsroom"
                     "?sslmode=require")
    assert PASSWORD not in shown
    short = parse_config({"storage": {"url": "postgres://db.example/news"}})
    assert short.store_target == "postgres://db.example/news"


def test_the_password_never_reaches_a_log_line(caplog: pytest.LogCaptureFixture) -> None:
    parse_config({"storage": {"url": URL}})
    redact.install()
    with caplog.at_level(logging.INFO):
        logging.getLogger("newsroom.test").info("connecting with password %s", PASSWORD)
    assert PASSWORD not in caplog.text and redact.MASK in caplog.text


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://u:pw@h/db", "postgresql://u:[verborgen]@h/db"),
        ("postgresql://u@h:6543/db", "postgresql://u@h:6543/db"),
        ("postgresql:///db?host=/run/postgresql", "postgresql:///db?host=/run/postgresql"),
        ("postgresql://h/db?user=u&password=pw", "postgresql://h/db?user=u&password=%5Bverborgen%5D"),
        ("postgresql://u:p%40ss@h/db", "postgresql://u:[verborgen]@h/db"),
    ],
)
def test_display_hides_every_password_form(url: str, expected: str) -> None:
    assert display_store_url(url) == expected


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://u:geheimpje@h/db", "only postgresql:// and postgres://"),
        ("sqlite:///data/newsroom.db", "only postgresql:// and postgres://"),
        ("https://db.example/newsroom", "only postgresql:// and postgres://"),
        ("PostgreSQL://h/db", "only postgresql:// and postgres://"),
        ("postgresql:db", "only postgresql:// and postgres://"),
        ("data/newsroom.db", "Leave url out to use the SQLite file"),
        ("postgresql://u:geheimpje@h:99999/db", "not a valid address"),
        ("postgresql://u:geheimpje@h:port/db", "not a valid address"),
        ("postgresql://u:geheimpje@h:0/db", "port 0"),
        ("postgresql://u:geheim pje@h/db", "contains spaces"),
    ],
)
def test_bad_urls_are_refused_without_showing_the_password(url: str, message: str) -> None:
    with pytest.raises(ConfigError, match="storage.url") as caught:
        parse_config({"storage": {"url": url}})
    assert message in str(caught.value)
    assert "geheimpje" not in str(caught.value)


def test_dutch_hint_for_a_wrong_scheme() -> None:
    with pytest.raises(ConfigError, match="Alleen postgresql:// of postgres://"):
        parse_config({"storage": {"url": "mysql://h/db"}})


@pytest.mark.parametrize("value", [5, True, ["postgresql://h/db"], {"host": "h"}])
def test_url_of_the_wrong_type_is_refused(value: object) -> None:
    with pytest.raises(ConfigError, match="storage.url: expected text"):
        parse_config({"storage": {"url": value}})


@pytest.mark.parametrize("value", [5, "", "  "])
def test_path_of_the_wrong_type_or_empty_is_refused(value: object) -> None:
    with pytest.raises(ConfigError, match="storage.path"):
        parse_config({"storage": {"path": value}})


def test_unknown_storage_key_names_url_as_allowed() -> None:
    with pytest.raises(ConfigError, match="storage.host: unknown key. Allowed here: path, url"):
        parse_config({"storage": {"host": "db"}})


def test_empty_url_means_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "newsroom.toml"
    path.write_text('[storage]\npath = "n.db"\nurl = ""\n', encoding="utf-8")
    config = load_config(path)
    assert config.store_engine == "sqlite" and config.store_target == tmp_path / "n.db"


def test_status_names_the_sqlite_engine_and_file(tmp_path: Path) -> None:
    config = tmp_path / "newsroom.toml"
    config.write_text('[storage]\npath = "data/newsroom.db"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["--config", str(config), "status"])
    assert result.exit_code == 0, result.output
    assert f"Opslag: SQLite {tmp_path / 'data' / 'newsroom.db'}" in result.output
    result = CliRunner().invoke(cli, ["--config", str(config), "status", "--json"])
    assert '"engine": "sqlite"' in result.output
