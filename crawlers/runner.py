"""Run crawls in a child process with a timeout, and read the outcome back from storage.

`crawl_sources` is the library entry point used by `newsroom crawl` and the scheduler.
The child (`python -m crawlers.run`) writes documents and crawl-run records itself; this
side only watches its progress events, enforces the timeout (killing the child and marking
its unfinished runs failed with reason "timeout"), and then reads the runs from storage.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from core.config import Config
from core.records import CrawlIssue, CrawlStats
from core.timeutil import to_iso
from crawlers.childlog import error_lines, parent_death_signal, relay
from storage.crawl_log import finish_crawl_run, get_crawl_run, record_crawl_issue, start_crawl_run
from storage.db import open_db
from storage.recovery import close_interrupted_crawl_runs, counts_since

logger = logging.getLogger(__name__)

ProgressCallback = Callable[[dict[str, Any]], None]
"""Receives each event of the child: started, total, item, issue, not_modified, finished."""


class CrawlError(Exception):
    """A crawl could not be started; the message says what to fix."""


class UnknownSourceError(CrawlError):
    """A requested source id is not configured."""

    def __init__(self, unknown: Sequence[str], known: Sequence[str]) -> None:
        self.unknown = tuple(unknown)
        self.known = tuple(known)
        super().__init__(
            f"Unknown source(s): {', '.join(unknown)}. Known sources: "
            f"{', '.join(known) or 'none configured'}"
        )


@dataclass(frozen=True)
class CrawlSummary:
    """The outcome of one source's crawl, as stored."""

    source_id: str
    run_id: int
    status: str
    stats: CrawlStats
    issues: tuple[CrawlIssue, ...] = ()
    valid_share: float | None = None
    """Share of items whose fields passed validation (None when no item was seen)."""


@dataclass
class _Watch:
    run_ids: dict[str, int] = field(default_factory=dict)
    valid_share: dict[str, float | None] = field(default_factory=dict)


def select_sources(config: Config, source_ids: Sequence[str] | None) -> list[str]:
    """The ids to crawl: the given ones (all must exist), else every enabled source."""
    known = [source.id for source in config.sources]
    if not source_ids:
        return [source.id for source in config.sources if source.enabled]
    unknown = [source_id for source_id in source_ids if source_id not in known]
    if unknown:
        raise UnknownSourceError(unknown, known)
    return list(dict.fromkeys(source_ids))


def crawl_sources(
    config: Config,
    source_ids: Sequence[str] | None = None,
    timeout: float | None = None,
    progress: ProgressCallback | None = None,
    log_level: str = "WARNING",
) -> list[CrawlSummary]:
    """Crawl sources in one child process; their summaries, in the order requested.

    `timeout` (seconds) defaults to `schedule.crawl_timeout_seconds`. Raises
    `UnknownSourceError` for ids that are not configured and `CrawlError` when the child
    cannot be started at all.
    """
    ids = select_sources(config, source_ids)
    if not ids:
        return []
    if config.path is None:
        raise CrawlError("Crawling needs a newsroom.toml file (the crawl process reads it).")
    limit = float(timeout if timeout is not None else config.schedule.crawl_timeout_seconds)
    _close_dead_runs(config)
    command = [sys.executable, "-m", "crawlers.run", "--config", str(config.path),
               "--log-level", log_level, "--timeout", str(limit)]
    for source_id in ids:
        command += ["--source", source_id]
    watch = _Watch()
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace") as stderr:
        timed_out, returncode = _run_child(command, limit, stderr, watch, progress)
        stderr.seek(0)
        log = stderr.read()
    relay(log)
    tail = error_lines(log)
    if returncode is not None and returncode < 0:
        tail = f"{tail}\nthe crawl process was killed by signal {-returncode}".strip()
    abnormal = returncode not in (0, 1, 3)
    if abnormal and not timed_out:
        logger.error("crawl process exited with %s: %s", returncode, tail)
    # Spider and pipeline errors are recorded by the child itself (crawlers.run); its log
    # goes to a run's record only when the child ended abnormally and could not say more.
    return _collect(config, ids, watch, timed_out, limit, tail if abnormal else "")


