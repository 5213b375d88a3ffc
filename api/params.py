"""Query parameters into a filter, with a cap on every size and a Dutch error per mistake.

Everything a caller sends is untrusted: unknown parameters are refused (a typo must not
silently return everything), each value and the query string as a whole have a size cap,
and repeated parameters are limited, so no request can build an unbounded SQL statement.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from api.errors import ApiError
from core.records import LABELS, Watch
from storage.api_queries import ApiFilter
from storage.documents import DocumentFilter

MAX_QUERY_CHARS = 4000
MAX_VALUE_CHARS = 500
MAX_VALUES = 50
MAX_PAGE = 200
DEFAULT_PAGE = 50
MAX_PERIOD_DAYS = 366
"""Counts are live over the documents of the period (see storage.api_queries), so a period
is at most a year; documents pages have no such limit (they stop at the page size)."""
DEFAULT_PERIOD_DAYS = 30
KINDS = ("news", "social", "official")
FILTER_PARAMS = ("since", "until", "source", "kind", "sentiment", "topic", "watch", "place",
                 "tag", "q")


def bad(code: str, message: str) -> ApiError:
    return ApiError(400, code, message)


def check_query(raw_query: str, params: Sequence[tuple[str, str]], allowed: Sequence[str]) -> None:
    """Refuse an oversized query string, unknown parameters, long or too many values."""
    if len(raw_query) > MAX_QUERY_CHARS:
        raise bad("query_too_long", f"De zoekvraag is te lang (hoogstens {MAX_QUERY_CHARS} "
                  "tekens).")
    names = [name for name, _ in params]
    unknown = sorted({name for name in names if name not in allowed})
    if unknown:
        raise bad("unknown_parameter", f"Onbekende parameter: {', '.join(unknown)[:200]}. "
                  f"Je kunt gebruiken: {', '.join(allowed)}.")
    for name, value in params:
        if len(value) > MAX_VALUE_CHARS:
            raise bad("value_too_long", f"De waarde van {name} is te lang (hoogstens "
                      f"{MAX_VALUE_CHARS} tekens).")
    if len(params) > MAX_VALUES:
        raise bad("too_many_values", f"Te veel parameters (hoogstens {MAX_VALUES}).")


def _day(name: str, value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise bad("invalid_date", f"{name} moet een datum zijn als 2026-03-31, niet "
                  f"{value[:40]!r}.") from None


def _choices(name: str, values: list[str], allowed: Sequence[str]) -> tuple[str, ...]:
    for value in values:
        if value not in allowed:
            raise bad("invalid_value", f"{name} kent {value[:40]!r} niet; kies uit "
                      f"{', '.join(allowed)}.")
    return tuple(values)


def period(params: dict[str, list[str]], today: date,
           bounded: bool) -> tuple[datetime | None, datetime | None]:
    """`since`/`until` (dates, both inclusive) as UTC instants; counts get a bounded period."""
    since = _day("since", params["since"][-1]) if params.get("since") else None
    until = _day("until", params["until"][-1]) if params.get("until") else None
    if bounded:
        until = until or today
        since = since or until - timedelta(days=DEFAULT_PERIOD_DAYS - 1)
        if (until - since).days + 1 > MAX_PERIOD_DAYS:
            raise bad("period_too_long", f"Een periode voor tellingen is hoogstens "
                      f"{MAX_PERIOD_DAYS} dagen; kies since en until dichter bij elkaar.")
    if since and until and since > until:
        raise bad("invalid_period", "since ligt na until; draai ze om.")
    start = datetime.combine(since, datetime.min.time(), UTC) if since else None
    end = (datetime.combine(until + timedelta(days=1), datetime.min.time(), UTC)
           if until else None)
    return start, end


def build_filter(params: dict[str, list[str]], watches: Sequence[Watch],
                 scope: tuple[int, ...] | None, today: date, bounded: bool) -> ApiFilter:
    """The filter of one request; a watch outside the reader's scope is a 403."""
    since, until = period(params, today, bounded)
    by_name = {w.name: w for w in watches}
    watch_ids: list[int] = []
    for name in params.get("watch", []):
        watch = by_name.get(name)
        if watch is None or watch.id is None:
            raise bad("unknown_watch", f"Er is geen project {name[:100]!r}.")
        if scope is not None and watch.id not in scope:
            raise ApiError(403, "watch_forbidden", f"Je mag project {name[:100]!r} niet "
                           "lezen; je ziet alleen je eigen projecten.")
        watch_ids.append(watch.id)
    documents = DocumentFilter(
        since=since, until=until, source_ids=tuple(params.get("source", [])),
        kinds=_choices("kind", params.get("kind", []), KINDS),
        labels=_choices("sentiment", params.get("sentiment", []), LABELS),
        topics=tuple(params.get("topic", [])), place_codes=tuple(params.get("place", [])),
        watch_ids=tuple(watch_ids), text_query=" ".join(params.get("q", [])).strip(),
    )
    return ApiFilter(documents, tags=tuple(params.get("tag", [])), scope_watch_ids=scope)


def page_size(params: dict[str, list[str]]) -> int:
    raw = params.get("limit", [str(DEFAULT_PAGE)])[-1]
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        raise bad("invalid_limit", f"limit is een heel getal van 1 tot en met {MAX_PAGE}.")
    return int(raw)


def encode_cursor(cursor: tuple[str, int]) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(cursor)).encode()).decode().rstrip("=")


def decode_cursor(raw: str) -> tuple[str, int]:
    """A cursor from a previous page's `next`; anything else is a 400."""
    try:
        value = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
        if (isinstance(value, list) and len(value) == 2 and isinstance(value[0], str)
                and isinstance(value[1], int) and not isinstance(value[1], bool)):
            return value[0], value[1]
    except (ValueError, binascii.Error, UnicodeDecodeError):
        pass
    raise bad("invalid_cursor", "De cursor is ongeldig; gebruik de link 'next' van de vorige "
              "pagina.")
