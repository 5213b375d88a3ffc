"""Codes and times in the words a reader uses: Dutch labels, local time, percentages.

Why one place: storage keeps stable codes (`negative_spike`, `partial`, `http_404`, topic keys
such as `verkeer-en-parkeren`) and UTC times, because they are good to count and filter on.
People read the dashboard, mails, exports and the CLI, and there every code becomes a Dutch
(B1) label and every time the local time of the municipality (Europe/Amsterdam) in a Dutch
format. Each output imports these helpers, so one code reads the same everywhere.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

TIMEZONE = "Europe/Amsterdam"
UNKNOWN = "onbekend"

RUN_STATUS: dict[str, str] = {
    "ok": "gelukt",
    "partial": "deels gelukt",
    "failed": "mislukt",
    "interrupted": "afgebroken",
    "running": "loopt nog",
}
"""A crawl or job run's status."""

ALERT_KINDS: dict[str, str] = {
    "volume_spike": "veel berichten",
    "negative_spike": "veel negatieve berichten",
    "silent_source": "bron is stil",
    "failing_source": "bron geeft fouten",
    "coordination": "mogelijk gecoördineerd",
}

SCOPE_TYPES: dict[str, str] = {
    "overall": "alle berichten",
    "topic": "onderwerp",
    "watch": "project",
    "source": "bron",
    "place": "plek",
}

REASONS: dict[str, str] = {
    "timeout": "geen antwoord op tijd",
    "dns_error": "site niet gevonden",
    "connection_error": "geen verbinding",
    "too_large": "pagina te groot",
    "robots_disallowed": "verboden door robots.txt",
    "not_allowed": "link niet toegestaan",
    "private_address": "intern netwerkadres",
    "scheme_not_allowed": "geen http(s)-link",
    "missing_link": "bericht zonder link",
    "invalid_item": "onbruikbaar bericht",
    "item_error": "fout in één bericht",
    "duplicate_guid": "dubbel bericht",
    "future_date_clamped": "datum in de toekomst, aangepast",
    "bad_date": "onleesbare datum",
    "empty_timeline": "geen berichten in de tijdlijn",
    "not_modified": "niets veranderd",
    "no_article_text": "geen artikeltekst gevonden",
    "malformed_feed": "ongeldige feed",
    "feed_not_well_formed": "ongeldige feed",
    "malformed_sitemap": "ongeldige sitemap",
    "not_html": "geen webpagina",
    "item_cap_reached": "maximum aantal berichten bereikt",
    "missing_pseudonym_key": "sleutel voor schuilnamen ontbreekt",
    "auth_failed": "toegang geweigerd",
    "rate_limited": "te veel verzoeken",
    "missing_credentials": "inloggegevens ontbreken",
    "bad_post": "onbruikbaar bericht",
    "bad_link": "onbruikbare link",
    "sitemap_too_large": "sitemap te groot",
    "spider_error": "fout bij het ophalen",
}
"""Crawl issue reasons; an unknown one is shown in words (underscores become spaces)."""

HTTP_WORDS: dict[int, str] = {
    401: "inloggen nodig",
    403: "geen toegang",
    404: "pagina niet gevonden",
    410: "pagina verwijderd",
    429: "te veel verzoeken",
    500: "fout bij de site",
    502: "fout bij de site",
    503: "site tijdelijk niet bereikbaar",
}

ROLES: dict[str, str] = {
    "adviser": "adviseur",
    "project_lead": "projectleider",
    "management": "management",
}


def topic_label(key: str | None) -> str:
    """'verkeer-en-parkeren' -> 'Verkeer en parkeren' (a topic key as a reader says it)."""
    if not key:
        return UNKNOWN
    words = key.replace("-", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def reason_label(code: str | None) -> str:
    """A crawl issue reason in words: 'http_404' -> 'pagina niet gevonden (404)'."""
    if not code:
        return UNKNOWN
    match = re.fullmatch(r"http_(\d{3})", code)
    if match:
        status = int(match.group(1))
        words = HTTP_WORDS.get(status, "fout bij de site" if status >= 500 else "fout")
        return f"{words} ({status})"
    return REASONS.get(code, code.replace("_", " "))


def run_status_label(status: str | None) -> str:
    """'partial' -> 'deels gelukt'; None -> 'nog nooit opgehaald'."""
    if not status:
        return "nog nooit opgehaald"
    return RUN_STATUS.get(status, status.replace("_", " "))


def code_label(code: str | None, table: dict[str, str]) -> str:
    """A code from one of the tables above in words ('onbekend' for none)."""
    if not code:
        return UNKNOWN
    return table.get(code, code.replace("_", " "))


def local_time(value: datetime | str | None, timezone: str = TIMEZONE, *,
               seconds: bool = False) -> str:
    """A stored (UTC) time as the reader's clock shows it: '03-12-2026 11:40'.

    Accepts an aware datetime or an ISO text; a naive one is taken as UTC (storage is UTC).
    None or an unreadable text gives 'onbekend'.
    """
    moment = _as_datetime(value)
    if moment is None:
        return UNKNOWN
    local = moment.astimezone(ZoneInfo(timezone))
    return local.strftime("%d-%m-%Y %H:%M:%S" if seconds else "%d-%m-%Y %H:%M")


def local_date(value: datetime | str | None, timezone: str = TIMEZONE) -> str:
    """The local day of a stored time: '03-12-2026'."""
    moment = _as_datetime(value)
    if moment is None:
        return UNKNOWN
    return moment.astimezone(ZoneInfo(timezone)).strftime("%d-%m-%Y")


def _as_datetime(value: datetime | str | None) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def percent(share: float | None) -> str:
    """0.8182 -> '82%'; a share under 1% but above 0 -> '<1%'; None -> 'onbekend'."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return UNKNOWN
    value = float(share) * 100
    if 0 < value < 0.5:
        return "<1%"
    return f"{value:.0f}%"


def decimal(value: float | None, digits: int = 2) -> str:
    """A number with a Dutch decimal comma: 0.354 -> '0,35'; None -> 'onbekend'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return UNKNOWN
    return f"{float(value):.{digits}f}".replace(".", ",")
