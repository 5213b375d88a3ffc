"""Social platforms behind one small protocol, so a new one plugs in without a new spider.

`SocialSpider` (crawlers/spiders/social.py) asks the platform registered for a source's
`type` for the first page URL and headers, and hands every downloaded page back to the
platform to parse into `SocialPost`s and the next page's URL. Pseudonymising authors and
stripping mentions happens in the spider, the same for every platform.

A platform that needs a session first (Bluesky's createSession, Reddit's OAuth token)
returns a `LoginCall` from `login`; the spider sends it, and `session_headers` turns the
answer into the Authorization header of every later request.

Adding a platform:
1. Write a class with the `SocialPlatform` attributes and methods below, in
   `crawlers/social/<platform>.py`. Give every post a `post_id` and `url` without the
   author's handle, and list what names the author in `SocialPost.identifiers`; the spider
   refuses a post whose link or id still holds one of them. Read a token, if the platform
   needs one, from the environment variable named in the source's `token_env` option
   (never from the file).
2. Register it: add it to `PLATFORMS` under its source `type`.
3. Add the type to `SourceType` in `core/records.py` (core owns it) so config accepts it,
   and document its options in docs/interfaces.md.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from core.records import Source


class SocialSourceError(ValueError):
    """A social source is configured wrongly; the message says which option to fix."""


@dataclass(frozen=True)
class SocialPost:
    """One public post, as a platform parser reads it, before privacy rules apply."""

    post_id: str
    """Globally unique id WITHOUT any handle (for Mastodon: the origin's host and its status
    id, read from the status URI), so a post reached through two instances is stored once."""
    url: str
    """A link that works without the handle (for Mastodon: `https://instance/statuses/<id>`)."""
    html: str
    created: datetime | None
    language: str | None
    account_id: str
    """The platform's account id: only ever used to derive the pseudonym."""
    identifiers: tuple[str, ...] = ()
    """Everything that names the author (handle, acct, display name, profile URL). Never
    stored: the spider uses it to scrub the post and to refuse a link or id that still
    holds one (`crawlers.privacy.scrub_identifiers`), the same rule for every platform."""


@dataclass(frozen=True)
class SocialPage:
    posts: tuple[SocialPost, ...]
    next_url: str | None
    problems: tuple[str, ...] = ()
    """Why some entries of the page could not be read (one line each)."""
    follow: tuple[str, ...] = ()
    """Further pages to fetch and parse the same way (e.g. a video's comment threads)."""


@dataclass(frozen=True)
class LoginCall:
    """A POST that opens a session before the first page (Bluesky, Reddit OAuth)."""

    url: str
    body: bytes
    headers: dict[str, str]


class MissingCredentials(SocialSourceError):
    """An environment variable with a token, key or password is not set."""


class SocialPlatform(Protocol):
    name: str
    """Stored as `Document.platform` and used in document ids and pseudonyms."""
    requires_token: bool

    def first_url(self, source: Source) -> str:
        """The first page to fetch; raises `SocialSourceError` for bad options."""
        ...

    def headers(self, source: Source) -> dict[str, str]:
        """Extra request headers (an Authorization token for platforms that need one)."""
        ...

    def parse_page(self, body: str, url: str, link_header: str | None) -> SocialPage:
        """Posts on one downloaded page and the next page's URL, if any."""
        ...

    def login(self, source: Source) -> LoginCall | None:
        """The session request to send first, or None for an open API."""
        ...

    def session_headers(self, body: str) -> dict[str, str]:
        """Headers for every later request, read from the login answer (raises
        `SocialSourceError` when the answer holds no token)."""
        ...


def token_from_env(source: Source, option: str = "token_env", what: str = "the API token"
                   ) -> str:
    """The secret in the environment variable named by a source option, or a clear error.

    Secrets never sit in newsroom.toml: the file names the variable, the environment holds
    the value.
    """
    name = str(source.options.get(option, ""))
    value = os.environ.get(name) if name else None
    if not value:
        raise MissingCredentials(
            f"source {source.id}: set option {option} to the name of an environment "
            f"variable that holds {what}, and set that variable"
        )
    return value


def _registry() -> dict[str, SocialPlatform]:
    from crawlers.social.bluesky import BlueskyPlatform
    from crawlers.social.mastodon import MastodonPlatform
    from crawlers.social.reddit import RedditPlatform
    from crawlers.social.youtube import YoutubePlatform

    return {"mastodon": MastodonPlatform(), "bluesky": BlueskyPlatform(),
            "reddit": RedditPlatform(), "youtube": YoutubePlatform()}


PLATFORMS: dict[str, SocialPlatform] = _registry()
"""Source type → platform."""


def platform_for(source_type: str) -> SocialPlatform:
    try:
        return PLATFORMS[source_type]
    except KeyError:
        raise SocialSourceError(
            f"no social platform for source type {source_type!r}; known: "
            f"{', '.join(sorted(PLATFORMS))}"
        ) from None
