"""When jobs fire: frozen datetimes fed to each trigger's get_next_fire_time.

Engine-free: no test here opens the store, so nothing to run on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from core.config import Config, ConfigError, load_config
from jobs import tasks
from jobs.specs import JobSpec, daily_at, job_specs, same_trigger
from tests.scheduler.conftest import write_config

AMS = ZoneInfo("Europe/Amsterdam")


def _spec(config: Config, job_id: str) -> JobSpec:
    return next(spec for spec in job_specs(config) if spec.id == job_id)


def _next(spec: JobSpec, now: datetime) -> datetime:
    fire = spec.trigger.get_next_fire_time(None, now)
    assert fire is not None
    return fire


def test_every_enabled_source_gets_its_own_crawl_job(config: Config) -> None:
    ids = [spec.id for spec in job_specs(config)]
    assert ids == [
        "crawl:ad-dordrecht", "crawl:mastodon-dordrecht",
        "score", "rollup", "alerts", "digest", "purge", "backup",
    ]
    crawl = _spec(config, "crawl:mastodon-dordrecht")
    assert crawl.func is tasks.crawl_source
    assert crawl.args == (str(config.path), "mastodon-dordrecht")
    assert isinstance(crawl.trigger, IntervalTrigger)
    assert crawl.trigger.interval == timedelta(minutes=20)


def test_interval_jobs_follow_the_schedule_settings(tmp_path: Path) -> None:
    config = load_config(write_config(
        tmp_path, extra="score_interval_minutes = 5\nrollup_interval_minutes = 45\n"
    ))
    start = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)
    score = _spec(config, "score").trigger
    assert isinstance(score, IntervalTrigger)
    first = score.get_next_fire_time(None, start)
    assert first is not None
    assert score.get_next_fire_time(first, first) == first + timedelta(minutes=5)
    rollup = _spec(config, "rollup").trigger
    assert isinstance(rollup, IntervalTrigger)
    assert rollup.interval == timedelta(minutes=45)


@pytest.mark.parametrize(
    ("now", "expected_utc"),
    [
        # Winter time (CET, UTC+1): Monday 23 March 2026 08:00 local is 07:00 UTC.
        (datetime(2026, 3, 18, 12, 0, tzinfo=UTC), datetime(2026, 3, 23, 7, 0, tzinfo=UTC)),
        # DST starts Sunday 29 March; the next Monday 08:00 local is 06:00 UTC.
        (datetime(2026, 3, 23, 7, 0, 1, tzinfo=UTC), datetime(2026, 3, 30, 6, 0, tzinfo=UTC)),
        # DST ends Sunday 25 October; Monday 26 October 08:00 local is 07:00 UTC again.
        (datetime(2026, 10, 19, 6, 0, 1, tzinfo=UTC), datetime(2026, 10, 26, 7, 0, tzinfo=UTC)),
        # Exactly at the fire time, it fires then.
        (datetime(2026, 10, 19, 6, 0, tzinfo=UTC), datetime(2026, 10, 19, 6, 0, tzinfo=UTC)),
    ],
)
def test_digest_fires_monday_0800_amsterdam_across_dst(
    config: Config, now: datetime, expected_utc: datetime
) -> None:
    fire = _next(_spec(config, "digest"), now)
    assert fire.astimezone(UTC) == expected_utc
    local = fire.astimezone(AMS)
    assert (local.weekday(), local.hour, local.minute) == (0, 8, 0)


def test_digest_runs_every_week_at_the_same_local_time_through_a_year(config: Config) -> None:
    trigger = _spec(config, "digest").trigger
    fire = trigger.get_next_fire_time(None, datetime(2026, 1, 1, tzinfo=UTC))
    seen = []
    for _ in range(53):
        assert fire is not None
        local = fire.astimezone(AMS)
        assert (local.weekday(), local.hour, local.minute) == (0, 8, 0)
        seen.append(fire.astimezone(UTC))
        fire = trigger.get_next_fire_time(fire, fire + timedelta(seconds=1))
    gaps = {later - earlier for earlier, later in zip(seen, seen[1:], strict=False)}
    # Weeks across a DST change are an hour shorter or longer in absolute time.
    assert gaps == {timedelta(days=7), timedelta(days=7, hours=-1), timedelta(days=7, hours=1)}


def test_digest_day_and_time_are_configurable(tmp_path: Path) -> None:
    config = load_config(write_config(
        tmp_path, extra='digest_day = "fri"\ndigest_time = "16:30"\ntimezone = "Europe/London"\n'
    ))
    fire = _next(_spec(config, "digest"), datetime(2026, 7, 1, tzinfo=UTC))
    local = fire.astimezone(ZoneInfo("Europe/London"))
    assert (local.date().isoformat(), local.hour, local.minute) == ("2026-07-03", 16, 30)


def test_purge_and_backup_fire_daily_at_local_times(config: Config) -> None:
    purge = _next(_spec(config, "purge"), datetime(2026, 3, 28, 12, 0, tzinfo=UTC))
    backup = _next(_spec(config, "backup"), datetime(2026, 3, 28, 12, 0, tzinfo=UTC))
    # The night DST starts, 03:30 and 04:00 local exist and are UTC+2.
    assert purge == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert backup == datetime(2026, 3, 29, 2, 0, tzinfo=UTC)


def test_bad_schedule_values_are_refused_with_the_key_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="digest_time"):
        load_config(write_config(tmp_path, extra='digest_time = "8 uur"\n'))


def test_same_trigger_ignores_interval_start_but_not_interval_or_zone() -> None:
    a = IntervalTrigger(minutes=15, timezone="Europe/Amsterdam")
    b = IntervalTrigger(minutes=15, timezone="Europe/Amsterdam",
                        start_date=datetime(2030, 1, 1, tzinfo=UTC))
    assert same_trigger(a, b)
    assert not same_trigger(a, IntervalTrigger(minutes=16, timezone="Europe/Amsterdam"))
    assert not same_trigger(a, IntervalTrigger(minutes=15, timezone="UTC"))
    monday = daily_at("08:00", "Europe/Amsterdam", day_of_week="mon")
    assert same_trigger(monday, daily_at("08:00", "Europe/Amsterdam", day_of_week="mon"))
    assert not same_trigger(monday, daily_at("08:00", "Europe/Amsterdam", day_of_week="tue"))
    assert not same_trigger(monday, daily_at("08:00", "UTC", day_of_week="mon"))
    assert not same_trigger(monday, a)
    assert isinstance(monday, CronTrigger)
