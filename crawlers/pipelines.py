"""Item pipelines, one class per rule: clean → validate → dedupe → store → syndication.

Every item is a `core.records.Document`. A dropped item is recorded in the crawl run
(with its reason) by the pipeline that dropped it, so nothing disappears silently.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from core.records import MAX_TEXT_CHARS, MAX_TITLE_CHARS, Document
from crawlers.content import clean_text, clean_title
from crawlers.fingerprint import band_keys, lead_shingles, same_story
from crawlers.privacy import strip_mentions
from crawlers.recorder import RunRecorder
from crawlers.urls import is_http_url
from storage.db import StorageError
from storage.documents import set_syndication_group, upsert_document
from storage.syndication import save_story_keys, story_candidates

logger = logging.getLogger(__name__)


class _RecorderPipeline:
    """Base: gives a pipeline the running spider's `RunRecorder`."""

    crawler: Crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Any:
        pipeline = cls()
        pipeline.crawler = crawler
        return pipeline

    @property
    def recorder(self) -> RunRecorder:
        spider = self.crawler.spider
        recorder = getattr(spider, "recorder", None)
        if not isinstance(recorder, RunRecorder):
            raise RuntimeError("newsroom pipelines need a NewsroomSpider with a recorder")
        return recorder


class CleanPipeline(_RecorderPipeline):
    """Normalise whitespace, drop control characters, cap sizes; social text loses mentions
    (again: a platform parser that forgets it must not leak a handle)."""

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, Document):
            return item
        item.title = clean_title(item.title)[:MAX_TITLE_CHARS]
        item.text = clean_text(item.text)[:MAX_TEXT_CHARS]
        if item.kind == "social":
            item.text = strip_mentions(item.text)
            item.title = strip_mentions(item.title)
            item.author = None
        return item


class ValidatePipeline(_RecorderPipeline):
    """Drop items whose fields break the schema, and keep the share that passes."""

    def process_item(self, item: Any) -> Any:
        recorder = self.recorder
        recorder.validation.seen += 1
        problems = schema_problems(item)
        if problems:
            url = getattr(item, "url", "") or ""
            recorder.issue(url, "invalid_item", "; ".join(problems))
            raise DropItem(f"invalid item {url}: {'; '.join(problems)}")
        recorder.validation.valid += 1
        return item


def schema_problems(item: Any) -> list[str]:
    """What is wrong with an item, in words; empty when it can be stored."""
    if not isinstance(item, Document):
        return [f"not a Document but {type(item).__name__}"]
    problems = []
    if not item.id:
        problems.append("no id")
    if not is_http_url(item.url):
        problems.append("url is not http(s)")
    if not item.text.strip():
        problems.append("empty text")
    if not item.title.strip() and item.kind != "social":
        problems.append("empty title")
    if item.published is not None and item.published.tzinfo is None:
        problems.append("published has no time zone")
    if len(item.language) != 2:
        problems.append(f"language {item.language!r} is not a 2-letter code")
    if item.kind == "social" and (not item.author_pseudonym or item.author):
        problems.append("social post without pseudonym, or with an author name")
    return problems


class DedupePipeline(_RecorderPipeline):
    """Drop a second item with the same document id within one run (feed duplicates, two
    links to one canonical page)."""

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def process_item(self, item: Document) -> Document:
        if item.id in self.seen:
            self.recorder.issue(item.url, "duplicate_in_run", f"document {item.id}")
            raise DropItem(f"duplicate {item.id}")
        self.seen.add(item.id)
        return item


class StorePipeline(_RecorderPipeline):
    """Upsert into SQLite and count new / updated / unchanged."""

    def process_item(self, item: Document) -> Document:
        recorder = self.recorder
        try:
            outcome = upsert_document(recorder.db, item)
        except (sqlite3.Error, StorageError) as exc:
            recorder.issue(item.url, "store_error", str(exc), kind="failed")
            raise DropItem(f"could not store {item.url}: {exc}") from exc
        recorder.stored(outcome)
        return item


class SyndicationPipeline(_RecorderPipeline):
    """Link copies of one story on other outlets into one syndication group.

    Each copy stays its own document; they share `syndication_group`. The group id comes from
    the earliest document of the group, so it is stable across crawls.
    """

    def process_item(self, item: Document) -> Document:
        if item.kind == "social":
            return item
        shingles = lead_shingles(item.text)
        if shingles is None:
            return item
        db = self.recorder.db
        keys = band_keys(shingles)
        try:
            for candidate in story_candidates(db, keys, exclude_source_id=item.source_id):
                if candidate.document_id == item.id:
                    continue
                other = lead_shingles(candidate.text)
                if other is not None and same_story(item.title, shingles, candidate.title, other):
                    group = candidate.syndication_group or f"g{candidate.document_id[1:]}"
                    set_syndication_group(db, [candidate.document_id, item.id], group)
                    item.syndication_group = group
                    break
            save_story_keys(db, item.id, item.source_id, keys)
        except sqlite3.Error as exc:
            # The document is stored; only the link is missing. Note it, do not fail the item.
            self.recorder.issue(item.url, "syndication_error", str(exc), kind="note")
        return item