def _close_dead_runs(config: Config) -> None:
    """Runs that an earlier, killed crawl left 'running' are closed before a new one."""
    db = open_db(config.store_target)
    try:
        close_interrupted_crawl_runs(db)
    finally:
        db.conn.close()


def _run_child(
    command: list[str], limit: float, stderr: IO[str], watch: _Watch,
    progress: ProgressCallback | None,
) -> tuple[bool, int | None]:
    try:
        # Its own process group (so a timeout kills everything it started) and a
        # parent-death signal (so it never outlives this process, even after kill -9).
        child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=stderr, text=True,
                                 encoding="utf-8", errors="replace", start_new_session=True,
                                 preexec_fn=parent_death_signal)
    except OSError as exc:
        raise CrawlError(f"Cannot start the crawl process: {exc}") from exc
    events: queue.Queue[str | None] = queue.Queue()
    reader = threading.Thread(target=_pump, args=(child.stdout, events), daemon=True)
    reader.start()
    deadline = time.monotonic() + limit
    timed_out = False
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            timed_out = True
            break
        try:
            line = events.get(timeout=remaining)
        except queue.Empty:
            timed_out = True
            break
        if line is None:
            break
        _handle_event(line, watch, progress)
    if timed_out:
        logger.error("crawl process timed out after %ss; killing it", limit)
        _kill_group(child)
    returncode = child.wait()
    reader.join(timeout=5)
    return timed_out, returncode


def _kill_group(child: subprocess.Popen[str]) -> None:
    try:
        os.killpg(child.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        child.kill()


def _pump(stream: IO[str] | None, events: queue.Queue[str | None]) -> None:
    if stream is not None:
        for line in stream:
            events.put(line)
    events.put(None)


def _handle_event(line: str, watch: _Watch, progress: ProgressCallback | None) -> None:
    try:
        event = json.loads(line)
    except ValueError:
        logger.debug("non-event output from crawl process: %s", line.strip())
        return
    if not isinstance(event, dict):
        return
    source_id = str(event.get("source", ""))
    if event.get("event") == "started":
        watch.run_ids[source_id] = int(event["run_id"])
    elif event.get("event") == "finished":
        watch.valid_share[source_id] = event.get("valid_share")
    if progress is not None:
        progress(event)


def _collect(
    config: Config, ids: list[str], watch: _Watch, timed_out: bool, limit: float, tail: str
) -> list[CrawlSummary]:
    db = open_db(config.store_target)
    summaries = []
    try:
        for source_id in ids:
            run_id = watch.run_ids.get(source_id)
            run = get_crawl_run(db, run_id) if run_id is not None else None
            if run is None or run.status == "running":
                reason = "timeout" if timed_out else "crawler_crashed"
                detail = (f"no result within {limit:.0f} s" if timed_out
                          else tail[-480:] or "the crawl process ended without a result")
                run_id = run.id if run is not None else start_crawl_run(db, source_id)
                stats = (counts_since(db, source_id, to_iso(run.started) or "")
                         if run is not None else CrawlStats())
                record_crawl_issue(db, run_id, CrawlIssue(url="", reason=reason, detail=detail))
                stats.failed += 1
                finish_crawl_run(db, run_id, stats, "failed")
                run = get_crawl_run(db, run_id)
            elif tail:
                record_crawl_issue(db, run.id, CrawlIssue(url="", reason="crawler_log",
                                                          detail=tail[-480:]))
                run = get_crawl_run(db, run.id)
            assert run is not None
            summaries.append(
                CrawlSummary(
                    source_id=source_id,
                    run_id=run.id,
                    status=run.status,
                    stats=run.stats,
                    issues=run.issues,
                    valid_share=watch.valid_share.get(source_id),
                )
            )
    finally:
        db.conn.close()
    return summaries
