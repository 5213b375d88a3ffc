"""`newsroom backup now` and `newsroom backup restore FILE [--force]`."""

from __future__ import annotations

from pathlib import Path

import click

from core.config import describe_store
from jobs.backup import run_backup
from jobs.restore import RestoreRefused, restore_backup, restore_pg_backup
from newsroom.cli.context import AppContext, pass_app
from storage.backup import BackupError
from storage.db import StorageError


def register(group: click.Group) -> None:
    group.add_command(backup)


@click.group()
def backup() -> None:
    """Back up the database, or put a backup back."""


@backup.command("now")
@pass_app
def backup_now(app: AppContext) -> None:
    """Write a verified backup now (as the nightly job does) and rotate old ones."""
    try:
        result = run_backup(app.config)
    except (BackupError, StorageError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Back-up geschreven: {result.path} ({result.documents} documenten)")


@backup.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True,
              help="Overwrite a database that already holds documents.")
@pass_app
def restore(app: AppContext, file: Path, force: bool) -> None:
    """Put backup FILE back as the database (checked first; needs --force over data).

    A SQLite store takes a newsroom-….db copy, a PostgreSQL store ([storage] url) a
    newsroom-….dump archive. Stop the scheduler, workers and the dashboard first. Example:
    newsroom backup restore data/backups/newsroom-20260301T040000Z.db --force
    """
    config = app.config
    try:
        if config.store_engine == "postgresql":
            result = restore_pg_backup(file, config.storage_url, force=force)
        else:
            result = restore_backup(file, config.storage_path, force=force)
    except RestoreRefused as exc:
        raise click.UsageError(str(exc)) from exc
    except (BackupError, StorageError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Teruggezet: {file} → {describe_store(config)} "
               f"({result.documents} documenten)")
