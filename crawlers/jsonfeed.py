"""JSON Feed (versions 1 and 1.1, jsonfeed.org/version/1.1) read into `FeedEntry`s.

A JSON Feed is an object with `version` ("https://jsonfeed.org/version/1.1"), `title` and
`items`; each item has `id` (required), `url`, `external_url`, `title`, `content_html`,
`content_text`, `summary`, `date_published` / `date_modified` (RFC 3339), and `authors`
(1.1) or `author` (1.0). The `rss` type detects it by its content type
(`application/feed+json`, `application/json`) or a body that starts with `{`; the type
`jsonfeed` is the same spider, named for clarity in the configuration.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from scrapy.http import Response

from crawlers.content import clean_text, clean_title, html_to_text
from crawlers.dates import parse_date, plausible_date
from crawlers.feed_entry import FULL_CONTENT_MIN_CHARS, FeedEntry
from crawlers.urls import is_http_url, normalise_url

VERSION_PREFIX = "https://jsonfeed.org/version/"


def looks_like_json_feed(response: Response) -> bool:
    """True for a JSON body (by content type, or by its first character)."""
    content_type = (response.headers.get("Content-Type") or b"").decode("latin-1").lower()
    if "json" in content_type:
        return True
    return response.body.lstrip()[:1] == b"{"


def parse_json_feed(body: bytes, now: datetime) -> list[FeedEntry]:
    """The feed's items; `ValueError` when the body is not a JSON Feed."""
    try:
        data = json.loads(body.decode("utf-8-sig", errors="replace"))
    except ValueError as exc:
        raise ValueError(f"not JSON: {exc}") from exc
    if not isinstance(data, dict) or not str(data.get("version", "")).startswith(VERSION_PREFIX):
        raise ValueError("not a JSON Feed (no https://jsonfeed.org/version/ version)")
    items = data.get("items")
    if not isinstance(items, list):
        raise ValueError("a JSON Feed needs an items list")
    return [entry for item in items if (entry := _entry(item, now)) is not None]


def _entry(item: Any, now: datetime) -> FeedEntry | None:
    if not isinstance(item, dict):
        return None
    url = _string(item.get("url")) or _string(item.get("external_url"))
    item_id = _string(item.get("id"))
    if not url and is_http_url(item_id):
        url = item_id  # like a permalink guid in RSS
    full = _string(item.get("content_html")) or _string(item.get("content_text"))
    text = html_to_text(full or _string(item.get("summary")))
    published = plausible_date(parse_date(_string(item.get("date_published"))), now) or \
        plausible_date(parse_date(_string(item.get("date_modified"))), now)
    return FeedEntry(
        key=item_id or (normalise_url(url) if url and is_http_url(url) else ""),
        link=url or None,
        title=clean_title(_string(item.get("title"))),
        text=clean_text(text),
        has_full_text=bool(full) and len(text) >= FULL_CONTENT_MIN_CHARS,
        published=published,
        author=_author(item),
    )


def _author(item: dict[str, Any]) -> str | None:
    authors = item.get("authors")
    first = authors[0] if isinstance(authors, list) and authors else item.get("author")
    name = _string(first.get("name")) if isinstance(first, dict) else ""
    return name[:200] or None


def _string(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""
