"""RSS/Atom feeds: Scrapy downloads, feedparser parses, article pages fill in the text.

Per entry: the link (or a permalink guid) is the item's URL; duplicate guids within one feed
are dropped; an entry with only a summary — or every entry when `crawl.fetch_full_article`
is on — is completed from its article page with trafilatura. If that page fails, the entry
is still stored from the feed's own text (when it has any), and the failure is recorded.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import feedparser
from scrapy.http import Response

from core.records import utcnow
from crawlers.content import clean_text, clean_title, decode_body, extract_article, html_to_text
from crawlers.dates import from_struct_time, plausible_date
from crawlers.feed_entry import FULL_CONTENT_MIN_CHARS, FeedEntry
from crawlers.jsonfeed import looks_like_json_feed, parse_json_feed
from crawlers.sanitise import repair_markup
from crawlers.spiders.base import NewsroomSpider, response_text
from crawlers.urls import is_http_url, normalise_url


def parse_entry(entry: Any, now: datetime | None = None) -> FeedEntry:
    """Read one feedparser entry into plain fields (no network, no storage).

    Each date field is checked on its own (`plausible_date`): a placeholder or far-future
    `published` gives way to `updated`, and then to the article page's date.
    """
    link = (entry.get("link") or "").strip() or None
    guid = (entry.get("id") or "").strip()
    if link is None and guid and is_http_url(guid):
        link = guid  # a permalink guid without <link>
    contents = entry.get("content") or []
    full = "".join(part.get("value", "") for part in contents if isinstance(part, dict))
    summary = entry.get("summary") or ""
    text = html_to_text(full or summary)
    now = now or utcnow()
    published = plausible_date(from_struct_time(entry.get("published_parsed")), now) or \
        plausible_date(from_struct_time(entry.get("updated_parsed")), now)
    author = (entry.get("author") or "").strip() or None
    return FeedEntry(
        key=guid or (normalise_url(link) if link and is_http_url(link) else ""),
        link=link,
        title=clean_title(entry.get("title") or ""),
        text=clean_text(text),
        has_full_text=bool(full) and len(text) >= FULL_CONTENT_MIN_CHARS,
        published=published,
        author=author[:200] if author else None,
    )


BENIGN_FEED_PROBLEMS = (
    feedparser.CharacterEncodingOverride,
    feedparser.NonXMLContentType,
)
"""feedparser flags these, but it parsed the feed correctly anyway."""


def parse_feed(response: Response) -> Any:
    """feedparser on the raw bytes plus the HTTP headers, so it can apply its own charset
    rules (the HTTP charset, the XML declaration, then utf-8 / Windows-1252 fallbacks)."""
    headers = {
        name.decode("latin-1").lower(): b",".join(values).decode("latin-1")
        for name, values in response.headers.items()
    }
    headers.setdefault("content-location", response.url)
    body, _ = repair_markup(response.body)
    try:
        return feedparser.parse(body, response_headers=headers, sanitize_html=False,
                                resolve_relative_uris=True)
    except (UnicodeError, ValueError, OverflowError, LookupError):
        # A garbled encoding declaration (`encoding="u\xc0tf-8"`) makes feedparser raise
        # instead of flagging the feed: decode it ourselves and let it parse utf-8.
        text, _ = decode_body(body, None)
        text = _XML_ENCODING.sub(r"\1", text, count=1)
        headers.pop("content-type", None)
        return feedparser.parse(text.encode("utf-8", errors="replace"),
                                response_headers=headers, sanitize_html=False,
                                resolve_relative_uris=True)


_XML_ENCODING = re.compile(r"""(?<=<\?xml)([^>]*?)\s+encoding\s*=\s*["'][^"']*["']""")


class RssSpider(NewsroomSpider):
    """Crawls one RSS or Atom feed (`url` is the feed)."""

    name = "rss"

    def parse(self, response: Response, **kwargs: Any) -> Any:
        yield from self.guarded_entry(response, lambda: self.parse_feed_page(response))

    def parse_feed_page(self, response: Response) -> Any:
        if not self.handle_entry(response):
            return
        if looks_like_json_feed(response):
            yield from self.parse_json_feed(response)
            return
        feed = parse_feed(response)
        entries = list(feed.entries)
        if not entries:
            reason = "malformed_feed" if feed.bozo else "empty_feed"
            detail = str(feed.get("bozo_exception", "no entries"))[:300]
            self.recorder.entry_failure(response.url, reason, detail)
            return
        if feed.bozo and not isinstance(feed.get("bozo_exception"), BENIGN_FEED_PROBLEMS):
            self.recorder.issue(response.url, "feed_not_well_formed",
                                str(feed.get("bozo_exception", ""))[:300], kind="note")
        now = self.clock()
        parsed: list[tuple[int, FeedEntry]] = []
        for index, raw in enumerate(entries):
            try:
                parsed.append((index, parse_entry(raw, now)))
            except Exception as exc:  # noqa: BLE001 - the item boundary
                self.item_error(f"{response.url}#entry-{index + 1}", exc)
        if not parsed:
            return
        yield from self.handle_entries(parsed, response.url,
                                       "malformed_feed" if feed.bozo else "no_usable_entries")

    def parse_json_feed(self, response: Response) -> Any:
        try:
            entries = parse_json_feed(response.body, self.clock())
        except ValueError as exc:
            self.recorder.entry_failure(response.url, "malformed_feed", str(exc)[:300])
            return
        if not entries:
            self.recorder.entry_failure(response.url, "empty_feed", "no items")
            return
        yield from self.handle_entries(list(enumerate(entries)), response.url,
                                       "no_usable_entries")

    def handle_entries(self, entries: list[tuple[int, FeedEntry]], feed_url: str,
                       unusable: str) -> Any:
        """Follow or store each entry, up to the item cap.

        Whether the feed is usable at all is judged on every entry, not only on those
        before the cap, so the run status never depends on `max_items_per_source`.
        """
        if not any(self.linkable(entry, feed_url) for _, entry in entries):
            for _, entry in entries[: self.crawl.max_items_per_source]:
                self.recorder.issue(feed_url, "missing_link", f"entry {entry.title[:80]!r}")
            self.recorder.entry_failure(feed_url, unusable,
                                        f"{len(entries)} entries, none with a usable link")
            return
        self.recorder.expect(min(len(entries), self.crawl.max_items_per_source))
        seen: set[str] = set()
        for index, entry in entries:
            if entry.key and entry.key in seen:
                self.recorder.issue(entry.link or feed_url, "duplicate_guid", entry.key)
                continue
            seen.add(entry.key)
            if not self.under_item_cap():
                self.recorder.issue(feed_url, "item_cap_reached",
                                    f"max_items_per_source={self.crawl.max_items_per_source}",
                                    kind="note")
                return
            locator = entry.link or f"{feed_url}#entry-{index + 1}"
            yield from self.isolated(locator, self.handle_entry_item, entry, feed_url)

    @staticmethod
    def linkable(entry: FeedEntry, feed_url: str) -> bool:
        """Whether the entry's link could be followed; a malformed link is simply not."""
        if entry.link is None:
            return False
        try:
            return is_http_url(response_join(feed_url, entry.link))
        except ValueError:
            return False

    def handle_entry_item(self, entry: FeedEntry, feed_url: str) -> Any:
        if entry.link is None:
            self.recorder.issue(feed_url, "missing_link", f"entry {entry.title[:80]!r}")
            return
        link = response_join(feed_url, entry.link)
        if not is_http_url(link):
            self.recorder.issue(feed_url, "bad_link", entry.link[:200])
            return
        if entry.has_full_text and not self.crawl.fetch_full_article:
            yield self.feed_document(entry, link)
            return
        yield self.item_request(link, self.parse_article, entry=entry, link=link)

    def feed_document(self, entry: FeedEntry, link: str) -> Any:
        """The entry as the feed itself carries it."""
        return self.news_document(link, entry.title, entry.text, entry.published, entry.author)

    def fallback_items(self, cb_kwargs: dict[str, Any]) -> Any:
        # The feed carried text of its own: keep the item from the feed rather than lose it.
        entry = cb_kwargs.get("entry")
        if isinstance(entry, FeedEntry) and entry.text:
            yield self.feed_document(entry, cb_kwargs["link"])

    def parse_article(self, response: Response, entry: FeedEntry, link: str) -> Any:
        yield from self.isolated(response.url, self._feed_article, response, entry, link)

    def _feed_article(self, response: Response, entry: FeedEntry, link: str) -> Any:
        article = extract_article(response_text(response), response.url)
        if article is None:
            self.recorder.issue(response.url, "no_article_text",
                                "the page had no extractable main text", kind="failed")
            yield from self.fallback_items({"entry": entry, "link": link})
            return
        yield self.news_document(
            response.url,
            entry.title or article.title,
            article.text,
            entry.published or article.published,
            article.author or entry.author,
            declared_canonical=article.canonical_candidates,
            language_hint=article.language,
        )


def response_join(base: str, link: str) -> str:
    from urllib.parse import urljoin

    return urljoin(base, link.strip())
