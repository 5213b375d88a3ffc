"""Scoring commands: `newsroom score` and the `newsroom watches` group, plus the status block.

Library first: the work happens in `nlp.pipeline` and `storage.*`; this module only turns
their errors into click exceptions and prints Dutch summaries for advisers.
"""

from __future__ import annotations

import click

from core.config import Config
from core.records import Watch
from newsroom.cli.checks import invalid_watch_queries
from newsroom.cli.context import AppContext, cli_actor, pass_app
from newsroom.cli.core import add_status_section
from newsroom.sync import sync_config_to_store
from storage.adviser import delete_watch, list_watches, save_watch
from storage.audit import record_event
from storage.db import Database
from storage.recovery import close_interrupted_crawl_runs
from storage.rollups import refresh_daily_rollup
from storage.scores import count_empty_documents, count_waiting, models_in_use
from storage.watch_scores import watch_document_counts


def register(group: click.Group) -> None:
    group.add_command(score)
    group.add_command(watches)
    add_status_section("Model", model_status_lines)


def model_status_lines(db: Database, config: Config) -> list[str]:
    """Which models scored how many documents, and how many wait (for `newsroom status`)."""
    configured = f"ingesteld: backend {config.model.backend}"
    if config.model.backend != "embedded":
        configured += f", model {config.model.name}"
    lines = [configured]
    in_use = models_in_use(db)
    if not in_use:
        lines.append("nog geen documenten gescoord")
    for name, version, count in in_use:
        lines.append(f"{name} (versie {version}): {count} documenten")
    lines.append(f"wachtend op scoren (nieuw of gewijzigd): {count_waiting(db)}")
    empty = count_empty_documents(db)
    if empty:
        lines.append(f"zonder tekst (niet te scoren): {empty}")
    if len(in_use) > 1:
        lines.append("meerdere modelversies: `newsroom score` scoort de oudere opnieuw")
    return lines


@click.command()
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="Score at most this many documents in this run.")
@click.option("--rescore-all", is_flag=True,
              help="Score every document again, also those already scored by this model.")
@click.option("--batch-size", type=click.IntRange(min=1, max=1000), default=32, show_default=True,
              help="Documents per transaction (a crash loses at most one batch).")
@click.option("--no-progress", is_flag=True, help="Do not show a progress bar.")
@pass_app
def score(
    app: AppContext, limit: int | None, rescore_all: bool, batch_size: int, no_progress: bool
) -> None:
    """Score unscored, edited or older-model documents: sentiment, topics, places, watches.

    Resumes where it stopped after a crash. Prints which model scored and how many documents.
    """
    from nlp.pipeline import score_pending
    from nlp.sentiment import ModelLoadError
    from nlp.topics import TopicConfigError

    problems = invalid_watch_queries(app.config)
    if problems:
        raise click.UsageError(
            "Er staan fouten in de zoekopdrachten van [[watches]]; er is niets gescoord.\n"
            + "\n".join(problems)
        )
    db = app.db()
    close_interrupted_crawl_runs(db)  # a crash earlier leaves nothing 'running' forever
    sync_config_to_store(db, app.config)  # watches added to newsroom.toml count at once
    try:
        report = score_pending(
            db, app.config, progress=not no_progress, batch_size=batch_size,
            limit=limit, rescore_all=rescore_all,
        )
    except ModelLoadError as exc:
        raise click.ClickException(f"Het sentimentmodel kon niet laden: {exc}") from exc
    except TopicConfigError as exc:
        raise click.UsageError(str(exc)) from exc
    if report.documents or report.watch_scores_backfilled:
        refresh_daily_rollup(db)  # the dashboard shows the new labels at once
    for line in report.lines():
        click.echo(line)


@click.group()
def watches() -> None:
    """List, add and remove project watches (saved keyword or boolean queries)."""


@watches.command("list")
@pass_app
def list_command(app: AppContext) -> None:
    """Show all watches with their query and how many documents match."""
    db = app.db()
    counts = watch_document_counts(db)
    items = list_watches(db)
    if not items:
        click.echo(
            "Nog geen watches. Voeg er een toe met `newsroom watches add NAAM ZOEKOPDRACHT`."
        )
        return
    for watch in items:
        state = "" if watch.active else " (inactief)"
        owner = f" — {watch.owner}" if watch.owner else ""
        matched = counts.get(watch.id or 0, 0)
        click.echo(f"{watch.name}{state}{owner}: {watch.query}  [{matched} documenten]")


@watches.command("add")
@click.argument("name")
@click.argument("query")
@click.option("--owner", default="", help="Who owns this watch (e.g. the project lead's email).")
@click.option("--inactive", is_flag=True, help="Save the watch but do not score it yet.")
@pass_app
def add_command(app: AppContext, name: str, query: str, owner: str, inactive: bool) -> None:
    """Add a watch, or change the query of an existing one with the same NAME.

    QUERY: words, "phrases", AND / OR / NOT, parentheses and prefix* — for example
    'stadskantoor OR "nieuwe brug" parkeer*'. The next `newsroom score` fills it in for
    documents already scored.
    """
    from nlp.watch_query import WatchQueryError, parse_query

    if not name.strip():
        raise click.BadParameter("De naam van een watch mag niet leeg zijn.", param_hint="NAME")
    try:
        parse_query(query)
    except WatchQueryError as exc:
        raise click.BadParameter(str(exc), param_hint="QUERY") from exc
    db = app.db()
    watch_id = save_watch(
        db, Watch(name=name.strip(), query=query, owner=owner, active=not inactive)
    )
    record_event(db, actor=cli_actor(), action="watch.save", target=str(watch_id),
                 detail=f"{name.strip()} | {query} | owner {owner or '-'}")
    click.echo(f"Watch '{name.strip()}' opgeslagen (id {watch_id}). Draai `newsroom score` om "
               "bestaande documenten te verwerken.")


@watches.command("remove")
@click.argument("name")
@pass_app
def remove_command(app: AppContext, name: str) -> None:
    """Remove the watch called NAME and its per-document scores."""
    db = app.db()
    for watch in list_watches(db):
        if watch.name == name and watch.id is not None:
            delete_watch(db, watch.id)
            record_event(db, actor=cli_actor(), action="watch.delete", target=str(watch.id),
                         detail=name)
            click.echo(f"Watch '{name}' verwijderd. `newsroom init` zet hem niet terug uit "
                       "newsroom.toml, tenzij je daar de zoekopdracht verandert.")
            return
    known = ", ".join(w.name for w in list_watches(db)) or "geen"
    raise click.ClickException(f"Geen watch met de naam '{name}'. Bestaande watches: {known}.")
