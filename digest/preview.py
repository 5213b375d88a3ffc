"""Digest previews for the dashboard, stored so that the Digest page opens at once.

Building a digest reads two weeks of documents and draws two charts: more than a second on
a large store. The dashboard shows a stored preview while `storage.digests.data_stamp`
says its data is unchanged, and builds (and stores) a fresh one otherwise. The scheduler's
rollup job calls `refresh_previews` so that the weeks people look at are ready.
"""

from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from core.config import Config, Recipient
from core.records import utcnow
from digest.build import build_digest
from digest.weeks import parse_week, week_of
from storage.db import Database
from storage.digests import DigestPreview, data_stamp, get_preview, save_preview

logger = logging.getLogger(__name__)

PREVIEW_WEEKS = 2
"""The running week and the one before: what the Digest page opens on and what is sent."""


def preview(
    db: Database,
    config: Config,
    week: str,
    recipient: Recipient | None,
    *,
    rebuild: bool = False,
    now: datetime | None = None,
) -> DigestPreview:
    """The preview of `week` for `recipient` (None: management): stored if still current.

    Raises `digest.weeks.WeekError` for a malformed week.
    """
    label = parse_week(week, config.schedule.timezone).label
    who = recipient.email if recipient else ""
    stamp = data_stamp(db)
    if not rebuild:
        stored = get_preview(db, label, who)
        if stored is not None and stored.data_stamp == stamp:
            return stored
    digest = build_digest(db, config, label, recipient, now=now)
    fresh = DigestPreview(
        week=label, recipient=who, subject=digest.subject,
        html=digest.html_with_inline_images(), text=digest.text,
        data_stamp=stamp, built_at=now or utcnow(),
    )
    save_preview(db, fresh)
    return fresh


def refresh_previews(
    db: Database, config: Config, now: datetime | None = None
) -> int:
    """Make sure the recent weeks' previews are current for every reader; returns how many
    were (re)built."""
    zone = ZoneInfo(config.schedule.timezone)
    week = week_of((now or utcnow()).astimezone(zone).date(), zone)
    built = 0
    stamp = data_stamp(db)
    readers: list[Recipient | None] = [None, *config.mail.recipients]
    for _ in range(PREVIEW_WEEKS):
        for reader in readers:
            stored = get_preview(db, week.label, reader.email if reader else "")
            if stored is None or stored.data_stamp != stamp:
                preview(db, config, week.label, reader, rebuild=True, now=now)
                built += 1
        week = week.previous()
    logger.info("digest previews: %d rebuilt", built)
    return built
