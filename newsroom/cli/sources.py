"""`newsroom sources types` and `newsroom sources check [ID...]`.

`types` lists every source type with its options; `check` looks at configured sources
before you rely on them (see crawlers/check.py) and exits 1 when one is not usable.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from crawlers.catalog import SOURCE_TYPES
from newsroom.cli.context import EXIT_FAILURE, EXIT_OK, AppContext, pass_app


def register(group: click.Group) -> None:
    group.add_command(sources)


@click.group()
def sources() -> None:
    """Bronnen: soorten bekijken en bronnen controleren."""


@sources.command("types")
def types() -> None:
    """List every source type with its options."""
    for info in SOURCE_TYPES:
        click.echo(f"{info.name}: {info.summary}")
        click.echo(f"    url = {info.url}")
        for name, help_text in info.options:
            click.echo(f"    {name}: {help_text}")
        click.echo("")


@sources.command("check")
@click.argument("ids", nargs=-1)
@pass_app
def check(app: AppContext, ids: tuple[str, ...]) -> None:
    """Check SOURCE ids (all configured sources when none are given): DNS, robots.txt,
    HTTP status, content type, feed validity, items, newest date, and a verdict.

    Exit code 0 when every checked source is usable, 1 when one is not.
    """
    from crawlers.check import check_source  # Scrapy's middlewares: only when checking

    config = app.config
    known = {source.id: source for source in config.sources}
    unknown = [source_id for source_id in ids if source_id not in known]
    if unknown:
        raise click.UsageError(f"Onbekende bron(nen): {', '.join(unknown)}; bekend: "
                               f"{', '.join(sorted(known)) or '(geen)'}")
    chosen = [known[source_id] for source_id in ids] if ids else list(config.sources)
    if not chosen:
        raise click.UsageError("Geen bronnen ingesteld; voeg [[sources]] toe aan newsroom.toml.")
    results = [check_source(source, config.crawl) for source in chosen]
    for result in results:
        click.echo(describe(result))
    sys.exit(EXIT_OK if all(result.usable for result in results) else EXIT_FAILURE)


def describe(result: Any) -> str:
    """A short block per source (a `crawlers.check.SourceCheck`), in Dutch."""
    valid = {True: "ja", False: "nee", None: "niet gecontroleerd"}[result.valid]
    newest = result.newest.strftime("%Y-%m-%d %H:%M") if result.newest else "onbekend"
    lines = [
        f"{result.source_id} ({result.url})",
        f"  DNS: {result.dns} · robots.txt: {result.robots} · HTTP: "
        f"{result.status if result.status is not None else '-'} · type: "
        f"{result.content_type or '-'}",
        f"  geldig: {valid} · berichten: "
        f"{result.items if result.items is not None else '-'} · nieuwste: {newest}",
        f"  Oordeel: {result.verdict()}",
    ]
    return "\n".join(lines)
