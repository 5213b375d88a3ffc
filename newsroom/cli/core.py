"""Core commands: `init`, `status`, `export`."""

from __future__ import annotations

import contextlib
import csv
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

import click

from core.config import Config, describe_store, display_store_url
from core.records import utcnow
from core.templates import CONFIG_TEMPLATE, example_config_text
from core.wording import local_time
from newsroom.cli.checks import invalid_watch_queries
from newsroom.cli.context import AppContext, cli_actor, pass_app
from newsroom.sync import sync_config_to_store
from storage.audit import record_event
from storage.crawl_log import source_health
from storage.db import Database
from storage.documents import DocumentFilter, iter_documents

StatusSection = Callable[[Database, Config], list[str]]
STATUS_SECTIONS: list[tuple[str, StatusSection]] = []
"""Extra blocks for `newsroom status`, added by other command modules (model, jobs)."""


def add_status_section(title: str, section: StatusSection) -> None:
    """Let another area add a titled block of lines to `newsroom status`."""
    STATUS_SECTIONS.append((title, section))


EXAMPLE_CONFIG = CONFIG_TEMPLATE
"""The documented template; `init` writes it with the example sources appended."""

EXPORT_COLUMNS = (
    "id", "published", "first_seen", "source_id", "kind", "language", "title", "url",
    "label", "p_neg", "p_neu", "p_pos", "model_name", "model_version", "syndication_group",
    "fictional", "model_label", "corrected_by", "text",
)
"""label is the effective one (a correction or rule wins); model_label what the model said."""


def register(group: click.Group) -> None:
    group.add_command(init)
    group.add_command(status)
    group.add_command(export)


@click.command()
@click.option("--force", is_flag=True, help="Overwrite an existing newsroom.toml.")
@click.pass_context
def init(ctx: click.Context, force: bool) -> None:
    """Create newsroom.toml (if missing) and the database, and load sources and watches.

    Safe to run again: it only adds what is missing and updates what changed.
    """
    app: AppContext = ctx.obj
    target = Path(app.config_path or "newsroom.toml")
    if not target.exists() or force:
        target.write_text(example_config_text(), encoding="utf-8")
        click.echo(f"Wrote {target} — edit its [[sources]] and [[watches]] for your municipality.")
        app.config_path = str(target)
        app._config = None
    problems = invalid_watch_queries(app.config)
    if problems:
        raise click.UsageError(
            "Er staan fouten in de zoekopdrachten van [[watches]]; er is niets aangemaakt.\n"
            + "\n".join(problems)
        )
    db = app.db()
    counts = sync_config_to_store(db, app.config)
    click.echo(
        f"Database ready: {describe_store(app.config)} "
        f"({counts['sources']} sources, {counts['watches']} watches)."
    )


def _storage_facts(config: Config) -> dict[str, str]:
    """Which engine holds the store and where, for `status --json` (never a password)."""
    where = display_store_url(config.storage_url) if config.storage_url else str(
        config.storage_path)
    return {"engine": config.store_engine, "target": where}


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a table.")
@pass_app
def status(app: AppContext, as_json: bool) -> None:
    """Show per-source health, the models in use and the scheduler's jobs.

    Exit code 0 when every enabled source is healthy or has not been crawled yet, 3 when
    some have failed.
    """
    db = app.db()
    sync_config_to_store(db, app.config)
    enabled = {s.id for s in app.config.sources if s.enabled}
    health = [h for h in source_health(db) if h.source_id in enabled or not enabled]
    now = utcnow()
    if as_json:
        import json

        payload = {
            "storage": _storage_facts(app.config),
            "sources": [
                {
                    **h.__dict__,
                    "healthy": h.healthy,
                    "last_run": h.last_run.isoformat() if h.last_run else None,
                    "last_success": h.last_success.isoformat() if h.last_success else None,
                }
                for h in health
            ],
            **{title: fn(db, app.config) for title, fn in STATUS_SECTIONS},
        }
        click.echo(json.dumps(payload, indent=2, default=str))
    else:
        zone = app.config.schedule.timezone
        click.echo(f"Opslag: {describe_store(app.config)}\n")
        click.echo(f"Bronnen ({len(health)}) — {local_time(now, zone)} ({zone})")
        click.echo(
            f"  {'bron':<24} {'status':<9} {'laatst gelukt':<17} {'fouten':>6} "
            f"{'items/dag':>9} {'uren stil':>9} {'totaal':>7}"
        )
        for h in health:
            state = "gezond" if h.healthy else ("nog niet" if h.last_run is None else "FOUT")
            if h.healthy and h.last_status == "partial":
                state = "deels"  # never "gezond" when the last run missed items
            last = local_time(h.last_success, zone) if h.last_success else "-"
            silent = f"{h.silent_hours:.0f}" if h.silent_hours is not None else "-"
            click.echo(
                f"  {h.source_id:<24} {state:<9} {last:<17} {h.consecutive_failures:>6} "
                f"{h.items_per_day:>9.1f} {silent:>9} {h.documents_total:>7}"
            )
        for title, fn in STATUS_SECTIONS:
            click.echo(f"\n{title}")
            for line in fn(db, app.config):
                click.echo(f"  {line}")
    never = [h.source_id for h in health if h.last_run is None]
    if never and not as_json:
        click.echo(
            f"\nNog niet gecrawld: {', '.join(never)}. Dat is normaal direct na `newsroom init`; "
            "haal berichten op met `newsroom crawl` (of start de planner met `newsroom run`)."
        )
    # A source that never ran has not failed yet: only real failures give exit code 3.
    if any(not h.healthy and h.last_run is not None for h in health):
        sys.exit(3)


