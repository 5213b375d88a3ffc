"""`newsroom.toml`: one file for sources, watches, schedule, mail, retention, model and storage.

Validated on load; every error names the key, what is wrong and how to fix it. Secrets are
never read from the file, only the *names* of environment variables that hold them.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
from pathlib import Path
from typing import Any, get_args

from core import redact
from core.config.settings import (
    CONFIG_ENV,
    DEFAULT_CONFIG_FILE,
    RETENTION_STORES,
    WEBHOOK_TYPES,
    AlertSettings,
    Config,
    ConfigError,
    CrawlSettings,
    DashboardSettings,
    DashboardUser,
    MailSettings,
    ModelSettings,
    PrivacySettings,
    Recipient,
    RetentionSettings,
    RetrainSettings,
    ScheduleSettings,
    Webhook,
    WorkerSettings,
)
from core.config.storage import parse_storage
from core.config.workers import check_workers
from core.limits import LimitError, check_config, check_raw
from core.records import DocumentKind, Source, SourceType, Watch


def find_config_path(explicit: str | Path | None = None) -> Path | None:
    """The config file to use: --config, then $NEWSROOM_CONFIG, then ./newsroom.toml."""
    if explicit:
        return Path(explicit)
    if os.environ.get(CONFIG_ENV):
        return Path(os.environ[CONFIG_ENV])
    default = Path(DEFAULT_CONFIG_FILE)
    return default if default.exists() else None


def load_config(path: str | Path | None = None) -> Config:
    """Load and validate newsroom.toml; with no file at all, the documented defaults."""
    resolved = find_config_path(path)
    if resolved is None:
        return Config()
    if not resolved.exists():
        raise ConfigError(f"Config file {resolved} does not exist. Create it with `newsroom init`.")
    try:
        data = tomllib.loads(resolved.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{resolved} is not valid TOML: {exc}") from exc
    return parse_config(data, base_dir=resolved.parent, path=resolved)


def parse_config(
    data: dict[str, Any], base_dir: Path = Path("."), path: Path | None = None
) -> Config:
    """Validate a parsed TOML mapping into a `Config`."""
    known = {
        "storage", "crawl", "schedule", "retention", "model", "mail",
        "alerts", "dashboard", "privacy", "sources", "watches", "retrain",
        "workers",
    }
    _reject_unknown("", data, known)
    try:
        check_raw(data)
    except LimitError as exc:
        raise ConfigError(str(exc)) from exc
    storage_path, storage_url = parse_storage(_section(data, "storage", {"path", "url"}), base_dir)
    config = Config(
        path=path,
        storage_path=storage_path,
        storage_url=storage_url,
        crawl=_build(CrawlSettings, _section(data, "crawl"), "crawl"),
        schedule=_validate_schedule(
            _build(ScheduleSettings, _section(data, "schedule"), "schedule")
        ),
        retention=_validate_retention(
            _build(RetentionSettings, _section(data, "retention"), "retention")
        ),
        model=_resolve_head_path(
            _validate_model(_build(ModelSettings, _section(data, "model"), "model")), base_dir
        ),
        mail=_parse_mail(_section(data, "mail")),
        alerts=_parse_alerts(_section(data, "alerts")),
        retrain=_parse_retrain(_section(data, "retrain"), base_dir),
        workers=check_workers(
            _build(WorkerSettings, _section(data, "workers"), "workers")
        ),
        dashboard=_parse_dashboard(_section(data, "dashboard")),
        privacy=_build(PrivacySettings, _section(data, "privacy"), "privacy"),
        sources=_parse_sources(data.get("sources", [])),
        watches=_parse_watches(data.get("watches", [])),
    )
    try:
        check_config(config)
    except LimitError as exc:
        raise ConfigError(str(exc)) from exc
    redact.register_env(redact.config_secret_envs(config))
    return config


def _section(data: dict[str, Any], name: str, allowed: set[str] | None = None) -> dict[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise ConfigError(
            f"[{name}] must be a table (a [{name}] section), not {type(value).__name__}"
        )
    if allowed is not None:
        _reject_unknown(name, value, allowed)
    return value


def _reject_unknown(prefix: str, value: dict[str, Any], allowed: set[str]) -> None:
    for key in value:
        if key not in allowed:
            where = f"{prefix}.{key}" if prefix else key
            raise ConfigError(
                f"{where}: unknown key. Allowed here: {', '.join(sorted(allowed))}. "
                "Check the spelling against README.md (Configuration)."
            )


def _get(section: dict[str, Any], key: str, kind: type, default: Any) -> Any:
    name = key.rsplit(".", 1)[-1]
    value = section.get(name, default)
    return _check_type(key, value, kind)


def _check_type(key: str, value: Any, kind: Any) -> Any:
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if kind is tuple:
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{key}: expected a list of strings, got {value!r}")
        return tuple(value)
    if kind is int and isinstance(value, bool):
        raise ConfigError(f"{key}: expected a whole number, got {value!r}")
    if not isinstance(value, kind):
        raise ConfigError(f"{key}: expected {_type_word(kind)}, got {value!r}")
    return value


def _resolve_head_path(model: ModelSettings, base_dir: Path) -> ModelSettings:
    """Relative `head_path` / `news_head_path` are relative to newsroom.toml. A configured news
    head must exist, or every news document would fail at the first run, not at start-up."""
    if model.head_path and not Path(model.head_path).expanduser().is_absolute():
        model = dataclasses.replace(model, head_path=str(base_dir / model.head_path))
    if model.news_head_path:
        news = base_dir / Path(model.news_head_path).expanduser()  # absolute stays absolute
        if not news.is_file():
            raise ConfigError(
                f"model.news_head_path: {news} does not exist. Point it at a model file "
                '(.npz), leave it out for the shipped news model, or set it to "" to score '
                "news with the main model."
            )
        model = dataclasses.replace(model, news_head_path=str(news))
    return model


def _type_word(kind: type) -> str:
    words = {int: "a whole number", float: "a number", str: "text in quotes", bool: "true or false"}
    return words.get(kind, kind.__name__)


def _build(cls: Any, section: dict[str, Any], prefix: str) -> Any:
    """Build a settings dataclass from a TOML table, type-checking every key."""
    fields = cls.__dataclass_fields__
    _reject_unknown(prefix, section, set(fields))
    values = {}
    for name, value in section.items():
        declared = fields[name].type
        type_name = declared if isinstance(declared, str) else getattr(declared, "__name__", "")
        kind = {"int": int, "str": str, "bool": bool, "float": float}.get(
            type_name.removesuffix(" | None")
        )
        if kind is None and "tuple" in str(declared):
            kind = tuple
        values[name] = _check_type(f"{prefix}.{name}", value, kind or object)
    return cls(**values)


def _parse_retrain(section: dict[str, Any], base_dir: Path) -> RetrainSettings:
    settings: RetrainSettings = _build(RetrainSettings, section, "retrain")
    if settings.min_corrections < 1 or settings.interval_hours < 1:
        raise ConfigError("retrain.min_corrections and retrain.interval_hours: must be 1 or more")
    if not 0.0 <= settings.tolerance <= 0.1:
        raise ConfigError("retrain.tolerance: use a number between 0 and 0.1 (0.005 is usual)")

    def resolve(values: tuple[str, ...]) -> tuple[str, ...]:
        paths = (Path(v).expanduser() for v in values)
        return tuple(str(p if p.is_absolute() else base_dir / p) for p in paths)

    return dataclasses.replace(settings, train_data=resolve(settings.train_data),
                               dev_sets=resolve(settings.dev_sets))


_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _validate_schedule(schedule: ScheduleSettings) -> ScheduleSettings:
    for key in ("digest_time", "purge_time", "backup_time"):
        if not _TIME.match(getattr(schedule, key)):
            raise ConfigError(f"schedule.{key}: use HH:MM on a 24-hour clock, e.g. \"08:00\"")
    if schedule.digest_day not in _DAYS:
        raise ConfigError(f"schedule.digest_day: use one of {', '.join(_DAYS)}")
    try:
        from zoneinfo import ZoneInfo

        ZoneInfo(schedule.timezone)
    except Exception as exc:  # zoneinfo raises several types for a bad name
        raise ConfigError(
            f"schedule.timezone: unknown time zone {schedule.timezone!r}; "
            "use e.g. \"Europe/Amsterdam\""
        ) from exc
    for key in ("score_interval_minutes", "rollup_interval_minutes", "alert_interval_minutes",
                "crawl_timeout_seconds", "backup_keep"):
        if getattr(schedule, key) < 1:
            raise ConfigError(f"schedule.{key}: must be 1 or more")
    return schedule


def _validate_retention(retention: RetentionSettings) -> RetentionSettings:
    for store in (*get_args(DocumentKind), *RETENTION_STORES):
        if retention.days_for(store) < 0:
            raise ConfigError(f"retention.{store}_days: must be 0 (keep forever) or more days")
    return retention


def _validate_model(model: ModelSettings) -> ModelSettings:
    if model.backend not in ("auto", "transformers", "embedded"):
        raise ConfigError("model.backend: use \"auto\", \"transformers\" or \"embedded\"")
    if not 8 <= model.max_length <= 512:
        raise ConfigError("model.max_length: use a token count between 8 and 512 (128 is usual)")
    if model.batch_size < 1:
        raise ConfigError("model.batch_size: must be 1 or more")
    if model.batch_tokens < 0:
        raise ConfigError("model.batch_tokens: must be 0 (automatic) or more")
    if not 0.0 <= model.neutral_band < 1.0:
        raise ConfigError("model.neutral_band: use a number from 0 up to (not including) 1")
    return model


def _parse_mail(section: dict[str, Any]) -> MailSettings:
    raw_recipients = section.get("recipients", [])
    plain = {k: v for k, v in section.items() if k != "recipients"}
    mail = _build(MailSettings, plain, "mail")
    if mail.security not in ("starttls", "ssl", "none"):
        raise ConfigError("mail.security: use \"starttls\", \"ssl\" or \"none\"")
    if not isinstance(raw_recipients, list):
        raise ConfigError("mail.recipients: use [[mail.recipients]] tables")
    recipients = []
    for index, raw in enumerate(raw_recipients):
        key = f"mail.recipients[{index}]"
        if not isinstance(raw, dict):
            raise ConfigError(f"{key}: must be a table with email and role")
        recipient = _build(Recipient, raw, key)
        if "@" not in recipient.email:
            raise ConfigError(f"{key}.email: {recipient.email!r} is not an email address")
        if recipient.role not in ("management", "project_lead"):
            raise ConfigError(f"{key}.role: use \"management\" or \"project_lead\"")
        recipients.append(recipient)
    return MailSettings(**{**mail.__dict__, "recipients": tuple(recipients)})


def _parse_alerts(section: dict[str, Any]) -> AlertSettings:
    raw_hooks = section.get("webhooks", [])
    plain = {k: v for k, v in section.items() if k != "webhooks"}
    alerts = _build(AlertSettings, plain, "alerts")
    hooks = []
    for index, raw in enumerate(raw_hooks if isinstance(raw_hooks, list) else [None]):
        key = f"alerts.webhooks[{index}]"
        if not isinstance(raw, dict):
            raise ConfigError(f"{key}: must be a table with type and url_env")
        hook = _build(Webhook, raw, key)
        if hook.type not in WEBHOOK_TYPES:
            raise ConfigError(
                f"{key}.type: {hook.type!r} is not a webhook type; use \"teams\" (Incoming "
                "Webhook connector), \"teams-workflow\" (Teams Workflows) or \"json\""
            )
        hooks.append(hook)
    if alerts.z_threshold <= 0:
        raise ConfigError("alerts.z_threshold: must be above 0 (3.0 is usual)")
    return AlertSettings(**{**alerts.__dict__, "webhooks": tuple(hooks)})


def _parse_dashboard(section: dict[str, Any]) -> DashboardSettings:
    raw_users = section.get("users", [])
    plain = {k: v for k, v in section.items() if k != "users"}
    settings = _build(DashboardSettings, plain, "dashboard")
    if settings.session_hours < 1 or settings.idle_timeout_minutes < 1:
        raise ConfigError("dashboard.session_hours and dashboard.idle_timeout_minutes: "
                          "use whole numbers of at least 1")
    users = []
    for index, raw in enumerate(raw_users if isinstance(raw_users, list) else [None]):
        key = f"dashboard.users[{index}]"
        if not isinstance(raw, dict):
            raise ConfigError(f"{key}: must be a table with username, role and password_hash")
        user = _build(DashboardUser, raw, key)
        if user.role not in ("adviser", "project_lead", "management"):
            raise ConfigError(f"{key}.role: use \"adviser\", \"project_lead\" or \"management\"")
        if not user.password_hash.startswith("$2"):
            raise ConfigError(
                f"{key}.password_hash: expected a bcrypt hash; make one with "
                "`newsroom hash-password`"
            )
        users.append(user)
    return DashboardSettings(**{**settings.__dict__, "users": tuple(users)})


_SOURCE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")


def _parse_sources(raw_sources: Any) -> tuple[Source, ...]:
    if not isinstance(raw_sources, list):
        raise ConfigError("sources: use [[sources]] tables, one per source")
    sources: list[Source] = []
    seen: set[str] = set()
    required = ("id", "name", "kind", "type", "url")
    for index, raw in enumerate(raw_sources):
        key = f"sources[{index}]"
        if not isinstance(raw, dict):
            raise ConfigError(f"{key}: must be a table")
        for name in required:
            if name not in raw:
                raise ConfigError(
                    f"{key}.{name}: missing; every source needs {', '.join(required)}"
                )
        source_id = _check_type(f"{key}.id", raw["id"], str)
        if not _SOURCE_ID.match(source_id):
            raise ConfigError(
                f"{key}.id: {source_id!r} must be lower-case letters, digits, - or _ "
                "(e.g. \"ad-dordrecht\")"
            )
        if source_id in seen:
            raise ConfigError(f"{key}.id: {source_id!r} is used twice; source ids must be unique")
        seen.add(source_id)
        kind = raw["kind"]
        if kind not in get_args(DocumentKind):
            raise ConfigError(f"{key}.kind: use one of {', '.join(get_args(DocumentKind))}")
        source_type = raw["type"]
        if source_type not in get_args(SourceType):
            raise ConfigError(f"{key}.type: use one of {', '.join(get_args(SourceType))}")
        url = _check_type(f"{key}.url", raw["url"], str)
        if not url.startswith(("http://", "https://")):
            raise ConfigError(f"{key}.url: only http:// and https:// URLs can be crawled")
        interval = _check_type(f"{key}.interval_minutes", raw.get("interval_minutes", 60), int)
        if interval < 1:
            raise ConfigError(f"{key}.interval_minutes: must be 1 or more")
        options = {
            k: v for k, v in raw.items()
            if k not in (*required, "interval_minutes", "enabled")
        }
        sources.append(
            Source(
                id=source_id,
                name=_check_type(f"{key}.name", raw["name"], str),
                kind=kind,
                type=source_type,
                url=url,
                interval_minutes=interval,
                enabled=_check_type(f"{key}.enabled", raw.get("enabled", True), bool),
                options=options,
            )
        )
    return tuple(sources)


def _parse_watches(raw_watches: Any) -> tuple[Watch, ...]:
    if not isinstance(raw_watches, list):
        raise ConfigError("watches: use [[watches]] tables, one per watch")
    watches = []
    for index, raw in enumerate(raw_watches):
        key = f"watches[{index}]"
        if not isinstance(raw, dict) or "name" not in raw or "query" not in raw:
            raise ConfigError(f"{key}: needs name and query")
        _reject_unknown(key, raw, {"name", "query", "owner"})
        watches.append(
            Watch(
                name=_check_type(f"{key}.name", raw["name"], str),
                query=_check_type(f"{key}.query", raw["query"], str),
                owner=_check_type(f"{key}.owner", raw.get("owner", ""), str),
            )
        )
    return tuple(watches)
