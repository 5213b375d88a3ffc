"""Social platforms behind one small protocol, so a new one plugs in without a new spider.

`SocialSpider` (crawlers/spiders/social.py) asks the platform registered for a source's
`type` for the first page URL and headers, and hands every downloaded page back to the
platform to parse into `SocialPost`s and the next page's URL. Pseudonymising authors and
stripping mentions happens in the spider, the same for every platform.

Adding a platform (e.g. Bluesky or Reddit):
1. Write a class with the `SocialPlatform` attributes and methods below, in
   `crawlers/social/<platform>.py`. Read a token, if the platform needs one, from the
   environment variable named in the source's `token_env` option (never from the file).
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
    """Globally unique id (e.g. a Mastodon status URI), so a post reached through two
    instances is stored once."""
    url: str
    html: str
    created: datetime | None
    language: str | None
    account_id: str
    """The platform's account id: only ever used to derive the pseudonym."""


@dataclass(frozen=True)
class SocialPage:
    posts: tuple[SocialPost, ...]
    next_url: str | None
    problems: tuple[str, ...] = ()
    """Why some entries of the page could not be read (one line each)."""


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


def token_from_env(source: Source) -> str:
    """The API token named by the source's `token_env` option, or a clear error."""
    name = str(source.options.get("token_env", ""))
    value = os.environ.get(name) if name else None
    if not value:
        raise SocialSourceError(
            f"source {source.id}: set option token_env to the name of an environment "
            "variable that holds the API token, and set that variable"
        )
    return value


def _registry() -> dict[str, SocialPlatform]:
    from crawlers.social.mastodon import MastodonPlatform

    return {"mastodon": MastodonPlatform()}


PLATFORMS: dict[str, SocialPlatform] = _registry()
"""Source type → platform. Mastodon is implemented; others plug in here."""


def platform_for(source_type: str) -> SocialPlatform:
    try:
        return PLATFORMS[source_type]
    except KeyError:
        raise SocialSourceError(
            f"no social platform for source type {source_type!r}; known: "
            f"{', '.join(sorted(PLATFORMS))}"
        ) from None
