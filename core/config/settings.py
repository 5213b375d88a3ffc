"""The settings of `newsroom.toml` as frozen dataclasses: one per section, and `Config`.

Defaults here are the documented defaults; `core.config.loading` validates a file into them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from core.records import Source, Watch

DEFAULT_CONFIG_FILE = "newsroom.toml"
CONFIG_ENV = "NEWSROOM_CONFIG"


class ConfigError(ValueError):
    """newsroom.toml is missing or invalid; the message names the key and the fix."""


@dataclass(frozen=True)
class CrawlSettings:
    user_agent: str = "newsroom/0.1 (open-source mediamonitor voor gemeenten)"
    obey_robots: bool = True
    download_max_bytes: int = 5_000_000
    timeout_seconds: int = 30
    retries: int = 2
    concurrent_requests_per_domain: int = 2
    allow_private_hosts: tuple[str, ...] = ()
    """Hosts (names or IPs) on private/loopback networks that may still be fetched: demo, tests."""
    fetch_full_article: bool = True
    max_items_per_source: int = 500


@dataclass(frozen=True)
class ScheduleSettings:
    timezone: str = "Europe/Amsterdam"
    score_interval_minutes: int = 15
    rollup_interval_minutes: int = 30
    alert_interval_minutes: int = 30
    crawl_timeout_seconds: int = 900
    digest_day: str = "mon"
    digest_time: str = "08:00"
    purge_time: str = "03:30"
    backup_time: str = "04:00"
    backup_keep: int = 7
    backup_dir: str = "data/backups"
    misfire_grace_seconds: int = 600


@dataclass(frozen=True)
class RetentionSettings:
    """Days to keep documents per kind and every other store; 0 keeps them forever."""

    social_days: int = 90
    news_days: int = 0
    official_days: int = 0
    alerts_days: int = 365
    """Alerts with their evidence (titles and links of documents)."""
    digests_days: int = 365
    """Archived digests and dashboard previews."""
    logs_days: int = 180
    """Crawl runs and their issues (item URLs), and scheduler job runs."""
    backups_days: int = 30
    """Backup files; an erasure also rewrites them (newsroom erase)."""
    audit_days: int = 730
    """The audit log (who did what); keep it at least as long as your policy asks."""

    def days_for(self, kind: str) -> int:
        return int(getattr(self, f"{kind}_days"))


RETENTION_STORES = ("alerts", "digests", "logs", "backups", "audit")
"""Stores besides documents with a retention period (`retention.<store>_days`)."""


@dataclass(frozen=True)
class ModelSettings:
    backend: str = "auto"
    """auto | transformers | embedded. auto = the embedded model (best measured figures on the
    project's news and social dev sets), or the transformers model when `name` is set."""
    name: str = ""
    """A Hugging Face model id or local folder; empty = no transformers model (the default)."""
    neutral_band: float = 0.4
    """For two-class (positive/negative) transformers models only: how far p_pos and p_neg
    must be apart before the item is called positief or negatief instead of neutraal; 0 turns
    the band off (such a model then never says neutraal)."""
    device: str = "auto"
    batch_size: int = 32
    max_length: int = 128
    batch_tokens: int = 0
    """Most padded tokens per batch of the transformers backend; 0 = 2048 on a CPU, no cap on
    a GPU."""
    threads: int = 0
    onnx_int8: bool = False
    topics_file: str = ""
    """Optional TOML with a custom topic taxonomy; empty uses the built-in municipal one."""
    municipality: str = ""
    """Your gemeente (name or CBS code): its own wijken win ambiguous place names."""
    head_path: str = ""
    """Sentiment head (.npz from `newsroom train`) for the embedded model; empty = shipped one.
    A relative path is relative to the folder of newsroom.toml."""
    news_head_path: str | None = None
    """Embedded model file for documents of kind news and official (social posts keep the main
    model): None (not set) = the news head shipped in nlp/models/, "" = the main model scores
    every kind. Relative to the folder of newsroom.toml; a missing file is a config error."""


@dataclass(frozen=True)
class Recipient:
    email: str
    role: str = "management"
    """management (everything) | project_lead (own watches only)."""
    watches: tuple[str, ...] = ()
    name: str = ""


@dataclass(frozen=True)
class MailSettings:
    host: str = "localhost"
    port: int = 587
    security: str = "starttls"
    """starttls | ssl | none."""
    sender: str = "newsroom@localhost"
    username_env: str = "NEWSROOM_SMTP_USER"
    password_env: str = "NEWSROOM_SMTP_PASSWORD"
    recipients: tuple[Recipient, ...] = ()
    dashboard_url: str = "http://localhost:8501"
    allow_plaintext_auth: bool = False
    """Send the SMTP login over a connection without TLS (security = "none"); only for a
    server on this machine."""

    @property
    def username(self) -> str | None:
        return os.environ.get(self.username_env) or None

    @property
    def password(self) -> str | None:
        return os.environ.get(self.password_env) or None


@dataclass(frozen=True)
class Webhook:
    type: str
    """teams (MessageCard) | teams-workflow (Adaptive Card) | json."""
    url_env: str
    """Name of the environment variable holding the URL (webhook URLs are secrets)."""

    @property
    def url(self) -> str | None:
        return os.environ.get(self.url_env) or None


WEBHOOK_TYPES = ("teams", "teams-workflow", "json")


@dataclass(frozen=True)
class AlertSettings:
    email: bool = True
    webhooks: tuple[Webhook, ...] = ()
    cooldown_hours: int = 12
    baseline_days: int = 14
    min_count: int = 5
    z_threshold: float = 3.0
    silent_source_hours: int = 48


@dataclass(frozen=True)
class RetrainSettings:
    """The retraining job (nlp.retrain): a candidate model once enough corrections exist."""

    min_corrections: int = 50
    """New document-level corrections needed before a candidate is trained."""
    interval_hours: int = 24
    train_data: tuple[str, ...] = ()
    """Labelled CSVs (text,label) trained on besides the corrections; relative to the config."""
    dev_sets: tuple[str, ...] = ()
    """Fixed labelled CSVs both models are measured on; without them the job does nothing."""
    tolerance: float = 0.005
    """How much lower a candidate may score (macro-F1, negative recall) and still count as
    'not worse': a smaller difference is measurement noise on a few hundred texts."""


@dataclass(frozen=True)
class WorkerSettings:
    """Work on a queue (workers/): with `broker_url` set, `newsroom run` enqueues crawl,
    score, rollup, alert and digest jobs and `newsroom worker` processes run them. Empty
    (the default) keeps everything in the scheduler's own process, without Redis."""

    broker_url: str = ""
    """redis://host:6379/0 (or rediss:// with TLS); empty = embedded, no queue."""
    time_limit_seconds: int = 1800
    """A task still running after this long is stopped and retried (then dead-lettered)."""
    max_retries: int = 3
    """Retries of a failed task before it is written to the dead-letter record."""
    retry_backoff_seconds: int = 30
    """First retry waits this long; each next one twice as long."""
    visibility_timeout_seconds: int = 3600
    """A task taken by a worker that died (kill -9, power loss) is handed to another worker
    after this long; keep it above time_limit_seconds."""
    score_batch_documents: int = 200
    """Documents one score task claims; a task with work left enqueues the next batch."""

    @property
    def distributed(self) -> bool:
        return bool(self.broker_url)


@dataclass(frozen=True)
class DashboardUser:
    username: str
    role: str
    """adviser | project_lead | management."""
    password_hash: str
    watches: tuple[str, ...] = ()


@dataclass(frozen=True)
class DashboardSettings:
    users: tuple[DashboardUser, ...] = ()
    cache_ttl_seconds: int = 60
    oidc: bool = False
    """Use Streamlit's st.login (configured in .streamlit/secrets.toml) instead of passwords."""
    session_hours: int = 12
    """A login (its cookie) lasts at most this long, reloads included."""
    idle_timeout_minutes: int = 30
    """A login without any page activity for this long ends."""
    base_map_url: str = ""
    """Map tiles under the area outlines ("https://…/{z}/{x}/{y}.png"); empty = no base map,
    so an offline server never fetches tiles (the default)."""
    base_map_attribution: str = "© OpenStreetMap-bijdragers"
    """Credit for the tiles, shown under the map when base_map_url is set."""

    def __post_init__(self) -> None:
        tiles = self.base_map_url
        if tiles and (not tiles.startswith("https://")
                      or not all(part in tiles for part in ("{z}", "{x}", "{y}"))):
            raise ConfigError(
                "dashboard.base_map_url: use an https:// tile address with {z}, {x} and {y}, "
                'e.g. "https://tile.openstreetmap.org/{z}/{x}/{y}.png", or leave it empty '
                "(no base map; the default)")


MIN_PSEUDONYM_KEY_CHARS = 32


@dataclass(frozen=True)
class PrivacySettings:
    pseudonym_key_env: str = "NEWSROOM_PSEUDONYM_KEY"
    public_figures: tuple[str, ...] = ()
    """Office holders (wethouders, burgemeester, raadsleden) whose names stay readable in
    social posts; every other recognised name of a person is masked (crawlers/names.py)."""
    contact: str = ""
    """Who answers questions and erasure requests (shown in the dashboard and register)."""

    @property
    def pseudonym_key(self) -> bytes:
        """The keyed-hash secret for author pseudonyms; a missing key is a clear error."""
        value = os.environ.get(self.pseudonym_key_env)
        if not value:
            raise ConfigError(
                f"privacy.pseudonym_key_env: environment variable {self.pseudonym_key_env} "
                "is not set. Set it to a long random secret (for example the output of "
                "`python -c 'import secrets; print(secrets.token_hex(32))'`) before crawling "
                "social sources."
            )
        if len(value) < MIN_PSEUDONYM_KEY_CHARS:
            raise ConfigError(
                f"privacy.pseudonym_key_env: the key in {self.pseudonym_key_env} has "
                f"{len(value)} characters; use at least {MIN_PSEUDONYM_KEY_CHARS} (for example "
                "`python -c 'import secrets; print(secrets.token_hex(32))'`), or pseudonyms "
                "can be reversed by trying keys."
            )
        return value.encode("utf-8")


@dataclass(frozen=True)
class Config:
    path: Path | None = None
    storage_path: Path = Path("data/newsroom.db")
    storage_url: str = ""
    """A PostgreSQL URL (validated by `core.config.storage`); empty = the SQLite file."""
    crawl: CrawlSettings = field(default_factory=CrawlSettings)
    schedule: ScheduleSettings = field(default_factory=ScheduleSettings)
    retention: RetentionSettings = field(default_factory=RetentionSettings)
    model: ModelSettings = field(default_factory=ModelSettings)
    mail: MailSettings = field(default_factory=MailSettings)
    alerts: AlertSettings = field(default_factory=AlertSettings)
    retrain: RetrainSettings = field(default_factory=RetrainSettings)
    workers: WorkerSettings = field(default_factory=WorkerSettings)
    dashboard: DashboardSettings = field(default_factory=DashboardSettings)
    privacy: PrivacySettings = field(default_factory=PrivacySettings)
    sources: tuple[Source, ...] = ()
    watches: tuple[Watch, ...] = ()

    @property
    def store_target(self) -> str | Path:
        """What every process opens the store from (`storage.db.open_db`): the PostgreSQL
        URL when `[storage] url` is set, else the SQLite file `[storage] path`."""
        return self.storage_url or self.storage_path

    @property
    def store_engine(self) -> str:
        """"postgresql" or "sqlite": which engine `store_target` opens."""
        return "postgresql" if self.storage_url else "sqlite"

    def source(self, source_id: str) -> Source:
        for source in self.sources:
            if source.id == source_id:
                return source
        known = ", ".join(s.id for s in self.sources) or "none configured"
        raise ConfigError(f"Unknown source {source_id!r}; known sources: {known}")
