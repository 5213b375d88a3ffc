"""Deliver alerts by email and webhooks; record each outcome on the alert, never raise.

Management recipients get every alert; a project lead only the alerts about their own
watches. A delivery that failed is recorded as 'error …' and retried by the next run for
as long as the alert is younger than the cooldown.
"""

from __future__ import annotations

import html
import json
import logging
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from core.config import Config, Recipient, Webhook
from core.timeutil import to_iso
from outbox.messages import alert_title
from outbox.smtp import MailError, send_email
from outbox.webhooks import (
    WebhookError,
    json_payload,
    post_json,
    teams_payload,
    teams_workflow_payload,
)
from storage.alerts import SENT_OK, Alert, get_alert, record_delivery, undelivered_alerts
from storage.db import Database

logger = logging.getLogger(__name__)


def notify_alerts(db: Database, config: Config, new_alerts: list[Alert],
                  now: datetime) -> None:
    """Send new alerts and retry earlier failed deliveries."""
    retry_since = now - timedelta(hours=config.alerts.cooldown_hours)
    new_ids = {a.id for a in new_alerts}
    if config.alerts.email and config.mail.recipients:
        retry = [a for a in undelivered_alerts(db, retry_since, "email") if a.id not in new_ids]
        batch = [*new_alerts, *retry]
        try:
            _send_emails(db, config, batch, now)
        except Exception as exc:  # a delivery bug must not lose the stored alerts
            logger.exception("alert email failed unexpectedly")
            for alert in batch:
                record_delivery(db, alert.id or 0, "email", f"error: unexpected {exc!r}")
    if config.alerts.webhooks:
        retry = [a for a in undelivered_alerts(db, retry_since, "webhook") if a.id not in new_ids]
        for alert in [*new_alerts, *retry]:
            try:
                _send_webhooks(db, config, alert, now)
            except Exception as exc:  # same: record, and retry on the next run
                logger.exception("webhook delivery of alert %s failed unexpectedly", alert.id)
                record_delivery(db, alert.id or 0, "webhook", f"error: unexpected {exc!r}")


def recipients_for(alert: Alert, recipients: tuple[Recipient, ...]) -> list[Recipient]:
    """Who should hear about this alert."""
    watches = {alert.scope_key} if alert.scope_type == "watch" else set()
    # An incident named after a topic may also hold a spike on a project's watch.
    watches |= {str(m.get("scope_key")) for m in alert.figures.get("members", [])
                if m.get("scope_type") == "watch"}
    return [recipient for recipient in recipients
            if recipient.role == "management" or watches & set(recipient.watches)]


def _send_emails(db: Database, config: Config, alerts: list[Alert],
                 now: datetime) -> None:
    by_recipient: dict[str, list[Alert]] = {}
    for alert in alerts:
        for recipient in recipients_for(alert, config.mail.recipients):
            by_recipient.setdefault(recipient.email, []).append(alert)
    outcomes: dict[int, list[str]] = {}
    for email, items in by_recipient.items():
        message = alert_email(items, config.mail.sender, email, config.mail.dashboard_url)
        try:
            send_email(config.mail, message)
            outcome = f"{SENT_OK} {email}"
        except MailError as exc:
            logger.warning("alert email to %s failed: %s", email, exc)
            outcome = f"error {email}: {exc}"
        for alert in items:
            outcomes.setdefault(alert.id or 0, []).append(outcome)
    for alert_id, results in outcomes.items():
        failed = [r for r in results if r.startswith("error")]
        summary = ("error: " + "; ".join(failed)) if failed else f"{SENT_OK} {to_iso(now)}"
        record_delivery(db, alert_id, "email", summary)


