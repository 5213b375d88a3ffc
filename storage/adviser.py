"""What advisers write: watches (saved project queries) and annotations on documents."""

from __future__ import annotations

from core.records import LABELS, Annotation, Watch, utcnow
from core.timeutil import from_iso, to_iso
from storage.db import Database, transaction
from storage.effective import days_of, set_correction
from storage.nul import strip_nul_fields
from storage.rollups import refresh_rollup_days


class AnnotationError(ValueError):
    """An adviser action was malformed; the message says what is accepted."""


def save_watch(db: Database, watch: Watch) -> int:
    """Create or update a watch by name and return its id.

    On SQLite the write lock makes look-up-then-insert safe; on PostgreSQL two saves of a new
    name can race, so the insert is `ON CONFLICT (name) DO NOTHING RETURNING id` and the
    loser updates the winner's row instead of failing on the unique name.
    """
    watch = strip_nul_fields(watch, "name", "query", "owner")
    now = to_iso(utcnow())
    with transaction(db) as conn:
        conn.execute("DELETE FROM removed_watches WHERE name = ?", [watch.name])
        row = conn.execute("SELECT id FROM watches WHERE name = ?", [watch.name]).fetchone()
        if row is None and watch.id is not None:
            row = conn.execute("SELECT id FROM watches WHERE id = ?", [watch.id]).fetchone()
        if row is None:
            inserted = conn.execute(
                "INSERT INTO watches (name, query, owner, active, created, updated) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING RETURNING id",
                [watch.name, watch.query, watch.owner, int(watch.active), now, now],
            ).fetchone()
            if inserted is not None:
                return int(inserted[0])
            # Another connection created this name since our SELECT (PostgreSQL only; SQLite's
            # write lock rules that out): update that row, as if we had seen it.
            row = conn.execute("SELECT id FROM watches WHERE name = ?", [watch.name]).fetchone()
        conn.execute(
            "UPDATE watches SET name = ?, query = ?, owner = ?, active = ?, updated = ? "
            "WHERE id = ?",
            [watch.name, watch.query, watch.owner, int(watch.active), now, row[0]],
        )
        if watch.id is None or watch.id == row[0]:
            conn.execute("DELETE FROM watch_scores WHERE watch_id = ?", [row[0]])
        return int(row[0])


def list_watches(db: Database, active_only: bool = False) -> list[Watch]:
    """All watches, by name."""
    sql = "SELECT * FROM watches" + (" WHERE active = 1" if active_only else "") + " ORDER BY name"
    return [
        Watch(
            id=row["id"],
            name=row["name"],
            query=row["query"],
            owner=row["owner"],
            active=bool(row["active"]),
        )
        for row in db.query(sql)
    ]


def delete_watch(db: Database, watch_id: int) -> None:
    """Remove a watch and its per-document scores, and remember the removal.

    The remembered name and query keep `newsroom init` from re-adding the watch from
    newsroom.toml; saving a watch with that name again forgets the removal.
    """
    with transaction(db) as conn:
        row = conn.execute("SELECT name, query FROM watches WHERE id = ?", [watch_id]).fetchone()
        conn.execute("DELETE FROM watch_scores WHERE watch_id = ?", [watch_id])
        conn.execute("DELETE FROM watches WHERE id = ?", [watch_id])
        if row is not None:
            conn.execute(
                "INSERT INTO removed_watches (name, query, removed) VALUES (?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET query = excluded.query, "
                "removed = excluded.removed",
                [row[0], row[1], to_iso(utcnow())],
            )


def removed_watches(db: Database) -> dict[str, str]:
    """Watches removed by a user: name -> the query it had when removed."""
    return {row["name"]: row["query"] for row in db.query("SELECT * FROM removed_watches")}


def add_annotation(db: Database, annotation: Annotation) -> int:
    """Store a correction, tag or note; who and when are kept with it.

    A correction's value must be one of the three labels, so `newsroom train` can use it.
    A document-level correction becomes the document's effective label at once
    (`storage.effective`), and the rollups of its day are rebuilt.
    """
    if annotation.kind not in ("correction", "tag", "note"):
        raise AnnotationError(
            f"Unknown annotation kind {annotation.kind!r}: use correction, tag or note"
        )
    if annotation.kind == "correction" and annotation.value not in LABELS:
        raise AnnotationError(
            f"A correction must be one of {', '.join(LABELS)}, not {annotation.value!r}"
        )
    annotation = strip_nul_fields(annotation, "value", "author")
    value = annotation.value.strip()
    if not value:
        raise AnnotationError("An annotation needs a value")
    if not annotation.author.strip():
        raise AnnotationError("An annotation needs an author")
    with transaction(db) as conn:
        exists = conn.execute("SELECT 1 FROM documents WHERE id = ?", [annotation.document_id])
        if exists.fetchone() is None:
            raise AnnotationError(f"No document with id {annotation.document_id!r}")
        annotation_id = int(conn.execute(
            "INSERT INTO annotations (document_id, kind, value, sentence_idx, author, created) "
            "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            [
                annotation.document_id,
                annotation.kind,
                value[:5000],
                annotation.sentence_idx,
                annotation.author,
                to_iso(annotation.created),
            ],
        ).fetchone()[0])
        if annotation.kind == "correction" and annotation.sentence_idx is None:
            set_correction(conn, annotation.document_id, value, annotation.author,
                           annotation.created)
    if annotation.kind == "correction" and annotation.sentence_idx is None:
        # The correction is the truth from now on: recount the charts of its day at once.
        refresh_rollup_days(db, sorted(days_of(db, [annotation.document_id])))
    return annotation_id


def list_annotations(
    db: Database, document_id: str | None = None, kind: str | None = None
) -> list[Annotation]:
    """Annotations, newest first, optionally for one document and/or of one kind."""
    clauses, params = [], []
    if document_id is not None:
        clauses.append("document_id = ?")
        params.append(document_id)
    if kind is not None:
        clauses.append("kind = ?")
        params.append(kind)
    where = " AND ".join(clauses) or "1 = 1"
    return [
        Annotation(
            id=row["id"],
            document_id=row["document_id"],
            kind=row["kind"],
            value=row["value"],
            sentence_idx=row["sentence_idx"],
            author=row["author"],
            created=from_iso(row["created"]) or utcnow(),
        )
        for row in db.query(
            f"SELECT * FROM annotations WHERE {where} ORDER BY created DESC, id DESC", params
        )
    ]


def latest_corrections(db: Database) -> list[tuple[str, int | None, str, str]]:
    """The newest correction per document (and sentence): (document_id, sentence_idx, text, label).

    This is what `newsroom train` adds to its labelled data; the text is the corrected
    sentence, or the document title + text for a document-level correction.
    """
    rows = db.query(
        """
        SELECT a.document_id, a.sentence_idx, a.value,
               coalesce(s.text, d.title || '. ' || d.text) AS text
        FROM annotations a
        JOIN documents d ON d.id = a.document_id
        LEFT JOIN sentences s ON s.document_id = a.document_id AND s.idx = a.sentence_idx
        WHERE a.kind = 'correction' AND a.id = (
            SELECT max(b.id) FROM annotations b
            WHERE b.document_id = a.document_id AND b.kind = 'correction'
              AND b.sentence_idx IS NOT DISTINCT FROM a.sentence_idx)
        ORDER BY a.id
        """
    )
    return [(r["document_id"], r["sentence_idx"], r["text"], r["value"]) for r in rows]
