"""What every `newsroom` command shares: exit codes, the app context, logging setup.

Separate from `newsroom.cli.main` (which imports every command module) so that the command
modules import this and never the entry point: no import cycle inside the CLI.
"""

from __future__ import annotations

import getpass
import logging
import sys
from dataclasses import dataclass
from pathlib import Path

import click

from core import redact
from core.config import Config, ConfigError, find_config_path, load_config
from storage.db import Database, StorageError, open_db

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
            require_config_file(self.config_path)
            try:
                self._config = load_config(self.config_path)
            except ConfigError as exc:
                raise click.UsageError(str(exc)) from exc
        return self._config

    def db(self) -> Database:
        try:
            return open_db(self.config.store_target)
        except StorageError as exc:
            raise click.ClickException(str(exc)) from exc


pass_app = click.make_pass_decorator(AppContext)


def cli_actor() -> str:
    """Who runs a command, for the audit log: the operating-system user."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:unknown"


def require_config_file(config_path: str | None) -> None:
    """Stop with the fix when there is no config file, before anything is created.

    Without this, a command run in the wrong folder would silently fall back to the
    defaults and create ./data/newsroom.db there.
    """
    if find_config_path(config_path) is not None:
        return
    raise click.UsageError(
        f"Geen newsroom.toml gevonden in {Path.cwd()}. Maak er een met `newsroom init`, "
        "of geef het pad met --config PAD of de omgevingsvariabele NEWSROOM_CONFIG. "
        "Er is niets aangemaakt."
    )


def setup_logging(verbosity: int) -> None:
    """Logging handlers are configured here, at the entry point, and nowhere else."""
    level = logging.WARNING - 10 * min(verbosity, 2)
    redact.install()
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
