"""`newsroom demo run` (what `make run` does): site, config, init, crawl, score, summary, dashboard.

Each step goes through the same library entry points the real service uses (the crawl
runner with the real spiders, the scoring pipeline, the dashboard command); the demo only
provides a fictional site to point them at. Steps whose area has not landed yet are
reported as unavailable instead of being faked.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from core.config import Config, describe_store
from crawlers.runner import CrawlError, crawl_sources
from newsroom.demo.config import (
    CONFIG_NAME,
    DEMO_PASSWORD,
    ensure_pseudonym_key,
    write_demo_config,
)
from newsroom.demo.corpus import build_corpus, corpus_anchor
from newsroom.demo.mailbox import DemoMailbox, DemoMailboxError
from newsroom.demo.ports import DEFAULT_DASHBOARD_PORT, DEFAULT_MAIL_PORT
from newsroom.demo.site import DemoSite
from newsroom.demo.state import DemoState, load_state, reset, save_state
from newsroom.sync import sync_config_to_store
from nlp.pipeline import score_pending
from scheduler import start_scheduler
from storage.crawl_log import recent_crawl_runs
from storage.db import Database, open_db
from storage.documents import iter_documents
from storage.rollups import refresh_daily_rollup

logger = logging.getLogger(__name__)

Echo = Callable[[str], None]
STALE_AFTER = timedelta(days=7)


class DemoError(Exception):
    """The demo cannot start; the message says what to do."""


@dataclass
class CrawlLine:
    source_id: str
    status: str
    new: int
    updated: int
    unchanged: int
    skipped: int
    failed: int
    not_modified: bool


@dataclass
class DemoSummary:
    """What the demo run stored, for the closing summary and the tests."""

    documents_by_source: dict[str, int] = field(default_factory=dict)
    documents_by_kind: dict[str, int] = field(default_factory=dict)
    labels: dict[str, int] = field(default_factory=dict)
    fictional: int = 0
    crawl: list[CrawlLine] = field(default_factory=list)
    crawl_runs_total: int = 0
    crawl_available: bool = True
    scoring_available: bool = True
    scoring_note: str = ""

    @property
    def documents(self) -> int:
        return sum(self.documents_by_source.values())

    @property
    def new_documents(self) -> int:
        return sum(line.new for line in self.crawl)


@dataclass
class DemoRun:
    """A prepared demo: the site serving, the config written and loaded."""

    site: DemoSite
    config: Config
    config_path: Path
    dashboard_port: int = DEFAULT_DASHBOARD_PORT


def start_demo(
    workdir: Path,
    port: int | None = None,
    fresh: bool = False,
    now: datetime | None = None,
    mail_port: int = DEFAULT_MAIL_PORT,
    dashboard_port: int = DEFAULT_DASHBOARD_PORT,
) -> DemoRun:
    """Start the site and write the demo config.

    A rerun serves the remembered corpus on the remembered port (so nothing is added);
    `fresh` first removes what earlier runs stored and starts with a corpus that ends now.
    """
    if fresh:
        for path in reset(workdir):
            logger.info("Removed %s", path)
    state = load_state(workdir)
    chosen = port if port is not None else state.port
    anchor = state.anchor or corpus_anchor(now)
    try:
        site = DemoSite(port=chosen or 0, corpus=build_corpus(now=anchor)).start()
    except OSError as exc:
        raise DemoError(
            f"Poort {chosen} is bezet ({exc.strerror}). De demo gebruikt dezelfde poort als de "
            f"vorige keer, zodat er niets dubbel wordt opgeslagen. Stop het andere proces, "
            f"kies een poort met --port, of begin opnieuw met --fresh."
        ) from exc
    save_state(workdir, DemoState(port=site.port, anchor=anchor))
    ensure_pseudonym_key()
    config = write_demo_config(workdir, site.base_url, mail_port, dashboard_port)
    return DemoRun(site=site, config=config, config_path=workdir / CONFIG_NAME,
                   dashboard_port=dashboard_port)


def staleness_note(run: DemoRun, now: datetime | None = None) -> str | None:
    """A hint when the remembered corpus ends more than a week ago."""
    age = (now or datetime.now(UTC)) - run.site.corpus.anchor
    if age < STALE_AFTER:
        return None
    return (
        f"De demodata eindigt op {run.site.corpus.anchor:%d-%m-%Y} ({age.days} dagen geleden). "
        "Voor actuele weken: newsroom demo run --fresh"
    )


def init_store(config: Config) -> Database:
    """What `newsroom init` does for an existing config: create the store, load sources."""
    db = open_db(config.store_target)
    sync_config_to_store(db, config)
    return db


def crawl(config: Config, echo: Echo) -> tuple[bool, list[CrawlLine]]:
    """Crawl every demo source with the real spiders; (available, per-source lines)."""
    echo(f"Crawlen van {len(config.sources)} demobronnen ...")
    try:
        summaries = crawl_sources(config)
    except CrawlError as exc:
        echo(f"Crawlen mislukt: {exc}")
        return True, []
    lines = [
        CrawlLine(
            source_id=s.source_id,
            status=s.status,
            new=s.stats.new,
            updated=s.stats.updated,
            unchanged=s.stats.unchanged,
            skipped=s.stats.skipped,
            failed=s.stats.failed,
            not_modified=s.stats.not_modified,
        )
        for s in summaries
    ]
    return True, lines


def score(db: Database, config: Config, echo: Echo) -> tuple[bool, str]:
    """Score what is unscored; (available, a one-line report)."""
    echo("Sentiment scoren ...")
    try:
        report: Any = score_pending(db, config, progress=True)
    except Exception as exc:  # the demo goes on to the summary and dashboard regardless
        logger.debug("Scoring failed in the demo", exc_info=True)
        note = f"Scoren mislukt: {exc}"
        echo(note)
        return False, note
    lines = report.lines() if hasattr(report, "lines") else [str(report)]
    for line in lines:
        echo(f"  {line}")
    return True, "\n".join(lines)


def summarise(
    db: Database, crawl_lines: list[CrawlLine], crawl_available: bool
) -> DemoSummary:
    """Count what landed in the store, per source, kind and sentiment label."""
    by_source: Counter[str] = Counter()
    by_kind: Counter[str] = Counter()
    labels: Counter[str] = Counter()
    fictional = 0
    for row in iter_documents(db):
        by_source[row["source_id"]] += 1
        by_kind[row["kind"]] += 1
        labels[row["label"] or "ongescoord"] += 1
        fictional += bool(row["fictional"])
    return DemoSummary(
        documents_by_source=dict(by_source),
        documents_by_kind=dict(by_kind),
        labels=dict(labels),
        fictional=fictional,
        crawl=crawl_lines,
        crawl_runs_total=len(recent_crawl_runs(db, limit=100_000)),
        crawl_available=crawl_available,
    )


def format_summary(summary: DemoSummary) -> list[str]:
    """The closing summary, in Dutch: it is shown to whoever runs the demo."""
    lines = [f"Documenten in de database: {summary.documents} (fictief: {summary.fictional})"]
    for source_id, count in sorted(summary.documents_by_source.items()):
        lines.append(f"  {source_id:<20} {count:>5}")
    kinds = ", ".join(f"{k}: {v}" for k, v in sorted(summary.documents_by_kind.items()))
    lines.append(f"Per soort: {kinds or '-'}")
    if summary.crawl:
        lines.append(f"Deze crawl ({summary.crawl_runs_total} crawl-runs in totaal):")
        lines.append(
            f"  {'bron':<20} {'status':<9} {'nieuw':>6} {'gewijzigd':>9} {'gelijk':>7} "
            f"{'overgeslagen':>12} {'fout':>5}  304"
        )
        for c in summary.crawl:
            lines.append(
                f"  {c.source_id:<20} {c.status:<9} {c.new:>6} {c.updated:>9} {c.unchanged:>7} "
                f"{c.skipped:>12} {c.failed:>5}  {'ja' if c.not_modified else 'nee'}"
            )
    elif not summary.crawl_available:
        lines.append("Er is niet gecrawld: de crawlers zijn nog niet beschikbaar.")
    labels = ", ".join(f"{k}: {v}" for k, v in sorted(summary.labels.items()))
    lines.append(f"Sentiment: {labels or '-'}")
    if not summary.scoring_available:
        lines.append(summary.scoring_note)
    return lines


def run_pipeline(run: DemoRun, echo: Echo, scoring: bool = True) -> DemoSummary:
    """Init, crawl, score (unless `scoring` is False) and summarise against a started demo."""
    db = init_store(run.config)
    echo(f"Database: {describe_store(run.config)} ({len(run.config.sources)} bronnen)")
    crawl_available, lines = crawl(run.config, echo)
    if scoring:
        scoring_available, note = score(db, run.config, echo)
    else:
        scoring_available = False
        note = "Niet gescoord (--no-score); scoor later met `newsroom score`."
    # Right away, not on the scheduler's rollup interval: the dashboard opens next and must
    # show this week's counts from the first page view.
    refresh_daily_rollup(db)
    echo("Kaart: de grenzen van de wijken en buurten van de Drechtsteden (CBS 2014) zijn "
         "meegeleverd; laad de grenzen van je eigen gemeente met `newsroom places import "
         "BESTAND` (GeoJSON).")
    summary = summarise(db, lines, crawl_available)
    summary.scoring_available = scoring_available
    summary.scoring_note = note
    db.close()
    return summary


def dashboard_command(config_path: Path, port: int = DEFAULT_DASHBOARD_PORT) -> list[str]:
    """The command line that starts the dashboard on the demo (`newsroom dashboard`)."""
    return [
        sys.executable, "-c", "from newsroom.cli.main import main; main()",
        "--config", str(config_path), "dashboard", "--port", str(port),
    ]


def start_mailbox(config: Config, echo: Echo) -> DemoMailbox | None:
    """Catch the demo's digest and alert mails in var/demo/mail/ (see demo/mailbox.py)."""
    folder = config.storage_path.parent / "mail"
    try:
        mailbox = DemoMailbox(folder, config.mail.port, host=config.mail.host).start()
    except DemoMailboxError as exc:
        echo(f"Geen demo-mailbox ({exc}): meldingen en digest worden niet afgeleverd.")
        return None
    echo(f"Mail van de demo (meldingen, weekoverzicht) komt in {folder}/ als .eml-bestanden.")
    return mailbox


