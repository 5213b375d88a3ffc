"""Privacy and accountability commands: `erase`, `audit list|export`, `register`, and the
retention block of `newsroom status`."""

from __future__ import annotations

import contextlib
import csv
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import TextIO

import click

from core.config import RETENTION_STORES, Config
from core.records import utcnow
from jobs.backup import backup_dir_for, list_backups
from newsroom.cli.context import AppContext, cli_actor, pass_app
from newsroom.cli.core import _csv_safe, _parse_day, add_status_section
from newsroom.transparency import STORE_NAMES, dpia_markdown, register_markdown
from storage.audit import list_events, record_event
from storage.db import Database
from storage.erasure import ErasureError, ErasureRequest, erase, erase_in_backup
from storage.erasure_dump import DumpRewriteError, erase_in_pg_dump
from storage.retention import oldest_items

AUDIT_COLUMNS = ("at", "actor", "action", "target", "detail", "client")


def register(group: click.Group) -> None:
    group.add_command(erase_command)
    group.add_command(audit)
    group.add_command(register_command)


@click.command("erase")
@click.option("--url", help="Erase the document with this link (or canonical URL).")
@click.option("--pseudonym", help="Erase every post of this author pseudonym.")
@click.option("--source", "source_id", help="Erase every document of this source id.")
@click.option("--reason", default="", help='Why (e.g. "verzoek betrokkene, kenmerk 2026-17").')
@click.option("--dry-run", is_flag=True, help="Only count what would be erased.")
@pass_app
def erase_command(app: AppContext, url: str | None, pseudonym: str | None,
                  source_id: str | None, reason: str, dry_run: bool) -> None:
    """Erase one post, one author (pseudonym) or one source, with everything derived.

    Removes the documents, their sentences, scores, full-text entries, stories, watch
    scores, annotations, alert evidence, archived digests and previews, and rebuilds the
    rollups; then rewrites every backup file without them. The erasure (what, when, who,
    why; not the content) is written to the audit log.

    Example: newsroom erase --pseudonym 3f9a0c1b2d4e5f60 --reason "verzoek, kenmerk 17"
    """
    chosen = [(kind, value) for kind, value in
              (("url", url), ("pseudonym", pseudonym), ("source", source_id)) if value]
    if len(chosen) != 1:
        raise click.UsageError("Give exactly one of --url, --pseudonym or --source.")
    kind, value = chosen[0]
    request = ErasureRequest(kind, value)  # type: ignore[arg-type]
    db = app.db()
    try:
        report = erase(db, request, actor=cli_actor(), reason=reason, dry_run=dry_run)
    except ErasureError as exc:
        raise click.UsageError(str(exc)) from exc
    verb = "Zou verwijderen" if dry_run else "Verwijderd"
    click.echo(f"{verb}: {report.summary()}.")
    found = list_backups(backup_dir_for(app.config))
    backups = [path for path in found if path.suffix == ".db"]  # SQLite copies
    dumps = [path for path in found if path.suffix == ".dump"]  # pg_dump archives
    if dry_run:
        click.echo(f"Back-ups: {len(backups) + len(dumps)} bestand(en) zouden worden "
                   "herschreven zonder deze gegevens.")
        return
    rewritten = sum(1 for path in backups if erase_in_backup(path, request).documents >= 0)
    failed = _rewrite_dumps(app.config, dumps, request)
    detail = f"{rewritten} backup files and {len(dumps) - len(failed)} pg_dump archives rewritten"
    if failed:
        detail += "; NOT rewritten: " + "; ".join(str(error) for error in failed)
    record_event(db, actor=cli_actor(), action="erase.backups", target=request.describe(),
                 detail=detail)
    click.echo(f"Back-ups: {rewritten + len(dumps) - len(failed)} bestand(en) herschreven "
               f"zonder deze gegevens (map {backup_dir_for(app.config)}); oudere kopieën "
               "elders (bijvoorbeeld tape) verlopen na retention.backups_days = "
               f"{app.config.retention.backups_days} dagen.")
    for error in failed:
        click.echo(f"Let op: back-up {error.archive} is NIET herschreven en bevat deze "
                   f"gegevens nog ({error.reason}). Het oude bestand is ongewijzigd. Los de "
                   "oorzaak op en voer newsroom erase opnieuw uit, of verwijder dit bestand.",
                   err=True)
    if kind == "source" and any(s.id == value for s in app.config.sources if s.enabled):
        click.echo(f"Let op: bron {value} staat nog aan in newsroom.toml en wordt bij de "
                   "volgende ronde opnieuw opgehaald. Zet enabled = false of verwijder hem.")
    if failed:
        raise click.exceptions.Exit(1)  # the live store is erased, but not every backup


