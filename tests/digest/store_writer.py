"""Test-only writers that fill the tables the digest and alerts read (other areas fill them in
production). Documents go through storage.documents.upsert_document; the rest are
plain SQL inserts (on SQLite and PostgreSQL alike), as the nlp and crawler areas would
leave them.

Loaded by tests/digest/conftest.py and tests/alerts/conftest.py.
"""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

import sqlite_utils

from core.records import (
    Annotation,
    CrawlStats,
    Document,
    Source,
    Watch,
    document_id_for_url,
)
from core.timeutil import to_iso
from storage.adviser import add_annotation, save_watch
from storage.crawl_log import finish_crawl_run, start_crawl_run, upsert_source
from storage.documents import upsert_document

DEFAULT_P_NEG = {"negatief": 0.8, "neutraal": 0.1, "positief": 0.05}


class StoreWriter:
    """Small helpers to put fixture rows in a real SQLite database."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self._numbers = itertools.count(1)
        self.watch_ids: dict[str, int] = {}

    def source(self, source_id: str, name: str, kind: str = "news") -> None:
        upsert_source(self.db, Source(id=source_id, name=name, kind=kind,  # type: ignore[arg-type]
                                      type="rss", url=f"https://{source_id}.example/feed"))

    def watch(self, name: str, owner: str = "") -> int:
        watch_id = save_watch(self.db, Watch(name=name, query=name.lower(), owner=owner))
        self.watch_ids[name] = watch_id
        return watch_id

    def doc(
        self,
        title: str,
        time: datetime,
        label: str | None = "neutraal",
        *,
        p_neg: float | None = None,
        source: str = "ad",
        kind: str = "news",
        url: str | None = None,
        topics: tuple[str, ...] = (),
        watches: dict[str, str] | None = None,
        group: str | None = None,
        story: tuple[str, datetime] | None = None,
        text: str | None = None,
        author_pseudonym: str | None = None,
    ) -> str:
        number = next(self._numbers)
        url = url or f"https://{source}.example/artikel/{number}"
        doc = Document(
            id=document_id_for_url(url), source_id=source, kind=kind,  # type: ignore[arg-type]
            url=url, title=title, text=text or f"{title}. Tekst van bericht {number}.",
            published=time, fetched=time, syndication_group=group,
            author_pseudonym=author_pseudonym,
        )
        upsert_document(self.db, doc)
        if label is not None:
            neg = DEFAULT_P_NEG[label] if p_neg is None else p_neg
            pos = 0.8 if label == "positief" else 0.05
            self._insert("scores", {
                "document_id": doc.id, "sentence_idx": -1, "label": label,
                "p_neg": neg, "p_neu": max(0.0, 1 - neg - pos), "p_pos": pos,
                "model_name": "test", "model_version": "1", "content_hash": doc.content_hash,
                "scored_at": to_iso(time),
            })
        for topic in topics:
            self._insert("topics", {"document_id": doc.id, "topic": topic, "score": 0.9,
                                    "model_name": "test"})
        for name, watch_label in (watches or {}).items():
            watch_id = self.watch_ids.get(name) or self.watch(name)
            self._insert("watch_scores", {
                "watch_id": watch_id, "document_id": doc.id, "mentions": 1,
                "label": watch_label, "p_neg": DEFAULT_P_NEG[watch_label], "p_neu": 0.1,
                "p_pos": 0.1, "model_name": "test", "model_version": "1",
            })
        if story is not None:
            story_id, first_seen = story
            self.db.execute(
                "INSERT INTO stories (id, label, first_seen, last_seen, size) "
                "VALUES (?, ?, ?, ?, 1) ON CONFLICT (id) DO UPDATE SET label = excluded.label, "
                "first_seen = excluded.first_seen, last_seen = excluded.last_seen, "
                "size = excluded.size",
                [story_id, story_id, to_iso(first_seen), to_iso(time)])
            self._insert("document_stories", {"document_id": doc.id, "story_id": story_id})
        return doc.id

    def _insert(self, table: str, row: dict[str, Any]) -> None:
        """Plain SQL (not sqlite-utils' table helpers) so the writer fills both engines."""
        self.db.execute(
            f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
            list(row.values()))

    def note(self, document_id: str, text: str, author: str, created: datetime) -> None:
        add_annotation(self.db, Annotation(document_id=document_id, kind="note", value=text,
                                           author=author, created=created))

    def correction(self, document_id: str, label: str, created: datetime) -> None:
        add_annotation(self.db, Annotation(document_id=document_id, kind="correction",
                                           value=label, author="adviseur", created=created))

    def crawl_run(self, source_id: str, started: datetime, ok: bool) -> None:
        run_id = start_crawl_run(self.db, source_id, started=started)
        finish_crawl_run(self.db, run_id, CrawlStats(http_status=200 if ok else 500),
                         status="ok" if ok else "failed", ended=started)