def start_background_scheduler(config: Config, echo: Echo) -> Any | None:
    """Start the real scheduler (the same jobs as `newsroom run`) beside the dashboard.

    While the demo is open it keeps crawling the demo site, scoring, refreshing rollups and
    checking for spikes on the configured intervals, so the dashboard's Bronnen and job
    status show a live service. A scheduler that cannot start is reported, not fatal: the
    dashboard is still worth showing.
    """
    try:
        scheduler = start_scheduler(config)
    except Exception as exc:  # the demo must still open the dashboard
        logger.exception("scheduler did not start")
        echo(f"De planner kon niet starten ({exc}); het dashboard opent zonder planner.")
        return None
    echo(f"Planner draait ({len(scheduler.get_jobs())} taken: ophalen, scoren, signalen, "
         "digest, opschonen, back-up). Zie `newsroom status`.")
    return scheduler


def serve_dashboard(run: DemoRun, echo: Echo) -> None:
    """Start the dashboard and keep the site up until Ctrl-C."""
    command = dashboard_command(run.config_path, run.dashboard_port)
    mailbox = start_mailbox(run.config, echo)
    scheduler = start_background_scheduler(run.config, echo)
    echo(f"Dashboard starten (gebruikers adviseur, projectleider, management; "
         f"wachtwoord {DEMO_PASSWORD!r}). Stoppen met Ctrl-C.")
    process = subprocess.Popen(command)
    try:
        process.wait()
    except KeyboardInterrupt:
        echo("Gestopt.")
    finally:
        if scheduler is not None:
            scheduler.shutdown(wait=False)
        if mailbox is not None:
            mailbox.stop()
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
