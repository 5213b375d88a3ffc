"""One feed entry as the feed spiders use it, whatever the feed format (RSS, Atom, JSON
Feed)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

FULL_CONTENT_MIN_CHARS = 400
"""Feed content shorter than this is treated as a summary, and the article page is fetched."""

@dataclass(frozen=True)
class FeedEntry:
    """The fields of one feed entry that the spider uses."""

    key: str
    link: str | None
    title: str
    text: str
    has_full_text: bool
    published: datetime | None
    author: str | None
