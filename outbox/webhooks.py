"""Webhook payloads (Microsoft Teams cards, generic JSON) and a small, safe POST.

Two Teams flavours: `teams` posts a MessageCard, the format of the classic Office 365
"Incoming Webhook" connector; `teams-workflow` posts an Adaptive Card in a message
envelope, the format of the Teams Workflows (Power Automate) webhook that Microsoft offers
as the connector's successor. Webhook URLs are secrets and come from environment variables.
Scraped titles are escaped for Teams, which renders a subset of HTML and markdown in card
text.
"""

from __future__ import annotations

import html
import json
import logging
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from core.timeutil import to_iso
from outbox.messages import alert_title
from storage.alerts import Alert

logger = logging.getLogger(__name__)

WEBHOOK_TIMEOUT_SECONDS = 10.0
MAX_RESPONSE_BYTES = 64_000
THEME_COLORS = {"negative_spike": "D7000F", "volume_spike": "F59C00",
                "silent_source": "6E6E6E", "failing_source": "6E6E6E"}


class WebhookError(Exception):
    """A webhook could not be delivered; the message says why."""


def teams_payload(alert: Alert, dashboard_url: str) -> dict[str, Any]:
    """A Teams incoming-webhook MessageCard for one alert."""
    facts = [
        {"name": "Soort", "value": html.escape(alert_title(alert))},
        {"name": "Periode", "value": f"{to_iso(alert.window_start)} – {to_iso(alert.window_end)}"},
    ]
    for key in ("count", "baseline_median", "z", "silent_hours", "consecutive_failures"):
        if key in alert.figures:
            facts.append({"name": _FIGURE_NAMES[key], "value": str(alert.figures[key])})
    items = "".join(
        f"- [{html.escape(str(item.get('title', '')))}]({_safe_link(item.get('url'))})\n"
        for item in alert.items[:5]
    )
    card: dict[str, Any] = {
        "@type": "MessageCard",
        "@context": "https://schema.org/extensions",
        "summary": html.escape(alert_title(alert)),
        "themeColor": THEME_COLORS.get(alert.kind, "0078D7"),
        "title": html.escape(alert_title(alert)),
        "sections": [
            {"activityTitle": html.escape(alert.message), "facts": facts, "markdown": True,
             "text": items or "Geen berichten bij deze melding."},
        ],
    }
    if dashboard_url.startswith(("http://", "https://")):
        card["potentialAction"] = [{
            "@type": "OpenUri", "name": "Open het dashboard",
            "targets": [{"os": "default", "uri": dashboard_url}],
        }]
    return card


_FIGURE_NAMES = {
    "count": "Aantal in venster", "baseline_median": "Normaal per dag", "z": "Robuuste z-score",
    "silent_hours": "Uren stil", "consecutive_failures": "Mislukt op rij",
}


def teams_workflow_payload(alert: Alert, dashboard_url: str) -> dict[str, Any]:
    """A Teams Workflows webhook message: one Adaptive Card (schema 1.4) for one alert.

    Adaptive Card text is markdown, so scraped titles are markdown-escaped; links are only
    http(s).
    """
    facts = [
        {"title": "Soort", "value": _md_escape(alert_title(alert))},
        {"title": "Periode",
         "value": f"{to_iso(alert.window_start)} – {to_iso(alert.window_end)}"},
    ]
    for key in ("count", "baseline_median", "z", "silent_hours", "consecutive_failures"):
        if key in alert.figures:
            facts.append({"title": _FIGURE_NAMES[key], "value": str(alert.figures[key])})
    body: list[dict[str, Any]] = [
        {"type": "TextBlock", "text": _md_escape(alert_title(alert)), "weight": "Bolder",
         "size": "Medium", "wrap": True,
         "color": "Attention" if alert.kind == "negative_spike" else "Default"},
        {"type": "TextBlock", "text": _md_escape(alert.message), "wrap": True},
        {"type": "FactSet", "facts": facts},
    ]
    for item in alert.items[:5]:
        title = _md_escape(str(item.get("title", "")))
        link = _safe_link(item.get("url"))
        body.append({"type": "TextBlock", "wrap": True, "spacing": "Small",
                     "text": f"- [{title}]({link})" if link else f"- {title}"})
    if not alert.items:
        body.append({"type": "TextBlock", "text": "Geen berichten bij deze melding.",
                     "wrap": True})
    card: dict[str, Any] = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": body,
    }
    if dashboard_url.startswith(("http://", "https://")):
        card["actions"] = [{"type": "Action.OpenUrl", "title": "Open het dashboard",
                            "url": dashboard_url}]
    return {
        "type": "message",
        "attachments": [{
            "contentType": "application/vnd.microsoft.card.adaptive",
            "contentUrl": None,
            "content": card,
        }],
    }


_MARKDOWN_SPECIAL = "\\`*_[]()<>#~|!"


def _md_escape(text: str) -> str:
    """Backslash-escape markdown so a scraped title cannot add links or formatting."""
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIAL else ch for ch in text)


def _safe_link(url: Any) -> str:
    text = str(url or "")
    if not text.startswith(("http://", "https://")):
        return ""
    return text.replace(")", "%29").replace(" ", "%20")


def json_payload(alert: Alert) -> dict[str, Any]:
    """A generic JSON payload: the whole alert, evidence included."""
    return {
        "type": "newsroom.alert",
        "id": alert.id,
        "kind": alert.kind,
        "title": alert_title(alert),
        "scope_type": alert.scope_type,
        "scope_key": alert.scope_key,
        "window_start": to_iso(alert.window_start),
        "window_end": to_iso(alert.window_end),
        "figures": alert.figures,
        "items": alert.items,
        "message": alert.message,
        "created": to_iso(alert.created),
    }


def post_json(url: str, payload: dict[str, Any], timeout: float | None = None) -> int:
    """POST `payload` as JSON; returns the HTTP status or raises `WebhookError`."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise WebhookError("webhook URL must start with http:// or https://")
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(
        url, data=body, method="POST",
        headers={"Content-Type": "application/json; charset=utf-8",
                 "User-Agent": "newsroom-alerts"},
    )
    try:
        with urllib.request.urlopen(
            request, timeout=timeout if timeout is not None else WEBHOOK_TIMEOUT_SECONDS
        ) as response:
            response.read(MAX_RESPONSE_BYTES)
            return int(response.status)
    except urllib.error.HTTPError as exc:
        raise WebhookError(f"HTTP {exc.code} from webhook") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise WebhookError(f"webhook unreachable: {reason}") from exc
