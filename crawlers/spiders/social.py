"""Social timelines through a `SocialPlatform` (Mastodon now; see crawlers/social).

Privacy at ingest happens here, the same for every platform: the author becomes a keyed
pseudonym, mentions become "@gebruiker", and no handle, display name or profile is kept.
"""

from __future__ import annotations

from typing import Any

import scrapy
from scrapy.http import Response

from core.records import Document, document_id_for_post
from crawlers.content import html_to_text
from crawlers.language import detect_language
from crawlers.privacy import pseudonymise, strip_mentions
from crawlers.social import SocialPost, SocialSourceError, platform_for
from crawlers.spiders.base import NewsroomSpider, response_text

DEFAULT_MAX_PAGES = 3
TITLE_CHARS = 100


def post_title(text: str) -> str:
    """A short title for lists: the first line, cut at a word boundary."""
    first = text.strip().split("\n", 1)[0]
    if len(first) <= TITLE_CHARS:
        return first
    return first[:TITLE_CHARS].rsplit(" ", 1)[0] + "…"


class SocialSpider(NewsroomSpider):
    """Crawls one social timeline (`url` is the instance; options pick the timeline)."""

    name = "social"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.platform = platform_for(self.source.type)
        self.pages = 0

    def start_requests(self) -> Any:
        if not self.pseudonym_key:
            self.recorder.entry_failure(
                self.source.url, "missing_pseudonym_key",
                "set the environment variable named by privacy.pseudonym_key_env",
            )
            return
        try:
            url = self.platform.first_url(self.source)
        except SocialSourceError as exc:
            self.recorder.entry_failure(self.source.url, "bad_source_options", str(exc))
            return
        request = self.entry_request(url, self.parse)
        request.headers.update(self.platform.headers(self.source))
        yield request

    def max_pages(self) -> int:
        value = self.source.options.get("max_pages", DEFAULT_MAX_PAGES)
        return value if isinstance(value, int) and value > 0 else DEFAULT_MAX_PAGES

    def parse(self, response: Response, **kwargs: Any) -> Any:
        entry = bool(response.meta.get("entry"))
        if entry and not self.handle_entry(response):
            return
        self.pages += 1
        link = response.headers.get("Link")
        try:
            page = self.platform.parse_page(
                response_text(response), response.url, link.decode("latin-1") if link else None
            )
        except SocialSourceError as exc:
            if entry:
                self.recorder.entry_failure(response.url, "malformed_timeline", str(exc))
            else:
                self.recorder.issue(response.url, "malformed_timeline", str(exc), kind="failed")
            return
        for problem in page.problems:
            self.recorder.issue(response.url, "bad_post", problem)
        for post in page.posts:
            if not self.under_item_cap():
                return
            yield self.post_document(post)
        if page.next_url and self.pages < self.max_pages():
            yield scrapy.Request(page.next_url, callback=self.parse, errback=self.item_failed,
                                 headers=self.platform.headers(self.source))

    def post_document(self, post: SocialPost) -> Document:
        """A social document: pseudonymous author, mentions stripped, no profile data."""
        assert self.pseudonym_key is not None
        text = strip_mentions(html_to_text(post.html))
        fetched = self.clock()
        return Document(
            id=document_id_for_post(self.platform.name, post.post_id),
            source_id=self.source.id,
            kind=self.source.kind,
            url=post.url,
            title=post_title(text),
            text=text,
            published=self.checked_date(post.created, fetched, post.url),
            fetched=fetched,
            language=detect_language(text, post.language),
            author=None,
            author_pseudonym=pseudonymise(self.pseudonym_key, self.platform.name,
                                          post.account_id),
            platform=self.platform.name,
            post_id=post.post_id,
            fictional=bool(self.source.options.get("fictional", False)),
        )
