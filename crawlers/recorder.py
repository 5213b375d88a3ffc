"""The bookkeeping of one crawl of one source: counters, issues, and the final status.

Every spider and pipeline of a crawl reports here, so the crawl-run record says exactly what
happened: how many items were new/updated/unchanged, what was skipped or failed and why.

Status rules:
- ``failed``: nothing could be fetched (the feed/sitemap/listing/timeline itself failed:
  DNS or connection error, timeout, 4xx/5xx, a private address, a malformed feed with no
  entries);
- ``partial``: the entry point worked but some items failed (an article page that could
  not be fetched or extracted, an item that could not be stored);
- ``ok``: everything fetched was stored. Skipped items (duplicates, entries without a
  link, URLs outside `allow`) are the source's own mess, handled as designed: they are
  recorded with a reason and counted, but do not make a run partial.
"""

from __future__ import annotations

import json
import logging
import sys
from dataclasses import dataclass, field
from typing import Literal, TextIO

from core.records import CrawlIssue, CrawlStats, UpsertOutcome
from storage.crawl_log import finish_crawl_run, record_crawl_issue, set_http_cache
from storage.db import Database

logger = logging.getLogger(__name__)

IssueKind = Literal["skipped", "failed", "note"]
RunStatus = Literal["ok", "partial", "failed"]


@dataclass
class ValidationTally:
    """How many items reached validation and how many had every field right."""

    seen: int = 0
    valid: int = 0

    @property
    def share(self) -> float | None:
        return round(self.valid / self.seen, 4) if self.seen else None


@dataclass
class RunRecorder:
    """Counters and issues of one crawl run, written to storage as they happen."""

    db: Database
    run_id: int
    source_id: str
    events: TextIO | None = None
    """Where progress events go as JSON lines (the runner reads them); None for silence."""
    stats: CrawlStats = field(default_factory=CrawlStats)
    validation: ValidationTally = field(default_factory=ValidationTally)
    entry_failed: bool = False
    entry_reason: str = ""
    pending_validators: tuple[str, str | None, str | None] | None = None
    finished_status: RunStatus | None = None

    def issue(self, url: str, reason: str, detail: str = "", kind: IssueKind = "skipped") -> None:
        """Record why an item or page was skipped, failed, or repaired (a note)."""
        logger.warning("%s: %s %s %s", self.source_id, reason, url, detail)
        record_crawl_issue(self.db, self.run_id, CrawlIssue(url=url, reason=reason, detail=detail))
        if kind == "skipped":
            self.stats.skipped += 1
        elif kind == "failed":
            self.stats.failed += 1
        self.emit("issue", reason=reason, kind=kind)

    def entry_failure(self, url: str, reason: str, detail: str = "") -> None:
        """The source's entry point could not be used: the run will be `failed`."""
        self.entry_failed = True
        self.entry_reason = reason
        self.issue(url, reason, detail, kind="failed")

    def not_modified(self) -> None:
        """The entry point answered 304: nothing changed since the last crawl."""
        self.stats.http_status = 304
        self.stats.not_modified = True
        self.emit("not_modified")

    def entry_status(self, status: int) -> None:
        self.stats.http_status = status

    def expect(self, total: int) -> None:
        """How many items this run will look at, once known (for progress bars)."""
        self.emit("total", total=total)

    def stored(self, outcome: UpsertOutcome) -> None:
        if outcome == "new":
            self.stats.new += 1
        elif outcome == "updated":
            self.stats.updated += 1
        else:
            self.stats.unchanged += 1
        self.emit("item", outcome=outcome)

    def remember_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        """Keep ETag/Last-Modified; they are saved only if the whole run ends `ok`, so
        items that failed this time are retried next time instead of hidden behind a 304."""
        self.pending_validators = (url, etag, last_modified)

    def status(self) -> RunStatus:
        if self.entry_failed:
            return "failed"
        if self.stats.failed:
            return "partial"
        return "ok"

    def finish(self) -> RunStatus:
        """Close the run in storage (once) and return its status."""
        if self.finished_status is not None:
            return self.finished_status
        status = self.status()
        if status == "ok" and self.pending_validators is not None:
            set_http_cache(self.db, *self.pending_validators)
        finish_crawl_run(self.db, self.run_id, self.stats, status)
        self.finished_status = status
        logger.info(
            "%s: crawl %s (new %s, updated %s, unchanged %s, skipped %s, failed %s; "
            "valid share %s)",
            self.source_id, status, self.stats.new, self.stats.updated, self.stats.unchanged,
            self.stats.skipped, self.stats.failed, self.validation.share,
        )
        self.emit("finished", status=status, run_id=self.run_id,
                  valid_share=self.validation.share)
        return status

    def emit(self, event: str, **fields: object) -> None:
        if self.events is None:
            return
        payload = {"event": event, "source": self.source_id, **fields}
        try:
            self.events.write(json.dumps(payload) + "\n")
            self.events.flush()
        except (OSError, ValueError):  # the runner went away; the run record still counts
            self.events = None


def stdout_events() -> TextIO:
    """The event stream of `python -m crawlers.run` (its stdout carries only events)."""
    return sys.stdout
