"""A mutation fuzzer for the crawl parsers (`tests.crawlers.fuzzing`).

Seeds are the saved responses in tests/files/ (a feed, article pages, a sitemap, a listing
page, a Mastodon timeline). Each mutation applies one to three operators chosen by a seeded
random generator: byte noise, a "nasty" token from the failures of issue 13 (impossible
character references, control characters, bad ports, dates at the ends of the calendar,
IPv6 hosts, broken markup), span deletion, duplication and truncation; timelines also get
structural JSON mutations. Every input then goes through the spider's real parse method.
"""

from __future__ import annotations

import json
import logging
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy.http import HtmlResponse, Request, TextResponse

from core.config import CrawlSettings
from core.records import Source
from crawlers.recorder import RunRecorder
from crawlers.spiders.base import NewsroomSpider
from crawlers.spiders.listing import ListingSpider
from crawlers.spiders.rss import RssSpider
from crawlers.spiders.sitemap import SitemapSpider
from crawlers.spiders.social import SocialSpider
from storage.crawl_log import start_crawl_run

FILES = Path(__file__).resolve().parent.parent / "files"
REGRESSIONS = FILES / "fuzz"
BASE = "https://fuzz.example.nl"

NASTY: tuple[bytes, ...] = (
    b"&#x110000;", b"&#1114112;", b"&#0;", b"&#xD800;", b"&#xFFFE;", b"&#99999999999999999999;",
    b"\x00", b"\x01", b"\x0b", b"\x1f", b"\x7f", b"\xff\xfe", b"\xc0\xaf", b"\xed\xa0\x80",
    b":99999", b":18791x", b":-1", b":0", b"http://[::1", b"http://[::1]:8080/x",
    b"https://[fe80::1%25eth0]/", b"http://user:pw@host/", b"javascript:alert(1)",
    b"9999-12-31T23:59:59-14:00", b"0001-01-01T00:00:00+14:00", b"Mon, 99 Foo 2026",
    b"-99999-01-01", b"2026-02-30T25:61:61Z", b"1e400", b"]]>", b"<![CDATA[", b"<!--",
    b"<!DOCTYPE x [<!ENTITY a \"aaaa\">]>", b"&a;", b"&unknown;", b"<", b">", b"\"", b"'",
    b"<a href=\"http://x:99999/\">x</a>", b"<link rel=\"canonical\" href=\"http://x:1a/\">",
    b"<meta property=\"article:published_time\" content=\"9999-12-31T23:59:59-14:00\">",
    b"<time datetime=\"0001-01-01T00:00:00+14:00\">", b"\xef\xbb\xbf", b"\r", b"\t" * 50,
    b"<category>&#x110000;</category>", b"<lastmod>0001-01-01T00:00:00+14:00</lastmod>",
    b"<loc>http://x:99999/a</loc>", b"<url><loc>x</loc></url>", b"{", b"}", b"null",
    b"\\u0000", b"\\ud800", b"\\u0001",
)

JSON_VALUES: tuple[Any, ...] = (
    None, 0, -1, 10**30, 1.5, True, "", "\x01", "\u0000", "\ud800", "x" * 5000, [], {},
    {"id": None}, "9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00",
    "http://[::1", "http://h:99999/p", "https://h.example/@a/1", "<p>&#x110000;</p>",
)


@dataclass(frozen=True)
class Seed:
    kind: str
    """feed, article, sitemap, listing or timeline."""
    body: bytes
    weight: float = 1.0
    """How often this seed is drawn: article extraction is ~20x slower than the rest."""


def seeds() -> list[Seed]:
    def read(name: str) -> bytes:
        return (FILES / name).read_bytes().replace(b"{BASE}", BASE.encode())

    found = [Seed("feed", read("feed.xml"), 2.0), Seed("feed", read("malformed-feed.xml")),
             Seed("sitemap", read("sitemap-regio.xml"), 2.0),
             Seed("sitemap", read("sitemap-index.xml"), 1.0),
             Seed("listing", read("listing.html"), 3.0),
             Seed("timeline", read("mastodon-tag.json"), 1.5),
             Seed("timeline", read("mastodon-tag-page2.json"), 1.0)]
    found += [Seed("article", read(name), 0.2) for name in
              ("article-brug.html", "article-latin1.html", "site2-english.html")]
    return found