def _rewrite_dumps(config: Config, dumps: list[Path],
                   request: ErasureRequest) -> list[DumpRewriteError]:
    """Rewrite each pg_dump archive on the configured PostgreSQL server; the failures."""
    failed = []
    for path in dumps:
        try:
            if not config.storage_url:
                raise DumpRewriteError(path, "no PostgreSQL server configured ([storage] url) "
                                       "to restore it on")
            erase_in_pg_dump(path, config.storage_url, request)
        except DumpRewriteError as exc:
            failed.append(exc)
    return failed


@click.group()
def audit() -> None:
    """The audit log: who logged in, exported, corrected, changed watches or users, erased
    data or sent digests."""


@audit.command("list")
@click.option("--since", help="Only events on or after this day (YYYY-MM-DD).")
@click.option("--action", "action_prefix", help="Only actions starting with this (login.).")
@click.option("--limit", default=50, show_default=True, help="At most this many events.")
@pass_app
def audit_list(app: AppContext, since: str | None, action_prefix: str | None,
               limit: int) -> None:
    """Show recent audit events, newest first."""
    for event in list_events(app.db(), since=_parse_day(since), action_prefix=action_prefix,
                             limit=limit):
        click.echo(f"{event.at:%Y-%m-%d %H:%M:%S}  {event.actor:<20} {event.action:<18} "
                   f"{event.target} {event.detail} {event.client}".rstrip())


@audit.command("export")
@click.option("--out", "-o", type=click.Path(dir_okay=False, writable=True), default="-",
              show_default=True, help="CSV file to write; - for standard output.")
@click.option("--since", help="Only events on or after this day (YYYY-MM-DD).")
@click.option("--until", help="Only events before this day (YYYY-MM-DD).")
@pass_app
def audit_export(app: AppContext, out: str, since: str | None, until: str | None) -> None:
    """Write the audit log to CSV (spreadsheet formulas neutralised); the export itself is
    recorded."""
    db = app.db()
    events = list_events(db, since=_parse_day(since), until=_parse_day(until), limit=None)
    with contextlib.ExitStack() as stack:
        handle: TextIO = (
            sys.stdout
            if out == "-"
            else stack.enter_context(open(out, "w", newline="", encoding="utf-8"))
        )
        writer = csv.writer(handle)
        writer.writerow(AUDIT_COLUMNS)
        for event in events:
            writer.writerow([event.at.isoformat(), *(
                _csv_safe(getattr(event, column)) for column in AUDIT_COLUMNS[1:])])
    record_event(db, actor=cli_actor(), action="export.audit", target=out,
                 detail=f"{len(events)} events")
    if out != "-":
        click.echo(f"Wrote {len(events)} audit events to {out}", err=True)


@click.command("register")
@click.option("--out", "-o", type=click.Path(dir_okay=False, writable=True), default="-",
              show_default=True, help="Markdown file to write; - for standard output.")
@click.option("--dpia", is_flag=True, help="Write a DPIA starting point instead.")
@pass_app
def register_command(app: AppContext, out: str, dpia: bool) -> None:
    """Write the Algoritmeregister entry (Dutch) from this installation's configuration,
    store and model card; --dpia writes a DPIA starting point for the privacy officer.

    Example: newsroom register --out algoritmeregister.md
    """
    db = app.db()
    text = (dpia_markdown if dpia else register_markdown)(app.config, db)
    if out == "-":
        click.echo(text)
    else:
        Path(out).write_text(text, encoding="utf-8")
        click.echo(f"Wrote {'DPIA' if dpia else 'Algoritmeregister entry'} to {out}", err=True)


def retention_status(db: Database, config: Config) -> list[str]:
    """`newsroom status`: the oldest item of every store against its retention limit."""
    now = utcnow()
    oldest: dict[str, datetime | None] = dict(oldest_items(db))
    backups = list_backups(backup_dir_for(config))
    oldest["backups"] = (datetime.fromtimestamp(backups[0].stat().st_mtime, now.tzinfo)
                         if backups else None)
    lines = []
    for store in ("social", "news", "official", *RETENTION_STORES):
        days = config.retention.days_for(store)
        item = oldest.get(store)
        age = f"{(now - item).days} d" if item else "leeg"
        limit = f"{days} d" if days > 0 else "onbeperkt"
        over = item is not None and days > 0 and now - item > timedelta(days=days, hours=24)
        flag = "  TE OUD: draai de opschoning (newsroom run)" if over else ""
        lines.append(f"{STORE_NAMES[store]:<42} oudste {age:>7}  grens {limit:>9}{flag}")
    return lines


add_status_section("Bewaartermijnen (oudste item per opslag)", retention_status)
