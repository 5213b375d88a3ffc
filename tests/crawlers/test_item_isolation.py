"""One bad item costs one item: each reproduction of issue 13, crawled for real.

Every source below carries one poisoned item among good ones (an impossible character
reference, a control character, a port out of range, a date at the end of the calendar, a
gzip sitemap over the size cap). Before per-item isolation each of these lost the whole
source or the items after the bad one, with the run still `ok`.
"""

from __future__ import annotations

import gzip
import json
from typing import Any

import pytest

from core.records import document_id_for_url
from crawlers.runner import CrawlSummary, crawl_sources
from storage.db import open_db
from storage.documents import get_document

ARTICLES = ("brug-oude-maas", "parkeertarieven", "stadskantoor")


def feed(base: str, poison: dict[int, str]) -> bytes:
    """A three-item RSS feed; `poison` maps an item index to extra XML inside that item."""
    items = []
    for index, slug in enumerate(ARTICLES):
        extra = poison.get(index, "")
        link = f"{base}/nieuws/{slug}"
        items.append(f"<item><title>Bericht {index}</title><link>{link}</link>"
                     f"<guid>g-{index}</guid>{extra}"
                     f"<description>Samenvatting {index}</description></item>")
    body = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>'
            + "".join(items) + "</channel></rss>")
    return body.encode("utf-8")


def serve(site: Any, path: str, body: bytes, content_type: str) -> None:
    reply = site_reply(200, {"Content-Type": content_type}, body)
    site.routes[path] = lambda handler: reply


def site_reply(status: int, headers: dict[str, str], body: bytes) -> Any:
    from tests.crawlers import site as crawler_test_site

    return crawler_test_site.Reply(status, headers, body)


def poisoned_sources(site: Any) -> list[dict[str, Any]]:
    base = site.base
    html = "text/html; charset=utf-8"
    rss = "application/rss+xml"
    serve(site, "/p/category.xml", feed(base, {0: "<category>&#x110000;</category>"}), rss)
    control = feed(base, {}).replace(b"Samenvatting 0", b"Samen\x01vatting 0")
    serve(site, "/p/control.xml", control, rss)
    ports = feed(base, {}).replace(f"{base}/nieuws/brug-oude-maas".encode(),
                                   b"http://127.0.0.1:99999/nieuws/brug-oude-maas")
    ports = ports.replace(f"{base}/nieuws/parkeertarieven".encode(),
                          b"http://127.0.0.1:18791x/nieuws/parkeertarieven")
    serve(site, "/p/ports.xml", ports, rss)

    page = site.file("article-stadskantoor.html")
    bad_canonical = page.replace(f"{base}/nieuws/stadskantoor".encode(),
                                 b"http://127.0.0.1:99999/nieuws/stadskantoor")
    serve(site, "/p/canonical", bad_canonical, html)
    future = site.file("article-brug.html").replace(
        b"2026-03-02T09:15:00+01:00", b"9999-12-31T23:59:59-14:00")
    future = future.replace(f"{base}/nieuws/brug-oude-maas".encode(), f"{base}/p/future".encode())
    serve(site, "/p/future", future, html)
    links = ['<a href="http://127.0.0.1:18791x/p/x">kapot</a>', '<a href="/p/canonical">a</a>',
             '<a href="/p/future">b</a>', '<a href="/nieuws/parkeertarieven">c</a>']
    serve(site, "/p/listing", f"<html><body>{''.join(links)}</body></html>".encode(), html)

    urlset = "".join(
        f"<url><loc>{base}/nieuws/{slug}</loc><lastmod>{lastmod}</lastmod></url>"
        for slug, lastmod in zip(ARTICLES, ("0001-01-01T00:00:00+14:00",
                                             "2026-03-02T10:00:00+01:00",
                                             "9999-12-31T23:59:59-14:00"), strict=True))
    sitemap = ('<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
               f"{urlset}</urlset>").encode()
    serve(site, "/p/sitemap.xml", sitemap, "application/xml")
    bomb = gzip.compress(sitemap[:-9] + b"<url><loc>x</loc></url>" * 40_000 + b"</urlset>")
    serve(site, "/p/big-sitemap.xml.gz", bomb, "application/octet-stream")

    timeline = json.loads(site.file("mastodon-tag.json"))
    timeline[0]["content"] = "<p>Storing\x01 bij de pont \x0b naar Zwijndrecht</p>"
    timeline[1]["created_at"] = "0001-01-01T00:00:00+14:00"
    timeline[2]["language"] = "n\x01l"
    serve(site, "/api/v1/timelines/tag/dordrecht", json.dumps(timeline).encode(),
          "application/json")

    def source(source_id: str, kind: str, type_: str, url: str, **options: Any) -> dict[str, Any]:
        return {"id": source_id, "name": source_id, "kind": kind, "type": type_, "url": url,
                **options}

    return [
        source("category", "news", "rss", f"{base}/p/category.xml"),
        source("control", "news", "rss", f"{base}/p/control.xml"),
        source("ports", "news", "rss", f"{base}/p/ports.xml"),
        source("listing", "news", "listing", f"{base}/p/listing"),
        source("sitemap", "news", "sitemap", f"{base}/p/sitemap.xml"),
        source("bigmap", "news", "sitemap", f"{base}/p/big-sitemap.xml.gz"),
        source("masto", "social", "mastodon", base, tag="dordrecht"),
    ]


