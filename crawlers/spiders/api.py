"""What the spiders of search APIs share (official publications, council documents).

They ask a search endpoint for pages of records, at a polite pace (option
`delay_seconds`, default 1 s between requests to the API), and turn refusals (401/403/429)
into a clear run reason instead of a crash.
"""

from __future__ import annotations

from typing import Any

from scrapy.http import Response

from crawlers.api_status import api_refusal
from crawlers.spiders.base import NewsroomSpider

DEFAULT_DELAY_SECONDS = 1.0
DEFAULT_MAX_PAGES = 3
DEFAULT_SINCE_DAYS = 30


class SourceOptionError(ValueError):
    """A source option has a value the spider cannot use; the message names the option."""


class ApiSpider(NewsroomSpider):
    """Base of the search-API spiders: options, pacing, refusals."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        delay = self.source.options.get("delay_seconds", DEFAULT_DELAY_SECONDS)
        # Scrapy reads `download_delay` from the spider: the pause between two requests.
        self.download_delay = float(delay) if isinstance(delay, int | float) \
            and not isinstance(delay, bool) and delay >= 0 else DEFAULT_DELAY_SECONDS
        self.pages = 0

    def int_option(self, name: str, default: int, maximum: int) -> int:
        value = self.source.options.get(name, default)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise SourceOptionError(
                f"source {self.source.id}: {name} must be a whole number of 1 or more")
        return min(value, maximum)

    def list_option(self, name: str, default: tuple[str, ...]) -> tuple[str, ...]:
        value = self.source.options.get(name, list(default))
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise SourceOptionError(f"source {self.source.id}: {name} must be a list of names")
        return tuple(value)

    def max_pages(self) -> int:
        value = self.source.options.get("max_pages", DEFAULT_MAX_PAGES)
        return value if isinstance(value, int) and value > 0 else DEFAULT_MAX_PAGES

    def refused(self, response: Response) -> bool:
        """Book a refusal (bad key, rate limit) of an entry or later page; True if refused."""
        refusal = api_refusal(response)
        if refusal is None:
            return False
        if response.meta.get("entry"):
            self.recorder.entry_failure(response.url, *refusal)
        else:
            self.recorder.issue(response.url, *refusal, kind="failed")
        return True

    def bad_answer(self, response: Response, reason: str, detail: str) -> None:
        """An answer that cannot be read: fails the run on the entry page, else the page."""
        if response.meta.get("entry"):
            self.recorder.entry_failure(response.url, reason, detail)
        else:
            self.recorder.issue(response.url, reason, detail, kind="failed")
