"""Turning untrusted bytes into clean text: charset repair, HTML to text, article extraction.

Three stages, as in trafilatura: a caller's mistake raises; messy data is repaired (BOM and
utf-8 first, then the declared charset, then detection, then `errors="replace"`; sizes are
capped); what cannot be used is reported by the caller with a reason and skipped.
"""

from __future__ import annotations

import codecs
import html
import json
import logging
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from lxml import html as lxml_html

from core.records import MAX_TEXT_CHARS, MAX_TITLE_CHARS
from crawlers.dates import parse_date

logger = logging.getLogger(__name__)


_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


LEGACY_FALLBACK = "cp1252"
"""Dutch sites that are not utf-8 are nearly always Windows-1252 (a superset of latin-1);
generic detectors guess Baltic or Cyrillic code pages for short Dutch texts instead."""


def decode_body(body: bytes, declared: str | None = None) -> tuple[str, str]:
    """(text, encoding used): BOM, utf-8, the declared charset, Windows-1252, detection,
    then utf-8 with replacement characters.

    utf-8 is tried before the declared charset because outlets often declare iso-8859-1
    while serving utf-8; real latin-1 text with accents is almost never valid utf-8.

    >>> decode_body("Café".encode("latin-1"), "iso-8859-1")
    ('Café', 'iso-8859-1')
    >>> decode_body("Café".encode("utf-8"), "iso-8859-1")
    ('Café', 'utf-8')
    """
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(encoding, errors="replace"), encoding
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            codecs.lookup(declared)
            return body.decode(declared), declared.lower()
        except (LookupError, UnicodeDecodeError):
            logger.info("declared charset %s does not fit the body; detecting", declared)
    try:
        return body.decode(LEGACY_FALLBACK), LEGACY_FALLBACK
    except UnicodeDecodeError:
        pass
    detected = _detect(body)
    if detected:
        try:
            return body.decode(detected), detected
        except (LookupError, UnicodeDecodeError):
            pass
    return body.decode("utf-8", errors="replace"), "utf-8-replace"


def _detect(body: bytes) -> str | None:
    try:
        import charset_normalizer
    except ImportError:  # optional: a transitive dependency, not one we rely on
        return None
    best = charset_normalizer.from_bytes(body[:200_000]).best()
    return best.encoding if best is not None else None


_SPACES = re.compile(r"[ \t\u00a0\u200b]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text: str, limit: int = MAX_TEXT_CHARS) -> str:
    """Collapse whitespace, drop control characters, keep paragraph breaks, cap the size."""
    text = _CONTROL.sub("", html.unescape(text)).replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    joined = _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
    return joined[:limit]


def clean_title(title: str) -> str:
    """One line, no markup, capped."""
    return " ".join(html_to_text(title).split())[:MAX_TITLE_CHARS]


_PARAGRAPH_TAGS = ("p", "h1", "h2", "h3", "h4", "blockquote")
_LINE_TAGS = ("div", "br", "li", "tr")


def html_to_text(markup: str) -> str:
    """Plain text of an HTML fragment (feed summaries, social posts), paragraphs kept."""
    if not markup or "<" not in markup:
        return clean_text(markup or "")
    try:
        root = lxml_html.fragment_fromstring(markup, create_parent="div")
    except Exception:  # lxml raises several types on hopeless markup
        return clean_text(re.sub(r"<[^>]+>", " ", markup))
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    for element in root.iter(*_PARAGRAPH_TAGS):
        element.tail = "\n\n" + (element.tail or "")
    for element in root.iter(*_LINE_TAGS):
        element.tail = "\n" + (element.tail or "")
    return clean_text(root.text_content())


@dataclass(frozen=True)
class Article:
    """What could be extracted from an article page."""

    title: str
    text: str
    published: datetime | None
    author: str | None
    canonical_candidates: tuple[str, ...]
    language: str | None


def extract_article(page_html: str, url: str) -> Article | None:
    """Title, main text, publication date, byline and canonical links of a news page.

    Returns None when no main text could be found (the caller records why).
    """
    try:
        tree = lxml_html.fromstring(page_html)
    except Exception as exc:  # empty or hopeless documents
        logger.info("unparseable HTML at %s: %s", url, exc)
        return None
    import trafilatura  # imported here: heavy, and only article pages need it

    extracted = trafilatura.bare_extraction(
        page_html, url=url, with_metadata=True, include_comments=False, favor_precision=True
    )
    if extracted is None or not (getattr(extracted, "text", None) or "").strip():
        return None
    title = clean_title(getattr(extracted, "title", None) or _first(tree, "//title/text()"))
    text = clean_text(getattr(extracted, "text", None) or "")
    if title and text.startswith(title):
        text = text[len(title):].lstrip()
    published = _meta_published(tree) or parse_date(getattr(extracted, "date", None))
    author = (getattr(extracted, "author", None) or "").strip() or None
    return Article(
        title=title,
        text=text,
        published=published,
        author=author[:200] if author else None,
        canonical_candidates=_canonical_candidates(tree),
        language=_first(tree, "/html/@lang") or None,
    )


def _first(tree: Any, xpath: str) -> str:
    values = tree.xpath(xpath)
    return str(values[0]).strip() if values else ""


def _canonical_candidates(tree: Any) -> tuple[str, ...]:
    found = [
        _first(tree, "//link[@rel='canonical']/@href"),
        _first(tree, "//meta[@property='og:url']/@content"),
    ]
    return tuple(value for value in found if value)


_DATE_XPATHS = (
    "//meta[@property='article:published_time']/@content",
    "//meta[@name='article:published_time']/@content",
    "//meta[@itemprop='datePublished']/@content",
    "//meta[@name='date']/@content",
    "//meta[@name='DC.date.issued']/@content",
    "//time[@datetime][1]/@datetime",
)


def _meta_published(tree: Any) -> datetime | None:
    """A full publication timestamp from page metadata (trafilatura gives only the day)."""
    for xpath in _DATE_XPATHS:
        value = parse_date(_first(tree, xpath))
        if value is not None:
            return value
    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        value = _json_ld_date(script)
        if value is not None:
            return value
    return None


def _json_ld_date(script: str) -> datetime | None:
    try:
        data = json.loads(script)
    except (ValueError, RecursionError):
        return None
    items = data if isinstance(data, list) else [data]
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("datePublished"), str):
            return parse_date(item["datePublished"])
    return None
