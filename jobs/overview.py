"""One line per configured job: its last run and outcome (job_runs) and next run (job store)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from core.config import Config
from jobs.specs import job_specs
from jobs.store import read_schedule
from storage.db import Database
from storage.jobs import JobRun, job_status

logger = logging.getLogger(__name__)

OUTCOME_WORDS = {
    "ok": "gelukt",
    "failed": "MISLUKT",
    "skipped": "overgeslagen",
    "running": "bezig",
    "interrupted": "afgebroken",
}
"""Dutch words for outcomes, as advisers read them in `newsroom status`."""


@dataclass(frozen=True)
class JobOverview:
    id: str
    label: str
    last_run: JobRun | None
    next_run: datetime | None
    scheduled: bool
    """False when the job store does not hold this job (the scheduler has not run yet)."""

    def as_dict(self) -> dict[str, object]:
        last = self.last_run
        return {
            "id": self.id,
            "label": self.label,
            "last_run": last.started.isoformat() if last else None,
            "outcome": last.outcome if last else None,
            "detail": last.detail if last else None,
            "next_run": self.next_run.isoformat() if self.next_run else None,
            "scheduled": self.scheduled,
        }


def job_overview(db: Database, config: Config) -> list[JobOverview]:
    """Every job the config asks for, in schedule order, with last and next run."""
    last_runs = job_status(db)
    try:
        schedule = read_schedule(config)
    except Exception as exc:  # an unreadable job store must not break `newsroom status`
        logger.warning("cannot read the job store: %s", exc)
        schedule = {}
    return [
        JobOverview(
            id=spec.id,
            label=spec.label,
            last_run=last_runs.get(spec.id),
            next_run=schedule.get(spec.id),
            scheduled=spec.id in schedule,
        )
        for spec in job_specs(config)
    ]


def overview_lines(db: Database, config: Config) -> list[str]:
    """The 'Taken' block of `newsroom status`: times in the configured time zone."""
    tz = ZoneInfo(config.schedule.timezone)
    rows = job_overview(db, config)
    lines = [
        f"{'taak':<28} {'laatste run':<16} {'resultaat':<12} {'volgende run':<16} details",
    ]
    for row in rows:
        last = row.last_run
        last_text = _local(last.started, tz) if last else "nooit"
        outcome = OUTCOME_WORDS.get(last.outcome, last.outcome) if last else "-"
        if row.next_run is not None:
            next_text = _local(row.next_run, tz)
        else:
            next_text = "gepauzeerd" if row.scheduled else "niet gepland"
        detail = (last.detail if last else "")[:80]
        lines.append(f"{row.id:<28} {last_text:<16} {outcome:<12} {next_text:<16} {detail}")
    if rows and not any(row.scheduled for row in rows):
        lines.append("De planner heeft nog niet gedraaid: start hem met `newsroom run`.")
    lines.append(f"(tijden in {config.schedule.timezone})")
    return lines


def _local(moment: datetime, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime("%d-%m-%Y %H:%M")
