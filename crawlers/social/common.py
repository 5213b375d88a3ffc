"""Small helpers the JSON platforms share: option checks, JSON bodies, plain text as HTML."""

from __future__ import annotations

import html
import json
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from core.records import Source
from crawlers.social import SocialSourceError


def int_option(source: Source, name: str, default: int, maximum: int) -> int:
    """A whole-number option between 1 and `maximum` (larger values are capped)."""
    value = source.options.get(name, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise SocialSourceError(f"source {source.id}: {name} must be a whole number of 1 or more")
    return min(value, maximum)


def text_option(source: Source, name: str) -> str:
    return str(source.options.get(name, "")).strip()


def json_object(body: str) -> dict[str, Any]:
    """The page as a JSON object, or `SocialSourceError` (empty and malformed answers)."""
    if not body.strip():
        raise SocialSourceError("empty answer")
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise SocialSourceError(f"not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise SocialSourceError("expected a JSON object")
    return data


def plain_as_html(text: str) -> str:
    """Plain post text, escaped, so markup-like text stays text when it is read as HTML."""
    return "<p>" + html.escape(text).replace("\n", "<br>") + "</p>"


def with_param(url: str, name: str, value: str) -> str:
    """`url` with query parameter `name` set to `value` (for cursor and token paging)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != name]
    query.append((name, value))
    return urlunsplit(parts._replace(query=urlencode(query)))