@pytest.fixture
def poisoned_crawl(site: Any, make_config: Any) -> tuple[dict[str, CrawlSummary], Any]:
    config = make_config(poisoned_sources(site))
    runs = {run.source_id: run for run in crawl_sources(config, timeout=240)}
    return runs, open_db(config.storage_path)


def stored(run: CrawlSummary) -> int:
    """Items stored by this run (several sources link the same articles)."""
    return run.stats.new + run.stats.updated + run.stats.unchanged


def reasons(run: CrawlSummary) -> list[str]:
    return [issue.reason for issue in run.issues]


def test_bad_characters_cost_no_items(poisoned_crawl: Any) -> None:
    runs, _ = poisoned_crawl
    assert stored(runs["category"]) == 3, reasons(runs["category"])
    assert stored(runs["control"]) == 3, reasons(runs["control"])
    assert runs["category"].status == runs["control"].status == "ok"


def test_invalid_ports_skip_only_their_item(poisoned_crawl: Any) -> None:
    runs, db = poisoned_crawl
    assert stored(runs["ports"]) == 1
    assert reasons(runs["ports"]).count("bad_link") == 2
    listing = runs["listing"]
    assert stored(listing) == 3, reasons(listing)
    assert "bad_link" in reasons(listing)
    assert get_document(db, document_id_for_url(f"{_base(runs)}/p/canonical")) is not None


def test_dates_at_the_end_of_the_calendar_are_dropped_not_the_item(poisoned_crawl: Any) -> None:
    runs, db = poisoned_crawl
    assert stored(runs["sitemap"]) == 3, reasons(runs["sitemap"])
    future = get_document(db, document_id_for_url(f"{_base(runs)}/p/future"))
    assert future is not None
    assert future.published is None or future.published.year < 2100


def test_gzip_sitemap_over_the_cap_fails_the_run_with_its_reason(poisoned_crawl: Any) -> None:
    runs, _ = poisoned_crawl
    assert runs["bigmap"].status == "failed"
    assert reasons(runs["bigmap"]) == ["sitemap_too_large"]


def test_control_characters_in_posts_cost_no_posts(poisoned_crawl: Any) -> None:
    runs, db = poisoned_crawl
    masto = runs["masto"]
    assert stored(masto) == 4, reasons(masto)
    assert reasons(masto) == ["bad_post"]  # the fixture's post without an account id
    texts = [row["text"] for row in db.query("SELECT text FROM documents WHERE source_id='masto'")]
    assert any("Storing bij de pont" in text for text in texts)
    assert not any("\x01" in text or "\x0b" in text for text in texts)


def _base(runs: dict[str, CrawlSummary]) -> str:
    url = next(issue.url for issue in runs["bigmap"].issues)
    return url.split("/p/", 1)[0]
