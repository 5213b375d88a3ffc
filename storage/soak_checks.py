"""What `make soak` (bench/soak.py) reads after each killed step: the store's own facts.

The soak kills crawls, scoring runs, exports and backups at random moments and then asks
whether anything was lost, duplicated or left half-done. Those questions are SQL, so they
live here; the soak itself only compares the answers.
"""

from __future__ import annotations

from storage.db import Database, transaction


def document_ids(db: Database) -> set[str]:
    """Every stored document id."""
    return {row[0] for row in db.execute("SELECT id FROM documents")}


def scored_document_ids(db: Database) -> set[str]:
    """Ids of documents that have a document-level score."""
    return {row[0] for row in db.execute(
        "SELECT document_id FROM scores WHERE sentence_idx = -1")}


def count_scored_documents(db: Database) -> int:
    """Documents with a document-level score (the scoring step's progress)."""
    return int(db.execute(
        "SELECT count(*) FROM scores WHERE sentence_idx = -1").fetchone()[0])


def duplicate_rows(db: Database) -> int:
    """URLs stored twice plus (document, sentence) pairs scored twice; 0 in a sound store."""
    urls = db.execute("SELECT count(*) FROM (SELECT url FROM documents GROUP BY url "
                      "HAVING count(*) > 1) AS twice").fetchone()[0]
    scores = db.execute("SELECT count(*) FROM (SELECT 1 FROM scores GROUP BY document_id, "
                        "sentence_idx HAVING count(*) > 1) AS twice").fetchone()[0]
    return int(urls) + int(scores)


def running_crawl_runs(db: Database) -> int:
    """Crawl runs still marked 'running' (after recovery: ones stuck for good)."""
    return int(db.execute(
        "SELECT count(*) FROM crawl_runs WHERE status = 'running'").fetchone()[0])


def delete_source_documents(db: Database, source_id: str) -> None:
    """Remove the documents one source stored (the soak's own writer source, afterwards)."""
    with transaction(db):
        db.execute("DELETE FROM documents WHERE source_id = ?", [source_id])
