"""The demo site over real HTTP on 127.0.0.1: feed, sitemap, listing, Mastodon API, 304s."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
import urllib.robotparser
import xml.etree.ElementTree as ET
from email.utils import format_datetime
from typing import Any

import feedparser
import pytest
from parsel import Selector

from newsroom.demo.corpus import DemoCorpus
from newsroom.demo.site import DemoSite, is_not_modified

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def fetch(url: str, headers: dict[str, str] | None = None, method: str = "GET") -> tuple[
    int, dict[str, str], bytes
]:
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def test_rss_feed_is_valid_and_marks_every_entry_fictional(
    site: DemoSite, corpus: DemoCorpus
) -> None:
    status, headers, body = fetch(f"{site.base_url}/drechtstad/feed.xml")
    assert status == 200
    assert headers["Content-Type"].startswith("application/rss+xml")
    feed = feedparser.parse(body, response_headers={"content-type": headers["Content-Type"]})
    assert not feed.bozo, feed.get("bozo_exception")
    assert len(feed.entries) == len(corpus.for_outlet("drechtstad"))
    assert all("fictional" in {t.term for t in entry.tags} for entry in feed.entries)
    with_link = [e for e in feed.entries if e.get("link")]
    assert all(e.link.startswith(f"{site.base_url}/drechtstad/artikel/") for e in with_link)


def test_rss_feed_holds_the_broken_entries(site: DemoSite, corpus: DemoCorpus) -> None:
    _status, _headers, body = fetch(f"{site.base_url}/drechtstad/feed.xml")
    by_id = {e.id: e for e in feedparser.parse(body).entries}
    article = f"{site.base_url}/drechtstad/artikel/"
    no_link = next(i for i in corpus.items if i.broken == "no_link")
    assert not by_id[f"drechtstad-{no_link.slug}"].get("link")
    bad_date = next(i for i in corpus.items if i.broken == "bad_date")
    assert by_id[article + bad_date.slug].get("published_parsed") is None
    future = next(i for i in corpus.items if i.broken == "future")
    parsed = by_id[article + future.slug].published_parsed
    assert parsed[:3] == future.published.timetuple()[:3]
    assert future.published > corpus.anchor


def test_article_page_carries_the_fictional_markers(site: DemoSite, corpus: DemoCorpus) -> None:
    item = next(i for i in corpus.for_outlet("drechtstad") if not i.broken)
    status, headers, body = fetch(f"{site.base_url}/drechtstad/artikel/{item.slug}")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    page = Selector(text=body.decode())
    assert page.css('meta[name="newsroom:fictional"]::attr(content)').get() == "true"
    assert page.css("article h1::text").get() == item.title
    assert "Fictief demobericht" in page.css("footer p.fictief::text").get("")
    assert page.css('link[rel="canonical"]::attr(href)').get("").endswith(item.slug)
    paragraphs = page.css("article > p:not(.byline)::text").getall()
    assert paragraphs == list(item.paragraphs)


def test_article_text_is_html_escaped(site: DemoSite, corpus: DemoCorpus) -> None:
    quoted = next(i for i in corpus.for_outlet("drechtstad") if "'" in i.text and not i.broken)
    _status, _headers, body = fetch(f"{site.base_url}/drechtstad/artikel/{quoted.slug}")
    assert "&#x27;" in body.decode()


def test_dead_link_and_unknown_paths_answer_404(site: DemoSite, corpus: DemoCorpus) -> None:
    dead = next(i for i in corpus.items if i.broken == "missing_page")
    assert dead.outlet == "gemeente"
    assert fetch(f"{site.base_url}/gemeente/nieuws/{dead.slug}")[0] == 404
    assert fetch(f"{site.base_url}/drechtstad/artikel/bestaat-niet")[0] == 404
    assert fetch(f"{site.base_url}/merwede/sitemap-nieuws-9.xml")[0] == 404
    assert fetch(f"{site.base_url}/nergens")[0] == 404


def test_sitemap_index_lists_every_merwede_article(site: DemoSite, corpus: DemoCorpus) -> None:
    status, _headers, body = fetch(f"{site.base_url}/merwede/sitemap.xml")
    assert status == 200
    index = ET.fromstring(body)
    parts = [loc.text for loc in index.findall("sm:sitemap/sm:loc", SITEMAP_NS)]
    assert len(parts) == 2
    urls: list[str] = []
    for part in parts:
        assert part is not None
        _s, _h, part_body = fetch(part)
        locs = ET.fromstring(part_body).findall("sm:url/sm:loc", SITEMAP_NS)
        urls += [loc.text or "" for loc in locs]
    articles = {u for u in urls if "/merwede/artikel/" in u}
    expected = {f"{site.base_url}/merwede/artikel/{i.slug}" for i in corpus.for_outlet("merwede")}
    assert articles == expected
    assert f"{site.base_url}/merwede/over-ons" in urls  # a non-article the allow rule filters


def test_sitemap_articles_serve_fictional_pages(site: DemoSite, corpus: DemoCorpus) -> None:
    copy = next(i for i in corpus.items if i.syndicated_from)
    status, _headers, body = fetch(f"{site.base_url}/merwede/artikel/{copy.slug}")
    assert status == 200
    assert b'name="newsroom:fictional" content="true"' in body
    assert "Dit bericht verscheen eerder bij Drechtstad Dagblad." in body.decode()


def test_listing_links_every_publication(site: DemoSite, corpus: DemoCorpus) -> None:
    status, _headers, body = fetch(f"{site.base_url}/gemeente/nieuws")
    assert status == 200
    links = Selector(text=body.decode()).css("ul.nieuwslijst a::attr(href)").getall()
    slugs = {i.slug for i in corpus.for_outlet("gemeente")}
    assert {link.rsplit("/", 1)[-1] for link in links if "/intern/" not in link} == slugs
    assert "/gemeente/nieuws/intern/memo-college" in links
    item = next(i for i in corpus.for_outlet("gemeente") if not i.broken)
    page_status, _h, page = fetch(f"{site.base_url}/gemeente/nieuws/{item.slug}")
    assert page_status == 200 and b"newsroom:fictional" in page


def test_robots_txt_disallows_the_internal_memo(site: DemoSite) -> None:
    status, _headers, body = fetch(f"{site.base_url}/robots.txt")
    assert status == 200
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(body.decode().splitlines())
    assert not parser.can_fetch("newsroom", f"{site.base_url}/gemeente/nieuws/intern/memo-college")
    assert parser.can_fetch("newsroom", f"{site.base_url}/drechtstad/feed.xml")
    assert parser.site_maps() == [f"{site.base_url}/merwede/sitemap.xml"]


def _timeline_page(url: str) -> tuple[list[dict[str, Any]], str | None]:
    status, headers, body = fetch(url)
    assert status == 200
    link = headers.get("Link")
    next_url = None
    if link:
        for part in link.split(","):
            target, rel = part.split(";")
            if 'rel="next"' in rel:
                next_url = target.strip()[1:-1]
    return json.loads(body), next_url


def test_mastodon_timeline_paginates_through_every_post(site: DemoSite, corpus: DemoCorpus) -> None:
    url: str | None = f"{site.base_url}/api/v1/timelines/tag/dordrecht?limit=40"
    statuses: list[dict[str, Any]] = []
    pages = 0
    while url:
        page, url = _timeline_page(url)
        if not page:
            break
        assert len(page) <= 40
        statuses += page
        pages += 1
    assert pages >= 2
    ids = [int(s["id"]) for s in statuses]
    assert ids == sorted(ids, reverse=True) and len(ids) == len(set(ids))
    assert len(statuses) == len(corpus.for_outlet("social"))


def test_mastodon_status_has_the_api_fields(site: DemoSite) -> None:
    page, _next = _timeline_page(f"{site.base_url}/api/v1/timelines/tag/dordrecht?limit=3")
    assert len(page) == 3
    status = page[0]
    for key in ("id", "created_at", "content", "url", "language", "account"):
        assert key in status
    assert set(status["account"]) >= {"id", "acct", "username", "display_name"}
    assert status["created_at"].endswith(".000Z")
    assert status["url"].startswith(f"{site.base_url}/@{status['account']['username']}/")
    assert "fictional" in {t["name"] for t in status["tags"]}
    assert status["content"].startswith("<p>") and "#<span>fictief</span>" in status["content"]


def test_mastodon_max_id_min_id_and_limit(site: DemoSite, corpus: DemoCorpus) -> None:
    base = f"{site.base_url}/api/v1/timelines/tag/dordrecht"
    first, _ = _timeline_page(f"{base}?limit=5")
    older, _ = _timeline_page(f"{base}?limit=5&max_id={first[-1]['id']}")
    assert int(older[0]["id"]) < int(first[-1]["id"])
    newer, _ = _timeline_page(f"{base}?limit=2&min_id={first[-1]['id']}")
    assert [s["id"] for s in newer] == [s["id"] for s in first[-3:-1]]
    capped, _ = _timeline_page(f"{base}?limit=500")
    assert len(capped) == 40
    assert _timeline_page(f"{base.replace('dordrecht', 'rotterdam')}")[0] == []


def test_mastodon_rejects_a_non_numeric_max_id(site: DemoSite) -> None:
    status, _headers, body = fetch(f"{site.base_url}/api/v1/timelines/tag/dordrecht?max_id=abc")
    assert status == 422
    assert "max_id" in json.loads(body)["error"]


def test_media_only_post_has_empty_content(site: DemoSite, corpus: DemoCorpus) -> None:
    empty = next(i for i in corpus.items if i.broken == "empty_post")
    page, _ = _timeline_page(
        f"{site.base_url}/api/v1/timelines/tag/dordrecht?limit=1&max_id={int(empty.post_id) + 1}"
    )
    assert page[0]["id"] == empty.post_id
    assert page[0]["content"] == "" and page[0]["media_attachments"]


@pytest.mark.parametrize(
    "path", ["/drechtstad/feed.xml", "/merwede/sitemap.xml", "/gemeente/nieuws",
             "/api/v1/timelines/tag/dordrecht?limit=40"],
)
def test_conditional_get_with_etag_answers_304(site: DemoSite, path: str) -> None:
    status, headers, body = fetch(site.base_url + path)
    assert status == 200 and body
    again, again_headers, again_body = fetch(
        site.base_url + path, headers={"If-None-Match": headers["ETag"]}
    )
    assert again == 304 and again_body == b""
    assert again_headers["ETag"] == headers["ETag"]
    stale, _h, _b = fetch(site.base_url + path, headers={"If-None-Match": '"old"'})
    assert stale == 200


def test_conditional_get_with_last_modified_answers_304(site: DemoSite) -> None:
    url = f"{site.base_url}/drechtstad/feed.xml"
    _status, headers, _body = fetch(url)
    assert fetch(url, headers={"If-Modified-Since": headers["Last-Modified"]})[0] == 304
    assert fetch(url, headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"})[0] == 200
    assert fetch(url, headers={"If-Modified-Since": "geen datum"})[0] == 200


def test_is_not_modified_prefers_if_none_match(corpus: DemoCorpus) -> None:
    modified = format_datetime(corpus.anchor, usegmt=True)
    assert is_not_modified('W/"a", "b"', None, '"b"', None)
    assert not is_not_modified('"x"', modified, '"b"', corpus.anchor)
    assert is_not_modified(None, modified, '"b"', corpus.anchor)
    assert is_not_modified("*", None, '"b"', None)


def test_head_request_has_headers_but_no_body(site: DemoSite) -> None:
    status, headers, body = fetch(f"{site.base_url}/gemeente/nieuws", method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 0


def test_site_records_requests(site: DemoSite) -> None:
    before = len(site.requests)
    fetch(f"{site.base_url}/robots.txt")
    last = site.requests[before:]
    assert [(r.method, r.path, r.status) for r in last] == [("GET", "/robots.txt", 200)]
    assert last[0].bytes == len(fetch(f"{site.base_url}/robots.txt")[2])


def test_site_refuses_a_public_interface(corpus: DemoCorpus) -> None:
    with pytest.raises(ValueError, match="loopback"):
        DemoSite(host="0.0.0.0", corpus=corpus)


def test_a_busy_port_is_an_os_error(corpus: DemoCorpus) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(OSError):
            DemoSite(port=taken.getsockname()[1], corpus=corpus)


def test_mastodon_since_id_gives_only_newer_posts(site: DemoSite) -> None:
    base = f"{site.base_url}/api/v1/timelines/tag/dordrecht"
    first, _ = _timeline_page(f"{base}?limit=10")
    newer, _ = _timeline_page(f"{base}?limit=40&since_id={first[4]['id']}")
    assert [s["id"] for s in newer] == [s["id"] for s in first[:4]]


def test_status_page_exists_only_for_its_author(site: DemoSite, corpus: DemoCorpus) -> None:
    post = next(i for i in corpus.for_outlet("social") if not i.broken)
    status, _headers, body = fetch(f"{site.base_url}/@{post.author}/{post.post_id}")
    assert status == 200 and b"newsroom:fictional" in body
    assert fetch(f"{site.base_url}/@iemand-anders/{post.post_id}")[0] == 404
