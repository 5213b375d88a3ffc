"""Detect spikes and silent sources, store them as alerts, and send the new ones.

Windows are whole hours: the last window is the 24 hours up to the current hour, the
baseline the `config.alerts.baseline_days` 24-hour windows before it. Because windows are
aligned to the hour, two runs within the same hour produce the same dedupe key. Spikes that
share evidence become one incident with one alert (`alerts.incidents`); while an incident is
open (a spike within `config.alerts.cooldown_hours`) later spikes update it instead of
alerting again. Source problems keep a per-source cooldown.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from alerts.spikes import Spike, detect_spike
from core.config import Config
from core.records import utcnow
from core.timeutil import to_iso
from outbox.messages import source_message, spike_message
from storage.alerts import Alert, Observation, insert_alert, last_alert_time, observations
from storage.crawl_log import source_health
from storage.db import Database

logger = logging.getLogger(__name__)

WINDOW = timedelta(hours=24)
FAILING_RUNS = 3
"""Crawls that must fail in a row before a source counts as failing."""
MAX_EVIDENCE_ITEMS = 10


@dataclass(frozen=True)
class Scope:
    """What a series counts: everything, one topic or one watch."""

    type: str
    key: str


def run_alerts(db: Database, config: Config, now: datetime | None = None,
               notify: bool = True) -> list[Alert]:
    """Detect, store and notify; returns the new alerts (one per new incident or source).

    Spikes that share evidence are one incident with one alert; spikes that belong to an
    open incident update it instead of alerting again (`alerts.incidents`). Source problems
    keep their per-source cooldown. Deliveries that failed on an earlier run (within the
    cooldown) are retried too. With `notify=False` nothing is sent (alerts are still stored).
    """
    from alerts.incidents import apply_plan, plan_incidents

    now = now or utcnow()
    plan = plan_incidents(db, config, now)
    stored = apply_plan(db, plan)
    sources = [a for a in (_store(db, config, a, now)
                           for a in detect_source_problems(db, config, now)) if a]
    logger.info("alert run at %s: %d new incidents, %d updated, %d in cooldown, "
                "%d source alerts", to_iso(now), len(stored), len(plan.updates),
                len(plan.cooling), len(sources))
    stored += sources
    if notify:
        from alerts.notify import notify_alerts

        notify_alerts(db, config, stored, now)
    return stored


def source_problems_due(db: Database, config: Config,
                        now: datetime) -> tuple[list[Alert], list[Alert]]:
    """Source problems split into (would alert now, still in their cooldown); no writes."""
    due: list[Alert] = []
    cooling: list[Alert] = []
    for alert in detect_source_problems(db, config, now):
        last = last_alert_time(db, alert.kind, alert.scope_type, alert.scope_key)
        in_cooldown = last is not None and now - last < timedelta(
            hours=config.alerts.cooldown_hours)
        (cooling if in_cooldown else due).append(alert)
    return due, cooling


def detect_alerts(db: Database, config: Config, now: datetime) -> list[Alert]:
    """Every alert the data supports right now, before dedupe and cooldown (no writes)."""
    return [*detect_spikes(db, config, now), *detect_source_problems(db, config, now)]


def _store(db: Database, config: Config, alert: Alert, now: datetime) -> Alert | None:
    last = last_alert_time(db, alert.kind, alert.scope_type, alert.scope_key)
    if last is not None and now - last < timedelta(hours=config.alerts.cooldown_hours):
        logger.debug("alert %s in cooldown since %s", alert.dedupe_key, last)
        return None
    stored = insert_alert(db, alert)
    if stored is None:
        logger.debug("alert %s already stored", alert.dedupe_key)
    return stored


def window_end_for(now: datetime) -> datetime:
    """The end of the last window: `now` rounded down to the whole hour."""
    return now.replace(minute=0, second=0, microsecond=0)


def detect_spikes(db: Database, config: Config, now: datetime) -> list[Alert]:
    """Volume and negative spikes overall, per topic and per watch."""
    return [candidate.alert for candidate in spike_candidates(db, config, now)]


@dataclass(frozen=True)
class SpikeCandidate:
    """One spike with its evidence: the documents that make up its window's count."""

    alert: Alert
    evidence: frozenset[str]
    observations: tuple[Observation, ...]


