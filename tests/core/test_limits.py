"""Every numeric setting has a range; a value outside it stops the load with a Dutch
message that names the key and the fix (issue 13: zero, negative and huge limits were
accepted and failed later as hangs, assertions or overflows)."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from core.config import Config, ConfigError, parse_config
from core.limits import LIMITS

SOURCE = {"id": "bron", "name": "Bron", "kind": "news", "type": "rss",
          "url": "https://example.nl/feed.xml"}


def load(**sections: Any) -> Config:
    data: dict[str, Any] = {"sources": [dict(SOURCE)]}
    for name, values in sections.items():
        data[name] = values
    return parse_config(data)


@pytest.mark.parametrize(("section", "key", "value"), [
    ("crawl", "concurrent_requests_per_domain", 0),
    ("crawl", "timeout_seconds", 0),
    ("crawl", "timeout_seconds", -1),
    ("crawl", "download_max_bytes", -1),
    ("crawl", "retries", -1),
    ("crawl", "max_items_per_source", 0),
    ("schedule", "misfire_grace_seconds", -5),
    ("schedule", "crawl_timeout_seconds", 0),
    ("schedule", "score_interval_minutes", 99999999999999999),
    ("model", "threads", -1),
    ("mail", "port", 0),
    ("mail", "port", 70000),
    ("alerts", "min_count", 0),
    ("dashboard", "cache_ttl_seconds", -1),
])
def test_out_of_range_settings_are_refused_in_dutch(section: str, key: str, value: int) -> None:
    with pytest.raises(ConfigError) as raised:
        load(**{section: {key: value}})
    message = str(raised.value)
    assert message.startswith(f"{section}.{key} = {value} kan niet: kies een waarde van")
    assert "newsroom.toml" in message


def test_source_interval_that_would_overflow_a_date_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"sources\[0\]\.interval_minutes = 99999999999999999"):
        parse_config({"sources": [{**SOURCE, "interval_minutes": 99999999999999999}]})


@pytest.mark.parametrize("url", ["https://example.nl:99999/feed", "https://example.nl:1a/feed",
                                 "https://[::1/feed", "https:///feed", "https://exa mple.nl/"])
def test_sources_with_unusable_urls_are_refused_at_load(url: str) -> None:
    with pytest.raises(ConfigError, match=r"sources\[0\]\.url: .* is geen bruikbaar adres"):
        parse_config({"sources": [{**SOURCE, "url": url}]})


def test_ipv6_source_urls_are_accepted() -> None:
    config = parse_config({"sources": [{**SOURCE, "url": "http://[::1]:8080/feed.xml"}]})
    assert config.sources[0].url == "http://[::1]:8080/feed.xml"


def test_every_numeric_setting_has_a_range() -> None:
    defaults = Config()
    numeric = {
        f"{section}.{item.name}"
        for section in ("crawl", "schedule", "retention", "model", "mail", "alerts", "dashboard",
                        "retrain")
        for item in dataclasses.fields(getattr(defaults, section))
        if isinstance(getattr(getattr(defaults, section), item.name), int | float)
        and not isinstance(getattr(getattr(defaults, section), item.name), bool)
    }
    assert numeric <= set(LIMITS), numeric - set(LIMITS)


@pytest.mark.parametrize(("section", "values", "key"), [
    ("retention", {"audit_days": -1}, "retention.audit_days"),
    ("dashboard", {"idle_timeout_minutes": 0}, "dashboard.idle_timeout_minutes"),
    ("retrain", {"tolerance": 2}, "retrain.tolerance"),
])
def test_new_settings_out_of_range_are_refused(section: str, values: dict[str, float],
                                               key: str) -> None:
    with pytest.raises(ConfigError, match=key):
        load(**{section: values})


def test_defaults_are_within_their_ranges() -> None:
    load()  # raises when a default is outside its own range


def test_plaintext_smtp_login_is_refused_unless_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSROOM_SMTP_USER", "nieuws@dordrecht.example")
    with pytest.raises(ConfigError, match="mail.allow_plaintext_auth = true"):
        load(mail={"security": "none", "port": 25})
    allowed = load(mail={"security": "none", "port": 25, "allow_plaintext_auth": True})
    assert allowed.mail.allow_plaintext_auth
