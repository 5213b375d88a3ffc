"""`newsroom sources check`: is a configured source usable before we rely on it?

One plain, synchronous look per source (no Scrapy): DNS, robots.txt, the HTTP status and
content type of its entry point, whether that is a valid feed / sitemap / page, how many
items it lists and how new the newest is, and a verdict in Dutch. The same private-address
guard as the crawler applies, on every redirect too.
"""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
import urllib.robotparser
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from core.config import CrawlSettings
from core.records import Source, utcnow
from crawlers.dates import from_struct_time, parse_date, plausible_date
from crawlers.jsonfeed import parse_json_feed
from crawlers.middlewares import refusal
from crawlers.social import PLATFORMS, SocialSourceError
from crawlers.urls import is_http_url, normalise_url

STALE_DAYS = 30
"""A source whose newest item is older than this gets a warning in its verdict."""
API_TYPES = frozenset({"officielebekendmakingen", "openraadsinformatie", *PLATFORMS})


@dataclass
class SourceCheck:
    source_id: str
    url: str
    dns: str = "?"
    robots: str = "?"
    status: int | None = None
    content_type: str = ""
    valid: bool | None = None
    items: int | None = None
    newest: datetime | None = None
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def usable(self) -> bool:
        return not self.problems

    def verdict(self) -> str:
        """One Dutch sentence (B1) about whether you can rely on this source."""
        if self.problems:
            return "Niet bruikbaar: " + "; ".join(self.problems) + "."
        if self.notes:
            return "Bruikbaar, maar let op: " + "; ".join(self.notes) + "."
        return "Bruikbaar."