def spike_candidates(db: Database, config: Config,
                     now: datetime) -> list[SpikeCandidate]:
    """Every spike with the ids of the documents it counted (the base of incident grouping)."""
    settings = config.alerts
    end = window_end_for(now)
    start = end - WINDOW * (settings.baseline_days + 1)
    rows = observations(db, start, end)
    windows = settings.baseline_days + 1
    volume: dict[Scope, list[int]] = {}
    negative: dict[Scope, list[int]] = {}
    in_window: dict[Scope, list[tuple[Observation, bool]]] = {}
    for obs in rows:
        # Index 0 is the latest window, 1..baseline_days the baseline.
        index = min(windows - 1, int((end - obs.time) / WINDOW))
        for scope, is_negative in _scopes_of(obs):
            volume.setdefault(scope, [0] * windows)[index] += 1
            negative.setdefault(scope, [0] * windows)[index] += int(is_negative)
            if index == 0:
                in_window.setdefault(scope, []).append((obs, is_negative))
    found = []
    for scope, series in sorted(volume.items(), key=lambda kv: (kv[0].type, kv[0].key)):
        for kind, values in (("volume_spike", series), ("negative_spike", negative[scope])):
            spike = detect_spike(values[0], values[1:], settings.min_count, settings.z_threshold)
            if spike is None:
                continue
            counted = [o for o, is_neg in in_window.get(scope, [])
                       if kind == "volume_spike" or is_neg]
            alert = _spike_alert(kind, scope, spike, end, now, settings.baseline_days, counted)
            found.append(SpikeCandidate(alert, frozenset(o.document_id for o in counted),
                                        tuple(counted)))
    return found


def _scopes_of(obs: Observation) -> Iterable[tuple[Scope, bool]]:
    negative = obs.label == "negatief"
    yield Scope("overall", "alles"), negative
    for topic in obs.topics:
        yield Scope("topic", topic), negative
    for watch, label in obs.watches:
        yield Scope("watch", watch), label == "negatief"


def _spike_alert(kind: str, scope: Scope, spike: Spike, end: datetime, now: datetime,
                 baseline_days: int, items: list[Observation]) -> Alert:
    if kind == "negative_spike":
        items = sorted(items, key=lambda o: (-o.p_neg, o.document_id))
    else:
        items = sorted(items, key=lambda o: (o.time, o.document_id), reverse=True)
    figures = {
        "window_hours": int(WINDOW.total_seconds() // 3600),
        "count": spike.value,
        "baseline_days": baseline_days,
        "baseline_median": spike.median,
        "baseline_mad": spike.mad,
        "baseline_scale": round(spike.scale, 3),
        "z": spike.z,
    }
    alert = Alert(
        kind=kind,
        scope_type=scope.type,
        scope_key=scope.key,
        window_start=end - WINDOW,
        window_end=end,
        figures=figures,
        items=[
            {"id": o.document_id, "title": o.title[:300], "url": o.url, "label": o.label,
             "time": to_iso(o.time)}
            for o in items[:MAX_EVIDENCE_ITEMS]
        ],
        message="",
        dedupe_key=f"{kind}:{scope.type}:{scope.key}:{to_iso(end)}",
        created=now,
    )
    alert.message = spike_message(alert)
    return alert


def detect_source_problems(db: Database, config: Config, now: datetime) -> list[Alert]:
    """Sources that have been silent too long, or whose crawls keep failing."""
    enabled = {s.id for s in config.sources if s.enabled}
    limit = config.alerts.silent_source_hours
    end = window_end_for(now)
    alerts = []
    for health in source_health(db, now=now):
        if enabled and health.source_id not in enabled:
            continue
        problems: list[tuple[str, dict[str, float | int | str | None]]] = []
        if health.silent_hours is not None and health.silent_hours > limit:
            problems.append(("silent_source", {"silent_hours": health.silent_hours,
                                               "limit_hours": limit}))
        if health.consecutive_failures >= FAILING_RUNS:
            problems.append(("failing_source", {
                "consecutive_failures": health.consecutive_failures,
                "last_success": to_iso(health.last_success),
                "last_status": health.last_status,
            }))
        for kind, figures in problems:
            silent = float(health.silent_hours or 0.0)
            alert = Alert(
                kind=kind,
                scope_type="source",
                scope_key=health.source_id,
                window_start=now - timedelta(hours=silent) if kind == "silent_source" else end,
                window_end=end,
                figures={**figures, "source_name": health.name},
                message="",
                dedupe_key=f"{kind}:source:{health.source_id}:{to_iso(end)}",
                created=now,
            )
            alert.message = source_message(alert)
            alerts.append(alert)
    return alerts
