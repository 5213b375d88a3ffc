"""Reads for the coordinated-posting signal: social posts in a period, and when each
pseudonymous account was first seen in our store (a stand-in for "new account")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.timeutil import from_iso, to_iso
from storage.db import Database


@dataclass(frozen=True)
class SocialPostRow:
    document_id: str
    time: datetime
    author: str
    text: str
    url: str


def social_posts_between(db: Database, start: datetime, end: datetime
                         ) -> list[SocialPostRow]:
    """Social posts with a pseudonymous author dated in [start, end), oldest first."""
    rows = db.query(
        "SELECT id, coalesce(published, first_seen) AS t, author_pseudonym, text, url "
        "FROM documents WHERE kind = 'social' AND author_pseudonym IS NOT NULL "
        "AND coalesce(published, first_seen) >= ? AND coalesce(published, first_seen) < ? "
        "ORDER BY t, id",
        [to_iso(start), to_iso(end)],
    )
    result = []
    for row in rows:
        when = from_iso(row["t"])
        if when is not None:
            result.append(SocialPostRow(row["id"], when, row["author_pseudonym"], row["text"],
                                        row["url"]))
    return result


def first_seen_by_author(db: Database, authors: set[str]) -> dict[str, datetime]:
    """The earliest post date of each pseudonym in the whole store (an index lookup per
    pseudonym: idx_documents_author, migration 0120)."""
    found: dict[str, datetime] = {}
    names = sorted(authors)
    for offset in range(0, len(names), 500):
        chunk = names[offset:offset + 500]
        marks = ", ".join("?" for _ in chunk)
        for row in db.query(
            "SELECT author_pseudonym, min(coalesce(published, first_seen)) AS t FROM documents "
            f"WHERE kind = 'social' AND author_pseudonym IN ({marks}) "
            "GROUP BY author_pseudonym", chunk,
        ):
            when = from_iso(row["t"])
            if when is not None:
                found[row["author_pseudonym"]] = when
    return found
