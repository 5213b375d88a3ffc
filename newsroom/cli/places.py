"""`newsroom places import FILE` and `newsroom places list`: area outlines for the map."""

from __future__ import annotations

from pathlib import Path

import click

from newsroom.cli.context import AppContext, pass_app
from nlp.outlines import BUILTIN_SOURCE, OutlineError, builtin_outlines, read_outline_file
from storage.outlines import outline_sources, save_outlines


def register(group: click.Group) -> None:
    group.add_command(places)


@click.group()
def places() -> None:
    """Area outlines (wijken, buurten) for the dashboard's map."""


@places.command("import")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--gemeente", default="", metavar="GMxxxx",
              help="Only the areas of this gemeente (CBS code), e.g. from a national file.")
@click.option("--builtin", is_flag=True,
              help="Load the shipped CBS outlines of Dordrecht and the Drechtsteden.")
@pass_app
def import_outlines(app: AppContext, file: Path | None, gemeente: str, builtin: bool) -> None:
    """Load the outlines in a GeoJSON or GeoPackage FILE (RD New or WGS84), such as the CBS
    wijk- en buurtkaart.

    Areas are matched by CBS code (GM…, WK…, BU…); an area already stored is replaced
    (--builtin adds only areas not stored yet).
    Example: newsroom places import wijkenbuurten_2024.gpkg --gemeente GM0505
    """
    if builtin == (file is not None):
        raise click.UsageError("Geef een bestand of --builtin (één van de twee).")
    if builtin:
        outlines, source, skipped, crs = builtin_outlines(), BUILTIN_SOURCE, [], "WGS84"
    else:
        assert file is not None
        try:
            result = read_outline_file(file, gemeente)
        except OutlineError as exc:
            raise click.ClickException(str(exc)) from exc
        outlines, source, skipped = result.outlines, file.name[:120], result.skipped
        crs = "RD New (omgerekend naar WGS84)" if result.crs == "rd" else "WGS84"
    count = save_outlines(app.db(), outlines, source, replace=not builtin)
    levels = [o.level for o in outlines]
    click.echo(f"{count} gebieden geladen uit {source} ({crs}): "
               f"{levels.count('gemeente')} gemeenten, {levels.count('wijk')} wijken, "
               f"{levels.count('buurt')} buurten.")
    if count < len(outlines):
        click.echo(f"{len(outlines) - count} gebieden had je al zelf geladen; die blijven staan.")
    for line in skipped[:20]:
        click.echo(f"Overgeslagen: {line}", err=True)
    if len(skipped) > 20:
        click.echo(f"… en nog {len(skipped) - 20} overgeslagen gebieden.", err=True)


@places.command("list")
@pass_app
def list_sources(app: AppContext) -> None:
    """Show which outline files are loaded and how many areas each gave."""
    rows = outline_sources(app.db())
    if not rows:
        click.echo("Nog geen grenzen geladen; de kaart gebruikt de meegeleverde CBS-grenzen "
                   "van de Drechtsteden. Laad eigen grenzen met: newsroom places import FILE")
    for source, n in rows:
        click.echo(f"{n:6d}  {source}")
