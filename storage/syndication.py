"""Syndication lookups: which stored documents may carry the same story.

Owned by the crawlers. Index keys are computed in `crawlers.fingerprint`; this module only
stores them and finds documents sharing one.
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.db import Database, transaction


@dataclass(frozen=True)
class StoryCandidate:
    """A stored document of another source that shares a story index key."""

    document_id: str
    source_id: str
    title: str
    text: str
    syndication_group: str | None


def save_story_keys(
    db: Database, document_id: str, source_id: str, keys: tuple[int, int, int, int]
) -> None:
    """Remember a document's story index keys (replacing older ones after an edit)."""
    with transaction(db) as conn:
        conn.execute(
            "INSERT INTO story_fingerprints "
            "(document_id, source_id, band0, band1, band2, band3) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (document_id) DO UPDATE SET source_id = excluded.source_id, "
            "band0 = excluded.band0, band1 = excluded.band1, band2 = excluded.band2, "
            "band3 = excluded.band3",
            [document_id, source_id, *keys],
        )


def story_candidates(
    db: Database,
    keys: tuple[int, int, int, int],
    exclude_source_id: str,
    limit: int = 200,
) -> list[StoryCandidate]:
    """Documents of other sources sharing at least one key, oldest first.

    Keys of purged documents are ignored (the join drops them).
    """
    rows = db.execute(
        "SELECT f.document_id, f.source_id, d.title, d.text, d.syndication_group "
        "FROM story_fingerprints f JOIN documents d ON d.id = f.document_id "
        "WHERE (f.band0 = ? OR f.band1 = ? OR f.band2 = ? OR f.band3 = ?) "
        "AND f.source_id != ? ORDER BY d.first_seen, d.num LIMIT ?",
        [*keys, exclude_source_id, limit],
    ).fetchall()
    return [StoryCandidate(*row) for row in rows]
