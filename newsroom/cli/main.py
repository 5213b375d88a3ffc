"""Entry point of the `newsroom` console script.

Commands live in one module per area (`newsroom.cli.<area>`); each module has a
`register(group)` function, so areas can grow without touching each other.
"""

from __future__ import annotations

import importlib
import logging
import sys
from dataclasses import dataclass
from pathlib import Path

import click
import sqlite_utils

from newsroom import __version__
from newsroom.config import Config, ConfigError, load_config
from storage.db import StorageError, open_db

COMMAND_MODULES = (
    "newsroom.cli.core",  # init, status, export
    "newsroom.cli.crawl",  # crawl
    "newsroom.cli.demo",  # demo (the embedded demo site and the make-run flow)
    "newsroom.cli.nlp",  # score
    "newsroom.cli.model",  # train, eval
    "newsroom.cli.dashboard",  # dashboard, demo-data, hash-password
    "newsroom.cli.jobs",  # run (the scheduler)
    "newsroom.cli.digest",  # digest, alerts
    "newsroom.cli.labelling",  # rules
    "newsroom.cli.retrain",  # retrain
)

EXIT_OK = 0
EXIT_FAILURE = 1
"""The command ran but its work failed (for example a crawl that fetched nothing)."""
EXIT_USAGE = 2
"""Wrong arguments or invalid configuration (click's own convention)."""
EXIT_PARTIAL = 3
"""The command finished but some items failed; details are in the log and crawl runs."""


@dataclass
class AppContext:
    """What every command needs: the validated config and a way to open the store."""

    config_path: str | None

    _config: Config | None = None

    @property
    def config(self) -> Config:
        if self._config is None:
            try:
                self._config = load_config(self.config_path)
            except ConfigError as exc:
                raise click.UsageError(str(exc)) from exc
        return self._config

    def db(self) -> sqlite_utils.Database:
        try:
            return open_db(self.config.storage_path)
        except StorageError as exc:
            raise click.ClickException(str(exc)) from exc


pass_app = click.make_pass_decorator(AppContext)


def setup_logging(verbosity: int) -> None:
    """Logging handlers are configured here, at the entry point, and nowhere else."""
    level = logging.WARNING - 10 * min(verbosity, 2)
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    envvar="NEWSROOM_CONFIG",
    help="Path to newsroom.toml (default: ./newsroom.toml, or $NEWSROOM_CONFIG).",
)
@click.option("-v", "--verbose", count=True, help="More log output (-v info, -vv debug).")
@click.version_option(__version__, prog_name="newsroom")
@click.pass_context
def cli(ctx: click.Context, config_path: str | None, verbose: int) -> None:
    """newsroom: volg nieuws en sentiment over je gemeente.

    Open-source media monitoring for Dutch municipalities: crawl local news and social
    posts, score Dutch sentiment, and show it in a dashboard and a weekly digest.
    """
    setup_logging(verbose)
    ctx.obj = AppContext(config_path=config_path)


for _module in COMMAND_MODULES:
    try:
        importlib.import_module(_module).register(cli)
    except ModuleNotFoundError as exc:
        if exc.name != _module:
            raise


def main() -> None:
    cli(prog_name="newsroom")


def default_path(path: str | None, fallback: Path) -> Path:
    """An explicit CLI path, else a path under the store's folder."""
    return Path(path) if path else fallback
