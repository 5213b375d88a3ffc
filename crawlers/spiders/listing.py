"""Sites without a feed or sitemap: a listing page whose links lead to the articles.

Links are picked with the source's CSS `link_selector` (default `a`), kept when they are on
the listing's own site (ignoring `www.`) and match `allow`, and each is extracted with
trafilatura.
"""

from __future__ import annotations

from typing import Any

from scrapy.http import Response, TextResponse

from crawlers.spiders.base import NewsroomSpider
from crawlers.urls import is_http_url, normalise_url, same_site


class ListingSpider(NewsroomSpider):
    """Crawls the articles linked from one listing page (`url` is the listing)."""

    name = "listing"

    def parse(self, response: Response, **kwargs: Any) -> Any:
        yield from self.guarded_entry(response, lambda: self.parse_listing(response))

    def parse_listing(self, response: Response) -> Any:
        if not self.handle_entry(response):
            return
        if not isinstance(response, TextResponse):
            self.recorder.entry_failure(response.url, "not_html",
                                        "the listing page is not a text response")
            return
        selector = str(self.source.options.get("link_selector", "a"))
        try:
            hrefs = response.css(f"{selector}::attr(href)").getall()
        except Exception as exc:  # cssselect raises its own error types for bad selectors
            self.recorder.entry_failure(response.url, "bad_source_options",
                                        f"link_selector {selector!r}: {exc}")
            return
        links: list[str] = []
        seen: set[str] = set()
        for href in hrefs:
            url = response.urljoin(href.strip())
            if not is_http_url(url):
                if url.startswith(("http://", "https://")):  # e.g. a port like 99999
                    self.recorder.issue(response.url, "bad_link", url[:200])
                continue
            key = normalise_url(url)
            if key in seen:
                continue
            seen.add(key)
            if not same_site(url, response.url) or not self.allowed(url):
                continue
            links.append(url)
        if not links:
            self.recorder.issue(response.url, "no_links",
                                f"no links matched link_selector {selector!r}", kind="note")
        self.recorder.expect(min(len(links), self.crawl.max_items_per_source))
        for url in links:
            if not self.under_item_cap():
                self.recorder.issue(response.url, "item_cap_reached",
                                    f"max_items_per_source={self.crawl.max_items_per_source}",
                                    kind="note")
                return
            yield self.item_request(url, self.parse_article_page)
