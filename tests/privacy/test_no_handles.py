"""No handle, display name or profile URL of a social author reaches storage, logs, exports,
mails or the dashboard: every platform adapter's saved responses through the real crawl
(child process, DEBUG logs), and the demo crawl against the local demo site."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from crawlers.social import PLATFORMS
from newsroom.cli.main import cli
from newsroom.demo import vocab
from storage.db import open_db
from tests.crawlers import helpers
from tests.crawlers import site as site_module
from tests.crawlers.api_site import ApiSite
from tests.crawlers.test_platforms import sources as platform_sources
from tests.privacy import leak_check

SAVED_RESPONSES = {"mastodon": ("mastodon-tag.json", "mastodon-tag-page2.json")}
"""Every platform adapter's saved API responses, served by the fixture site. A new platform
must add its own here (the first assertion below fails until it does)."""
SOURCE_OPTIONS = {"mastodon": {"tag": "dordrecht"}}
API_PLATFORMS = {"bluesky": "bsky", "reddit": "reddit", "youtube": "youtube"}
"""Platforms whose saved responses the API stand-in serves (tests.crawlers.api_site), by the
source id that tests.crawlers.test_platforms.sources gives them."""
API_SAVED = ("bluesky-search.json", "bluesky-search-page2.json", "reddit-new.json",
             "youtube-search.json", "youtube-comments.json")
ACCOUNT_IDS = ("did:plc:janjansen0000000000000", "did:plc:annabakker000000000000")
"""Bluesky account ids: not name-like keys, but they identify a person all the same."""


@pytest.fixture
def key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSROOM_PSEUDONYM_KEY", "test-only-key-for-leak-checks-0123456789")


def crawl_with_debug_logs(config_path: Path, sources: list[dict]) -> subprocess.CompletedProcess:
    """Crawl `sources` in a process of its own, as the scheduler does, with DEBUG logs (so
    the logs checked for handles are as full as they get); the crawl must succeed."""
    crawl = subprocess.run(
        [sys.executable, "-m", "crawlers.run", "--config", str(config_path),
         *[arg for s in sources for arg in ("--source", s["id"])], "--log-level", "DEBUG"],
        capture_output=True, text=True, timeout=240, check=False,
    )
    assert crawl.returncode == 0, crawl.stderr[-2000:]
    return crawl


def test_every_platform_adapter_keeps_authors_out_of_everything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key: None
) -> None:
    assert set(SAVED_RESPONSES) | set(API_PLATFORMS) == set(PLATFORMS)
    with site_module.FixtureSite() as site:
        identifiers: set[str] = set()
        for name in (n for files in SAVED_RESPONSES.values() for n in files):
            identifiers |= leak_check.identifiers_in_saved(helpers.saved(name, site.base).decode())
        # The check can fail: the saved responses really name their authors.
        assert {"marieke", "Marieke van Dam", f"{site.base}/avatars/marieke.png"} <= identifiers
        sources = [{"id": f"social-{platform}", "name": platform, "kind": "social",
                    "type": platform, "url": site.base, **SOURCE_OPTIONS[platform]}
                   for platform in SAVED_RESPONSES]
        config_path = helpers.write_config(tmp_path, sources)
        crawl = crawl_with_debug_logs(config_path, sources)
    db = open_db(tmp_path / "newsroom.db")
    assert db.execute("SELECT count(*) FROM documents WHERE kind = 'social'").fetchone()[0] == 5
    texts = leak_check.surfaces(config_path, crawl.stdout + crawl.stderr, monkeypatch)
    assert "Crawled (200)" in texts["logs"]  # DEBUG logs were really captured
    for surface in ("storage", "export", "mail", "dashboard"):  # the posts really are there
        assert "Crabbehof" in texts[surface], surface
    assert leak_check.leaks(texts, identifiers) == []


def test_every_api_platform_keeps_authors_out_of_everything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key: None
) -> None:
    """Bluesky, Reddit and YouTube through the real crawl against their saved responses."""
    for name, value in (("TEST_BSKY_PASSWORD", "app-pass-1234"), ("TEST_REDDIT_ID", "rid"),
                        ("TEST_REDDIT_SECRET", "reddit-secret"), ("TEST_YT_KEY", "yt-key")):
        monkeypatch.setenv(name, value)
    identifiers: set[str] = set(ACCOUNT_IDS)
    for name in API_SAVED:
        body = (Path(__file__).parents[1] / "files" / "apis" / name).read_text("utf-8")
        identifiers |= leak_check.identifiers_in_saved(body)
    assert {"jan-jansen.bsky.social", "Jan Jansen"} <= identifiers  # the check can fail
    with ApiSite() as site:
        wanted = set(API_PLATFORMS.values())
        sources = [s for s in platform_sources(site.base) if s["id"] in wanted]
        config_path = helpers.write_config(tmp_path, sources)
        crawl = crawl_with_debug_logs(config_path, sources)
    db = open_db(tmp_path / "newsroom.db")
    kinds = {row[0] for row in db.execute("SELECT DISTINCT platform FROM documents")}
    assert kinds == set(API_PLATFORMS)
    texts = leak_check.surfaces(config_path, crawl.stdout + crawl.stderr, monkeypatch)
    for surface in ("storage", "export"):  # the posts really are there
        assert "parkeertarieven" in texts[surface], surface
    assert leak_check.leaks(texts, identifiers) == []


def test_fresh_demo_has_no_handle_of_its_social_authors_anywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key: None
) -> None:
    monkeypatch.delenv("NEWSROOM_CONFIG", raising=False)
    workdir = tmp_path / "demo"
    result = CliRunner().invoke(
        cli, ["-vv", "demo", "run", "--no-dashboard", "--no-score", "--fresh", "--dir",
              str(workdir)])
    assert result.exit_code == 0, result.output
    identifiers = {name for account in vocab.SOCIAL_ACCOUNTS for name in account}
    identifiers |= {"".join(c for c in name if c.isalnum() or c in " -_").strip()
                    for name in identifiers}
    db = open_db(workdir / "newsroom.db")
    social = db.execute("SELECT count(*) FROM documents WHERE kind = 'social'").fetchone()[0]
    assert social >= 30
    texts = leak_check.surfaces(workdir / "newsroom.toml", result.output, monkeypatch)
    links = [row[0] for row in db.execute("SELECT url FROM documents WHERE kind = 'social'")]
    assert all("/statuses/" in link for link in links)
    for surface in ("storage", "export", "mail"):  # the posts really are there
        assert any(link in texts[surface] for link in links), surface
    assert leak_check.leaks(texts, {i for i in identifiers if i}) == []