class _GuardedRedirects(urllib.request.HTTPRedirectHandler):
    def __init__(self, allowed: frozenset[str]) -> None:
        self.allowed = allowed

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any,
                         newurl: str) -> Any:
        refused = refusal(newurl, self.allowed)
        if refused is not None:
            raise urllib.error.URLError(f"doorverwijzing geweigerd: {refused.detail}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(url: str, crawl: CrawlSettings) -> tuple[int, str, bytes]:
    """(status, content type, body) of a GET, capped at `download_max_bytes`."""
    opener = urllib.request.build_opener(_GuardedRedirects(frozenset(crawl.allow_private_hosts)))
    request = urllib.request.Request(url, headers={"User-Agent": crawl.user_agent,
                                                   "Accept": "*/*"})
    try:
        with opener.open(request, timeout=crawl.timeout_seconds) as answer:
            body = answer.read(crawl.download_max_bytes + 1)
            return answer.status, answer.headers.get("Content-Type", ""), body
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", "") if exc.headers else "", b""


def check_source(source: Source, crawl: CrawlSettings) -> SourceCheck:
    """Look at one source the way a crawl would, and say what is wrong in Dutch."""
    url = _entry_url(source)
    result = SourceCheck(source.id, url)
    host = (urlsplit(url).hostname or "").lower()
    try:
        socket.getaddrinfo(host, None)
        result.dns = "ok"
    except (socket.gaierror, UnicodeError, OSError) as exc:
        result.dns = "fout"
        result.problems.append(f"de naam {host} bestaat niet in DNS ({exc})")
        return result
    refused = refusal(url, frozenset(crawl.allow_private_hosts))
    if refused is not None:
        result.problems.append(f"adres geweigerd ({refused.reason})")
        return result
    if source.type in API_TYPES:
        # robots.txt is for web crawlers, not for documented APIs (see api_status).
        result.robots = "n.v.t. (API)"
        if source.type != "mastodon":
            # A search API answers only a real query (with its key or session): the crawl
            # is the test. Reachability of the host is what can be checked here.
            result.notes.append("API-bron: de inhoud wordt pas bij een crawl opgehaald "
                                "(sleutels en zoekvragen gelden dan)")
            return result
    elif not _robots_allow(url, crawl, result):
        return result
    try:
        result.status, result.content_type, body = fetch(url, crawl)
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        result.problems.append(f"geen verbinding ({getattr(exc, 'reason', exc)})")
        return result
    if result.status != 200:
        result.problems.append(f"de server antwoordt met HTTP {result.status}")
        return result
    if len(body) > crawl.download_max_bytes:
        result.problems.append("het antwoord is groter dan crawl.download_max_bytes")
        return result
    _inspect(source, body, result)
    return result


def _entry_url(source: Source) -> str:
    platform = PLATFORMS.get(source.type)
    if platform is not None and not platform.requires_token:
        try:
            return platform.first_url(source)
        except SocialSourceError:
            return source.url
    return source.url


def _robots_allow(url: str, crawl: CrawlSettings, result: SourceCheck) -> bool:
    parts = urlsplit(url)
    robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
    try:
        status, _, body = fetch(robots_url, crawl)
    except (urllib.error.URLError, TimeoutError, OSError):
        status, body = 0, b""
    if status != 200:
        result.robots = "geen"  # no robots.txt: everything is allowed
        return True
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(body.decode("utf-8", errors="replace").splitlines())
    if crawl.obey_robots and not parser.can_fetch(crawl.user_agent, url):
        result.robots = "verboden"
        result.problems.append("robots.txt verbiedt dit adres voor onze crawler")
        return False
    result.robots = "toegestaan"
    return True


def _inspect(source: Source, body: bytes, result: SourceCheck) -> None:
    """Validity, item count and newest date, per kind of entry point."""
    now = utcnow()
    if source.type in ("rss", "jsonfeed"):
        dates = _feed_dates(body, result, now)
    elif source.type == "sitemap":
        dates = _sitemap_dates(body, result)
    elif source.type == "listing":
        dates = _listing(source, body, result)
    elif source.type == "mastodon":
        dates = _timeline_dates(body, result)
    else:
        return
    if result.valid is False:
        return
    if not result.items:
        result.problems.append("er staan geen berichten in")
        return
    plausible = [d for d in dates if plausible_date(d, now) is not None]
    result.newest = max(plausible) if plausible else None
    if result.newest is None:
        result.notes.append("geen enkele bruikbare datum; de crawler gebruikt de vindtijd")
    elif (now - result.newest).days > STALE_DAYS:
        result.notes.append(f"het nieuwste bericht is {(now - result.newest).days} dagen oud")


def _feed_dates(body: bytes, result: SourceCheck, now: datetime) -> list[datetime]:
    if body.lstrip()[:1] == b"{":
        try:
            entries = parse_json_feed(body, now)
        except ValueError as exc:
            result.valid = False
            result.problems.append(f"geen geldige JSON Feed ({exc})")
            return []
        result.valid, result.items = True, len(entries)
        return [e.published for e in entries if e.published]
    import feedparser

    feed = feedparser.parse(body)
    # As the crawler judges it: only entries with a link (or permalink id) can be followed.
    linked = [e for e in feed.entries if e.get("link") or str(e.get("id", "")).startswith("http")]
    if not linked:
        result.valid = False
        result.problems.append("geen geldige feed" if feed.bozo else "geen berichten met een link")
        return []
    result.valid, result.items = True, len(linked)
    if feed.bozo:
        result.notes.append("de feed is niet helemaal goed opgemaakt")
    dates = [from_struct_time(e.get("published_parsed") or e.get("updated_parsed"))
             for e in linked]
    return [d for d in dates if d]


def _sitemap_dates(body: bytes, result: SourceCheck) -> list[datetime]:
    from lxml import etree

    try:
        root = etree.fromstring(body, parser=etree.XMLParser(resolve_entities=False,
                                                             no_network=True))
    except etree.XMLSyntaxError as exc:
        result.valid = False
        result.problems.append(f"geen geldige sitemap ({exc})")
        return []
    locs = root.findall(".//{*}loc")
    result.valid, result.items = True, len(locs)
    if etree.QName(root).localname == "sitemapindex":
        result.notes.append(f"sitemap-index: de {len(locs)} getelde adressen zijn delen, "
                            "de berichten staan daarin")
    return [d for d in (parse_date(el.text) for el in root.findall(".//{*}lastmod")) if d]


def _listing(source: Source, body: bytes, result: SourceCheck) -> list[datetime]:
    """Distinct links the listing spider would follow: same host, http(s), `allow`."""
    import re
    from urllib.parse import urljoin

    from parsel import Selector

    selector = str(source.options.get("link_selector", "a"))
    allow = source.options.get("allow")
    host = (urlsplit(source.url).hostname or "").removeprefix("www.")
    found = set()
    for href in Selector(text=body.decode("utf-8", errors="replace")).css(selector).xpath(
            "@href").getall():
        link = urljoin(source.url, href.strip())
        same_host = (urlsplit(link).hostname or "").removeprefix("www.") == host
        if is_http_url(link) and same_host and (not allow or re.search(str(allow), link)):
            found.add(normalise_url(link))
    result.valid, result.items = True, len(found)
    result.notes.append("overzichtspagina: datums staan pas op de artikelpagina's")
    return []


def _timeline_dates(body: bytes, result: SourceCheck) -> list[datetime]:
    try:
        data = json.loads(body)
    except ValueError:
        data = None
    if not isinstance(data, list):
        result.valid = False
        result.problems.append("geen geldige tijdlijn (verwacht een JSON-lijst)")
        return []
    result.valid, result.items = True, len(data)
    return [d for d in (parse_date(str(s.get("created_at") or "")) for s in data
                        if isinstance(s, dict)) if d]
