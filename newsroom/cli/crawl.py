"""`newsroom crawl [SOURCE...]`: crawl sources now, with a progress bar per source.

Exit codes: 0 every source ok, 3 some partial (items failed, see `newsroom status`),
1 some source failed, 2 unknown source or bad configuration.
"""

from __future__ import annotations

import logging
import sys
from collections import Counter
from typing import Any

import click

from core.config import Config
from core.wording import local_time, reason_label
from crawlers.error_help import explain
from crawlers.runner import CrawlError, CrawlSummary, UnknownSourceError, crawl_sources
from newsroom.cli.context import EXIT_FAILURE, EXIT_OK, EXIT_PARTIAL, AppContext, pass_app
from storage.crawl_log import recent_crawl_runs
from storage.db import Database
from storage.rollups import refresh_daily_rollup

STATUS_WORDS = {"ok": "gelukt", "partial": "deels gelukt", "failed": "mislukt"}


def register(group: click.Group) -> None:
    group.add_command(crawl)
    from newsroom.cli.core import add_status_section

    add_status_section("Laatste crawls", latest_runs_section)


@click.command()
@click.argument("sources", nargs=-1)
@click.option("--timeout", type=click.IntRange(min=1),
              help="Seconds before the crawl process is stopped (default: "
                   "schedule.crawl_timeout_seconds).")
@click.option("--no-progress", is_flag=True, help="Do not show progress bars.")
@pass_app
def crawl(app: AppContext, sources: tuple[str, ...], timeout: int | None,
          no_progress: bool) -> None:
    """Crawl SOURCE ids now (all enabled sources when none are given).

    Each run is recorded; see `newsroom status`. Exit code 0 when every source succeeded,
    3 when some items failed, 1 when a source failed.
    """
    config = app.config
    if not config.sources:
        raise click.UsageError("No sources configured; add [[sources]] to newsroom.toml.")
    bars = ProgressBars(disabled=no_progress)
    level = logging.getLevelName(min(logging.getLogger().level, logging.WARNING))
    try:
        summaries = crawl_sources(config, list(sources) or None, timeout=timeout,
                                  progress=bars.on_event, log_level=str(level))
    except UnknownSourceError as exc:
        raise click.UsageError(str(exc)) from exc
    except CrawlError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        bars.close()
    if not summaries:
        click.echo("Geen bronnen om te crawlen (alle bronnen staan uit).")
        sys.exit(EXIT_OK)
    for summary in summaries:
        click.echo(describe(summary))
    if any(summary.stats.new or summary.stats.updated for summary in summaries):
        refresh_daily_rollup(app.db())  # the dashboard shows the new items at once
    statuses = {summary.status for summary in summaries}
    if "failed" in statuses:
        sys.exit(EXIT_FAILURE)
    if "partial" in statuses:
        sys.exit(EXIT_PARTIAL)
    sys.exit(EXIT_OK)


def describe(summary: CrawlSummary) -> str:
    """One line per source, in Dutch, with the most common problems."""
    stats = summary.stats
    if stats.not_modified:
        counts = "niet gewijzigd sinds vorige crawl (304)"
    else:
        counts = (f"{stats.new} nieuw, {stats.updated} bijgewerkt, {stats.unchanged} ongewijzigd, "
                  f"{stats.skipped} overgeslagen, {stats.failed} mislukt")
    line = f"{summary.source_id}: {STATUS_WORDS.get(summary.status, summary.status)} — {counts}"
    reasons = Counter(issue.reason for issue in summary.issues)
    if reasons and summary.status != "ok":
        common = reasons.most_common(4)
        top = ", ".join(f"{reason} ×{count}" for reason, count in common)
        line += f" [{top}]"
        for reason, _count in common:
            fix = explain(reason)
            if fix:
                line += f"\n    {reason}: {fix}"
    return line


class ProgressBars:
    """One tqdm bar per source, fed by the crawl process's events."""

    def __init__(self, disabled: bool) -> None:
        self.disabled = disabled
        self.bars: dict[str, Any] = {}

    def bar(self, source_id: str) -> Any:
        if source_id not in self.bars:
            from tqdm import tqdm

            self.bars[source_id] = tqdm(desc=source_id, unit=" items", position=len(self.bars),
                                        leave=True, disable=self.disabled, file=sys.stderr)
        return self.bars[source_id]

    def on_event(self, event: dict[str, Any]) -> None:
        source_id = str(event.get("source", ""))
        kind = event.get("event")
        bar = self.bar(source_id)
        if kind == "total":
            bar.total = int(event.get("total") or 0)
            bar.refresh()
        elif kind == "item" or (kind == "issue" and event.get("kind") != "note"):
            bar.update(1)
        elif kind == "not_modified":
            bar.set_postfix_str("304")
        elif kind == "finished":
            bar.set_postfix_str(STATUS_WORDS.get(str(event.get("status")), ""))

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()


def latest_runs_section(db: Database, config: Config) -> list[str]:
    """For `newsroom status`: each source's latest crawl run and its problems."""
    lines = []
    for source in config.sources:
        runs = recent_crawl_runs(db, source.id, limit=1)
        if not runs:
            lines.append(f"{source.id}: nog nooit gecrawld")
            continue
        run = runs[0]
        when = local_time(run.ended, config.schedule.timezone) if run.ended else "loopt"
        reasons = Counter(issue.reason for issue in run.issues)
        problems = ", ".join(f"{reason_label(reason)} ×{count}"
                             for reason, count in reasons.most_common(3))
        lines.append(
            f"{source.id}: {STATUS_WORDS.get(run.status, run.status)} ({when}); "
            f"{run.stats.new} nieuw, {run.stats.skipped} overgeslagen, {run.stats.failed} mislukt"
            + (f" [{problems}]" if problems else "")
        )
        lines.extend(
            f"  {reason_label(reason)}: {explain(reason)}"
            for reason, _count in reasons.most_common(3) if explain(reason)
        )
    return lines
