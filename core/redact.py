"""One redaction function for everything that is logged or stored as error text.

Secrets come from environment variables (webhook URLs with their token and signature, the
SMTP login, the pseudonym key, API tokens). They must never reach a log line, a traceback
or a stored error (`alerts.sent_webhook`, crawl issues, job details), because logs are
shared and the database is copied into every backup. Two layers:

- every configured secret value (and the long parts of a secret URL) is replaced by
  `[verborgen]` wherever it appears, whatever the message shape;
- credentials in any URL are masked by their form: `user:password@`, and query parameters
  named like token, sig, signature, password, secret, key or code.

`install()` puts `redact` on every log record of the process (a log-record factory, so
records of every logger and every handler pass through it, tracebacks included).
"""

from __future__ import annotations

import logging
import os
import re
import threading
import traceback
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl, urlsplit

MASK = "[verborgen]"
MIN_SECRET_CHARS = 6
"""Shorter values are not registered: masking "ab" everywhere would garble every message."""

_secrets: set[str] = set()
_lock = threading.Lock()
_installed = False

_QUERY_SECRET = re.compile(
    r"(?i)([?&;](?:sig|signature|token|access_token|auth|password|passwd|pwd|secret|"
    r"api[_-]?key|key|code)=)[^&\s'\"<>]+"
)
_USERINFO = re.compile(r"(?i)(\b[a-z][a-z0-9+.-]*://)[^/\s@'\"<>]+@")


def register_secret(value: str | None) -> None:
    """Mask this value (and, for a URL, its path segments and query values) from now on."""
    if not value or len(value) < MIN_SECRET_CHARS:
        return
    parts = {value, value.strip()}
    try:
        split = urlsplit(value.strip())
    except ValueError:
        split = None
    if split is not None and split.scheme and split.netloc:
        parts.update(segment for segment in split.path.split("/") if len(segment) >= 16)
        parts.update(v for _, v in parse_qsl(split.query) if len(v) >= MIN_SECRET_CHARS)
        if split.password:
            parts.add(split.password)
    with _lock:
        _secrets.update(part for part in parts if len(part) >= MIN_SECRET_CHARS)


def register_env(names: Iterable[str]) -> None:
    """Register the values of these environment variables (unset ones are skipped)."""
    for name in names:
        register_secret(os.environ.get(name))


def redact(text: str) -> str:
    """`text` with every registered secret and every URL credential masked.

    >>> redact("https://h.example/hook?sig=abc123&x=1 and https://u:pw@h.example/")
    'https://h.example/hook?sig=[verborgen]&x=1 and https://[verborgen]@h.example/'
    """
    if not text:
        return text
    with _lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    text = _QUERY_SECRET.sub(lambda m: m.group(1) + MASK, text)
    return _USERINFO.sub(lambda m: m.group(1) + MASK + "@", text)


def _redacting_factory(base: Any) -> Any:
    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record: logging.LogRecord = base(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string must not lose the record
            message = f"{record.msg!r} {record.args!r}"
        record.msg, record.args = redact(message), ()
        if record.exc_info and record.exc_info[0] is not None:
            record.exc_text = redact("".join(traceback.format_exception(*record.exc_info)))
            record.exc_text = record.exc_text.rstrip("\n")
            record.exc_info = None
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return record

    factory.newsroom_redacting = True  # type: ignore[attr-defined]
    return factory


def install(secret_env_names: Iterable[str] = ()) -> None:
    """Redact every log record of this process from now on; register the named secrets.

    Called by every entry point (the CLI, the crawl process, the dashboard). Idempotent.
    """
    global _installed
    register_env(secret_env_names)
    with _lock:
        current = logging.getLogRecordFactory()
        if getattr(current, "newsroom_redacting", False):
            _installed = True
            return
        logging.setLogRecordFactory(_redacting_factory(current))
        _installed = True


def config_secret_envs(config: Any) -> list[str]:
    """The names of every environment variable that a config reads a secret from."""
    names = [config.mail.username_env, config.mail.password_env,
             config.privacy.pseudonym_key_env]
    names += [hook.url_env for hook in config.alerts.webhooks]
    for source in config.sources:
        names += [str(value) for key, value in source.options.items()
                  if key.endswith("_env") and isinstance(value, str)]
    return names
