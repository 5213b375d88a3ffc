"""Stories and the document embeddings they are clustered from.

`nlp.stories` reads the embeddings and writes a window's clustering back in one transaction
(`replace_stories`); the dashboard lists stories and their documents.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np

from core.records import utcnow
from core.timeutil import from_iso, to_iso
from storage.db import Database, transaction


@dataclass(frozen=True)
class Story:
    """An emerging story: documents about the same event, across outlets."""

    id: str
    label: str
    first_seen: datetime
    last_seen: datetime
    size: int


@dataclass(frozen=True)
class EmbeddedDocument:
    """What story clustering needs per document."""

    document_id: str
    source_id: str
    time: datetime
    title: str
    syndication_group: str | None
    vector: np.ndarray
    text: str = ""
    """The start of the text (for exact-copy fingerprints)."""


def embedded_documents(
    db: Database, model: str, since: datetime | None = None
) -> list[EmbeddedDocument]:
    """Documents with a stored embedding by `model`, published (or first seen) since `since`."""
    sql = (
        "SELECT d.id, d.source_id, coalesce(d.published, d.first_seen) AS t, d.title, "
        "d.syndication_group, e.vector, e.dim, substr(d.text, 1, 5000) FROM documents d "
        "JOIN document_embeddings e ON e.document_id = d.id WHERE e.model = ?"
    )
    params: list[Any] = [model]
    if since is not None:
        sql += " AND coalesce(d.published, d.first_seen) >= ?"
        params.append(to_iso(since))
    sql += " ORDER BY t, d.num"
    out = []
    for row in db.execute(sql, params).fetchall():
        doc_id, source_id, time, title, group, blob, dim, text = row
        vector = np.frombuffer(blob, dtype=np.float32)
        if vector.shape[0] != dim:
            continue
        out.append(
            EmbeddedDocument(
                doc_id, source_id, from_iso(time) or utcnow(), title, group, vector, text
            )
        )
    return out


def newest_embedded_time(db: Database, model: str) -> datetime | None:
    """Publication (or first-seen) time of the newest document with an embedding by `model`."""
    row = db.execute(
        "SELECT max(coalesce(d.published, d.first_seen)) FROM documents d "
        "JOIN document_embeddings e ON e.document_id = d.id WHERE e.model = ?",
        [model],
    ).fetchone()
    return from_iso(row[0]) if row and row[0] else None


def delete_orphan_embeddings(db: Database) -> int:
    """Embeddings of purged documents (retention) go too."""
    with transaction(db) as conn:
        cursor = conn.execute(
            "DELETE FROM document_embeddings WHERE document_id NOT IN (SELECT id FROM documents)"
        )
    return int(cursor.rowcount or 0)


def replace_stories(
    db: Database,
    window_document_ids: Sequence[str],
    stories: Sequence[Story],
    membership: dict[str, str],
) -> None:
    """Re-cluster result for a time window: the window's documents get their new story (or
    none), the given stories are written, and stories left without documents are removed."""
    with transaction(db) as conn:
        for start in range(0, len(window_document_ids), 500):
            chunk = list(window_document_ids[start : start + 500])
            marks = ", ".join("?" for _ in chunk)
            conn.execute(f"DELETE FROM document_stories WHERE document_id IN ({marks})", chunk)
        conn.executemany(
            "INSERT INTO document_stories (document_id, story_id) VALUES (?, ?) "
            "ON CONFLICT (document_id) DO UPDATE SET story_id = excluded.story_id",
            list(membership.items()),
        )
        conn.executemany(
            "INSERT INTO stories (id, label, first_seen, last_seen, size) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET label = excluded.label, "
            "first_seen = excluded.first_seen, last_seen = excluded.last_seen, "
            "size = excluded.size",
            [
                (s.id, s.label, to_iso(s.first_seen), to_iso(s.last_seen), s.size)
                for s in stories
            ],
        )
        conn.execute(
            "DELETE FROM stories WHERE id NOT IN (SELECT DISTINCT story_id FROM document_stories)"
        )
        # Sizes of stories that reach outside the window stay right: count what is stored.
        conn.execute(
            "UPDATE stories SET size = (SELECT count(*) FROM document_stories ds "
            "WHERE ds.story_id = stories.id)"
        )


def list_stories(
    db: Database, since: datetime | None = None, limit: int = 20
) -> list[Story]:
    """Stories seen since `since`, most documents first, then most recent."""
    sql = "SELECT * FROM stories"
    params: list[Any] = []
    if since is not None:
        sql += " WHERE last_seen >= ?"
        params.append(to_iso(since))
    sql += " ORDER BY size DESC, last_seen DESC LIMIT ?"
    return [story_from_row(row) for row in db.query(sql, [*params, limit])]


def story_documents(db: Database, story_id: str) -> list[str]:
    """Ids of the documents of a story, oldest first."""
    rows = db.execute(
        "SELECT d.id FROM document_stories ds JOIN documents d ON d.id = ds.document_id "
        "WHERE ds.story_id = ? ORDER BY coalesce(d.published, d.first_seen), d.num",
        [story_id],
    ).fetchall()
    return [str(row[0]) for row in rows]


def story_from_row(row: dict[str, Any]) -> Story:
    """A `stories` row as a `Story` (also for the item view in storage.scores)."""
    return Story(
        id=row["id"],
        label=row["label"],
        first_seen=from_iso(row["first_seen"]) or utcnow(),
        last_seen=from_iso(row["last_seen"]) or utcnow(),
        size=int(row["size"]),
    )


def has_stories(db: Database) -> bool:
    """Whether any story is stored (the scorer clusters once even without new documents)."""
    return db.execute("SELECT 1 FROM stories LIMIT 1").fetchone() is not None


def stories_of_documents(db: Database, ids: Sequence[str]) -> dict[str, str]:
    """Document id -> its current story id, for those of `ids` that have one."""
    out: dict[str, str] = {}
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        marks = ", ".join("?" for _ in chunk)
        for doc_id, story_id in db.execute(
            f"SELECT document_id, story_id FROM document_stories WHERE document_id IN ({marks})",
            chunk,
        ).fetchall():
            out[doc_id] = story_id
    return out
