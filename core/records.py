"""Small typed records that every module speaks; only `storage` turns them into SQL rows.

Times are timezone-aware UTC `datetime`s in Python and ISO-8601 strings in SQLite, so that
string comparison in SQL orders them correctly.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

DocumentKind = Literal["news", "social", "official"]
SourceType = Literal["rss", "sitemap", "listing", "mastodon"]
Label = Literal["negatief", "neutraal", "positief"]
LABELS: tuple[Label, ...] = ("negatief", "neutraal", "positief")
UpsertOutcome = Literal["new", "updated", "unchanged"]

MAX_TITLE_CHARS = 500
MAX_TEXT_CHARS = 100_000
"""The most one document keeps of its title and text: scraped input is untrusted and may be
huge. One constant for everyone: the crawler cuts to it, storage enforces it on every write."""


def utcnow() -> datetime:
    """Now, in UTC, to the second (SQLite strings stay short and comparable)."""
    return datetime.now(UTC).replace(microsecond=0)


def document_id_for_url(canonical_url: str) -> str:
    """A stable document id derived from its canonical URL (re-crawls update in place)."""
    return "u" + hashlib.sha256(canonical_url.encode("utf-8")).hexdigest()[:20]


def document_id_for_post(platform: str, post_id: str) -> str:
    """A stable id for a social post: platform + the platform's own post id."""
    key = f"{platform.lower()}:{post_id}"
    return "p" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def content_hash(title: str, text: str) -> str:
    """Hash of what a reader sees; a change means the story was edited."""
    return hashlib.sha256(f"{title}\n{text}".encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Source:
    """A configured outlet or timeline that a crawler visits."""

    id: str
    name: str
    kind: DocumentKind
    type: SourceType
    url: str
    interval_minutes: int = 60
    enabled: bool = True
    options: dict[str, str | int | bool | list[str]] = field(default_factory=dict)


@dataclass
class Document:
    """One news article, official publication or social post."""

    id: str
    source_id: str
    kind: DocumentKind
    url: str
    title: str
    text: str
    published: datetime | None
    fetched: datetime
    language: str = "nl"
    author: str | None = None
    """News author byline; never set for social posts (see `author_pseudonym`)."""
    author_pseudonym: str | None = None
    platform: str | None = None
    post_id: str | None = None
    syndication_group: str | None = None
    fictional: bool = False
    content_hash: str = ""

    def __post_init__(self) -> None:
        if not self.content_hash:
            self.content_hash = content_hash(self.title, self.text)


@dataclass(frozen=True)
class Sentiment:
    """A model's verdict on one text: label, class probabilities and who decided."""

    label: Label
    p_neg: float
    p_neu: float
    p_pos: float
    model_name: str
    model_version: str

    @property
    def polarity(self) -> float:
        """Positive minus negative probability, in [-1, 1]; handy for averages over time."""
        return self.p_pos - self.p_neg


@dataclass(frozen=True)
class Sentence:
    """A sentence of a document, with its character span in the document text."""

    document_id: str
    idx: int
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Watch:
    """A saved project watch: a keyword list or boolean query owned by a project lead."""

    name: str
    query: str
    owner: str = ""
    id: int | None = None
    active: bool = True


@dataclass
class CrawlStats:
    """Counters that one crawl of one source accumulates."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    failed: int = 0
    http_status: int | None = None
    not_modified: bool = False


@dataclass(frozen=True)
class CrawlIssue:
    """Why an item or page was skipped or failed, for the crawl-run record."""

    url: str
    reason: str
    detail: str = ""


@dataclass(frozen=True)
class CrawlRun:
    """One crawl of one source, as stored."""

    id: int
    source_id: str
    started: datetime
    ended: datetime | None
    status: str
    stats: CrawlStats
    issues: tuple[CrawlIssue, ...] = ()


@dataclass(frozen=True)
class SourceHealth:
    """What `newsroom status` and the Bronnen page show per source."""

    source_id: str
    name: str
    kind: str
    last_run: datetime | None
    last_success: datetime | None
    last_status: str | None
    consecutive_failures: int
    documents_total: int
    items_per_day: float
    silent_hours: float | None
    """Hours since the newest document of this source was published or first seen."""

    @property
    def healthy(self) -> bool:
        return self.last_success is not None and self.consecutive_failures == 0


@dataclass(frozen=True)
class Annotation:
    """An adviser's action on a document: a sentiment correction, a tag or a duiding note."""

    document_id: str
    kind: Literal["correction", "tag", "note"]
    value: str
    author: str
    created: datetime
    sentence_idx: int | None = None
    id: int | None = None
