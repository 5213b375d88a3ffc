"""The `[storage]` section (issue 16): a SQLite file (`path`, the default) or a PostgreSQL
server (`url`).

With `url` set, every process (scheduler, crawl, worker, dashboard, API, CLI) opens the
PostgreSQL database; `path` then only names the local data folder (models, the scheduler's
job store). A URL may carry a password; it is registered with the log redaction and never
shown: `display_store_url` is the only form that is printed or logged.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from core import redact
from core.config.settings import Config, ConfigError

POSTGRES_SCHEMES = ("postgresql", "postgres")
DEFAULT_STORAGE_PATH = "data/newsroom.db"
_SECRET_QUERY_KEYS = {"password", "sslpassword"}


def parse_storage(section: dict[str, Any], base_dir: Path) -> tuple[Path, str]:
    """`[storage]` → (the SQLite path, relative ones taken from the config's folder; the
    PostgreSQL URL or "")."""
    raw_path = section.get("path", DEFAULT_STORAGE_PATH)
    if not isinstance(raw_path, str) or not raw_path.strip():
        raise ConfigError(f"storage.path: expected a file path in quotes, got {raw_path!r}")
    path = Path(raw_path)
    if not path.is_absolute():
        path = base_dir / path
    raw_url = section.get("url", "")
    if not isinstance(raw_url, str):
        raise ConfigError(
            f"storage.url: expected text in quotes (postgresql://…), got {type(raw_url).__name__}"
        )
    return path, check_store_url(raw_url)


def check_store_url(url: str) -> str:
    """Validate a PostgreSQL URL ("" = use the SQLite file); the password is registered as a
    secret so no log line can show it. Errors show the URL without its password."""
    url = url.strip()
    if not url:
        return ""
    shown = display_store_url(url)
    try:
        parts = urlsplit(url)
        port = parts.port  # raises ValueError for a port that is not a number or too large
    except ValueError as exc:
        raise ConfigError(
            f"storage.url: {shown!r} is not a valid address ({exc}). Use "
            "postgresql://user@host:5432/database / Geen geldig adres: gebruik "
            "postgresql://gebruiker@host:5432/database."
        ) from None
    if not url.startswith(tuple(f"{scheme}://" for scheme in POSTGRES_SCHEMES)):
        raise ConfigError(
            f"storage.url: {shown!r} is not a PostgreSQL address; only postgresql:// and "
            "postgres:// are supported (e.g. postgresql://newsroom@db.example:5432/newsroom). "
            "Leave url out to use the SQLite file in storage.path. / Alleen postgresql:// "
            "of postgres:// wordt ondersteund; laat url weg voor het SQLite-bestand."
        )
    if any(ch.isspace() for ch in url):
        raise ConfigError(f"storage.url: {shown!r} contains spaces; write it without them.")
    if port == 0:
        raise ConfigError(f"storage.url: {shown!r} has port 0; use the server's port (5432).")
    for secret in [parts.password, *(value for key, value in parse_qsl(parts.query)
                                     if key.lower() in _SECRET_QUERY_KEYS)]:
        redact.register_secret(secret)
    return url


def display_store_url(url: str) -> str:
    """`url` as it may be printed or logged: any password replaced by `[verborgen]`.

    >>> display_store_url("postgresql://news:s3cret@db.example:5432/newsroom?sslmode=require")
    'postgresql://news:[verborgen]@db.example:5432/newsroom?sslmode=require'
    >>> display_store_url("postgresql://db.example/newsroom?password=s3cret")
    'postgresql://db.example/newsroom?password=%5Bverborgen%5D'
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return redact.redact(url)
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        user = userinfo.split(":", 1)[0]
        netloc = f"{user}:{redact.MASK}@{host}" if ":" in userinfo else f"{user}@{host}"
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        if any(key.lower() in _SECRET_QUERY_KEYS for key, _ in pairs):
            query = urlencode([(key, redact.MASK if key.lower() in _SECRET_QUERY_KEYS else value)
                               for key, value in pairs])
    if (netloc, query) == (parts.netloc, parts.query):
        return url  # nothing to hide; urlunsplit would also drop an empty "//"
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def describe_store(config: Config) -> str:
    """The store for people to read (`newsroom status`, logs): the engine and where it is,
    never a password."""
    if config.storage_url:
        return f"PostgreSQL {display_store_url(config.storage_url)}"
    return f"SQLite {config.storage_path}"
