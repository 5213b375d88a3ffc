"""What every newsroom spider shares: its source, its run recorder, and document building.

Spiders only parse; they never write to storage themselves (the pipelines do), except
through the `RunRecorder` that counts and explains what was skipped or failed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from core.config import CrawlSettings
from core.records import Document, Source, document_id_for_url, utcnow
from crawlers.content import decode_body, extract_article
from crawlers.dates import clamp_future
from crawlers.failures import classify_failure
from crawlers.language import detect_language
from crawlers.recorder import IssueKind, RunRecorder
from crawlers.urls import canonical_url, is_http_url
from storage.crawl_log import get_http_cache

logger = logging.getLogger(__name__)


DELIBERATE_REFUSALS = frozenset({"robots_disallowed", "private_address", "scheme_not_allowed"})
"""Item links we chose not to fetch: skipped by policy, not failures of the source."""


class NewsroomSpider(scrapy.Spider):
    """Base class: one instance crawls one configured source for one crawl run."""

    name = "newsroom"

    def __init__(
        self,
        source: Source,
        recorder: RunRecorder,
        crawl: CrawlSettings | None = None,
        pseudonym_key: bytes | None = None,
        clock: Callable[[], datetime] = utcnow,
        **kwargs: Any,
    ) -> None:
        super().__init__(name=f"{source.type}:{source.id}", **kwargs)
        self.source = source
        self.recorder = recorder
        self.crawl = crawl or CrawlSettings()
        self.pseudonym_key = pseudonym_key
        self.clock = clock
        self.items_seen = 0

    # -- requests ---------------------------------------------------------------------

    async def start(self) -> Any:
        for request in self.start_requests():
            yield request

    def start_requests(self) -> Any:
        yield self.entry_request(self.source.url, self.parse)

    def entry_request(self, url: str, callback: Callable[..., Any], **meta: Any) -> scrapy.Request:
        """A request for the source's entry point, conditional on the last validators."""
        headers: dict[str, str] = {}
        etag, last_modified = get_http_cache(self.recorder.db, url)
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return scrapy.Request(
            url,
            callback=callback,
            errback=self.entry_failed,
            headers=headers,
            dont_filter=True,
            meta={"handle_httpstatus_list": [304], "entry": True, **meta},
        )

    def item_request(self, url: str, callback: Callable[..., Any], **cb_kwargs: Any
                     ) -> scrapy.Request:
        """A request for one item page (an article): its failure fails only that item."""
        return scrapy.Request(url, callback=callback, errback=self.item_failed,
                              cb_kwargs=cb_kwargs)

    def entry_failed(self, failure: Failure) -> None:
        reason, detail = classify_failure(failure)
        url = getattr(failure, "request", None)
        self.recorder.entry_failure(url.url if url is not None else self.source.url, reason,
                                    detail)

    def item_failed(self, failure: Failure) -> Any:
        request = getattr(failure, "request", None)
        reason, detail = classify_failure(failure)
        kind: IssueKind = "skipped" if reason in DELIBERATE_REFUSALS else "failed"
        self.recorder.issue(request.url if request is not None else "", reason, detail,
                            kind=kind)
        if request is not None:
            yield from self.fallback_items(request.cb_kwargs)

    def fallback_items(self, cb_kwargs: dict[str, Any]) -> Any:
        """Items to keep when an item page failed (the RSS spider keeps the feed's text)."""
        return ()

    def handle_entry(self, response: Response) -> bool:
        """Book the entry point's status and validators; False when there is nothing to parse
        (a 304 Not Modified)."""
        if response.status == 304:
            self.recorder.not_modified()
            return False
        self.recorder.entry_status(response.status)
        etag = _header(response, "ETag")
        last_modified = _header(response, "Last-Modified")
        if etag or last_modified:
            self.recorder.remember_validators(response.request.url if response.request
                                              else response.url, etag, last_modified)
        return True

    def under_item_cap(self) -> bool:
        """Count an item; False once `crawl.max_items_per_source` items were handled."""
        self.items_seen += 1
        return self.items_seen <= self.crawl.max_items_per_source

    # -- documents ---------------------------------------------------------------------

    def parse_article_page(self, response: Response, lastmod: datetime | None = None) -> Any:
        """An article page found by a sitemap or listing: extract it into a news document.

        `lastmod` (from a sitemap) stands in for the date when the page itself has none.
        """
        article = extract_article(response_text(response), response.url)
        if article is None:
            self.recorder.issue(response.url, "no_article_text",
                                "the page had no extractable main text", kind="failed")
            return
        yield self.news_document(
            response.url, article.title, article.text, article.published or lastmod,
            article.author, declared_canonical=article.canonical_candidates,
            language_hint=article.language,
        )

    def news_document(
        self,
        url: str,
        title: str,
        text: str,
        published: datetime | None,
        author: str | None = None,
        declared_canonical: tuple[str, ...] = (),
        language_hint: str | None = None,
    ) -> Document:
        """A news/official document; its id comes from the canonical URL."""
        fetched = self.clock()
        canonical = canonical_url(url, list(declared_canonical))
        published = self.checked_date(published, fetched, canonical)
        return Document(
            id=document_id_for_url(canonical),
            source_id=self.source.id,
            kind=self.source.kind,
            url=canonical,
            title=title,
            text=text,
            published=published,
            fetched=fetched,
            language=detect_language(f"{title}\n{text}", language_hint),
            author=author,
            fictional=bool(self.source.options.get("fictional", False)),
        )

    def checked_date(self, published: datetime | None, fetched: datetime, url: str
                     ) -> datetime | None:
        value, clamped = clamp_future(published, fetched)
        if clamped:
            self.recorder.issue(url, "future_date_clamped",
                                f"published {published} is after fetch time {fetched}",
                                kind="note")
        return value

    def allowed(self, url: str) -> bool:
        """True for http(s) URLs matching the source's `allow` regex (when set)."""
        if not is_http_url(url):
            return False
        pattern = self.source.options.get("allow")
        if not pattern:
            return True
        import re

        return re.search(str(pattern), url) is not None


def response_text(response: Response) -> str:
    """A response body as text: utf-8, then the declared charset, then detection."""
    declared = None
    content_type = _header(response, "Content-Type") or ""
    if "charset=" in content_type.lower():
        declared = content_type.lower().split("charset=", 1)[1].split(";")[0].strip(" \"'")
    if declared is None and hasattr(response, "encoding"):
        # Scrapy's TextResponse reads <meta charset> and the XML declaration too.
        declared = getattr(response, "_declared_encoding", lambda: None)()
    text, _ = decode_body(response.body, declared)
    return text


def _header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    if value is None:
        return None
    return value.decode("latin-1").strip() or None
