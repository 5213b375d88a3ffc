"""Helpers that several scheduler tests share (the fixtures stay in conftest.py): news
documents in a store, for the backup and restore tests, and a job store whose jobs are all
due far ahead, for the tests that read the schedule without anything firing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import scheduler as sched
from core.config import Config
from core.records import Document, document_id_for_url
from storage.documents import upsert_document

T0 = datetime(2026, 6, 1, 4, 0, tzinfo=UTC)
"""When the backup tests' documents appear and their backups run (a Monday, 04:00 UTC)."""


def add_news(db: Any, n: int, offset: int = 0, words: int = 50) -> None:
    """`n` news documents (numbered from `offset`, `words` words of text) published at T0."""
    for i in range(offset, offset + n):
        url = f"https://example.org/nieuws/{i}"
        upsert_document(db, Document(
            id=document_id_for_url(url), source_id="ad-dordrecht", kind="news", url=url,
            title=f"Artikel {i}", text="Tekst " * words, published=T0, fetched=T0,
        ))


def schedule_far_ahead(config: Config) -> datetime:
    """Fill the job store with every configured job, each next due in two days (so nothing
    fires during the test); returns that time."""
    later = datetime.now(UTC).replace(microsecond=0) + timedelta(days=2)
    scheduler = sched.create_scheduler(config)
    scheduler.start(paused=True)
    sched.sync_jobs(scheduler, config)
    for job in scheduler.get_jobs():
        scheduler.modify_job(job.id, next_run_time=later)
    scheduler.shutdown(wait=True)
    return later
