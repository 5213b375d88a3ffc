"""Scrapy's log lines without the item: an item's repr is the whole document (text, author
pseudonym, link), and a crawl log is not a place for post text (privacy by design, issue 12).

Scrapy's default `LogFormatter` appends the item to "Scraped from", "Dropped" and "Error
processing" lines. Ours names the item by its link only; the reason stays in the message.
"""

from __future__ import annotations

from typing import Any

from scrapy import Spider
from scrapy.http import Response
from scrapy.logformatter import LogFormatter, LogFormatterResult
from twisted.python.failure import Failure


def item_locator(item: Any) -> str:
    """The item's link (or id) — enough to find it, nothing of its text."""
    for attribute in ("url", "id"):
        value = getattr(item, attribute, None)
        if value is None and isinstance(item, dict):
            value = item.get(attribute)
        if isinstance(value, str) and value:
            return value[:300]
    return f"<{type(item).__name__}>"


class ItemFreeLogFormatter(LogFormatter):
    """LogFormatter whose item lines carry the item's link instead of its repr."""

    def scraped(self, item: Any, response: Response | Failure | None,
                spider: Spider) -> LogFormatterResult:
        result = super().scraped(item, response, spider)
        return {**result, "msg": "Scraped %(item)s",
                "args": {"item": item_locator(item)}}

    def dropped(self, item: Any, exception: BaseException,
                response: Response | Failure | None, spider: Spider) -> LogFormatterResult:
        result = super().dropped(item, exception, response, spider)
        return {**result, "msg": "Dropped: %(exception)s",
                "args": {"exception": exception}}

    def item_error(self, item: Any, exception: BaseException,
                   response: Response | Failure | None, spider: Spider) -> LogFormatterResult:
        result = super().item_error(item, exception, response, spider)
        return {**result, "msg": "Error processing %(item)s",
                "args": {"item": item_locator(item)}}
