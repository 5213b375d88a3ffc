"""Sites without a feed, through their sitemap.xml (sitemap index files are followed).

Article URLs are filtered by the source's `allow` regex, newest `lastmod` first, up to
`crawl.max_items_per_source`; each page is extracted with trafilatura. `lastmod` is the
publication date of last resort (when the page itself states none).
"""

from __future__ import annotations

import struct
from datetime import datetime
from typing import Any
from urllib.parse import urljoin

import scrapy
from scrapy.http import Response
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap

from crawlers.dates import parse_date
from crawlers.sanitise import repair_markup
from crawlers.spiders.base import NewsroomSpider
from crawlers.urls import is_http_url

MAX_INDEX_DEPTH = 3


class SitemapTooLarge(OSError):
    """A gzip sitemap unpacks to more than `crawl.download_max_bytes`."""


def read_sitemap(body: bytes, max_size: int) -> Sitemap | None:
    """A parsed sitemap (gzip is unpacked within the size cap), or None when unreadable.

    Raises OSError (`SitemapTooLarge` for a body over the cap) for gzip it cannot unpack.
    """
    if body[:2] == b"\x1f\x8b":
        try:
            body = gunzip(body, max_size=max_size)
        except ValueError as exc:  # scrapy's _DecompressionMaxSizeExceeded
            raise SitemapTooLarge(f"gzip sitemap unpacks to over {max_size} bytes") from exc
        except (EOFError, struct.error) as exc:
            raise OSError(f"corrupt gzip: {exc}") from exc
    body, _ = repair_markup(body)
    try:
        sitemap = Sitemap(body)
    except Exception:  # lxml raises several types for non-XML bodies
        return None
    if sitemap.type not in ("urlset", "sitemapindex"):
        return None
    return sitemap


class SitemapSpider(NewsroomSpider):
    """Crawls the article pages listed in one sitemap (`url` is sitemap.xml)."""

    name = "sitemap"

    def parse(self, response: Response, depth: int = 0, **kwargs: Any) -> Any:
        yield from self.guarded_entry(response, lambda: self.parse_sitemap(response, depth))

    def parse_sitemap(self, response: Response, depth: int) -> Any:
        entry = bool(response.meta.get("entry"))
        if entry and not self.handle_entry(response):
            return
        reason = "malformed_sitemap"
        try:
            sitemap = read_sitemap(response.body, self.crawl.download_max_bytes)
        except OSError as exc:  # gzip beyond the cap or corrupt
            sitemap = None
            detail = str(exc)
            reason = "sitemap_too_large" if isinstance(exc, SitemapTooLarge) else reason
        else:
            detail = "not a sitemap (urlset or sitemapindex)"
        if sitemap is None:
            if entry:
                self.recorder.entry_failure(response.url, reason, detail)
            else:
                self.recorder.issue(response.url, reason, detail, kind="failed")
            return
        entries = [dict(item) for item in sitemap]
        if sitemap.type == "sitemapindex":
            if depth >= MAX_INDEX_DEPTH:
                self.recorder.issue(response.url, "sitemap_too_deep", f"depth {depth}")
                return
            if not entries:
                self.recorder.issue(response.url, "empty_sitemap", "an index without sitemaps",
                                    kind="note")
            for item in entries:
                loc = urljoin(response.url, str(item.get("loc", "")).strip())
                if not is_http_url(loc):
                    self.recorder.issue(response.url, "bad_link", loc[:200])
                    continue
                yield scrapy.Request(loc, callback=self.parse, errback=self.item_failed,
                                     cb_kwargs={"depth": depth + 1})
            return
        yield from self.article_requests(entries, response.url)

    def article_requests(self, entries: list[dict[str, Any]], sitemap_url: str) -> Any:
        candidates: list[tuple[datetime | None, str]] = []
        outside = 0
        for item in entries:
            loc = urljoin(sitemap_url, str(item.get("loc", "")).strip())
            if not is_http_url(loc):
                self.recorder.issue(sitemap_url, "bad_link", loc[:200])
                continue
            if not self.allowed(loc):
                outside += 1
                continue
            candidates.append((parse_date(str(item.get("lastmod") or "")), loc))
        if outside:
            # One note, not one issue per URL: sitemaps list whole sites, `allow` is a filter.
            self.recorder.issue(sitemap_url, "not_allowed",
                                f"{outside} URLs outside the source's allow pattern", kind="note")
        if not candidates and not outside:
            self.recorder.issue(sitemap_url, "empty_sitemap", "no usable <loc> entries",
                                kind="note")
        candidates.sort(key=_newest_first)
        self.recorder.expect(min(len(candidates), self.crawl.max_items_per_source))
        for lastmod, loc in candidates:
            if not self.under_item_cap():
                self.recorder.issue(sitemap_url, "item_cap_reached",
                                    f"max_items_per_source={self.crawl.max_items_per_source}",
                                    kind="note")
                return
            yield self.item_request(loc, self.parse_article_page, lastmod=lastmod)


def _newest_first(candidate: tuple[datetime | None, str]) -> tuple[int, float, str]:
    lastmod, loc = candidate
    return (0 if lastmod else 1, -(lastmod.timestamp() if lastmod else 0.0), loc)
