"""A news page's own metadata (title, publication time, byline, canonical links, language)
read in one pass over the parsed tree.

Each XPath query walks the whole document; a page has a dozen things to look up, so
collecting the few element kinds we need in one `iter` is several times cheaper, which is
what keeps `extract_article` close to plain trafilatura in CPU time.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from crawlers.dates import parse_date

TITLE_KEYS = ("og:title", "twitter:title")
DATE_KEYS = ("article:published_time", "datepublished", "date", "dc.date.issued")
AUTHOR_KEYS = ("author", "article:author", "byl")


@dataclass(frozen=True)
class PageMeta:
    title: str
    published: datetime | None
    author: str | None
    canonical_candidates: tuple[str, ...]
    language: str | None


def read_page_meta(tree: Any) -> PageMeta:
    metas: dict[str, str] = {}
    canonical = ""
    first: dict[str, str] = {}
    ld_json: list[str] = []
    for element in tree.iter("meta", "link", "script", "time", "title", "h1", "a"):
        tag = element.tag
        if tag == "meta":
            key = (element.get("property") or element.get("name") or element.get("itemprop")
                   or "").strip().lower()
            content = (element.get("content") or "").strip()
            if key and content and key not in metas:
                metas[key] = content
        elif tag == "link":
            if not canonical and (element.get("rel") or "").lower() == "canonical":
                canonical = (element.get("href") or "").strip()
        elif tag == "script":
            if element.get("type") == "application/ld+json" and element.text:
                ld_json.append(element.text)
        elif tag == "time":
            if "time" not in first and element.get("datetime"):
                first["time"] = element.get("datetime") or ""
        elif tag == "a":
            if "author_link" not in first and element.get("rel") == "author":
                first["author_link"] = _text(element)
        elif tag not in first:
            first[tag] = _text(element)  # the first <title> and the first <h1>
    return PageMeta(
        title=_first_of(metas, TITLE_KEYS) or first.get("h1", "") or first.get("title", ""),
        published=_published(metas, first.get("time", ""), ld_json),
        author=_author(metas, first.get("author_link", ""), ld_json),
        canonical_candidates=tuple(v for v in (canonical, metas.get("og:url", "")) if v),
        language=(tree.get("lang") or "").strip() or None,
    )


def _text(element: Any) -> str:
    return " ".join(" ".join(element.itertext()).split())


def _first_of(metas: dict[str, str], keys: tuple[str, ...]) -> str:
    return next((metas[key] for key in keys if metas.get(key)), "")


def _published(metas: dict[str, str], time_value: str, ld_json: list[str]) -> datetime | None:
    """A full timestamp from metadata (trafilatura would give only the day)."""
    for key in DATE_KEYS:
        value = parse_date(metas.get(key))
        if value is not None:
            return value
    value = parse_date(time_value)
    if value is not None:
        return value
    for script in ld_json:
        for item in _ld_items(script):
            if isinstance(item.get("datePublished"), str):
                return parse_date(item["datePublished"])
    return None


def _author(metas: dict[str, str], link_text: str, ld_json: list[str]) -> str | None:
    """A byline of at least two words (a single word is a desk or agency label such as
    "Redactie", which trafilatura also drops)."""
    for value in (*(metas.get(key, "") for key in AUTHOR_KEYS), link_text):
        if is_name(value):
            return value
    for script in ld_json:
        for item in _ld_items(script):
            author = item.get("author")
            if isinstance(author, list) and author:
                author = author[0]
            name = author.get("name") if isinstance(author, dict) else author
            if isinstance(name, str) and is_name(name.strip()):
                return name.strip()
    return None


def is_name(value: str) -> bool:
    return len(value.split()) >= 2 and not value.startswith(("http://", "https://"))


def _ld_items(script: str) -> list[dict[str, Any]]:
    try:
        data = json.loads(script)
    except (ValueError, RecursionError):
        return []
    items = data if isinstance(data, list) else [data]
    return [item for item in items if isinstance(item, dict)]
