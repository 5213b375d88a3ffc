"""Real crawls: `crawl_sources` starts `python -m crawlers.run` in a subprocess against the
fixture site on 127.0.0.1, into a real SQLite file."""

from __future__ import annotations

from typing import Any

import pytest

from core.records import document_id_for_url
from crawlers.runner import CrawlSummary, UnknownSourceError, crawl_sources
from newsroom.demo.ports import free_port
from storage.db import open_db
from storage.documents import count_documents, get_document, list_documents


def by_source(summaries: list[CrawlSummary]) -> dict[str, CrawlSummary]:
    return {summary.source_id: summary for summary in summaries}


def reasons(summary: CrawlSummary) -> dict[str, str]:
    """Issue reason → URL path (the last one of that reason)."""
    from urllib.parse import urlsplit

    return {issue.reason: urlsplit(issue.url).path for issue in summary.issues}


def good_sources(base: str) -> list[dict[str, Any]]:
    return [
        {"id": "courant", "name": "Dordtse Courant", "kind": "news", "type": "rss",
         "url": f"{base}/feed.xml"},
        {"id": "dagblad", "name": "Drechtsteden Dagblad", "kind": "news", "type": "sitemap",
         "url": f"{base}/site2/sitemap-index.xml", "allow": "/regio/"},
        {"id": "gemeente", "name": "Gemeente", "kind": "official", "type": "listing",
         "url": f"{base}/gemeente/nieuws", "link_selector": "a.news-link", "allow": "/bericht/"},
        {"id": "masto", "name": "Mastodon #dordrecht", "kind": "social", "type": "mastodon",
         "url": base, "tag": "dordrecht", "fictional": True},
    ]


def test_real_crawl_of_every_source_type_then_idempotent(site: Any, make_config: Any) -> None:
    config = make_config(good_sources(site.base))
    first = by_source(crawl_sources(config, timeout=240))
    assert {s: first[s].status for s in first} == {
        "courant": "ok", "dagblad": "ok", "gemeente": "ok", "masto": "ok"}
    assert [first[s].stats.new for s in ("courant", "dagblad", "gemeente", "masto")] == [4, 2, 2, 5]
    assert first["courant"].stats.skipped == 2  # duplicate guid, entry without link
    assert first["courant"].valid_share == 1.0

    db = open_db(config.storage_path)
    brug = get_document(db, document_id_for_url(f"{site.base}/nieuws/brug-oude-maas"))
    assert brug is not None
    assert brug.title == "Nieuwe brug over de Oude Maas krijgt groen licht"
    assert brug.author == "Anna de Vries"
    assert brug.published is not None and brug.published.isoformat() == "2026-03-02T08:15:00+00:00"
    copy = get_document(db, document_id_for_url(f"{site.base}/regio/brug-oude-maas"))
    assert copy is not None and copy.syndication_group == brug.syndication_group is not None

    rows = list_documents(db, limit=None)
    posts = [row for row in rows if row["source_id"] == "masto"]
    assert all(row["author_pseudonym"] and row["fictional"] for row in posts)
    assert "en" in {row["language"] for row in rows if row["source_id"] == "dagblad"}
    total = count_documents(db)

    second = by_source(crawl_sources(config, timeout=240))
    assert sum(s.stats.new for s in second.values()) == 0
    assert second["courant"].stats.not_modified and second["courant"].stats.http_status == 304
    assert second["dagblad"].stats.not_modified
    assert second["masto"].stats.unchanged == 5
    assert count_documents(db) == total
    feed_requests = [headers for path, headers in site.requests if path == "/feed.xml"]
    assert feed_requests[-1].get("If-None-Match") == '"v1-feed.xml"'


