"""Send the weekly digest to every configured recipient, once per week each.

Idempotent: a (week, recipient) whose archived digest has `sent_at` set is skipped unless
`force`. A failed send is recorded on the archived digest and left unsent, so the next
run (the scheduler's, or `newsroom digest --send`) tries again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from core.config import Config
from core.records import utcnow
from digest.build import build_digest
from digest.weeks import last_complete_week, parse_week
from outbox.mime import html_message
from outbox.smtp import MailError, send_email
from storage.audit import record_event
from storage.db import Database
from storage.digests import (
    get_digest,
    mark_digest_sent,
    record_digest_failure,
    save_digest,
    unsent_digests,
)

logger = logging.getLogger(__name__)

SendStatus = Literal["sent", "skipped", "failed"]
RETRY_DAYS = 14
"""How long a failed digest is retried by later scheduled runs (week=None)."""


@dataclass(frozen=True)
class SendResult:
    """What happened for one recipient."""

    week: str
    recipient: str
    status: SendStatus
    detail: str = ""


def send_weekly_digests(
    db: Database,
    config: Config,
    week: str | None = None,
    force: bool = False,
    now: datetime | None = None,
    actor: str = "scheduler",
) -> list[SendResult]:
    """Build, archive and send the digest of `week` (None: the last complete ISO week).

    Returns one `SendResult` per recipient; never raises for a mail failure (it is in the
    result, in the log and in the archive). No recipients configured: a warning, no results.
    With `week=None` (the scheduler's call) earlier weeks whose send failed in the last
    `RETRY_DAYS` days are retried first, for recipients that are still configured.
    Every send and failed send is written to the audit log under `actor`.
    """
    now = now or utcnow()
    label = (parse_week(week, config.schedule.timezone).label if week
             else last_complete_week(now, config.schedule.timezone).label)
    if not config.mail.recipients:
        logger.warning("digest %s not sent: no [[mail.recipients]] configured", label)
        return []
    results: list[SendResult] = []
    if week is None:
        oldest = now - timedelta(days=RETRY_DAYS)
        for failed in unsent_digests(db, oldest):
            too_old = parse_week(failed.week, config.schedule.timezone).end < oldest
            if failed.week != label and not too_old:
                results += _send_week(db, config, failed.week, False, now, actor,
                                      only=failed.recipient)
    return results + _send_week(db, config, label, force, now, actor)


def _send_week(db: Database, config: Config, label: str, force: bool,
               now: datetime, actor: str, only: str | None = None) -> list[SendResult]:
    results: list[SendResult] = []
    for recipient in config.mail.recipients:
        if only is not None and recipient.email != only:
            continue
        archived = get_digest(db, label, recipient.email)
        if archived is not None and archived.sent_at is not None and not force:
            logger.info("digest %s already sent to %s at %s", label, recipient.email,
                        archived.sent_at)
            results.append(SendResult(label, recipient.email, "skipped",
                                      f"al verstuurd op {archived.sent_at:%Y-%m-%d %H:%M} UTC"))
            continue
        digest = build_digest(db, config, label, recipient, now=now)
        digest_id = save_digest(db, label, recipient.email, digest.subject, digest.html,
                                digest.text, created=now)
        message = html_message(digest, config.mail.sender, recipient.email, recipient.name)
        try:
            send_email(config.mail, message)
        except MailError as exc:
            logger.error("digest %s to %s failed: %s", label, recipient.email, exc)
            record_digest_failure(db, digest_id, str(exc))
            record_event(db, actor=actor, action="digest.send_failed", target=recipient.email,
                         detail=f"week {label}")
            results.append(SendResult(label, recipient.email, "failed", str(exc)))
            continue
        mark_digest_sent(db, digest_id, utcnow())
        record_event(db, actor=actor, action="digest.send", target=recipient.email,
                     detail=f"week {label}")
        results.append(SendResult(label, recipient.email, "sent"))
    return results
