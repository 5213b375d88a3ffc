"""Entry point of the `newsroom` console script.

Commands live in one module per area (`newsroom.cli.<area>`); each module has a
`register(group)` function, so areas can grow without touching each other. What every
command shares (exit codes, `AppContext`) is in `newsroom.cli.context`, so the command
modules never import this one.
"""

from __future__ import annotations

from pathlib import Path

import click

from newsroom import __version__
from newsroom.cli import (
    api,
    backup,
    core,
    crawl,
    dashboard,
    demo,
    digest,
    jobs,
    labelling,
    model,
    nlp,
    places,
    privacy,
    retrain,
    sources,
    users,
    workers,
)
from newsroom.cli.context import (
    EXIT_FAILURE,
    EXIT_OK,
    EXIT_PARTIAL,
    EXIT_USAGE,
    AppContext,
    pass_app,
    setup_logging,
)

__all__ = ["EXIT_FAILURE", "EXIT_OK", "EXIT_PARTIAL", "EXIT_USAGE", "AppContext", "cli",
           "main", "pass_app"]

COMMAND_MODULES = (
    core,  # init, status, export
    crawl,  # crawl
    sources,  # sources types, sources check
    demo,  # demo (the embedded demo site and the make-run flow)
    nlp,  # score
    model,  # train, eval
    dashboard,  # dashboard, demo-data, hash-password
    users,  # users add/list/remove/passwd
    jobs,  # run (the scheduler)
    digest,  # digest, alerts
    backup,  # backup now, backup restore
    places,  # places import, places list
    privacy,  # erase, audit, register
    labelling,  # rules
    retrain,  # retrain
    workers,  # worker (queued tasks), status: Wachtrij
    api,  # api (the read-only HTTP API), api token create/list/revoke
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
    _module.register(cli)


def main() -> None:
    cli(prog_name="newsroom")


def default_path(path: str | None, fallback: Path) -> Path:
    """An explicit CLI path, else a path under the store's folder."""
    return Path(path) if path else fallback
