"""`newsroom sources types` and `newsroom sources check` against the local fixture site."""

from __future__ import annotations

from typing import Any, get_args

from click.testing import CliRunner

from core.records import SourceType
from crawlers.catalog import SOURCE_TYPES
from crawlers.spiders import SPIDERS
from newsroom.cli.main import cli
from tests.crawlers.helpers import write_config


def run(config: Any, *args: str) -> Any:
    return CliRunner().invoke(cli, ["--config", str(config), "sources", *args])


def test_types_lists_every_source_type_with_options(tmp_path: Any) -> None:
    config = write_config(tmp_path, [])
    result = run(config, "types")
    assert result.exit_code == 0, result.output
    names = {info.name for info in SOURCE_TYPES}
    assert names == set(get_args(SourceType)) == set(SPIDERS)
    for name in ("officielebekendmakingen", "openraadsinformatie", "bluesky", "reddit",
                 "youtube", "rss", "mastodon"):
        assert f"\n{name}: " in f"\n{result.output}"
    assert "    password_env: " in result.output and "    creator: " in result.output
    assert all(help_text for info in SOURCE_TYPES for _, help_text in info.options)


def sources(base: str) -> list[dict[str, Any]]:
    def rss(source_id: str, url: str) -> dict[str, Any]:
        return {"id": source_id, "name": source_id, "kind": "news", "type": "rss", "url": url}

    return [
        rss("courant", f"{base}/feed.xml"),
        rss("kapot", f"{base}/broken/feed-500.xml"),
        rss("verboden", f"{base}/verboden/feed.xml"),
        rss("rommel", f"{base}/broken/malformed-feed.xml"),
        rss("onbekend", "http://bestaat-niet.invalid/feed.xml"),
        {"id": "dagblad", "name": "D", "kind": "news", "type": "sitemap",
         "url": f"{base}/site2/sitemap-index.xml"},
        {"id": "gemeente", "name": "G", "kind": "official", "type": "listing",
         "url": f"{base}/gemeente/nieuws", "link_selector": "a.news-link"},
        {"id": "masto", "name": "M", "kind": "social", "type": "mastodon", "url": base,
         "tag": "dordrecht"},
        {"id": "bsky", "name": "B", "kind": "social", "type": "bluesky", "url": base,
         "query": "dordrecht"},
    ]


def blocks(output: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for block in output.strip().split("\n"):
        if not block.startswith(" "):
            current = block.split(" ", 1)[0]
            found[current] = ""
        found[current] += block + "\n"
    return found


def test_check_reports_each_step_and_a_dutch_verdict(tmp_path: Any, site: Any) -> None:
    config = write_config(tmp_path, sources(site.base))
    result = run(config, "check")
    assert result.exit_code == 1, result.output  # some sources are broken on purpose
    found = blocks(result.output)
    courant = found["courant"]
    assert "DNS: ok · robots.txt: toegestaan · HTTP: 200" in courant
    assert "rss+xml" in courant and "geldig: ja · berichten: 5" in courant  # 1 without link
    assert "nieuwste: 2028" not in courant  # the far-future entry is not "newest"
    assert "nieuwste: 2026-03-0" in courant
    assert "Oordeel: Bruikbaar" in courant
    assert "HTTP 503" in found["kapot"] and "Niet bruikbaar" in found["kapot"]
    assert "robots.txt: verboden" in found["verboden"]
    assert "geen geldige feed" in found["rommel"]
    assert "DNS: fout" in found["onbekend"] and "bestaat niet in DNS" in found["onbekend"]
    assert "berichten: 1" in found["dagblad"] and "sitemap-index" in found["dagblad"]
    assert "geldig: ja · berichten: 2" in found["gemeente"]
    assert "geldig: ja · berichten: 5" in found["masto"]
    assert "API-bron" in found["bsky"] and "Bruikbaar, maar let op" in found["bsky"]


def test_check_selected_ids_and_unknown_id(tmp_path: Any, site: Any) -> None:
    config = write_config(tmp_path, sources(site.base))
    ok = run(config, "check", "courant")
    assert ok.exit_code == 0, ok.output
    assert set(blocks(ok.output)) == {"courant"}
    unknown = run(config, "check", "nergens")
    assert unknown.exit_code == 2 and "nergens" in unknown.output


def test_check_refuses_a_private_address_that_is_not_allowed(tmp_path: Any, site: Any) -> None:
    config = write_config(tmp_path, sources(site.base)[:1], allow_private_hosts=[])
    result = run(config, "check")
    assert result.exit_code == 1
    assert "adres geweigerd (private_address)" in result.output
