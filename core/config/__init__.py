"""Configuration: `load_config` reads and validates newsroom.toml into a frozen `Config`.

Part of the floor: imports nothing of the project except `core.records`.
"""

from core.config.loading import find_config_path, load_config, parse_config
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
from core.config.storage import check_store_url, describe_store, display_store_url

__all__ = [
    "AlertSettings",
    "CONFIG_ENV",
    "Config",
    "ConfigError",
    "CrawlSettings",
    "DEFAULT_CONFIG_FILE",
    "DashboardSettings",
    "DashboardUser",
    "MailSettings",
    "ModelSettings",
    "PrivacySettings",
    "Recipient",
    "RETENTION_STORES",
    "RetentionSettings",
    "RetrainSettings",
    "ScheduleSettings",
    "WEBHOOK_TYPES",
    "Webhook",
    "WorkerSettings",
    "check_store_url",
    "describe_store",
    "display_store_url",
    "find_config_path",
    "load_config",
    "parse_config",
]
