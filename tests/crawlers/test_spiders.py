"""Spider parsing on saved responses (tests/files/), one small test per field.

The clock is frozen so dates in the future and fetch times are deterministic.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import scrapy
from freezegun import freeze_time

from core.records import Document, Source, document_id_for_post, document_id_for_url
from crawlers.privacy import pseudonymise
from crawlers.spiders.listing import ListingSpider
from crawlers.spiders.rss import RssSpider
from crawlers.spiders.sitemap import SitemapSpider
from crawlers.spiders.social import SocialSpider
from storage.crawl_log import get_crawl_run
from tests.crawlers.helpers import (
    OFFLINE_BASE,
    html_response,
    make_spider,
    saved,
    text_response,
)

FROZEN = "2026-03-10 12:00:00"
RSS = Source(id="courant", name="Courant", kind="news", type="rss", url=f"{OFFLINE_BASE}/feed.xml")


def issues(recorder: Any) -> list[tuple[str, str]]:
    run = get_crawl_run(recorder.db, recorder.run_id)
    assert run is not None
    return [(issue.reason, issue.url) for issue in run.issues]


# -- RSS -----------------------------------------------------------------------------------

@pytest.fixture
def rss_output(recorder: Any) -> list[Any]:
    spider = make_spider(RssSpider, recorder, RSS)
    with freeze_time(FROZEN):
        return list(spider.parse(text_response("feed.xml", RSS.url)))


def test_rss_requests_article_pages_for_summary_only_entries(rss_output: list[Any]) -> None:
    urls = [r.url for r in rss_output if isinstance(r, scrapy.Request)]
    assert f"{OFFLINE_BASE}/nieuws/parkeertarieven" in urls
    assert len(urls) == 4  # 6 entries: one duplicate guid, one without link


def test_rss_skips_duplicate_guid_with_reason(rss_output: list[Any], recorder: Any) -> None:
    assert ("duplicate_guid", f"{OFFLINE_BASE}/nieuws/parkeertarieven-dubbel") in issues(recorder)
    assert recorder.stats.skipped == 2


def test_rss_skips_entry_without_link_with_reason(rss_output: list[Any], recorder: Any) -> None:
    assert ("missing_link", RSS.url) in issues(recorder)


def test_rss_entry_fields_carry_to_article(rss_output: list[Any], recorder: Any) -> None:
    request = next(r for r in rss_output if "brug-oude-maas" in r.url)
    entry = request.cb_kwargs["entry"]
    assert entry.title == "Nieuwe brug over de Oude Maas krijgt groen licht"
    assert entry.published == datetime(2026, 3, 2, 8, 15, tzinfo=UTC)
    assert entry.author == "Anna de Vries"


def test_rss_entry_without_date_has_none(rss_output: list[Any]) -> None:
    request = next(r for r in rss_output if "jongerencentrum" in r.url)
    assert request.cb_kwargs["entry"].published is None


def article_document(recorder: Any, page: str, slug: str) -> Document:
    spider = make_spider(RssSpider, recorder, RSS)
    with freeze_time(FROZEN):
        feed_items = list(spider.parse(text_response("feed.xml", RSS.url)))
        request = next(r for r in feed_items if slug in r.url)
        response = html_response(page, request.url)
        docs = list(spider.parse_article(response, **request.cb_kwargs))
    assert len(docs) == 1
    return docs[0]


def test_article_url_is_canonical_without_tracking(recorder: Any) -> None:
    doc = article_document(recorder, "article-brug.html", "brug-oude-maas")
    assert doc.url == f"{OFFLINE_BASE}/nieuws/brug-oude-maas"
    assert doc.id == document_id_for_url(doc.url)


def test_article_title_from_feed(recorder: Any) -> None:
    doc = article_document(recorder, "article-brug.html", "brug-oude-maas")
    assert doc.title == "Nieuwe brug over de Oude Maas krijgt groen licht"


def test_article_text_is_main_text_only(recorder: Any) -> None:
    doc = article_document(recorder, "article-brug.html", "brug-oude-maas")
    assert doc.text.startswith("De gemeenteraad van Dordrecht heeft dinsdagavond ingestemd")
    assert "48 miljoen euro" in doc.text
    assert "Alle rechten voorbehouden" not in doc.text  # footer boilerplate dropped
    assert not doc.text.startswith("Nieuwe brug")  # headline not repeated in the text


def test_article_date_author_language_fetched(recorder: Any) -> None:
    doc = article_document(recorder, "article-parkeertarieven.html", "parkeertarieven")
    assert doc.published == datetime(2026, 3, 3, 13, 0, tzinfo=UTC)
    assert doc.author == "Piet Bakker"
    assert doc.language == "nl"
    assert doc.fetched == datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    assert doc.kind == "news" and doc.source_id == "courant"


def test_future_date_is_clamped_to_fetch_time_with_note(recorder: Any) -> None:
    doc = article_document(recorder, "article-stadskantoor.html", "stadskantoor")
    assert doc.published == datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    assert ("future_date_clamped", f"{OFFLINE_BASE}/nieuws/stadskantoor") in issues(recorder)


def test_article_without_any_date_stays_undated(recorder: Any) -> None:
    doc = article_document(recorder, "article-jongerencentrum.html", "jongerencentrum")
    assert doc.published is None


def test_offsite_canonical_is_not_trusted(recorder: Any) -> None:
    spider = make_spider(ListingSpider, recorder, RSS)
    body = (b'<html><head><link rel="canonical" href="https://andere-krant.test/x"></head>'
            b"<body><article><p>" + b"Tekst over de brug in Dordrecht. " * 20 +
            b"</p></article></body></html>")
    url = f"{OFFLINE_BASE}/nieuws/echt?utm_source=x"
    response = scrapy.http.HtmlResponse(url=url, body=body, request=scrapy.Request(url))
    with freeze_time(FROZEN):
        [doc] = list(spider.parse_article_page(response))
    assert doc.url == f"{OFFLINE_BASE}/nieuws/echt"


def test_feed_full_content_is_used_without_article_fetch(recorder: Any) -> None:
    body = (f"""<?xml version="1.0"?><rss version="2.0"
        xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>t</title>
        <item><title>Volledig bericht</title><link>{OFFLINE_BASE}/nieuws/volledig</link>
        <guid>v-1</guid><content:encoded><![CDATA[<p>{"Een lang verhaal over de Merwede. " * 20}
        </p>]]></content:encoded></item></channel></rss>""").encode()
    spider = make_spider(RssSpider, recorder, RSS, fetch_full_article=False)
    response = scrapy.http.TextResponse(url=RSS.url, body=body,
                                        request=scrapy.Request(RSS.url, meta={"entry": True}))
    with freeze_time(FROZEN):
        [doc] = list(spider.parse(response))
    assert isinstance(doc, Document)
    assert doc.text.startswith("Een lang verhaal over de Merwede.")


def test_rss_304_marks_not_modified(recorder: Any) -> None:
    spider = make_spider(RssSpider, recorder, RSS)
    response = scrapy.http.TextResponse(url=RSS.url, status=304, body=b"",
                                        request=scrapy.Request(RSS.url))
    assert list(spider.parse(response)) == []
    assert recorder.stats.not_modified and recorder.stats.http_status == 304


def test_malformed_feed_fails_the_run(recorder: Any) -> None:
    spider = make_spider(RssSpider, recorder, RSS)
    assert list(spider.parse(text_response("malformed-feed.xml", RSS.url))) == []
    assert recorder.status() == "failed"
    assert "malformed_feed" in [reason for reason, _ in issues(recorder)]


def test_article_latin1_declared_charset_decodes(recorder: Any) -> None:
    url = f"{OFFLINE_BASE}/nieuws/latin1"
    spider = make_spider(ListingSpider, recorder, RSS)
    response = scrapy.http.HtmlResponse(url=url, body=_saved_bytes("article-latin1.html"),
                                        request=scrapy.Request(url),
                                        headers={"Content-Type": "text/html"})
    with freeze_time(FROZEN):
        [doc] = list(spider.parse_article_page(response))
    assert doc.title == "Café aan de Voorstraat wint prijs"
    assert "crème brûlée" in doc.text


def _saved_bytes(name: str) -> bytes:
    return bytes(saved(name))


# -- sitemap -------------------------------------------------------------------------------

SITEMAP = Source(id="dagblad", name="Dagblad", kind="news", type="sitemap",
                 url=f"{OFFLINE_BASE}/site2/sitemap-index.xml", options={"allow": "/regio/"})


def test_sitemap_index_follows_child_sitemaps(recorder: Any) -> None:
    spider = make_spider(SitemapSpider, recorder, SITEMAP)
    [child] = list(spider.parse(text_response("sitemap-index.xml", SITEMAP.url)))
    assert child.url == f"{OFFLINE_BASE}/site2/sitemap-regio.xml"


def test_sitemap_allow_filters_and_orders_newest_first(recorder: Any) -> None:
    spider = make_spider(SitemapSpider, recorder, SITEMAP)
    url = f"{OFFLINE_BASE}/site2/sitemap-regio.xml"
    requests = list(spider.parse(text_response("sitemap-regio.xml", url, meta={})))
    assert [r.url for r in requests] == [f"{OFFLINE_BASE}/regio/english",
                                        f"{OFFLINE_BASE}/regio/brug-oude-maas"]
    assert requests[0].cb_kwargs["lastmod"] == datetime(2026, 3, 6, 8, 0, tzinfo=UTC)
    assert ("not_allowed", url) in issues(recorder)


def test_sitemap_article_language_english_is_kept(recorder: Any) -> None:
    spider = make_spider(SitemapSpider, recorder, SITEMAP)
    url = f"{OFFLINE_BASE}/regio/english"
    with freeze_time(FROZEN):
        [doc] = list(spider.parse_article_page(html_response("site2-english.html", url)))
    assert doc.language == "en"
    assert doc.title == "City council approves new bridge over the Oude Maas"


def test_sitemap_lastmod_is_date_of_last_resort(recorder: Any) -> None:
    spider = make_spider(SitemapSpider, recorder, SITEMAP)
    url = f"{OFFLINE_BASE}/regio/brug-oude-maas"
    body = (b"<html><body><article><p>" + b"De brug over de Oude Maas komt er. " * 15 +
            b"</p></article></body></html>")
    response = scrapy.http.HtmlResponse(url=url, body=body, request=scrapy.Request(url))
    lastmod = datetime(2026, 3, 1, 7, 0, tzinfo=UTC)
    with freeze_time(FROZEN):
        [doc] = list(spider.parse_article_page(response, lastmod=lastmod))
    assert doc.published == lastmod


def test_not_a_sitemap_fails_the_run(recorder: Any) -> None:
    spider = make_spider(SitemapSpider, recorder, SITEMAP)
    response = scrapy.http.TextResponse(url=SITEMAP.url, body=b"<html>geen sitemap</html>",
                                        request=scrapy.Request(SITEMAP.url, meta={"entry": True}))
    assert list(spider.parse(response)) == []
    assert recorder.status() == "failed"


# -- listing -------------------------------------------------------------------------------

LISTING = Source(id="gemeente", name="Gemeente", kind="official", type="listing",
                 url=f"{OFFLINE_BASE}/gemeente/nieuws",
                 options={"link_selector": "a.news-link", "allow": "/bericht/"})


def test_listing_follows_same_site_allowed_links_once(recorder: Any) -> None:
    spider = make_spider(ListingSpider, recorder, LISTING)
    requests = list(spider.parse(html_response("listing.html", LISTING.url)))
    assert [r.url for r in requests] == [
        f"{OFFLINE_BASE}/gemeente/bericht/stadskantoor",
        f"{OFFLINE_BASE}/gemeente/bericht/jongerencentrum?utm_campaign=home",
    ]


def test_listing_bad_selector_fails_with_reason(recorder: Any) -> None:
    source = Source(id="g", name="G", kind="official", type="listing", url=LISTING.url,
                    options={"link_selector": "a[[["})
    spider = make_spider(ListingSpider, recorder, source)
    assert list(spider.parse(html_response("listing.html", LISTING.url))) == []
    assert issues(recorder)[0][0] == "bad_source_options"


# -- mastodon ------------------------------------------------------------------------------

MASTODON = Source(id="masto", name="Mastodon", kind="social", type="mastodon",
                  url=OFFLINE_BASE, options={"tag": "dordrecht"})


@pytest.fixture
def posts(recorder: Any) -> list[Any]:
    spider = make_spider(SocialSpider, recorder, MASTODON)
    url = f"{OFFLINE_BASE}/api/v1/timelines/tag/dordrecht?limit=40"
    link = f'<{OFFLINE_BASE}/api/v1/timelines/tag/dordrecht?max_id=90>; rel="next"'
    response = text_response("mastodon-tag.json", url,
                             headers={"Content-Type": "application/json", "Link": link})
    with freeze_time(FROZEN):
        return list(spider.parse(response))


def test_mastodon_first_url_uses_tag_and_limit(recorder: Any) -> None:
    spider = make_spider(SocialSpider, recorder, MASTODON)
    [request] = list(spider.start_requests())
    assert request.url == f"{OFFLINE_BASE}/api/v1/timelines/tag/dordrecht?limit=40"


def test_mastodon_posts_and_next_page(posts: list[Any]) -> None:
    docs = [p for p in posts if isinstance(p, Document)]
    pages = [p for p in posts if isinstance(p, scrapy.Request)]
    assert len(docs) == 4
    assert pages[0].url.endswith("max_id=90")


def test_mastodon_id_url_and_date(posts: list[Any]) -> None:
    doc = posts[0]
    post_uri = f"{OFFLINE_BASE}/users/marieke/statuses/109"
    assert doc.id == document_id_for_post("mastodon", post_uri)
    assert doc.url == f"{OFFLINE_BASE}/@marieke/109"
    assert doc.published == datetime(2026, 3, 4, 10, 0, tzinfo=UTC)
    assert doc.platform == "mastodon" and doc.kind == "social"


def test_mastodon_author_is_pseudonym_only(posts: list[Any], pseudonym_key: str) -> None:
    doc = posts[0]
    assert doc.author is None
    assert doc.author_pseudonym == pseudonymise(pseudonym_key.encode(), "mastodon", "501")
    stored = repr(doc)
    for private in ("marieke", "Marieke van Dam", "Ik woon in Dordrecht", "avatars"):
        assert private not in stored.replace("/@marieke/", "/").replace("/users/marieke/", "/")


def test_mastodon_mentions_are_replaced(posts: list[Any]) -> None:
    assert "@gebruiker doe er iets aan!" in posts[0].text
    assert "@gemeente" not in posts[0].text
    assert "Dank @gebruiker voor de kaartjes" in posts[1].text


def test_mastodon_language_and_reblog(posts: list[Any]) -> None:
    assert posts[2].language == "en"
    reblogged = posts[3]
    assert reblogged.post_id.endswith("/statuses/90")  # the original, not the boost
    assert reblogged.author_pseudonym == posts[0].author_pseudonym  # same account, same alias


def test_mastodon_bad_status_is_skipped_with_reason(posts: list[Any], recorder: Any) -> None:
    assert [reason for reason, _ in issues(recorder)] == ["bad_post"]


def test_mastodon_without_tag_or_account_fails(recorder: Any) -> None:
    source = Source(id="m", name="M", kind="social", type="mastodon", url=OFFLINE_BASE)
    spider = make_spider(SocialSpider, recorder, source)
    assert list(spider.start_requests()) == []
    assert recorder.status() == "failed"
    assert issues(recorder)[0][0] == "bad_source_options"


def test_mastodon_not_json_fails(recorder: Any) -> None:
    spider = make_spider(SocialSpider, recorder, MASTODON)
    url = f"{OFFLINE_BASE}/api/v1/timelines/tag/dordrecht?limit=40"
    response = scrapy.http.TextResponse(url=url, body=b"<html>oops</html>",
                                        request=scrapy.Request(url, meta={"entry": True}))
    assert list(spider.parse(response)) == []
    assert issues(recorder)[0][0] == "malformed_timeline"


def test_permalink_guid_stands_in_for_missing_link(recorder: Any) -> None:
    body = (f"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
        <item><title>Alleen een guid</title><guid isPermaLink="true">{OFFLINE_BASE}/nieuws/guid
        </guid><description>Kort.</description></item></channel></rss>""").encode()
    spider = make_spider(RssSpider, recorder, RSS)
    response = scrapy.http.TextResponse(url=RSS.url, body=body,
                                        request=scrapy.Request(RSS.url, meta={"entry": True}))
    [request] = list(spider.parse(response))
    assert request.url == f"{OFFLINE_BASE}/nieuws/guid"


def test_atom_feed_entries_are_read(recorder: Any) -> None:
    body = (f"""<?xml version="1.0" encoding="utf-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom"><title>Atom</title>
        <entry><title>Atom-bericht</title><link href="{OFFLINE_BASE}/nieuws/atom"/>
        <id>tag:dordtsecourant.test,2026:1</id><updated>2026-03-05T10:00:00Z</updated>
        <summary>Samenvatting.</summary></entry></feed>""").encode()
    spider = make_spider(RssSpider, recorder, RSS)
    response = scrapy.http.TextResponse(url=RSS.url, body=body,
                                        request=scrapy.Request(RSS.url, meta={"entry": True}))
    [request] = list(spider.parse(response))
    entry = request.cb_kwargs["entry"]
    assert request.url == f"{OFFLINE_BASE}/nieuws/atom"
    assert entry.published == datetime(2026, 3, 5, 10, 0, tzinfo=UTC)
    assert entry.title == "Atom-bericht"
