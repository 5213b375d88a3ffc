"""Which jobs the config asks for, and when each one fires.

A `JobSpec` is the config's side of a scheduled job; `scheduler.sync_jobs` makes the job
store match the list returned by `job_specs(config)`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from core.config import Config
from jobs import tasks


@dataclass(frozen=True)
class JobSpec:
    id: str
    func: Callable[..., str]
    """A module-level function of `jobs.tasks`; the job store keeps its `module:name`."""
    args: tuple[Any, ...]
    trigger: BaseTrigger
    label: str
    """Dutch description for `newsroom status` and `newsroom jobs`."""


def job_specs(config: Config) -> list[JobSpec]:
    """Every job the config asks for: one crawl per enabled source, then the shared jobs."""
    schedule = config.schedule
    tz = schedule.timezone
    # Absolute, so a scheduler started from another folder finds the same stored jobs.
    path = str(config.path.resolve()) if config.path is not None else None
    specs = [
        JobSpec(
            id=f"crawl:{source.id}",
            func=tasks.crawl_source,
            args=(path, source.id),
            trigger=IntervalTrigger(minutes=source.interval_minutes, timezone=tz),
            label=f"Bron {source.name} ophalen (elke {source.interval_minutes} min)",
        )
        for source in config.sources
        if source.enabled
    ]
    specs += [
        JobSpec("score", tasks.score, (path,),
                IntervalTrigger(minutes=schedule.score_interval_minutes, timezone=tz),
                f"Sentiment scoren (elke {schedule.score_interval_minutes} min)"),
        JobSpec("rollup", tasks.rollup, (path,),
                IntervalTrigger(minutes=schedule.rollup_interval_minutes, timezone=tz),
                f"Dagtotalen bijwerken (elke {schedule.rollup_interval_minutes} min)"),
        JobSpec("alerts", tasks.alerts, (path,),
                IntervalTrigger(minutes=schedule.alert_interval_minutes, timezone=tz),
                f"Pieken en stille bronnen melden (elke {schedule.alert_interval_minutes} min)"),
        JobSpec("digest", tasks.digest, (path,),
                daily_at(schedule.digest_time, tz, day_of_week=schedule.digest_day),
                f"Weekoverzicht versturen ({schedule.digest_day} {schedule.digest_time})"),
        JobSpec("purge", tasks.purge, (path,), daily_at(schedule.purge_time, tz),
                f"Bewaartermijnen toepassen (dagelijks {schedule.purge_time})"),
        JobSpec("backup", tasks.backup, (path,), daily_at(schedule.backup_time, tz),
                f"Back-up maken (dagelijks {schedule.backup_time}, "
                f"{schedule.backup_keep} bewaard)"),
    ]
    if config.retrain.dev_sets:  # without fixed development sets there is nothing to judge on
        hours = config.retrain.interval_hours
        specs.append(JobSpec("retrain", tasks.retrain, (path,),
                             IntervalTrigger(hours=hours, timezone=tz),
                             f"Model bijleren van correcties (elke {hours} uur, als er "
                             f"{config.retrain.min_corrections} nieuwe zijn)"))
    return specs


def daily_at(hh_mm: str, timezone: str, day_of_week: str = "*") -> CronTrigger:
    """A wall-clock trigger in `timezone`: 08:00 stays 08:00 local across DST changes."""
    hour, minute = (int(part) for part in hh_mm.split(":"))
    return CronTrigger(day_of_week=day_of_week, hour=hour, minute=minute, timezone=timezone)


def same_trigger(a: BaseTrigger, b: BaseTrigger) -> bool:
    """Whether two triggers fire on the same schedule (ignoring interval start dates).

    An interval trigger made on each start has a new start date; comparing it whole would
    replace the stored job on every restart and lose its next run time.
    """
    if type(a) is not type(b):
        return False
    if isinstance(a, IntervalTrigger) and isinstance(b, IntervalTrigger):
        return a.interval == b.interval and str(a.timezone) == str(b.timezone)
    return str(a) == str(b) and str(getattr(a, "timezone", "")) == str(getattr(b, "timezone", ""))
