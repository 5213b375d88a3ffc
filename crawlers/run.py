"""`python -m crawlers.run --config PATH --source ID [--source ID]`: one crawl process.

Twisted's reactor cannot be restarted within a process, so every crawl gets a fresh one
(the runner, the CLI and the scheduler start this module with subprocess). Each source gets
a crawl-run record; stdout carries JSON-line progress events for the runner, and Scrapy's
logs go to stderr.

Exit codes: 0 all sources ok, 3 some partial, 1 some failed, 2 bad arguments or config.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import threading
import time
from typing import Any

from core import redact
from core.config import Config, ConfigError, load_config
from core.records import Source
from crawlers.recorder import RunRecorder, stdout_events
from crawlers.settings import scrapy_settings
from crawlers.social import PLATFORMS
from crawlers.spiders import spider_for
from storage.crawl_log import start_crawl_run, upsert_source
from storage.db import Database, StorageError, open_db

logger = logging.getLogger(__name__)

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawlers.run", description=__doc__)
    parser.add_argument("--config", required=True, help="Path to newsroom.toml.")
    parser.add_argument("--source", action="append", required=True,
                        help="Source id to crawl (repeatable).")
    parser.add_argument("--log-level", default="WARNING",
                        help="Log level for Scrapy and newsroom (default WARNING).")
    parser.add_argument("--timeout", type=float, default=0.0,
                        help="Exit after this many seconds (a watchdog; 0 = no limit).")
    args = parser.parse_args(argv)
    redact.install()
    _start_watchdog(args.timeout)
    try:
        config = load_config(args.config)
        sources = [config.source(source_id) for source_id in args.source]
        db = open_db(config.store_target)
    except (ConfigError, StorageError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    statuses = crawl_in_process(config, sources, db, args.log_level.upper())
    if "failed" in statuses:
        return EXIT_FAILED
    if "partial" in statuses:
        return EXIT_PARTIAL
    return EXIT_OK


def crawl_in_process(
    config: Config, sources: list[Source], db: Database, log_level: str
) -> list[str]:
    """Crawl `sources` concurrently in this process's (single) reactor; their statuses."""
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess

    process = CrawlerProcess(scrapy_settings(config.crawl, log_level), install_root_handler=True)
    recorders: list[RunRecorder] = []
    key = _pseudonym_key(config, sources)
    for source in sources:
        upsert_source(db, source)
        recorder = RunRecorder(db, start_crawl_run(db, source.id), source.id, stdout_events())
        recorder.emit("started", run_id=recorder.run_id)
        recorders.append(recorder)
        crawler = process.create_crawler(spider_for(source.type))
        crawler.signals.connect(_closer(recorder), signal=signals.spider_closed)
        crawler.signals.connect(_spider_error(recorder), signal=signals.spider_error)
        crawler.signals.connect(_item_error(recorder), signal=signals.item_error)
        social = source.type in PLATFORMS
        extra = {"public_figures": config.privacy.public_figures} if social else {}
        process.crawl(crawler, source=source, recorder=recorder, crawl=config.crawl,
                      pseudonym_key=key, **extra)
    process.start()
    # A crawler that could not even open its spider never fires spider_closed.
    for recorder in recorders:
        if recorder.finished_status is None:
            if recorder.stats.http_status is None and not recorder.entry_failed:
                recorder.entry_failure("", "crawler_error", "the crawl did not start; see log")
            recorder.finish()
    return [recorder.finished_status or "failed" for recorder in recorders]


def _closer(recorder: RunRecorder) -> Any:
    def on_spider_closed(spider: Any, reason: str) -> None:
        if reason not in ("finished", "shutdown"):
            logger.warning("%s: spider closed early: %s", recorder.source_id, reason)
        recorder.finish()

    return on_spider_closed


def _spider_error(recorder: RunRecorder) -> Any:
    """Anything a callback raises that the spider did not catch is still recorded: the run
    becomes `partial` instead of losing the item in a log nobody reads."""

    def on_spider_error(failure: Any, response: Any, spider: Any) -> None:
        recorder.issue(getattr(response, "url", ""), "spider_error",
                       f"{failure.type.__name__}: {failure.value}"[:400], kind="failed")

    return on_spider_error


def _item_error(recorder: RunRecorder) -> Any:
    """An item pipeline that raised (other than DropItem): the item is lost, so say so."""

    def on_item_error(item: Any, response: Any, spider: Any, failure: Any) -> None:
        url = getattr(item, "url", "") or getattr(response, "url", "")
        recorder.issue(str(url), "pipeline_error",
                       f"{failure.type.__name__}: {failure.value}"[:400], kind="failed")

    return on_item_error


WATCHDOG_GRACE_SECONDS = 30.0
EXIT_WATCHDOG = 4


def _start_watchdog(timeout: float) -> None:
    """A thread that ends this process when its parent is gone (the parent-death signal
    covers Linux; this covers the rest) or when it runs `timeout` + a grace period, in
    case the parent that should have killed it is stuck."""
    parent = os.getppid()
    deadline = time.monotonic() + timeout + WATCHDOG_GRACE_SECONDS if timeout > 0 else None

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                logger.error("crawl process: parent %s is gone; stopping", parent)
                os._exit(EXIT_FAILED)
            if deadline is not None and time.monotonic() > deadline:
                logger.error("crawl process: watchdog timeout after %.0f s; stopping", timeout)
                os._exit(EXIT_WATCHDOG)

    threading.Thread(target=watch, name="crawl-watchdog", daemon=True).start()


def _pseudonym_key(config: Config, sources: list[Source]) -> bytes | None:
    """The pseudonym key, when a social source is crawled; None (and the social spider then
    fails its run with a clear reason) when the environment lacks it."""
    if not any(source.type in PLATFORMS for source in sources):
        return None
    try:
        return config.privacy.pseudonym_key
    except ConfigError as exc:
        logger.error("%s", exc)
        return None


if __name__ == "__main__":
    sys.exit(main())