def test_bad_input_is_recorded_and_counted(site: Any, make_config: Any) -> None:
    base = site.base
    rss = {"kind": "news", "type": "rss"}
    sources = [
        {"id": "broken", "name": "B", "kind": "news", "type": "listing",
         "url": f"{base}/broken/listing"},
        {"id": "malformed", "name": "M", **rss, "url": f"{base}/broken/malformed-feed.xml"},
        {"id": "down", "name": "D", **rss, "url": f"{base}/broken/feed-500.xml"},
        {"id": "refused", "name": "R", **rss, "url": f"http://127.0.0.1:{free_port()}/feed.xml"},
        {"id": "private", "name": "P", **rss, "url": f"http://localhost:{site.port}/feed.xml"},
        {"id": "robots", "name": "Ro", **rss, "url": f"{base}/verboden/feed.xml"},
        {"id": "dead", "name": "De", **rss, "url": f"{base}/broken/feed-with-dead-article.xml"},
    ]
    config = make_config(sources, timeout_seconds=2, retries=1)
    runs = by_source(crawl_sources(config, timeout=240))

    broken = runs["broken"]
    assert broken.status == "partial"
    assert reasons(broken) == {
        "http_500": "/broken/500",
        "http_404": "/nieuws/bestaat-niet",
        "timeout": "/broken/slow",
        "too_large": reasons(broken)["too_large"],
        "private_address": "/nieuws/parkeertarieven",
        "robots_disallowed": "/verboden/pagina",
    }
    too_large = {issue.url.rsplit("/", 1)[-1] for issue in broken.issues
                 if issue.reason == "too_large"}
    assert too_large == {"bomb", "big"}  # the gzip bomb and the oversized page
    assert broken.stats.failed == 5  # robots.txt and private address: skipped by policy
    assert broken.stats.skipped == 2
    assert broken.stats.new == 4  # parkeertarieven, latin1, nocharset, wrong-charset

    db = open_db(config.storage_path)
    for slug in ("latin1", "nocharset", "wrong-charset"):
        doc = get_document(db, document_id_for_url(f"{base}/nieuws/{slug}"))
        assert doc is not None and doc.title == "Café aan de Voorstraat wint prijs", slug

    assert runs["malformed"].status == "failed" and "malformed_feed" in reasons(runs["malformed"])
    assert runs["down"].status == "failed" and "http_503" in reasons(runs["down"])
    assert site.hits["/broken/feed-500.xml"] == 2  # one retry, after a backoff
    assert runs["refused"].status == "failed"
    assert "connection_error" in reasons(runs["refused"])
    assert runs["private"].status == "failed" and "private_address" in reasons(runs["private"])
    assert site.hits["/feed.xml"] == 0  # refused before any byte went out
    assert runs["robots"].status == "failed"
    assert "robots_disallowed" in reasons(runs["robots"])

    dead = runs["dead"]
    assert dead.status == "partial" and reasons(dead) == {"http_404": "/nieuws/verdwenen"}
    kept = get_document(db, document_id_for_url(f"{base}/nieuws/verdwenen"))
    assert kept is not None and kept.text.startswith("De samenvatting blijft bewaard")


def test_later_broken_crawl_keeps_stored_documents(site: Any, make_config: Any) -> None:
    config = make_config(good_sources(site.base)[:1])
    [first] = crawl_sources(config, timeout=240)
    assert first.status == "ok"
    db = open_db(config.storage_path)
    before = {row["id"]: row["text"] for row in list_documents(db, limit=None)}
    site.routes["/feed.xml"] = site.static("malformed-feed.xml", "application/rss+xml")
    [second] = crawl_sources(config, timeout=240)
    assert second.status == "failed"
    after = {row["id"]: row["text"] for row in list_documents(db, limit=None)}
    assert after == before and len(before) == 4


def test_timeout_kills_the_crawl_and_marks_it_failed(site: Any, make_config: Any) -> None:
    config = make_config([{"id": "traag", "name": "T", "kind": "news", "type": "rss",
                           "url": f"{site.base}/broken/slow"}], timeout_seconds=60)
    [summary] = crawl_sources(config, timeout=5)
    assert summary.status == "failed"
    assert [issue.reason for issue in summary.issues][-1] == "timeout"


def test_unknown_source_names_the_known_ones(site: Any, make_config: Any) -> None:
    config = make_config(good_sources(site.base))
    with pytest.raises(UnknownSourceError, match="courant, dagblad, gemeente, masto"):
        crawl_sources(config, ["bestaat-niet"])
