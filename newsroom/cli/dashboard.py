"""Dashboard commands: `dashboard` (start Streamlit), `demo-data` (a synthetic load corpus)
and `hash-password` (a bcrypt hash for `[[dashboard.users]]`)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click

from core.config import CONFIG_ENV
from newsroom.cli.context import AppContext, pass_app
from newsroom.demo.ports import port_is_free

SERVER_SCRIPT = Path(__file__).resolve().parent.parent.parent / "dashboard" / "server.py"
"""An st.App around dashboard/app.py that adds the session cookie and guards Streamlit's
open routes (see dashboard/server.py)."""


def register(group: click.Group) -> None:
    group.add_command(dashboard)
    group.add_command(demo_data)
    group.add_command(hash_password)


def streamlit_command(port: int, address: str) -> list[str]:
    """The `streamlit run` command line for the dashboard app."""
    return [
        sys.executable, "-m", "streamlit", "run", str(SERVER_SCRIPT),
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", address,
        "--browser.gatherUsageStats", "false",
        # "minimal": no English main menu (Rerun, Settings, Print); the app has its own.
        "--client.toolbarMode", "minimal",
    ]


@click.command()
@click.option("--port", default=8501, show_default=True, type=click.IntRange(1, 65535),
              help="Port to serve the dashboard on.")
@click.option("--address", default="127.0.0.1", show_default=True,
              help="Address to listen on (127.0.0.1 keeps it on this machine).")
@pass_app
def dashboard(app: AppContext, port: int, address: str) -> None:
    """Start the dashboard (Streamlit) for the configured store.

    The config file is passed to the app in $NEWSROOM_CONFIG; log in with a user from
    [[dashboard.users]].
    """
    config = app.config  # validates the file before Streamlit starts
    app.db()  # creates or migrates the store, so the app only reads
    env = dict(os.environ)
    if config.path is not None:
        env[CONFIG_ENV] = str(Path(config.path).resolve())
    if not config.dashboard.users and not config.dashboard.oidc:
        click.echo("Let op: er zijn geen gebruikers in [[dashboard.users]]; "
                   "maak een hash met `newsroom hash-password`.", err=True)
    if not port_is_free(port, address):  # Streamlit itself would print in English and exit 0
        raise click.ClickException(
            f"Poort {port} is bezet; er draait daar al iets (misschien een ander dashboard). "
            "Kies een andere poort met --port."
        )
    click.echo(f"Dashboard op http://{address}:{port}", err=True)
    completed = subprocess.run(streamlit_command(port, address), env=env, check=False)
    sys.exit(completed.returncode)


@click.command("demo-data")
@click.option("--documents", "-n", default=10_000, show_default=True,
              type=click.IntRange(1, 20_000_000), help="How many synthetic documents to add.")
@click.option("--db", "db_path", type=click.Path(dir_okay=False),
              help="Database file to fill (default: the configured store).")
@click.option("--days", default=365, show_default=True, type=click.IntRange(1, 3650),
              help="Spread the documents over this many days up to now.")
@click.option("--seed", default=7, show_default=True, help="Random seed (same seed, same data).")
@pass_app
def demo_data(app: AppContext, documents: int, db_path: str | None, days: int, seed: int) -> None:
    """Fill a database with a fictional load corpus (scores, topics, places, watches, rollups).

    For trying the dashboard on a big corpus: 1,000,000 documents take a few minutes.
    Every document is marked fictional and lives under the .invalid domain.
    """
    from newsroom.demo.synthetic import generate_corpus
    from storage.db import StorageError, open_db

    try:
        db = open_db(db_path) if db_path else app.db()
    except StorageError as exc:
        raise click.ClickException(str(exc)) from exc
    with click.progressbar(length=documents, label="Synthetische berichten",
                           file=sys.stderr) as bar:
        report = generate_corpus(db, documents, days=days, seed=seed, progress=bar.update)
    click.echo(
        f"{report.documents} berichten, {report.stories} verhalen, {report.watch_scores} "
        f"projectscores en {report.rollup_rows} dagtotalen geschreven in {report.seconds} s."
    )


@click.command("hash-password")
@click.option("--password", prompt="Wachtwoord", hide_input=True, confirmation_prompt=True,
              help="The password (asked for when left out, without echo).")
def hash_password(password: str) -> None:
    """Print a bcrypt hash for password_hash in [[dashboard.users]].

    The password must have at least 12 characters and not be a common one; `newsroom users
    add` stores users in the database instead.
    """
    from dashboard.passwords import hash_password as make_hash

    try:
        click.echo(make_hash(password))
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="password") from exc
