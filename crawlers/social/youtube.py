"""YouTube through the Data API v3: a channel's or a query's newest videos, and their
comments.

Shapes follow the YouTube Data API v3 reference (developers.google.com/youtube/v3/docs):
- `GET {url}/search?part=snippet&type=video&order=date&maxResults=…&channelId=…|q=…`
  answers `{"kind": "youtube#searchListResponse", "nextPageToken", "items": [{"id":
  {"kind": "youtube#video", "videoId"}, "snippet": {"publishedAt", "channelId", "title",
  "description", "channelTitle"}}]}`.
- `GET {url}/commentThreads?part=snippet&videoId=…&maxResults=…&textFormat=plainText`
  answers `{"kind": "youtube#commentThreadListResponse", "items": [{"id", "snippet":
  {"videoId", "topLevelComment": {"id", "snippet": {"authorDisplayName",
  "authorChannelId": {"value"}, "textOriginal", "publishedAt"}}}}]}`.
The API key travels in the `X-Goog-Api-Key` header, so it never appears in a URL that a
crawl issue might record. Only channel ids reach the pseudonym; names and profile URLs
are never read. Links: https://www.youtube.com/watch?v=<video>[&lc=<comment>].
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode, urlsplit

from core.records import Source
from crawlers.dates import parse_date
from crawlers.social import LoginCall, SocialPage, SocialPost, SocialSourceError, token_from_env
from crawlers.social.common import (
    int_option,
    json_object,
    plain_as_html,
    text_option,
    with_param,
)

DEFAULT_LIMIT = 25
MAX_LIMIT = 50
DEFAULT_COMMENT_LIMIT = 50
MAX_COMMENT_LIMIT = 100
WATCH = "https://www.youtube.com/watch"
_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class YoutubePlatform:
    name = "youtube"
    requires_token = True

    def __init__(self) -> None:
        self.comment_limits: dict[str, int] = {}

    def first_url(self, source: Source) -> str:
        channel, query = text_option(source, "channel_id"), text_option(source, "query")
        if bool(channel) == bool(query):
            raise SocialSourceError(
                f"source {source.id}: set either channel_id or query (one of them)")
        if channel and not _ID.match(channel):
            raise SocialSourceError(f"source {source.id}: channel_id {channel!r} is not an id")
        params: dict[str, str | int] = {
            "part": "snippet", "type": "video", "order": "date",
            "maxResults": int_option(source, "limit", DEFAULT_LIMIT, MAX_LIMIT),
        }
        params.update({"channelId": channel} if channel else {"q": query})
        comments = source.options.get("comments", True)
        limit = int_option(source, "comment_limit", DEFAULT_COMMENT_LIMIT, MAX_COMMENT_LIMIT)
        # The fragment never reaches the API; it tells parse_page how many comments to ask.
        fragment = f"comments={limit if comments is not False else 0}"
        return f"{source.url.rstrip('/')}/search?{urlencode(params)}#{fragment}"

    def headers(self, source: Source) -> dict[str, str]:
        key = token_from_env(source, "key_env", "a YouTube Data API key")
        return {"Accept": "application/json", "X-Goog-Api-Key": key}

    def login(self, source: Source) -> LoginCall | None:
        token_from_env(source, "key_env", "a YouTube Data API key")  # fail before any request
        return None

    def session_headers(self, body: str) -> dict[str, str]:
        return {}

    def parse_page(self, body: str, url: str, link_header: str | None) -> SocialPage:
        data = json_object(body)
        items = data.get("items")
        if not isinstance(items, list):
            raise SocialSourceError("expected a list under items")
        if urlsplit(url).path.endswith("/commentThreads"):
            return _comment_page(items)
        return _search_page(data, items, url)


def _search_page(data: dict[str, Any], items: list[Any], url: str) -> SocialPage:
    posts, problems, follow = [], [], []
    comment_limit = _comment_limit(url)
    base = url.split("/search?", 1)[0].split("#", 1)[0]
    for item in items:
        ids = item.get("id") if isinstance(item, dict) else None
        snippet = item.get("snippet") if isinstance(item, dict) else None
        video = ids.get("videoId") if isinstance(ids, dict) else None
        if not isinstance(video, str) or not _ID.match(video) or not isinstance(snippet, dict):
            problems.append("search result without a video id or snippet")
            continue
        channel = snippet.get("channelId")
        if not isinstance(channel, str) or not channel:
            problems.append(f"video {video} has no channel id")
            continue
        text = f"{snippet.get('title') or ''}\n{snippet.get('description') or ''}".strip()
        if not text:
            problems.append(f"video {video} has no title or description")
            continue
        posts.append(SocialPost(
            post_id=f"video:{video}", url=f"{WATCH}?{urlencode({'v': video})}",
            html=plain_as_html(text), created=parse_date(str(snippet.get("publishedAt") or "")),
            language=None, account_id=channel,
        ))
        if comment_limit:
            query = urlencode({"part": "snippet", "videoId": video, "order": "time",
                               "maxResults": comment_limit, "textFormat": "plainText"})
            follow.append(f"{base}/commentThreads?{query}")
    token = data.get("nextPageToken")
    next_url = with_param(url, "pageToken", token) if isinstance(token, str) and token else None
    return SocialPage(tuple(posts), next_url, tuple(problems), tuple(follow))


def _comment_page(items: list[Any]) -> SocialPage:
    posts, problems = [], []
    for item in items:
        snippet = item.get("snippet") if isinstance(item, dict) else None
        top = snippet.get("topLevelComment") if isinstance(snippet, dict) else None
        inner = top.get("snippet") if isinstance(top, dict) else None
        if not isinstance(inner, dict) or not isinstance(top, dict):
            problems.append("comment thread without a top-level comment")
            continue
        comment_id = str(top.get("id") or "")
        video = str(inner.get("videoId") or (snippet or {}).get("videoId") or "")
        author = inner.get("authorChannelId")
        channel = author.get("value") if isinstance(author, dict) else None
        text = inner.get("textOriginal") or inner.get("textDisplay")
        if not _ID.match(comment_id) or not _ID.match(video):
            problems.append(f"comment {comment_id[:40] or '?'} lacks an id or video id")
        elif not isinstance(channel, str) or not channel:
            problems.append(f"comment {comment_id} has no author channel id")
        elif not isinstance(text, str) or not text.strip():
            problems.append(f"comment {comment_id} has no text")
        else:
            posts.append(SocialPost(
                post_id=f"comment:{comment_id}",
                url=f"{WATCH}?{urlencode({'v': video, 'lc': comment_id})}",
                html=plain_as_html(text),
                created=parse_date(str(inner.get("publishedAt") or "")),
                language=None, account_id=channel,
            ))
    return SocialPage(tuple(posts), None, tuple(problems))


def _comment_limit(url: str) -> int:
    """How many comments per video the source asked for (carried in the URL's fragment)."""
    match = re.search(r"#comments=(\d+)$", url)
    return int(match.group(1)) if match else 0
