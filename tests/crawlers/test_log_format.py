"""Crawl logs name an item by its link, never by its text: Scrapy's own "Scraped from",
"Dropped" and "Error processing" lines append the whole item otherwise (a real crawl in a
child process at DEBUG level, and the formatter on a real Scrapy crawler)."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy import Spider
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from core.config import CrawlSettings
from core.records import Document
from crawlers.log_format import ItemFreeLogFormatter, item_locator
from crawlers.settings import scrapy_settings
from tests.crawlers import helpers
from tests.crawlers import site as site_module

SECRET_TEXT = "Zeldzaamwoord Kwispeldoorn schreef dit bericht"


def document() -> Document:
    return Document(id="d1", source_id="s", kind="social", url="https://example.test/p/1",
                    title="t", text=SECRET_TEXT, published=None,
                    fetched=datetime(2026, 3, 2, tzinfo=UTC), author_pseudonym="anon-1")


def rendered(result: Any) -> str:
    return str(result["msg"] % result["args"])


def test_item_lines_carry_the_link_not_the_text() -> None:
    crawler = get_crawler(Spider, scrapy_settings(CrawlSettings()))
    spider = Spider("s")
    spider.crawler = crawler
    formatter = crawler.settings["LOG_FORMATTER"]
    assert formatter == "crawlers.log_format.ItemFreeLogFormatter"
    lines = [
        rendered(ItemFreeLogFormatter().scraped(document(), None, spider)),
        rendered(ItemFreeLogFormatter().dropped(document(), DropItem("duplicate d1"), None,
                                                spider)),
        rendered(ItemFreeLogFormatter().item_error(document(), ValueError("x"), None, spider)),
    ]
    assert lines == ["Scraped https://example.test/p/1", "Dropped: duplicate d1",
                     "Error processing https://example.test/p/1"]
    assert not any(SECRET_TEXT in line or "anon-1" in line for line in lines)


def test_locator_for_items_without_a_link() -> None:
    assert item_locator({"id": "abc"}) == "abc"
    assert item_locator(object()) == "<object>"
    assert len(item_locator({"url": "x" * 5000})) == 300


def test_real_crawl_at_debug_level_keeps_item_text_out_of_the_log(tmp_path: Path) -> None:
    with site_module.FixtureSite() as site:
        body = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t'
                '</title><item><title>Bericht</title><link>' + site.base + '/nieuws/x</link>'
                f'<description>{SECRET_TEXT}</description></item>'
                '<item><title>Bericht</title><link>' + site.base + '/nieuws/x</link>'
                f'<description>{SECRET_TEXT}</description></item></channel></rss>')
        reply = site_module.Reply(200, {"Content-Type": "application/rss+xml"}, body.encode())
        site.routes["/logfeed.xml"] = lambda handler: reply
        page = (f"<html><head><title>Bericht</title></head><body><article><h1>Bericht</h1>"
                f"<p>{SECRET_TEXT}. {SECRET_TEXT}.</p></article></body></html>")
        article = site_module.Reply(200, {"Content-Type": "text/html; charset=utf-8"},
                                    page.encode())
        site.routes["/nieuws/x"] = lambda handler: article
        config = helpers.write_config(tmp_path, [{
            "id": "feed", "name": "feed", "kind": "news", "type": "rss",
            "url": f"{site.base}/logfeed.xml"}])
        crawl = subprocess.run(
            [sys.executable, "-m", "crawlers.run", "--config", str(config), "--source", "feed",
             "--log-level", "DEBUG"],
            capture_output=True, text=True, timeout=240, check=False)
    logs = crawl.stdout + crawl.stderr
    assert crawl.returncode == 0, logs[-2000:]
    assert "Scraped " in logs  # DEBUG item lines were really written
    assert SECRET_TEXT not in logs
