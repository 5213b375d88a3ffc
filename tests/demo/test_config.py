"""The demo config and the `newsroom init` template with the example sources."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import bcrypt
import pytest
from click.testing import CliRunner

from core.config import load_config
from core.templates import CONFIG_TEMPLATE, SOURCES_EXAMPLE, example_config_text
from newsroom.cli.main import cli
from newsroom.demo import config as demo_config
from nlp.watch_query import parse_query


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    workdir = tmp_path_factory.mktemp("demo")
    config = demo_config.write_demo_config(workdir, "http://127.0.0.1:45678")
    return workdir, config


def test_demo_config_validates_and_points_at_the_site(written) -> None:
    workdir, _ = written
    config = load_config(workdir / "newsroom.toml")
    assert config.storage_path == workdir / "newsroom.db"
    assert config.crawl.allow_private_hosts == ("127.0.0.1",)
    assert [s.id for s in config.sources] == list(demo_config.SOURCE_IDS)
    assert {s.type for s in config.sources} == {"rss", "sitemap", "listing", "mastodon"}
    assert all(s.url.startswith("http://127.0.0.1:45678") for s in config.sources)
    assert all(s.options["fictional"] is True for s in config.sources)
    social = config.source("demo-social")
    assert social.options["tag"] == "dordrecht" and social.kind == "social"


def test_demo_users_have_bcrypt_hashes_of_the_documented_password(written) -> None:
    _, config = written
    roles = {u.username: u.role for u in config.dashboard.users}
    assert roles == {"adviseur": "adviser", "projectleider": "project_lead",
                     "management": "management"}
    for user in config.dashboard.users:
        assert bcrypt.checkpw(demo_config.DEMO_PASSWORD.encode(), user.password_hash.encode())
        assert not bcrypt.checkpw(b"fout", user.password_hash.encode())


def test_demo_watches_parse_and_match_the_spike(written) -> None:
    _, config = written
    names = [w.name for w in config.watches]
    assert names == ["Stadskantoor Spuiboulevard", "Parkeren binnenstad", "Energietransitie"]
    parking = parse_query(config.watches[1].query)
    assert parking.matches("Storing parkeerautomaten binnenstad: onterechte boetes")
    assert not parking.matches("Nieuw fietspad langs de Zuidendijk")


def test_demo_pseudonym_key_only_when_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    name = "NEWSROOM_DEMO_TEST_KEY"
    monkeypatch.setenv(name, "")
    assert demo_config.ensure_pseudonym_key(name) is True
    import os

    assert os.environ[name] == demo_config.DEMO_PSEUDONYM_KEY
    monkeypatch.setenv(name, "eigen-geheim")
    assert demo_config.ensure_pseudonym_key(name) is False
    assert os.environ[name] == "eigen-geheim"


def test_template_alone_validates_with_documented_defaults(tmp_path: Path) -> None:
    path = tmp_path / "newsroom.toml"
    path.write_text(CONFIG_TEMPLATE.read_text(encoding="utf-8"), encoding="utf-8")
    config = load_config(path)
    assert config.sources == ()
    assert config.model.backend == "auto" and config.retention.social_days == 90
    for watch in config.watches:
        parse_query(watch.query)


def test_every_example_source_says_it_is_unverified() -> None:
    text = SOURCES_EXAMPLE.read_text(encoding="utf-8")
    blocks = text.split("[[sources]]")[1:]
    assert len(blocks) >= 8
    for block in blocks:
        assert re.search(r"[Uu]nverified", block), block
    ids = [s["id"] for s in tomllib.loads(text)["sources"]]
    assert len(ids) == len(set(ids))
    assert {"nos-binnenland", "mastodon-dordrecht", "politie-dordrecht"} <= set(ids)


def test_init_writes_template_with_example_sources(tmp_path: Path) -> None:
    target = tmp_path / "newsroom.toml"
    result = CliRunner().invoke(cli, ["--config", str(target), "init"])
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8") == example_config_text()
    config = load_config(target)
    assert {s.kind for s in config.sources} == {"news", "official", "social"}
    assert {s.type for s in config.sources} == {"rss", "sitemap", "listing", "mastodon"}
    assert config.storage_path.exists()