def _parse_day(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a date; use YYYY-MM-DD") from exc


@click.command()
@click.option("--out", "-o", type=click.Path(dir_okay=False, writable=True), default="-",
              show_default=True, help="CSV file to write; - for standard output.")
@click.option("--since", help="Only documents published on or after this day (YYYY-MM-DD).")
@click.option("--until", help="Only documents published before this day (YYYY-MM-DD).")
@click.option("--source", "sources", multiple=True, help="Only this source id (repeatable).")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(["news", "social", "official"]),
              help="Only this kind (repeatable).")
@click.option("--label", "labels", multiple=True,
              type=click.Choice(["negatief", "neutraal", "positief"]),
              help="Only documents scored with this sentiment (repeatable).")
@click.option("--search", "text_query", default="",
              help="Full-text search (words, \"phrases\", OR).")
@click.option("--tag", "tags", multiple=True,
              help="Only documents an adviser gave this tag (label) (repeatable).")
@click.option("--no-text", is_flag=True, help="Leave out the document text column.")
@pass_app
def export(
    app: AppContext,
    out: str,
    since: str | None,
    until: str | None,
    sources: tuple[str, ...],
    kinds: tuple[str, ...],
    labels: tuple[str, ...],
    text_query: str,
    tags: tuple[str, ...],
    no_text: bool,
) -> None:
    """Write documents with their sentiment to CSV, filtered.

    Example: newsroom export --since 2026-01-01 --kind news -o nieuws.csv
    """
    flt = DocumentFilter(
        since=_parse_day(since),
        until=_parse_day(until),
        source_ids=sources,
        kinds=kinds,
        labels=labels,
        text_query=text_query,
        tags=tags,
    )
    columns = [c for c in EXPORT_COLUMNS if not (no_text and c == "text")]
    db = app.db()
    _check_source_ids(db, app.config, sources)
    with contextlib.ExitStack() as stack:
        handle: TextIO = (
            sys.stdout
            if out == "-"
            else stack.enter_context(open(out, "w", newline="", encoding="utf-8"))
        )
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        count = 0
        for row in iter_documents(db, flt):
            writer.writerow({key: _csv_safe(row.get(key)) for key in columns})
            count += 1
    record_event(db, actor=cli_actor(), action="export.csv", target=out,
                 detail=f"{count} documents")
    if out != "-":
        click.echo(f"Wrote {count} documents to {out}", err=True)


def _check_source_ids(db: Database, config: Config, wanted: tuple[str, ...]) -> None:
    """An unknown --source is a typo, not an empty result: fail and list the known ids."""
    known = {s.id for s in config.sources} | {h.source_id for h in source_health(db)}
    unknown = [s for s in wanted if s not in known]
    if unknown:
        raise click.BadParameter(
            f"Onbekende bron: {', '.join(unknown)}. Bekende bronnen: "
            f"{', '.join(sorted(known)) or 'geen (voeg [[sources]] toe aan newsroom.toml)'}.",
            param_hint="--source",
        )


def _csv_safe(value: object) -> object:
    """Neutralise spreadsheet formulas in scraped text (CSV injection) when opened in Excel,
    also after leading spaces (which spreadsheets skip)."""
    if isinstance(value, str) and value.lstrip()[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
