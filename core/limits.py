"""The allowed range of every numeric setting, checked when newsroom.toml is loaded.

A zero or negative limit does not fail loudly where it is used: `concurrent_requests_per_domain
= 0` makes a crawl hang until its timeout, `timeout_seconds = 0` trips an assertion deep in
Twisted, `interval_minutes = 99999999999999999` overflows a date in `newsroom status`. So
each setting has one range here, and a value outside it stops the load with a Dutch message
(the person editing newsroom.toml reads it) that names the key and the fix.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from core.urlcheck import url_problem


class LimitError(ValueError):
    """A setting is outside its allowed range (a ConfigError is raised from it)."""


@dataclass(frozen=True)
class Limit:
    low: float
    high: float
    hint: str = ""
    """Extra advice after "Kies een waarde van … tot en met …"."""


MINUTES_PER_YEAR = 366 * 24 * 60

LIMITS: dict[str, Limit] = {
    "crawl.download_max_bytes": Limit(1_000, 1_000_000_000, "5000000 (5 MB) is gebruikelijk."),
    "crawl.timeout_seconds": Limit(1, 3600, "30 is gebruikelijk."),
    "crawl.retries": Limit(0, 10, "2 is gebruikelijk."),
    "crawl.concurrent_requests_per_domain": Limit(1, 32, "2 is beleefd tegenover een site."),
    "crawl.max_items_per_source": Limit(1, 100_000, "500 is gebruikelijk."),
    "schedule.score_interval_minutes": Limit(1, MINUTES_PER_YEAR),
    "schedule.rollup_interval_minutes": Limit(1, MINUTES_PER_YEAR),
    "schedule.alert_interval_minutes": Limit(1, MINUTES_PER_YEAR),
    "schedule.crawl_timeout_seconds": Limit(1, 86_400, "900 (een kwartier) is gebruikelijk."),
    "schedule.backup_keep": Limit(1, 1000, "7 bewaart een week."),
    "schedule.misfire_grace_seconds": Limit(1, 86_400, "600 is gebruikelijk."),
    "retention.social_days": Limit(0, 36_500, "0 betekent: voor altijd bewaren."),
    "retention.news_days": Limit(0, 36_500, "0 betekent: voor altijd bewaren."),
    "retention.official_days": Limit(0, 36_500, "0 betekent: voor altijd bewaren."),
    "model.batch_size": Limit(1, 4096, "32 is gebruikelijk."),
    "model.max_length": Limit(8, 512, "128 is gebruikelijk."),
    "model.batch_tokens": Limit(0, 10_000_000, "0 betekent: automatisch."),
    "model.threads": Limit(0, 1024, "0 betekent: automatisch."),
    "mail.port": Limit(1, 65_535, "587 voor starttls, 465 voor ssl."),
    "alerts.cooldown_hours": Limit(0, 24 * 366),
    "alerts.baseline_days": Limit(1, 366, "14 is gebruikelijk."),
    "alerts.min_count": Limit(1, 1_000_000, "5 is gebruikelijk."),
    "alerts.z_threshold": Limit(0.1, 100, "3.0 is gebruikelijk."),
    "alerts.silent_source_hours": Limit(1, 24 * 366, "48 is gebruikelijk."),
    "dashboard.cache_ttl_seconds": Limit(0, 86_400, "60 is gebruikelijk."),
    "sources.interval_minutes": Limit(1, MINUTES_PER_YEAR, "60 is gebruikelijk."),
    "retention.alerts_days": Limit(0, 36_500, "0 betekent: voor altijd bewaren."),
    "retention.digests_days": Limit(0, 36_500, "0 betekent: voor altijd bewaren."),
    "retention.logs_days": Limit(0, 36_500, "0 betekent: voor altijd bewaren."),
    "retention.backups_days": Limit(0, 36_500, "0 betekent: voor altijd bewaren."),
    "retention.audit_days": Limit(0, 36_500, "0 betekent: voor altijd bewaren."),
    "model.neutral_band": Limit(0, 1, "0.4 is een redelijk begin."),
    "dashboard.session_hours": Limit(1, 24 * 31, "12 is gebruikelijk."),
    "dashboard.idle_timeout_minutes": Limit(1, 24 * 60, "30 is gebruikelijk."),
    "retrain.min_corrections": Limit(1, 1_000_000, "50 is gebruikelijk."),
    "retrain.interval_hours": Limit(1, 24 * 366, "24 is gebruikelijk."),
    "retrain.tolerance": Limit(0, 0.1, "0.005 is gebruikelijk."),
    "workers.time_limit_seconds": Limit(1, 86_400, "1800 (een half uur) is gebruikelijk."),
    "workers.max_retries": Limit(0, 100, "3 is gebruikelijk."),
    "workers.retry_backoff_seconds": Limit(0, 86_400, "30 is gebruikelijk."),
    "workers.visibility_timeout_seconds": Limit(1, 7 * 86_400,
                                                "3600; houd het boven time_limit_seconds."),
    "workers.score_batch_documents": Limit(1, 100_000, "200 is gebruikelijk."),
}


def check(key: str, value: Any, limit_key: str | None = None) -> None:
    """Raise `LimitError` when a number is outside the range of its setting."""
    limit = LIMITS[limit_key or key]
    if isinstance(value, bool) or not isinstance(value, int | float):
        return
    if not limit.low <= value <= limit.high:
        raise LimitError(
            f"{key} = {value} kan niet: kies een waarde van {_number(limit.low)} tot en met "
            f"{_number(limit.high)} in newsroom.toml. {limit.hint}".strip()
        )


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def check_raw(data: dict[str, Any]) -> None:
    """Check the numbers of a parsed newsroom.toml before anything is built from them, so
    a range error is the first thing the editor of the file sees."""
    for key in LIMITS:
        section, name = key.split(".", 1)
        table = data.get(section)
        if section != "sources" and isinstance(table, dict) and name in table:
            check(key, table[name])
    sources = data.get("sources")
    if isinstance(sources, list):
        for index, raw in enumerate(sources):
            if isinstance(raw, dict) and "interval_minutes" in raw:
                check(f"sources[{index}].interval_minutes", raw["interval_minutes"],
                      "sources.interval_minutes")


def check_config(config: Any) -> None:
    """Check every numeric setting of a loaded config and every source URL.

    Raises `LimitError` (the loader turns it into a ConfigError) for the first problem.
    """
    for section in ("crawl", "schedule", "retention", "model", "mail", "alerts", "dashboard",
                    "retrain", "workers"):
        settings = getattr(config, section)
        for item in dataclasses.fields(settings):
            key = f"{section}.{item.name}"
            if key in LIMITS:
                check(key, getattr(settings, item.name))
    for index, source in enumerate(config.sources):
        check(f"sources[{index}].interval_minutes", source.interval_minutes,
              "sources.interval_minutes")
        problem = url_problem(source.url)
        if problem:
            raise LimitError(f"sources[{index}].url: {source.url!r} is geen bruikbaar adres: "
                             f"{problem}. Verbeter het adres in newsroom.toml.")
    mail = config.mail
    if mail.security == "none" and not mail.allow_plaintext_auth and mail.username:
        raise LimitError(
            "mail.security = \"none\" zou je wachtwoord onversleuteld versturen: kies "
            "\"starttls\" of \"ssl\", of zet mail.allow_plaintext_auth = true als de "
            "server echt alleen op deze machine draait."
        )