def alert_email(alerts: list[Alert], sender: str, to: str, dashboard_url: str) -> EmailMessage:
    """One email listing the alerts, as plain text and simple HTML (all text escaped)."""
    message = EmailMessage()
    first = alerts[0]
    more = f" (+{len(alerts) - 1})" if len(alerts) > 1 else ""
    message["Subject"] = f"Melding mediamonitor: {alert_title(first)}{more}"
    message["From"] = sender
    message["To"] = to
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="newsroom.local")
    lines = ["Nieuwe meldingen van de mediamonitor:", ""]
    for alert in alerts:
        lines += [f"* {alert_title(alert)}", f"  {alert.message}"]
        lines += [f"  - {item.get('title', '')} {item.get('url', '')}" for item in alert.items[:5]]
        lines.append("")
    lines.append(f"Meer in het dashboard: {dashboard_url}")
    message.set_content("\n".join(lines))
    blocks = []
    for alert in alerts:
        links = "".join(
            f'<li><a href="{html.escape(_http_only(item.get("url")), quote=True)}" '
            f'style="color:#0b5394">{html.escape(str(item.get("title", "")))}</a></li>'
            for item in alert.items[:5]
        )
        blocks.append(
            f'<h3 style="font-family:Arial,sans-serif;font-size:16px;margin:16px 0 4px 0">'
            f"{html.escape(alert_title(alert))}</h3>"
            f'<p style="font-family:Arial,sans-serif;font-size:14px;margin:0 0 8px 0">'
            f"{html.escape(alert.message)}</p>"
            + (f'<ul style="font-family:Arial,sans-serif;font-size:14px">{links}</ul>'
               if links else "")
        )
    message.add_alternative(
        "<html><body>" + "".join(blocks)
        + f'<p style="font-family:Arial,sans-serif;font-size:14px"><a href="'
        f'{html.escape(_http_only(dashboard_url), quote=True)}">Open het dashboard</a></p>'
        "</body></html>",
        subtype="html",
    )
    return message


def _http_only(url: object) -> str:
    text = str(url or "")
    return text if text.startswith(("http://", "https://")) else "#"


def _hook_name(hook: Webhook) -> str:
    return f"{hook.type}:{hook.url_env}"


def _send_webhooks(db: Database, config: Config, alert: Alert, now: datetime) -> None:
    """Post to every webhook that has not yet accepted this alert; record per-hook outcomes."""
    previous = _parse_outcomes(alert.sent_webhook)
    outcomes: dict[str, str] = {}
    for hook in config.alerts.webhooks:
        name = _hook_name(hook)
        if previous.get(name, "").startswith(SENT_OK):
            outcomes[name] = previous[name]
            continue
        url = hook.url
        if not url:
            outcomes[name] = f"error: environment variable {hook.url_env} is not set"
            logger.warning("webhook %s skipped: %s is not set", hook.type, hook.url_env)
            continue
        payload = _payload(hook.type, alert, config.mail.dashboard_url)
        try:
            status = post_json(url, payload)
            outcomes[name] = f"{SENT_OK} {status} {to_iso(now)}"
        except WebhookError as exc:
            logger.warning("webhook %s for alert %s failed: %s", name, alert.id, exc)
            outcomes[name] = f"error: {exc}"
    failed = any(not value.startswith(SENT_OK) for value in outcomes.values())
    record_delivery(db, alert.id or 0, "webhook",
                    ("error " if failed else f"{SENT_OK} ") + json.dumps(outcomes, sort_keys=True))


def _payload(hook_type: str, alert: Alert, dashboard_url: str) -> dict[str, Any]:
    """The body for one webhook type (the config only admits these three)."""
    if hook_type == "teams":
        return teams_payload(alert, dashboard_url)
    if hook_type == "teams-workflow":
        return teams_workflow_payload(alert, dashboard_url)
    return json_payload(alert)


def _parse_outcomes(value: str | None) -> dict[str, str]:
    if not value:
        return {}
    _prefix, _, body = value.partition(" ")
    try:
        parsed = json.loads(body)
    except json.JSONDecodeError:
        return {}
    return {str(k): str(v) for k, v in parsed.items()} if isinstance(parsed, dict) else {}


def reload(db: Database, alert: Alert) -> Alert:
    """The stored version of an alert (with its delivery outcomes)."""
    return get_alert(db, alert.id or 0) or alert
