"""Bluesky through the AT Protocol's XRPC API: post search or one account's feed.

Shapes follow the AT Protocol lexicons (docs.bsky.app, "API Reference"):
- `POST {url}/xrpc/com.atproto.server.createSession` with `{"identifier", "password"}`
  answers `{"accessJwt", "refreshJwt", "did", "handle"}`; later calls send
  `Authorization: Bearer <accessJwt>`.
- `GET {url}/xrpc/app.bsky.feed.searchPosts?q=…&limit=…&sort=latest[&cursor=…]` answers
  `{"posts": [PostView], "cursor"}`; `app.bsky.feed.getAuthorFeed?actor=…` answers
  `{"feed": [{"post": PostView}], "cursor"}`.
- A PostView has `uri` (at://DID/app.bsky.feed.post/RKEY), `author` {did, handle,
  displayName}, and `record` {text, createdAt, langs}. Only the DID reaches the pseudonym;
  the stored link is built from the post's own URI.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

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

DEFAULT_LIMIT = 50
MAX_LIMIT = 100
WEB_BASE = "https://bsky.app"


class BlueskyPlatform:
    name = "bluesky"
    requires_token = True

    def first_url(self, source: Source) -> str:
        base = source.url.rstrip("/")
        limit = int_option(source, "limit", DEFAULT_LIMIT, MAX_LIMIT)
        query, actor = text_option(source, "query"), text_option(source, "actor")
        if bool(query) == bool(actor):
            raise SocialSourceError(f"source {source.id}: set either query or actor (one of them)")
        if query:
            params: dict[str, str | int] = {"q": query, "limit": limit, "sort": "latest"}
            lang = text_option(source, "lang")
            if lang:
                params["lang"] = lang
            return f"{base}/xrpc/app.bsky.feed.searchPosts?{urlencode(params)}"
        feed = urlencode({"actor": actor, "limit": limit})
        return f"{base}/xrpc/app.bsky.feed.getAuthorFeed?{feed}"

    def headers(self, source: Source) -> dict[str, str]:
        return {"Accept": "application/json"}

    def login(self, source: Source) -> LoginCall | None:
        identifier = text_option(source, "identifier")
        if not identifier:
            raise SocialSourceError(
                f"source {source.id}: set option identifier (the account that logs in)")
        password = token_from_env(source, "password_env", "a Bluesky app password")
        body = json.dumps({"identifier": identifier, "password": password}).encode()
        return LoginCall(f"{source.url.rstrip('/')}/xrpc/com.atproto.server.createSession",
                         body, {"Content-Type": "application/json"})

    def session_headers(self, body: str) -> dict[str, str]:
        token = json_object(body).get("accessJwt")
        if not isinstance(token, str) or not token:
            raise SocialSourceError("createSession answered without an accessJwt")
        return {"Authorization": f"Bearer {token}"}

    def parse_page(self, body: str, url: str, link_header: str | None) -> SocialPage:
        data = json_object(body)
        if isinstance(data.get("posts"), list):
            views: list[Any] = data["posts"]
        elif isinstance(data.get("feed"), list):
            views = [item.get("post") if isinstance(item, dict) else None
                     for item in data["feed"]]
        else:
            raise SocialSourceError("expected a list under posts or feed")
        posts, problems = [], []
        for view in views:
            post, problem = _read_post(view)
            if post is not None:
                posts.append(post)
            else:
                problems.append(problem)
        cursor = data.get("cursor")
        next_url = with_param(url, "cursor", cursor) if isinstance(cursor, str) and cursor \
            and views else None
        return SocialPage(tuple(posts), next_url, tuple(problems))


def _read_post(view: Any) -> tuple[SocialPost | None, str]:
    if not isinstance(view, dict):
        return None, "post is not an object"
    uri = str(view.get("uri") or "")
    author = view.get("author")
    record = view.get("record")
    parts = uri.removeprefix("at://").split("/")
    if not uri.startswith("at://") or len(parts) != 3 or not all(parts):
        return None, f"post {uri[:80] or '?'} has no at:// uri"
    did = author.get("did") if isinstance(author, dict) else None
    if not isinstance(did, str) or not did.startswith("did:"):
        return None, f"post {uri[:80]} lacks the author's did"
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        return None, f"post {uri[:80]} has no text"
    langs = record.get("langs")
    language = langs[0] if isinstance(langs, list) and langs and isinstance(langs[0], str) \
        else None
    cid = view.get("cid")
    if not isinstance(cid, str) or not cid.strip() or "/" in cid:
        return None, f"post {parts[2][:40]} has no content id (cid)"
    return SocialPost(
        # Every Bluesky link and at:// uri holds the author's account id (did), which
        # identifies a person; the post's content id (cid) identifies only the post.
        post_id=f"cid:{cid.strip()}",
        url=f"{WEB_BASE}/#cid-{cid.strip()}",
        html=plain_as_html(record["text"]),
        created=parse_date(str(record.get("createdAt") or view.get("indexedAt") or "")),
        language=language,
        account_id=did,
        identifiers=_identifiers(author),
    ), ""


def _identifiers(author: Any) -> tuple[str, ...]:
    """The did, handle and display name: what the spider must keep out of storage."""
    if not isinstance(author, dict):
        return ()
    found = [str(author[key]).strip() for key in ("did", "handle", "displayName")
             if isinstance(author.get(key), str) and str(author[key]).strip()]
    return tuple(dict.fromkeys(found))
