"""newsroom.toml validation: every error names the key and how to fix it."""

from __future__ import annotations

import pytest

from core.config import ConfigError, load_config, parse_config

GOOD = """
[storage]
path = "db/newsroom.db"

[crawl]
allow_private_hosts = ["127.0.0.1"]
download_max_bytes = 1000000

[schedule]
digest_day = "mon"
digest_time = "08:00"

[retention]
social_days = 30

[model]
backend = "embedded"

[[mail.recipients]]
email = "directie@dordrecht.example"
role = "management"

[[alerts.webhooks]]
type = "teams"
url_env = "NEWSROOM_TEAMS_WEBHOOK"

[[sources]]
id = "drechtstad"
name = "Drechtstad Dagblad"
kind = "news"
type = "rss"
url = "http://127.0.0.1:8000/feed.xml"
interval_minutes = 30

[[sources]]
id = "mastodon-dordrecht"
name = "Mastodon #dordrecht"
kind = "social"
type = "mastodon"
url = "https://mastodon.example"
tag = "dordrecht"

[[watches]]
name = "Stadskantoor"
query = '"stadskantoor" OR spuiboulevard'
owner = "projectleider"
"""


def test_good_config_loads_with_relative_storage_path(tmp_path):
    path = tmp_path / "newsroom.toml"
    path.write_text(GOOD, encoding="utf-8")
    config = load_config(path)
    assert config.storage_path == tmp_path / "db" / "newsroom.db"
    assert config.crawl.allow_private_hosts == ("127.0.0.1",)
    assert config.retention.days_for("social") == 30
    assert config.retention.days_for("news") == 0
    assert config.source("mastodon-dordrecht").options == {"tag": "dordrecht"}
    assert config.watches[0].owner == "projectleider"
    assert config.alerts.webhooks[0].type == "teams"
    assert config.mail.recipients[0].role == "management"


def test_defaults_without_a_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NEWSROOM_CONFIG", raising=False)
    config = load_config()
    assert config.model.backend == "auto"
    assert config.retention.social_days == 90
    assert config.schedule.timezone == "Europe/Amsterdam"


def test_secrets_come_from_the_environment(monkeypatch):
    config = parse_config({})
    monkeypatch.delenv("NEWSROOM_PSEUDONYM_KEY", raising=False)
    with pytest.raises(ConfigError, match="NEWSROOM_PSEUDONYM_KEY"):
        _ = config.privacy.pseudonym_key
    monkeypatch.setenv("NEWSROOM_PSEUDONYM_KEY", "geheim")
    assert config.privacy.pseudonym_key == b"geheim"
    monkeypatch.setenv("NEWSROOM_SMTP_PASSWORD", "pw")
    assert config.mail.password == "pw"


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("[crawl]\ntimeout_seconds = 'soon'", "crawl.timeout_seconds: expected a whole number"),
        ("[crawl]\nuser_agnet = 'x'", "crawl.user_agnet: unknown key"),
        ("bogus = 1", "bogus: unknown key"),
        ("[schedule]\ndigest_time = '8 uur'", "schedule.digest_time: use HH:MM"),
        ("[schedule]\ndigest_day = 'maandag'", "schedule.digest_day: use one of"),
        ("[schedule]\ntimezone = 'Mars/Olympus'", "schedule.timezone: unknown time zone"),
        ("[retention]\nsocial_days = -1", "retention.social_days"),
        ("[model]\nbackend = 'gpt'", "model.backend"),
        ("[model]\nmax_length = 4096", "model.max_length"),
        ("[model]\nbatch_tokens = -5", "model.batch_tokens"),
        ("[mail]\nsecurity = 'tls'", "mail.security"),
        ("[[mail.recipients]]\nemail = 'nobody'", "mail.recipients\\[0\\].email"),
        ("[[mail.recipients]]\nemail = 'a@b.nl'\nrole = 'boss'", "mail.recipients\\[0\\].role"),
        ("[[alerts.webhooks]]\ntype = 'slack'\nurl_env = 'X'", "alerts.webhooks\\[0\\].type"),
        (
            "[[dashboard.users]]\nusername = 'a'\nrole = 'adviser'\npassword_hash = 'plain'",
            "password_hash: expected a bcrypt hash",
        ),
        ("[[sources]]\nid = 'a'", "sources\\[0\\].name: missing"),
        (
            "[[sources]]\nid = 'A B'\nname = 'x'\nkind = 'news'\ntype = 'rss'\nurl = 'http://a'",
            "sources\\[0\\].id",
        ),
        (
            "[[sources]]\nid = 'a'\nname = 'x'\nkind = 'blog'\ntype = 'rss'\nurl = 'http://a'",
            "sources\\[0\\].kind",
        ),
        (
            "[[sources]]\nid = 'a'\nname = 'x'\nkind = 'news'\ntype = 'rss'\nurl = 'ftp://a'",
            "only http:// and https://",
        ),
        (
            "[[sources]]\nid = 'a'\nname = 'x'\nkind = 'news'\ntype = 'rss'\nurl = 'http://a'\n"
            "[[sources]]\nid = 'a'\nname = 'y'\nkind = 'news'\ntype = 'rss'\nurl = 'http://b'",
            "used twice",
        ),
        ("[[watches]]\nname = 'x'", "watches\\[0\\]: needs name and query"),
        ("storage = 3", "\\[storage\\] must be a table"),
    ],
)
def test_invalid_config_names_the_key(tmp_path, toml, message):
    path = tmp_path / "newsroom.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_config(path)


def test_broken_toml_and_missing_file(tmp_path):
    path = tmp_path / "newsroom.toml"
    path.write_text("[crawl\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(path)
    with pytest.raises(ConfigError, match="newsroom init"):
        load_config(tmp_path / "missing.toml")


def test_unknown_source_lists_known_ids(tmp_path):
    path = tmp_path / "newsroom.toml"
    path.write_text(GOOD, encoding="utf-8")
    with pytest.raises(ConfigError, match="drechtstad, mastodon-dordrecht"):
        load_config(path).source("nope")


def test_head_path_is_relative_to_the_config_file(tmp_path):
    path = tmp_path / "newsroom.toml"
    path.write_text('[model]\nhead_path = "models/head.npz"\n', encoding="utf-8")
    assert load_config(path).model.head_path == str(tmp_path / "models" / "head.npz")
    path.write_text('[model]\nhead_path = "/opt/head.npz"\n', encoding="utf-8")
    assert load_config(path).model.head_path == "/opt/head.npz"
    path.write_text("[model]\n", encoding="utf-8")
    assert load_config(path).model.head_path == ""
