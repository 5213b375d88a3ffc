"""`newsroom demo serve | run`: the fictional demo site and the `make run` flow."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from core.config import ConfigError

logger = logging.getLogger(__name__)


def register(group: click.Group) -> None:
    group.add_command(demo)


@click.group()
def demo() -> None:
    """The offline demo: a fictional Dordrecht news site on 127.0.0.1.

    Every item on it is invented and marked fictional.
    """


@demo.command()
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Port on 127.0.0.1 to serve on (0 picks a free one).")
def serve(port: int) -> None:
    """Serve the demo site in the foreground until Ctrl-C."""
    from newsroom.demo.site import DemoSite

    try:
        site = DemoSite(port=port)
    except OSError as exc:
        raise click.ClickException(
            f"Kan niet luisteren op poort {port}: {exc.strerror}. Kies een andere met --port."
        ) from exc
    click.echo(f"Demosite op {site.base_url}/ (stoppen met Ctrl-C)")
    click.echo(f"  RSS:      {site.base_url}/drechtstad/feed.xml")
    click.echo(f"  Sitemap:  {site.base_url}/merwede/sitemap.xml")
    click.echo(f"  Gemeente: {site.base_url}/gemeente/nieuws")
    click.echo(f"  Mastodon: {site.base_url}/api/v1/timelines/tag/dordrecht")
    try:
        site.serve_forever()
    except KeyboardInterrupt:
        click.echo("Gestopt.")
    finally:
        site.stop()


@demo.command()
@click.option("--port", type=click.IntRange(1, 65535), default=None,
              help="Port for the demo site (default: the one the last run used, else a free "
                   "one). A new port on an existing --dir means new URLs: combine it with --fresh.")
@click.option("--dir", "workdir", type=click.Path(file_okay=False, path_type=Path),
              default=Path("var/demo"), show_default=True,
              help="Folder for the demo config and database.")
@click.option("--no-dashboard", is_flag=True,
              help="Crawl, score and print the summary, then exit (no dashboard).")
@click.option("--no-score", is_flag=True,
              help="Skip sentiment scoring (faster; score later with `newsroom score`).")
@click.option("--fresh", is_flag=True,
              help="Forget earlier demo runs in --dir and start with a corpus that ends now.")
@click.option("--dashboard-port", type=click.IntRange(1, 65535), default=None,
              help="Port for the dashboard (default 8501; a free one when 8501 is busy). "
                   "A busy port given here is an error.")
@click.option("--mail-port", type=click.IntRange(1, 65535), default=None,
              help="Port of the demo mailbox that catches digest and alert mails (default "
                   "8025; a free one when 8025 is busy). A busy port given here is an error.")
def run(port: int | None, workdir: Path, no_dashboard: bool, no_score: bool, fresh: bool,
        dashboard_port: int | None, mail_port: int | None) -> None:
    """Start the demo site, crawl it with the real spiders, score, and open the dashboard.

    Running it again on the same --dir adds nothing: the crawl is idempotent.
    """
    from newsroom.demo.ports import (
        DEFAULT_DASHBOARD_PORT,
        DEFAULT_MAIL_PORT,
        PortBusyError,
        choose_port,
    )
    from newsroom.demo.run import (
        DemoError,
        format_summary,
        run_pipeline,
        serve_dashboard,
        staleness_note,
        start_demo,
    )

    try:  # before anything is written, so a busy port leaves --dir as it was
        mail = choose_port(mail_port, DEFAULT_MAIL_PORT, "de demo-mailbox", "--mail-port")
        board = (
            choose_port(dashboard_port, DEFAULT_DASHBOARD_PORT, "het dashboard",
                        "--dashboard-port")
            if not no_dashboard else None
        )
    except PortBusyError as exc:
        raise click.ClickException(str(exc)) from exc
    for choice in (mail, board):
        if choice is not None and choice.note:
            click.echo(choice.note)
    try:
        demo_run = start_demo(
            workdir, port, fresh=fresh, mail_port=mail.port,
            dashboard_port=board.port if board else DEFAULT_DASHBOARD_PORT,
        )
    except DemoError as exc:
        raise click.ClickException(str(exc)) from exc
    except ConfigError as exc:  # the written config must validate; a failure is our bug
        raise click.ClickException(f"Demo config invalid: {exc}") from exc
    try:
        click.echo(f"Demosite op {demo_run.site.base_url}/ — config {demo_run.config_path}")
        summary = run_pipeline(demo_run, click.echo, scoring=not no_score)
        for line in format_summary(summary):
            click.echo(line)
        note = staleness_note(demo_run)
        if note:
            click.echo(note)
        if not no_dashboard:
            click.echo(f"Dashboard op http://localhost:{demo_run.dashboard_port}, "
                       f"demo-mailbox op poort {demo_run.config.mail.port}.")
            serve_dashboard(demo_run, click.echo)
    finally:
        demo_run.site.stop()
