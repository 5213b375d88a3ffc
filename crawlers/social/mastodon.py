"""Mastodon's public API (no key): hashtag and account timelines.

`GET {instance}/api/v1/timelines/tag/{tag}?limit=N` or
`GET {instance}/api/v1/accounts/{id}/statuses?limit=N`, newest first; older pages through the
`Link: <…?max_id=…>; rel="next"` header, up to the source's `max_pages` (default 3).
A boost (reblog) is read as the original post, so it is stored once under the original's id.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from core.records import Source
from crawlers.dates import parse_date
from crawlers.social import SocialPage, SocialPost, SocialSourceError
from crawlers.urls import is_http_url

DEFAULT_LIMIT = 40
MAX_LIMIT = 40
"""Mastodon serves at most 40 statuses per page."""

_NEXT_LINK = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')
_TAG = re.compile(r"^[\w]{1,100}$", re.UNICODE)
_ACCOUNT_ID = re.compile(r"^[0-9A-Za-z_-]{1,64}$")


class MastodonPlatform:
    name = "mastodon"
    requires_token = False

    def first_url(self, source: Source) -> str:
        base = source.url.rstrip("/")
        limit = _limit(source)
        tag = str(source.options.get("tag", "")).lstrip("#").strip()
        account_id = str(source.options.get("account_id", "")).strip()
        if tag and account_id:
            raise SocialSourceError(f"source {source.id}: set either tag or account_id, not both")
        if tag:
            if not _TAG.match(tag):
                raise SocialSourceError(f"source {source.id}: tag {tag!r} is not a hashtag")
            return f"{base}/api/v1/timelines/tag/{quote(tag)}?{urlencode({'limit': limit})}"
        if account_id:
            if not _ACCOUNT_ID.match(account_id):
                raise SocialSourceError(
                    f"source {source.id}: account_id must be the numeric account id"
                )
            return f"{base}/api/v1/accounts/{account_id}/statuses?{urlencode({'limit': limit})}"
        raise SocialSourceError(
            f"source {source.id}: a mastodon source needs option tag (without #) or account_id"
        )

    def headers(self, source: Source) -> dict[str, str]:
        return {"Accept": "application/json"}

    def parse_page(self, body: str, url: str, link_header: str | None) -> SocialPage:
        try:
            data = json.loads(body)
        except ValueError as exc:
            raise SocialSourceError(f"not JSON: {exc}") from exc
        if not isinstance(data, list):
            raise SocialSourceError("expected a JSON list of statuses")
        posts: list[SocialPost] = []
        problems: list[str] = []
        for raw in data:
            post, problem = _read_status(raw, url)
            if post is not None:
                posts.append(post)
            else:
                problems.append(problem)
        return SocialPage(tuple(posts), _next_url(link_header), tuple(problems))


def _limit(source: Source) -> int:
    value = source.options.get("limit", DEFAULT_LIMIT)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise SocialSourceError(f"source {source.id}: limit must be a whole number of 1 or more")
    return min(value, MAX_LIMIT)


def _read_status(raw: Any, page_url: str) -> tuple[SocialPost | None, str]:
    if not isinstance(raw, dict):
        return None, "status is not an object"
    status = raw["reblog"] if isinstance(raw.get("reblog"), dict) else raw
    status_id = str(status.get("id") or "").strip()
    account = status.get("account")
    if not status_id or not isinstance(account, dict) or not str(account.get("id") or ""):
        return None, f"status {status_id or '?'} lacks an id or account id"
    url = str(status.get("url") or status.get("uri") or "")
    if not is_http_url(url):
        return None, f"status {status_id} has no http(s) url"
    uri = str(status.get("uri") or "")
    host = urlsplit(page_url).hostname or ""
    post_id = uri if is_http_url(uri) else f"{host}/{status_id}"
    content = status.get("content")
    if not isinstance(content, str):
        return None, f"status {status_id} has no content"
    language = status.get("language")
    return (
        SocialPost(
            post_id=post_id,
            url=url,
            html=content,
            created=parse_date(str(status.get("created_at") or "")),
            language=language if isinstance(language, str) else None,
            account_id=str(account["id"]),
        ),
        "",
    )


def _next_url(link_header: str | None) -> str | None:
    """The next (older) page from the Link header; without one there is no next page
    (Mastodon always sends it when older statuses exist)."""
    if not link_header:
        return None
    match = _NEXT_LINK.search(link_header)
    if match and is_http_url(match.group(1)):
        return match.group(1)
    return None
