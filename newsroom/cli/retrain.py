"""`newsroom retrain`: the champion/challenger retraining job by hand, and its status lines."""

from __future__ import annotations

import click

from core.config import Config
from newsroom.cli.context import EXIT_FAILURE, AppContext, pass_app
from storage.db import Database
from storage.model_versions import active_version, list_versions

SHOWN_VERSIONS = 3


def register(group: click.Group) -> None:
    from newsroom.cli.core import add_status_section

    group.add_command(retrain)
    add_status_section("Modelversies (bijleren van correcties)", version_status_lines)


def version_status_lines(db: Database, config: Config) -> list[str]:
    """Which version serves, and the last candidates with their figures and decision."""
    active = active_version(db)
    lines = [f"in gebruik: {active.name} versie {active.version} ({active.path})" if active
             else "in gebruik: het ingestelde model (nog geen bijgeleerde versie)"]
    if not config.retrain.dev_sets:
        lines.append("bijleren staat uit: geen [retrain] dev_sets ingesteld")
    for version in list_versions(db, limit=SHOWN_VERSIONS):
        figures = "; ".join(
            f"{name}: macro-F1 {fig['macro_f1']:.3f} (was {version.champion[name]['macro_f1']:.3f})"
            for name, fig in version.figures.items() if name in version.champion)
        lines.append(f"{version.created:%Y-%m-%d %H:%M} versie {version.version}: "
                     f"{version.reason} {figures}")
    return lines


@click.command()
@click.option("--force", is_flag=True,
              help="Train a candidate even with fewer new corrections than "
                   "[retrain] min_corrections.")
@pass_app
def retrain(app: AppContext, force: bool) -> None:
    """Train a candidate model from corrections; promote it only if it is not worse."""
    from nlp.retrain import RetrainSkipped, retrain_if_due
    from nlp.sentiment.base import ModelLoadError
    from nlp.training.data import DataError

    try:
        outcome = retrain_if_due(app.db(), app.config, force=force)
    except RetrainSkipped as exc:
        click.echo(f"Niets te doen: {exc}")
        return
    except (DataError, ModelLoadError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(outcome.reason)
    for name, fig in outcome.figures.items():
        old = outcome.champion[name]
        click.echo(f"  {name}: macro-F1 {fig['macro_f1']:.3f} (huidig {old['macro_f1']:.3f}), "
                   f"negatief gevonden {fig['neg_recall']:.3f} (huidig {old['neg_recall']:.3f})")
    if outcome.decision != "promoted":
        raise SystemExit(EXIT_FAILURE)
