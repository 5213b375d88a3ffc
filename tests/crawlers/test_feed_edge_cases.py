"""Regression tests for edge cases found on 200 real-world feeds, on small saved files
(tests/files/feeds/): placeholder and implausible dates, a feed of link-less entries under
and over the item cap, JSON Feed 1.1, and languages outside the supported list."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import scrapy
from freezegun import freeze_time

from core.records import Document, Source
from crawlers.language import detect_language
from crawlers.pipelines import schema_problems
from crawlers.spiders.rss import RssSpider
from storage.crawl_log import get_crawl_run
from tests.crawlers.helpers import OFFLINE_BASE, html_response, make_spider, text_response

FROZEN = "2026-03-10 12:00:00"
ATOM = Source(id="stad", name="Stad", kind="news", type="rss", url=f"{OFFLINE_BASE}/atom.xml")


def feed_requests(recorder: Any, name: str, source: Source = ATOM, **crawl: Any
                  ) -> list[scrapy.Request]:
    spider = make_spider(RssSpider, recorder, source, **crawl)
    with freeze_time(FROZEN):
        output = list(spider.parse(text_response(name, source.url)))
    return [r for r in output if isinstance(r, scrapy.Request)]


def page_document(recorder: Any, request: scrapy.Request, page: str) -> Document:
    spider = make_spider(RssSpider, recorder, ATOM)
    with freeze_time(FROZEN):
        [doc] = list(spider.parse_article(html_response(page, request.url),
                                          **request.cb_kwargs))
    return doc


def test_placeholder_published_gives_way_to_updated(recorder: Any) -> None:
    request = feed_requests(recorder, "feeds/placeholder-dates.xml")[0]
    assert request.cb_kwargs["entry"].published == datetime(2026, 3, 1, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize("index", [1, 2, 3])  # year 1, 2031, the Unix epoch
def test_implausible_feed_date_falls_back_to_the_page_date(recorder: Any, index: int) -> None:
    request = feed_requests(recorder, "feeds/placeholder-dates.xml")[index]
    assert request.cb_kwargs["entry"].published is None
    doc = page_document(recorder, request, "article-parkeertarieven.html")
    assert doc.published == datetime(2026, 3, 3, 13, 0, tzinfo=UTC)


@pytest.mark.parametrize("cap", [5, 12, 500])
def test_linkless_feed_status_does_not_depend_on_the_cap(recorder: Any, cap: int) -> None:
    assert feed_requests(recorder, "feeds/linkless.xml", max_items_per_source=cap) == []
    run = get_crawl_run(recorder.db, recorder.run_id)
    assert run is not None
    assert recorder.status() == "failed" and recorder.entry_reason == "no_usable_entries"
    assert sum(issue.reason == "missing_link" for issue in run.issues) == min(cap, 12)


def test_linkless_entries_before_the_cap_do_not_fail_a_feed_with_links_later(
        recorder: Any) -> None:
    spider = make_spider(RssSpider, recorder, ATOM, max_items_per_source=2)
    with freeze_time(FROZEN):
        list(spider.parse(text_response("feed.xml", ATOM.url)))
    assert recorder.status() == "ok"


@pytest.mark.parametrize("source_type", ["jsonfeed", "rss"])
def test_json_feed_1_1_is_read_by_both_types(recorder: Any, source_type: str) -> None:
    source = Source(id="json", name="JSON", kind="news", type=source_type,  # type: ignore[arg-type]
                    url=f"{OFFLINE_BASE}/feed.json")
    spider = make_spider(RssSpider, recorder, source, fetch_full_article=False)
    response = text_response("feeds/feed.json", source.url,
                             headers={"Content-Type": "application/feed+json"})
    with freeze_time(FROZEN):
        output = list(spider.parse(response))
    requests = [r for r in output if isinstance(r, scrapy.Request)]
    docs = [d for d in output if isinstance(d, Document)]
    assert [r.url for r in requests] == [f"{OFFLINE_BASE}/json/boom"]
    entry = requests[0].cb_kwargs["entry"]
    assert entry.author == "Redactie Stad"
    assert entry.published == datetime(2026, 3, 5, 7, 30, tzinfo=UTC)
    [full] = docs  # content_html long enough: stored from the feed itself
    assert full.url == f"{OFFLINE_BASE}/json/volledig" and full.author == "Piet Bakker"
    assert full.published == datetime(2026, 3, 4, 12, 0, tzinfo=UTC)  # placeholder skipped
    run = get_crawl_run(recorder.db, recorder.run_id)
    assert run is not None and [i.reason for i in run.issues] == ["missing_link"]


@pytest.mark.parametrize("body", [b"{not json", b'{"version": "1", "items": []}',
                                  b'{"version": "https://jsonfeed.org/version/1.1"}'])
def test_broken_json_feed_fails_with_reason(recorder: Any, body: bytes) -> None:
    spider = make_spider(RssSpider, recorder, ATOM)
    response = scrapy.http.TextResponse(url=ATOM.url, body=body, request=scrapy.Request(
        ATOM.url, meta={"entry": True}), headers={"Content-Type": "application/json"})
    assert list(spider.parse(response)) == []
    assert recorder.status() == "failed" and recorder.entry_reason == "malformed_feed"


@pytest.mark.parametrize("page", ["feeds/article-ko.html", "feeds/article-ru.html"])
def test_unsupported_languages_are_stored_as_und(recorder: Any, page: str) -> None:
    spider = make_spider(RssSpider, recorder, ATOM)
    url = f"{OFFLINE_BASE}/nieuws/buitenland"
    with freeze_time(FROZEN):
        [doc] = list(spider.parse_article_page(html_response(page, url)))
    assert doc.language == "und"
    assert schema_problems(doc) == []


@pytest.mark.parametrize(("text", "declared", "expected"), [
    ("De gemeente wil meer groen in de wijk en vraagt bewoners om mee te denken.", None, "nl"),
    ("It Fryske folk hat in eigen taal en dy wurdt yn Fryslân in soad praat.", None, "fy"),
    ("Die Stadt plant neue Parkgebühren in der Innenstadt von Dordrecht.", None, "de"),
    ("短い", "ja", "und"),  # too short to detect: the declared language, if supported
    ("kort", "nl", "nl"),
])
def test_language_detection_keeps_supported_languages(text: str, declared: str | None,
                                                      expected: str) -> None:
    assert detect_language(text, declared) == expected
