"""Documents: idempotent upserts with edit history, lookups, full-text search, export, purge.

Written once for both engines (SQLite and PostgreSQL, issue 16); the engine-specific parts
are named in storage.dialect (write lock per document, streamed cursor) and storage.search
(full-text search).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.records import MAX_TEXT_CHARS, MAX_TITLE_CHARS, Document, UpsertOutcome, utcnow
from core.timeutil import from_iso, to_iso
from storage import dialect
from storage.db import Database, transaction
from storage.effective import EFFECTIVE_COLUMNS, EFFECTIVE_JOIN, EFFECTIVE_LABEL, MODEL_COLUMNS
from storage.nul import strip_nul
from storage.search import fts5_query, text_search


def upsert_document(db: Database, doc: Document) -> UpsertOutcome:
    """Insert a document or update it in place; keep the previous version when it changed.

    Keyed by `doc.id` (from the canonical URL, or platform + post id). Returns whether the
    document was new, updated (its title or text changed), or unchanged. The source that
    stored it first stays its owner; another source that links it is recorded as a mention.
    """
    # NUL characters carry no meaning in an article and PostgreSQL's TEXT cannot hold them:
    # drop them on both engines, so the same document has the same hash everywhere.
    doc.title = strip_nul(doc.title)[:MAX_TITLE_CHARS]
    doc.text = strip_nul(doc.text)[:MAX_TEXT_CHARS]
    doc.url = strip_nul(doc.url)  # scraped too; `doc.id` was derived before, the same on both
    doc.content_hash = ""
    doc.__post_init__()
    row = _to_row(doc)
    with transaction(db) as conn:
        dialect.lock_for_write(conn, f"documents:{doc.id}")
        existing = conn.execute(
            "SELECT version, title, text, content_hash, first_seen, syndication_group, "
            "source_id, kind FROM documents WHERE id = ?",
            [doc.id],
        ).fetchone()
        if existing is None:
            row["first_seen"] = row["fetched"]
            row["version"] = 1
            _insert(conn, "documents", row)
            return "new"
        version, old_title, old_text, old_hash, first_seen, old_group, owner, kind = existing
        if owner != doc.source_id:
            conn.execute(
                "INSERT INTO document_mentions (document_id, source_id, url, first_seen) "
                "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                [doc.id, doc.source_id, doc.url, row["fetched"]],
            )
            row["source_id"], row["kind"] = owner, kind
        if old_hash == doc.content_hash:
            conn.execute("UPDATE documents SET fetched = ? WHERE id = ?", [row["fetched"], doc.id])
            return "unchanged"
        conn.execute(
            "INSERT INTO document_versions "
            "(document_id, version, title, text, content_hash, recorded_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (document_id, version) DO UPDATE SET "
            "title = excluded.title, text = excluded.text, "
            "content_hash = excluded.content_hash, recorded_at = excluded.recorded_at",
            [doc.id, version, old_title, old_text, old_hash, to_iso(utcnow())],
        )
        row["first_seen"] = first_seen
        row["version"] = version + 1
        if row["syndication_group"] is None:
            row["syndication_group"] = old_group
        assignments = ", ".join(f'"{key}" = ?' for key in row if key != "id")
        values = [value for key, value in row.items() if key != "id"]
        conn.execute(f"UPDATE documents SET {assignments} WHERE id = ?", [*values, doc.id])
        return "updated"


def _insert(conn: Any, table: str, row: dict[str, Any]) -> None:
    columns = ", ".join(f'"{key}"' for key in row)
    marks = ", ".join("?" for _ in row)
    conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(row.values()))


def _to_row(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.id,
        "source_id": doc.source_id,
        "kind": doc.kind,
        "url": doc.url,
        "title": doc.title,
        "text": doc.text,
        "published": to_iso(doc.published),
        "fetched": to_iso(doc.fetched),
        "language": doc.language,
        "author": doc.author,
        "author_pseudonym": doc.author_pseudonym,
        "platform": doc.platform,
        "post_id": doc.post_id,
        "syndication_group": doc.syndication_group,
        "fictional": int(doc.fictional),
        "content_hash": doc.content_hash,
    }


def document_from_row(row: dict[str, Any]) -> Document:
    """A `documents` row as a `Document` (also for the scorer's queries in storage.scores)."""
    return Document(
        id=row["id"],
        source_id=row["source_id"],
        kind=row["kind"],
        url=row["url"],
        title=row["title"],
        text=row["text"],
        published=from_iso(row["published"]),
        fetched=from_iso(row["fetched"]) or utcnow(),
        language=row["language"],
        author=row["author"],
        author_pseudonym=row["author_pseudonym"],
        platform=row["platform"],
        post_id=row["post_id"],
        syndication_group=row["syndication_group"],
        fictional=bool(row["fictional"]),
        content_hash=row["content_hash"],
    )


def get_document(db: Database, document_id: str) -> Document | None:
    """The document with this id, or None."""
    rows = list(db.query("SELECT * FROM documents WHERE id = ?", [document_id]))
    return document_from_row(rows[0]) if rows else None


def document_versions(db: Database, document_id: str) -> list[dict[str, Any]]:
    """Earlier versions of an edited document, oldest first."""
    return list(
        db.query(
            "SELECT version, title, text, recorded_at FROM document_versions "
            "WHERE document_id = ? ORDER BY version",
            [document_id],
        )
    )


def count_documents(db: Database, source_id: str | None = None) -> int:
    """How many documents are stored (for one source when given)."""
    if source_id is None:
        return int(db.execute("SELECT count(*) FROM documents").fetchone()[0])
    return int(
        db.execute("SELECT count(*) FROM documents WHERE source_id = ?", [source_id]).fetchone()[0]
    )


@dataclass(frozen=True)
class DocumentFilter:
    """Filters shared by export, search and the dashboard lists. None means 'any'."""

    since: datetime | None = None
    until: datetime | None = None
    source_ids: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    place_codes: tuple[str, ...] = ()
    watch_ids: tuple[int, ...] = ()
    text_query: str = ""
    tags: tuple[str, ...] = ()
    """Adviser tags (annotations of kind 'tag'): a document with any of them matches."""


def filter_where(flt: DocumentFilter, db: Any = None) -> tuple[str, list[Any]]:
    """SQL conditions over `d` (documents) , `s` and `o` (`storage.effective`) for a filter.

    Pass `db` (or its conn) so a text query is built for its engine; without it the text
    query is SQLite's (the callers written before PostgreSQL)."""
    clauses: list[str] = []
    params: list[Any] = []
    time_expr = "coalesce(d.published, d.first_seen)"
    if flt.since is not None:
        clauses.append(f"{time_expr} >= ?")
        params.append(to_iso(flt.since))
    if flt.until is not None:
        clauses.append(f"{time_expr} < ?")
        params.append(to_iso(flt.until))
    for column, values in (
        ("d.source_id", flt.source_ids),
        ("d.kind", flt.kinds),
        ("d.language", flt.languages),
        (EFFECTIVE_LABEL, flt.labels),
    ):
        if values:
            clauses.append(f"{column} IN ({', '.join('?' for _ in values)})")
            params.extend(values)
    if flt.topics:
        marks = ", ".join("?" for _ in flt.topics)
        clauses.append(f"d.id IN (SELECT document_id FROM topics WHERE topic IN ({marks}))")
        params.extend(flt.topics)
    if flt.place_codes:
        marks = ", ".join("?" for _ in flt.place_codes)
        clauses.append(f"d.id IN (SELECT document_id FROM places WHERE cbs_code IN ({marks}))")
        params.extend(flt.place_codes)
    if flt.watch_ids:
        marks = ", ".join("?" for _ in flt.watch_ids)
        clauses.append(
            f"d.id IN (SELECT document_id FROM watch_scores WHERE watch_id IN ({marks}))"
        )
        params.extend(flt.watch_ids)
    if flt.tags:
        marks = ", ".join("?" for _ in flt.tags)
        clauses.append("d.id IN (SELECT document_id FROM annotations "
                       f"WHERE kind = 'tag' AND value IN ({marks}))")
        params.extend(flt.tags)
    if flt.text_query.strip():
        search, search_params = text_search(db, flt.text_query)
        clauses.append(f"d.num IN (SELECT num FROM ({search}) m)")
        params.extend(search_params)
    return (" AND ".join(clauses) or "1 = 1"), params


def fts_query(user_text: str) -> str:
    """Turn what an adviser typed into a safe FTS5 query (SQLite; see storage.search).

    Words are ANDed; "quoted phrases" stay phrases; OR, AND and NOT pass through; a word
    ending in * is a prefix search. Anything else FTS5 would treat as syntax is quoted, so a
    search box never raises a syntax error. Kept for callers that query `documents_fts`
    themselves; new code uses `storage.search.text_search`, which serves both engines.

    >>> fts_query('stadskantoor OR "nieuwe brug" parkeer*')
    '"stadskantoor" OR "nieuwe brug" "parkeer"*'
    """
    return fts5_query(user_text)


def list_documents(
    db: Database,
    flt: DocumentFilter = DocumentFilter(),
    *,
    limit: int | None = 100,
    offset: int = 0,
    by_relevance: bool = False,
) -> list[dict[str, Any]]:
    """Documents with their document-level score, newest first, as plain dicts for lists.

    With `by_relevance` and a text query, the best matches come first instead (title hits
    above text hits; storage.search ranks), newest first among equals.
    """
    sql, params = _documents_query(db, flt, by_relevance=by_relevance)
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params = [*params, limit, offset]
    return list(db.query(sql, params))


def _documents_query(db: Any, flt: DocumentFilter, *,
                     by_relevance: bool = False) -> tuple[str, list[Any]]:
    where, params = filter_where(flt, db)
    rank_join, order = "", ""
    if by_relevance and flt.text_query.strip():
        search, search_params = text_search(db, flt.text_query, ranked=True)
        rank_join = f"JOIN ({search}) m ON m.num = d.num "
        order = "m.relevance DESC, "
        params = [*search_params, *params]
    sql = (
        "SELECT d.id, d.source_id, d.kind, d.url, d.title, d.text, d.published, d.first_seen, "
        "d.language, d.syndication_group, d.author_pseudonym, d.fictional, "
        f"{EFFECTIVE_COLUMNS}, s.model_name, s.model_version, {MODEL_COLUMNS} "
        f"FROM documents d {rank_join}{EFFECTIVE_JOIN} "
        f"WHERE {where} ORDER BY {order}coalesce(d.published, d.first_seen) DESC, d.num DESC"
    )
    return sql, params


def iter_documents(db: Database, flt: DocumentFilter = DocumentFilter()) -> Iterator[
    dict[str, Any]
]:
    """All documents matching a filter, streamed (for export) from one snapshot.

    One query inside one read transaction: a crawl, scoring run or purge that commits while
    the export runs is either wholly in it or wholly out of it, so no row is duplicated or
    dropped (pages with LIMIT/OFFSET over a changing table do both). In WAL mode the read
    transaction does not block writers; on PostgreSQL the one statement reads one snapshot
    through a server-side cursor (dialect.stream), so memory stays flat at any size.
    """
    yield from _snapshot_rows(db, *_documents_query(db, flt))


def _snapshot_rows(db: Database, sql: str, params: list[Any],
                   batch: int = 500) -> Iterator[dict[str, Any]]:
    conn = db.conn
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN")
    cursor = None
    try:
        cursor = dialect.stream(conn, sql, params, "export_documents")
        columns = [item[0] for item in cursor.description]
        while rows := cursor.fetchmany(batch):
            for row in rows:
                yield dict(zip(columns, row, strict=True))
    finally:
        if cursor is not None:
            cursor.close()
        if own and conn.in_transaction:
            conn.execute("COMMIT")


def purge_older_than(db: Database, kind: str, cutoff: datetime) -> int:
    """Delete documents of `kind` first seen before `cutoff`, with everything derived from them.

    Retention is by first-seen time, so a post with a forged future date cannot dodge it.
    Returns how many documents were removed.
    """
    with transaction(db) as conn:
        ids = [
            row[0]
            for row in conn.execute(
                "SELECT id FROM documents WHERE kind = ? AND first_seen < ?",
                [kind, to_iso(cutoff)],
            )
        ]
        for chunk_start in range(0, len(ids), 500):
            chunk = ids[chunk_start : chunk_start + 500]
            marks = ", ".join("?" for _ in chunk)
            for table, column in DERIVED_TABLES:
                conn.execute(f"DELETE FROM {table} WHERE {column} IN ({marks})", chunk)
            conn.execute(f"DELETE FROM documents WHERE id IN ({marks})", chunk)
    return len(ids)


DERIVED_TABLES: tuple[tuple[str, str], ...] = (
    ("document_versions", "document_id"),
    ("sentences", "document_id"),
    ("scores", "document_id"),
    ("topics", "document_id"),
    ("document_stories", "document_id"),
    ("places", "document_id"),
    ("watch_scores", "document_id"),
    ("annotations", "document_id"),
    ("document_embeddings", "document_id"),
    ("story_fingerprints", "document_id"),
    ("score_leases", "document_id"),
    ("document_mentions", "document_id"),
    ("label_overrides", "document_id"),
    ("rule_hits", "document_id"),
)
"""Tables whose rows belong to one document and go when it goes."""


def set_syndication_group(db: Database, document_ids: list[str], group: str) -> None:
    """Link copies of the same story on several outlets; each stays its own document."""
    if not document_ids:
        return
    marks = ", ".join("?" for _ in document_ids)
    with transaction(db) as conn:
        conn.execute(
            f"UPDATE documents SET syndication_group = ? WHERE id IN ({marks})",
            [group, *document_ids],
        )
