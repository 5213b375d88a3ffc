"""`newsroom worker`: run queued tasks (issue 16), and the "Wachtrij" block of `newsroom status`."""

from __future__ import annotations

import click

from newsroom.cli.context import AppContext, pass_app
from newsroom.cli.core import add_status_section
from workers.app import QUEUES, WorkersNotConfigured, run_worker
from workers.state import queue_lines


def register(group: click.Group) -> None:
    group.add_command(worker)
    add_status_section("Wachtrij", queue_lines)


def _parse_queues(ctx: click.Context, param: click.Parameter, value: str) -> list[str]:
    queues = [q.strip() for q in value.split(",") if q.strip()]
    unknown = [q for q in queues if q not in QUEUES]
    if unknown or not queues:
        raise click.BadParameter(
            f"onbekende wachtrij {', '.join(unknown) or '(leeg)'}; kies uit {', '.join(QUEUES)}"
        )
    return queues


@click.command()
@click.option("--queues", default=",".join(QUEUES), show_default=True,
              callback=_parse_queues,
              help="Comma-separated queues this worker takes tasks from (crawl, score, jobs).")
@click.option("--concurrency", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Tasks run at the same time (one process each).")
@pass_app
def worker(app: AppContext, queues: list[str], concurrency: int) -> None:
    """Run queued tasks until stopped (needs [workers] broker_url in newsroom.toml).

    Start as many as you like, on this machine or others with the same newsroom.toml: each
    takes one task at a time. Ctrl-C or SIGTERM lets the running task finish first.
    """
    try:
        run_worker(app.config, queues, concurrency)
    except WorkersNotConfigured as exc:
        raise click.UsageError(str(exc)) from exc
