"""Which documents a restricted viewer may see: a project lead sees their projects' items."""

from __future__ import annotations

from collections.abc import Sequence

from storage.db import Database


def documents_in_watches(db: Database, document_ids: Sequence[str],
                         watch_ids: Sequence[int]) -> set[str]:
    """The subset of `document_ids` that one of `watch_ids` matched (watch_scores)."""
    if not document_ids or not watch_ids:
        return set()
    doc_marks = ", ".join("?" * len(document_ids))
    watch_marks = ", ".join("?" * len(watch_ids))
    rows = db.execute(
        f"SELECT DISTINCT document_id FROM watch_scores WHERE document_id IN ({doc_marks}) "
        f"AND watch_id IN ({watch_marks})",
        [*document_ids, *watch_ids],
    ).fetchall()
    return {str(row[0]) for row in rows}
