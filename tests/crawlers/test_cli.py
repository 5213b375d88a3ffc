"""`newsroom crawl`: exit codes, messages, progress, and the status section."""

from __future__ import annotations

from typing import Any

from click.testing import CliRunner

from newsroom.cli.main import cli
from tests.crawlers.helpers import write_config


def sources(base: str) -> list[dict[str, Any]]:
    return [
        {"id": "courant", "name": "C", "kind": "news", "type": "rss", "url": f"{base}/feed.xml"},
        {"id": "dead", "name": "D", "kind": "news", "type": "rss",
         "url": f"{base}/broken/feed-with-dead-article.xml"},
        {"id": "masto", "name": "M", "kind": "social", "type": "mastodon", "url": base,
         "tag": "dordrecht"},
        {"id": "uit", "name": "U", "kind": "news", "type": "rss", "url": f"{base}/uit.xml",
         "enabled": False},
    ]


def invoke(config: Any, *args: str) -> Any:
    return CliRunner().invoke(cli, ["--config", str(config), "crawl", "--no-progress", *args])


def test_unknown_source_is_a_usage_error(tmp_path: Any, site: Any) -> None:
    config = write_config(tmp_path, sources(site.base))
    result = invoke(config, "courant", "bestaat-niet")
    assert result.exit_code == 2
    assert "bestaat-niet" in result.output and "courant, dead, masto, uit" in result.output
    assert site.hits["/feed.xml"] == 0


def test_exit_codes_partial_then_ok_on_304(tmp_path: Any, site: Any) -> None:
    config = write_config(tmp_path, sources(site.base))
    first = invoke(config, "courant", "dead")
    assert first.exit_code == 3, first.output
    assert "courant: gelukt — 4 nieuw" in first.output
    assert "dead: deels gelukt" in first.output and "http_404" in first.output

    second = invoke(config, "courant")
    assert second.exit_code == 0, second.output
    assert "niet gewijzigd sinds vorige crawl (304)" in second.output

    status = CliRunner().invoke(cli, ["--config", str(config), "status"])
    assert "Laatste crawls" in status.output
    assert "uit: nog nooit gecrawld" in status.output


def test_social_source_without_pseudonym_key_fails(tmp_path: Any, site: Any,
                                                   monkeypatch: Any) -> None:
    monkeypatch.delenv("NEWSROOM_PSEUDONYM_KEY")
    config = write_config(tmp_path, sources(site.base))
    result = invoke(config, "masto")
    assert result.exit_code == 1
    assert "masto: mislukt" in result.output and "missing_pseudonym_key" in result.output
    assert site.hits["/api/v1/timelines/tag/dordrecht"] == 0


def test_every_option_has_help() -> None:
    from newsroom.cli.crawl import crawl

    assert crawl.help
    for param in crawl.params:
        if param.param_type_name == "option":
            assert getattr(param, "help", None), param.name
