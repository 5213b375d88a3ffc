"""One spider per source type; `SPIDERS` maps a source `type` to its spider class."""

from __future__ import annotations

from crawlers.spiders.base import NewsroomSpider
from crawlers.spiders.council import CouncilDocumentsSpider
from crawlers.spiders.listing import ListingSpider
from crawlers.spiders.official import OfficialPublicationsSpider
from crawlers.spiders.rss import RssSpider
from crawlers.spiders.sitemap import SitemapSpider
from crawlers.spiders.social import SocialSpider

SPIDERS: dict[str, type[NewsroomSpider]] = {
    "rss": RssSpider,
    "jsonfeed": RssSpider,  # JSON Feed 1.1; the rss type also detects it
    "sitemap": SitemapSpider,
    "listing": ListingSpider,
    "officielebekendmakingen": OfficialPublicationsSpider,
    "openraadsinformatie": CouncilDocumentsSpider,
    "mastodon": SocialSpider,
    "bluesky": SocialSpider,
    "reddit": SocialSpider,
    "youtube": SocialSpider,
}


def spider_for(source_type: str) -> type[NewsroomSpider]:
    """The spider class that crawls sources of this type."""
    try:
        return SPIDERS[source_type]
    except KeyError:
        raise ValueError(
            f"No spider for source type {source_type!r}; known: {', '.join(sorted(SPIDERS))}"
        ) from None
