"""Crawler benchmark: end-to-end crawl speed, what a 304 saves, extraction cost, and how
the syndication lookup scales. Every figure is a ratio against a baseline in the same run.

- crawl: a real crawl (child process, Scrapy, pipelines, SQLite) of an RSS feed with N
  article pages on a local server, against the baseline of fetching the same N pages
  sequentially with urllib; then a second crawl answered 304, as a share of the first.
- extraction: trafilatura article extraction per page against plain lxml text_content
  of the same page.
- syndication: the story lookup per new document against a store holding 5,000 stories,
  against the same lookup on an empty store.

Usage: python -m bench.crawl [--articles 120]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
import threading
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from bench.results import write_results

WORDS = [
    "gemeente", "bewoners", "wethouder", "brug", "parkeren", "binnenstad",
    "stadskantoor", "jongeren", "zorg", "energie", "warmtenet", "fietspad", "raad",
    "besluit", "plannen", "wijk", "Dordrecht", "Zwijndrecht", "haven", "school",
    "veiligheid", "politie", "festival", "vrijwilligers", "kosten", "subsidie",
    "woningen", "bouw",
]


def article_html(index: int, rng: random.Random) -> str:
    paragraphs = "".join(
        "<p>" + " ".join(rng.choice(WORDS) for _ in range(rng.randint(25, 45))) + ".</p>"
        for _ in range(rng.randint(4, 8))
    )
    return (f"<html lang='nl'><head><title>Bericht {index}</title><meta "
            f"property='article:published_time' content='2026-03-0{index % 9 + 1}T10:00:00Z'>"
            f"</head><body><nav><a href='/'>Home</a></nav><article><h1>Bericht {index}</h1>"
            f"{paragraphs}</article><footer>Colofon</footer></body></html>")


class BenchSite:
    """A feed with N articles on 127.0.0.1, honouring If-None-Match."""

    def __init__(self, articles: int) -> None:
        rng = random.Random(7)
        self.pages = {f"/a/{i}": article_html(i, rng).encode() for i in range(articles)}
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                status, body, headers = site.reply(self.path, self.headers.get("If-None-Match"))
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def reply(self, path: str, etag: str | None) -> tuple[int, bytes, dict[str, str]]:
        if path == "/feed.xml":
            if etag == '"feed-1"':
                return 304, b"", {"ETag": '"feed-1"'}
            items = "".join(
                f"<item><title>Bericht {i}</title><link>{self.base}/a/{i}</link>"
                f"<guid>g{i}</guid><description>Kort.</description></item>"
                for i in range(len(self.pages))
            )
            body = f"<?xml version='1.0'?><rss version='2.0'><channel><title>b</title>{items}"
            return 200, (body + "</channel></rss>").encode(), {
                "Content-Type": "application/rss+xml", "ETag": '"feed-1"'}
        if path in self.pages:
            return 200, self.pages[path], {"Content-Type": "text/html; charset=utf-8"}
        return 404, b"", {}

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def bench_crawl(articles: int, workdir: Path) -> dict[str, Any]:
    from core.config import load_config
    from crawlers.runner import crawl_sources

    site = BenchSite(articles)
    try:
        config_path = workdir / "newsroom.toml"
        config_path.write_text(
            f'[storage]\npath = "{workdir / "bench.db"}"\n\n[crawl]\n'
            'allow_private_hosts = ["127.0.0.1"]\nconcurrent_requests_per_domain = 8\n'
            'obey_robots = false\n\n'
            f'[[sources]]\nid = "bench"\nname = "Bench"\nkind = "news"\ntype = "rss"\n'
            f'url = "{site.base}/feed.xml"\n', encoding="utf-8")
        config = load_config(config_path)
        started = time.perf_counter()
        for path in site.pages:
            with urllib.request.urlopen(site.base + path, timeout=30) as response:
                response.read()
        fetch_seconds = time.perf_counter() - started
        started = time.perf_counter()
        [first] = crawl_sources(config, timeout=600)
        first_seconds = time.perf_counter() - started
        started = time.perf_counter()
        [second] = crawl_sources(config, timeout=600)
        second_seconds = time.perf_counter() - started
    finally:
        site.close()
    return {
        "articles": articles,
        "first_crawl_status": first.status,
        "documents_new": first.stats.new,
        "first_crawl_seconds": round(first_seconds, 2),
        "documents_per_second": round(first.stats.new / first_seconds, 1),
        "baseline_sequential_fetch_seconds": round(fetch_seconds, 2),
        "crawl_vs_plain_fetch_ratio": round(first_seconds / fetch_seconds, 1),
        "second_crawl_not_modified": second.stats.not_modified,
        "second_vs_first_crawl_ratio": round(second_seconds / first_seconds, 2),
    }


def bench_extraction(pages: int) -> dict[str, Any]:
    from crawlers.content import extract_article, html_to_text

    rng = random.Random(11)
    htmls = [article_html(i, rng) for i in range(pages)]
    extract_article(htmls[0], "http://x.test/0")  # warm-up: imports and lazy models
    started = time.perf_counter()
    for index, html in enumerate(htmls):
        extract_article(html, f"http://x.test/{index}")
    extract_seconds = time.perf_counter() - started
    started = time.perf_counter()
    for html in htmls:
        html_to_text(html)
    plain_seconds = time.perf_counter() - started
    return {
        "pages": pages,
        "extract_ms_per_page": round(1000 * extract_seconds / pages, 2),
        "plain_text_ms_per_page": round(1000 * plain_seconds / pages, 2),
        "extract_vs_plain_ratio": round(extract_seconds / plain_seconds, 1),
    }


def bench_syndication(stored: int, probes: int, workdir: Path) -> dict[str, Any]:
    from core.records import Document
    from crawlers.fingerprint import band_keys, lead_shingles, same_story
    from storage.db import open_db
    from storage.documents import upsert_document
    from storage.syndication import save_story_keys, story_candidates

    rng = random.Random(3)
    now = datetime(2026, 3, 1, tzinfo=UTC)

    def text() -> str:
        return " ".join(rng.choice(WORDS) for _ in range(60))

    def lookup_seconds(db: Any) -> float:
        probe_texts = [text() for _ in range(probes)]
        started = time.perf_counter()
        for probe in probe_texts:
            shingles = lead_shingles(probe)
            assert shingles is not None
            for candidate in story_candidates(db, band_keys(shingles), "probe"):
                other = lead_shingles(candidate.text)
                if other is not None:
                    same_story("t", shingles, candidate.title, other)
        return time.perf_counter() - started

    empty = open_db(workdir / "empty.db")
    full = open_db(workdir / "full.db")
    for index in range(stored):
        body = text()
        doc = Document(id=f"u{index:020d}", source_id="s", kind="news",
                       url=f"http://s.test/{index}", title=f"t{index}", text=body,
                       published=now - timedelta(hours=index), fetched=now)
        upsert_document(full, doc)
        shingles = lead_shingles(body)
        assert shingles is not None
        save_story_keys(full, doc.id, "s", band_keys(shingles))
    empty_seconds = lookup_seconds(empty)
    full_seconds = lookup_seconds(full)
    return {
        "stored_stories": stored,
        "probes": probes,
        "lookup_ms_empty_store": round(1000 * empty_seconds / probes, 3),
        "lookup_ms_full_store": round(1000 * full_seconds / probes, 3),
        "full_vs_empty_ratio": round(full_seconds / empty_seconds, 1),
    }


def run(results_dir: Path, articles: int = 120) -> dict[str, Any]:
    """Run the crawler benchmarks; write crawl.json and crawl.md; return the summary."""
    os.environ.setdefault("NEWSROOM_PSEUDONYM_KEY", "bench-only-key")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        results = {
            "crawl": bench_crawl(articles, workdir),
            "extraction": bench_extraction(100),
            "syndication": bench_syndication(5000, 200, workdir),
        }
    lines = ["# Crawler benchmark", ""]
    for section, figures in results.items():
        lines += [f"## {section}", "", "| figure | value |", "| --- | --- |"]
        lines += [f"| {key} | {value} |" for key, value in figures.items()]
        lines.append("")
    write_results(results_dir, "crawl", results, "\n".join(lines))
    return {
        "documents_per_second": results["crawl"]["documents_per_second"],
        "crawl_vs_plain_fetch_ratio": results["crawl"]["crawl_vs_plain_fetch_ratio"],
        "second_vs_first_crawl_ratio": results["crawl"]["second_vs_first_crawl_ratio"],
        "extract_vs_plain_ratio": results["extraction"]["extract_vs_plain_ratio"],
        "syndication_full_vs_empty_ratio": results["syndication"]["full_vs_empty_ratio"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=120, help="Articles in the feed.")
    parser.add_argument("--out", default="bench-results", help="Folder for the results.")
    args = parser.parse_args()
    print(json.dumps(run(Path(args.out), args.articles), indent=2))


if __name__ == "__main__":
    main()
