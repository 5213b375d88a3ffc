"""Reddit through its OAuth API (application-only: client credentials).

Shapes follow Reddit's API documentation (reddit.com/dev/api, and the OAuth2 wiki
github.com/reddit-archive/reddit/wiki/OAuth2):
- `POST {auth_url}` with HTTP Basic `client_id:client_secret` and
  `grant_type=client_credentials` answers `{"access_token", "token_type": "bearer",
  "expires_in", "scope"}`.
- `GET {url}/r/{subreddit}/new?limit=…&raw_json=1[&after=…]` (url is
  https://oauth.reddit.com) answers a Listing: `{"kind": "Listing", "data": {"after",
  "children": [{"kind": "t3", "data": {id, name, title, selftext, author,
  author_fullname, created_utc, permalink, …}}]}}`.
Only `author_fullname` (the t2_ account id) reaches the pseudonym; the username is never
read, and the stored link is https://www.reddit.com/comments/<post id>.
"""

from __future__ import annotations

import base64
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from core.records import Source
from crawlers.social import LoginCall, SocialPage, SocialPost, SocialSourceError, token_from_env
from crawlers.social.common import (
    int_option,
    json_object,
    plain_as_html,
    text_option,
    with_param,
)

DEFAULT_AUTH_URL = "https://www.reddit.com/api/v1/access_token"
DEFAULT_LIMIT = 100
MAX_LIMIT = 100
WEB_BASE = "https://www.reddit.com"
_SUBREDDIT = re.compile(r"^[A-Za-z0-9_]{2,21}$")
_POST_ID = re.compile(r"^[a-z0-9]{1,12}$")


class RedditPlatform:
    name = "reddit"
    requires_token = True

    def first_url(self, source: Source) -> str:
        subreddit = text_option(source, "subreddit").removeprefix("r/")
        if not _SUBREDDIT.match(subreddit):
            raise SocialSourceError(
                f"source {source.id}: set option subreddit to a subreddit name (without r/)")
        limit = int_option(source, "limit", DEFAULT_LIMIT, MAX_LIMIT)
        query = urlencode({"limit": limit, "raw_json": 1})
        return f"{source.url.rstrip('/')}/r/{subreddit}/new?{query}"

    def headers(self, source: Source) -> dict[str, str]:
        return {"Accept": "application/json"}

    def login(self, source: Source) -> LoginCall | None:
        client_id = token_from_env(source, "client_id_env", "the Reddit app's client id")
        secret = token_from_env(source, "client_secret_env", "the Reddit app's client secret")
        basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
        url = text_option(source, "auth_url") or DEFAULT_AUTH_URL
        return LoginCall(url, b"grant_type=client_credentials", {
            "Authorization": f"Basic {basic}",
            "Content-Type": "application/x-www-form-urlencoded",
        })

    def session_headers(self, body: str) -> dict[str, str]:
        data = json_object(body)
        token = data.get("access_token")
        if not isinstance(token, str) or not token:
            detail = data.get("error") or "no access_token"
            raise SocialSourceError(f"the token request was refused: {detail}")
        return {"Authorization": f"Bearer {token}"}

    def parse_page(self, body: str, url: str, link_header: str | None) -> SocialPage:
        data = json_object(body)
        listing = data.get("data")
        if data.get("kind") != "Listing" or not isinstance(listing, dict) \
                or not isinstance(listing.get("children"), list):
            raise SocialSourceError("expected a Listing with data.children")
        posts, problems = [], []
        for child in listing["children"]:
            post, problem = _read_child(child)
            if post is not None:
                posts.append(post)
            else:
                problems.append(problem)
        after = listing.get("after")
        next_url = with_param(url, "after", after) if isinstance(after, str) and after else None
        return SocialPage(tuple(posts), next_url, tuple(problems))


def _read_child(child: Any) -> tuple[SocialPost | None, str]:
    if not isinstance(child, dict) or child.get("kind") != "t3" \
            or not isinstance(child.get("data"), dict):
        return None, "listing child is not a post (t3)"
    post: dict[str, Any] = child["data"]
    post_id = str(post.get("id") or "")
    if not _POST_ID.match(post_id):
        return None, f"post {post_id[:20] or '?'} has no valid id"
    account = post.get("author_fullname")
    if not isinstance(account, str) or not account.startswith("t2_"):
        # Deleted accounts have no id: such a post has no author to count, so skip it.
        return None, f"post {post_id} has no author id (deleted account?)"
    title = str(post.get("title") or "").strip()
    body = str(post.get("selftext") or "").strip()
    if not title and not body:
        return None, f"post {post_id} has no text"
    created = post.get("created_utc")
    when = None
    if isinstance(created, int | float) and not isinstance(created, bool):
        try:
            when = datetime.fromtimestamp(created, tz=UTC).replace(microsecond=0)
        except (OverflowError, OSError, ValueError):
            when = None
    return SocialPost(
        post_id=f"t3_{post_id}",
        url=f"{WEB_BASE}/comments/{post_id}",
        html=plain_as_html(f"{title}\n{body}".strip()),
        created=when,
        language=None,
        account_id=account,
    ), ""
