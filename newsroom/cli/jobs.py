"""Scheduler commands: `run` (the scheduler, or one job with --once) and `jobs` (overview).

Also adds the "Taken" block to `newsroom status`.
"""

from __future__ import annotations

import json
import sys

import click

from jobs.overview import OUTCOME_WORDS, job_overview, overview_lines
from newsroom.cli.context import EXIT_FAILURE, AppContext, pass_app
from newsroom.cli.core import add_status_section
from newsroom.sync import sync_config_to_store
from storage.jobs import list_job_runs


def register(group: click.Group) -> None:
    group.add_command(run)
    group.add_command(jobs)
    add_status_section("Taken", overview_lines)


@click.command()
@click.option("--once", "once", metavar="JOB",
              help="Run this one job now and exit (e.g. score, purge, backup, crawl:SOURCE); "
                   "see `newsroom jobs` for the ids.")
@pass_app
def run(app: AppContext, once: str | None) -> None:
    """Start the scheduler in the foreground (stop with Ctrl-C or SIGTERM).

    Crawls every source on its own interval, scores, refreshes rollups, checks alerts,
    sends the weekly digest, applies retention and backs up the database. Jobs and their
    next run times persist in scheduler.db beside the database; edits to newsroom.toml
    (sources added or removed, intervals, times) are picked up while it runs.
    Exit code with --once: 0 when the job succeeded or had nothing to do, 1 when it failed.
    """
    import scheduler

    config = app.config
    db = app.db()
    sync_config_to_store(db, config)
    db.conn.close()
    if once:
        try:
            outcome = scheduler.run_once(config, once)
        except scheduler.SchedulerError as exc:
            raise click.UsageError(str(exc)) from exc
        click.echo(f"Taak {once}: {OUTCOME_WORDS.get(outcome, outcome)}")
        if outcome == "failed":
            sys.exit(EXIT_FAILURE)
        return
    click.echo("Planner gestart; stop met Ctrl-C.", err=True)
    try:
        scheduler.run_forever(config)
    except scheduler.SchedulerError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo("Planner gestopt.", err=True)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option("--history", type=click.IntRange(min=0), default=0, show_default=True,
              help="Also list this many most recent runs (all jobs).")
@pass_app
def jobs(app: AppContext, as_json: bool, history: int) -> None:
    """List the scheduled jobs with their last run, outcome and next run."""
    db = app.db()
    if as_json:
        payload: dict[str, object] = {
            "jobs": [row.as_dict() for row in job_overview(db, app.config)]
        }
        if history:
            payload["history"] = [
                {**run.__dict__, "started": run.started.isoformat(),
                 "ended": run.ended.isoformat() if run.ended else None}
                for run in list_job_runs(db, limit=history)
            ]
        click.echo(json.dumps(payload, indent=2))
        return
    for line in overview_lines(db, app.config):
        click.echo(line)
    if history:
        click.echo(f"\nLaatste {history} runs")
        for job_run in list_job_runs(db, limit=history):
            seconds = f"{job_run.seconds:.0f}s" if job_run.seconds is not None else "-"
            click.echo(
                f"  {job_run.started:%Y-%m-%d %H:%M} UTC  {job_run.job_id:<28} "
                f"{OUTCOME_WORDS.get(job_run.outcome, job_run.outcome):<12} {seconds:>6}  "
                f"{job_run.detail[:80]}"
            )