def mutate(body: bytes, rng: random.Random) -> bytes:
    """One to three byte-level mutations of `body`."""
    data = bytearray(body)
    for _ in range(rng.randint(1, 3)):
        op = rng.random()
        pos = rng.randint(0, len(data))
        if op < 0.45:
            data[pos:pos] = rng.choice(NASTY)
        elif op < 0.6:
            data[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        elif op < 0.75 and len(data) > 10:
            end = min(len(data), pos + rng.randint(1, 200))
            del data[pos:end]
        elif op < 0.85:
            end = min(len(data), pos + rng.randint(1, 400))
            data[pos:pos] = data[pos:end] * rng.randint(1, 3)
        elif op < 0.9:
            del data[pos:]
        else:
            at = data.find(b">", pos)
            if at >= 0:
                data[at + 1:at + 1] = rng.choice(NASTY)
    return bytes(data)


def mutate_json(body: bytes, rng: random.Random) -> bytes:
    """A structural mutation of a JSON timeline (a field set to a strange value)."""
    try:
        data = json.loads(body)
    except ValueError:
        return mutate(body, rng)
    if isinstance(data, list) and data:
        status = data[rng.randrange(len(data))]
        if isinstance(status, dict):
            target = status
            if isinstance(status.get("account"), dict) and rng.random() < 0.3:
                target = status["account"]
            keys = list(target) or ["id"]
            target[rng.choice(keys)] = rng.choice(JSON_VALUES)
    text = json.dumps(data, ensure_ascii=rng.random() < 0.5)
    return text.encode("utf-8", errors="surrogatepass")


def fuzz_inputs(count: int, seed: int = 13) -> Iterator[tuple[int, Seed]]:
    """`count` mutated inputs, deterministic for a given `seed`."""
    rng = random.Random(seed)
    pool = seeds()
    weights = [item.weight for item in pool]
    for index in range(count):
        base = rng.choices(pool, weights)[0]
        if base.kind == "timeline" and rng.random() < 0.5:
            body = mutate_json(base.body, rng)
        else:
            body = mutate(base.body, rng)
        yield index, Seed(base.kind, body)


SPIDERS: dict[str, tuple[type[NewsroomSpider], str, str]] = {
    "feed": (RssSpider, "rss", f"{BASE}/feed.xml"),
    "article": (RssSpider, "rss", f"{BASE}/nieuws/artikel"),
    "sitemap": (SitemapSpider, "sitemap", f"{BASE}/sitemap.xml"),
    "listing": (ListingSpider, "listing", f"{BASE}/nieuws"),
    "timeline": (SocialSpider, "mastodon", f"{BASE}/api/v1/timelines/tag/dordrecht"),
}


def parse(db: Any, sample: Seed) -> tuple[list[Any], int]:
    """(outputs, issues recorded) of one input through its spider's real parse method.

    Raises whatever the parser raises: the fuzz test's invariant is that nothing does.
    """
    spider_cls, source_type, url = SPIDERS[sample.kind]
    options: dict[str, Any] = {"tag": "dordrecht"} if source_type == "mastodon" else {}
    source = Source(id="fuzz", name="Fuzz", kind="news", type=source_type,  # type: ignore[arg-type]
                    url=BASE, options=options)
    recorder = RunRecorder(db, start_crawl_run(db, "fuzz"), "fuzz")
    spider = spider_cls(source=source, recorder=recorder, crawl=CrawlSettings(),
                        pseudonym_key=b"fuzz-pseudonym-key")
    if sample.kind == "article":
        response: TextResponse = HtmlResponse(url=url, body=sample.body, request=Request(url))
        outputs = list(spider.parse_article_page(response))
    else:
        content_type = {"listing": "text/html", "timeline": "application/json"}.get(
            sample.kind, "application/xml")
        response_cls = HtmlResponse if sample.kind == "listing" else TextResponse
        response = response_cls(url=url, body=sample.body,
                                request=Request(url, meta={"entry": True}),
                                headers={"Content-Type": content_type})
        outputs = list(spider.parse(response))
    issues = db.execute("SELECT count(*) FROM crawl_issues WHERE run_id = ?",
                        [recorder.run_id]).fetchone()[0]
    return outputs, int(issues)


def regression_files() -> list[Path]:
    """Inputs that once broke a parser, kept as `<kind>-<name>.bin`."""
    return sorted(REGRESSIONS.glob("*.bin"))


def load_regression(path: Path) -> Seed:
    return Seed(path.name.split("-", 1)[0], path.read_bytes())


@dataclass
class ChunkResult:
    inputs: int = 0
    failures: list[tuple[int, str, bytes, str]] = field(default_factory=list)
    """(index, kind, input, exception) of inputs whose parse raised."""
    silent: list[tuple[int, str, bytes]] = field(default_factory=list)
    """Inputs that gave neither an item nor a recorded issue."""


def run_chunk(count: int, seed: int) -> ChunkResult:
    """Parse `count` inputs of generator `seed`, each in its own crawl run (one process)."""
    from storage.db import open_db

    logging.disable(logging.CRITICAL)  # millions of expected warnings; the counts matter
    db = open_db(":memory:")
    result = ChunkResult()
    try:
        for index, sample in fuzz_inputs(count, seed):
            result.inputs += 1
            try:
                outputs, issues = parse(db, sample)
            except Exception as exc:  # noqa: BLE001 - the invariant under test
                result.failures.append((index, sample.kind, sample.body,
                                        f"{type(exc).__name__}: {exc}"))
                continue
            if not outputs and not issues:
                result.silent.append((index, sample.kind, sample.body))
    finally:
        logging.disable(logging.NOTSET)
        db.conn.close()
    return result
