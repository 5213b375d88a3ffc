"""Erasure on request (AVG art. 17): one post, one author (pseudonym) or one source, with
everything derived from it.

Deleting the documents is not enough: their text lives on in sentences, scores, the
full-text index, story clusters, watch scores, annotations, alert evidence
(`alerts.items_json`), archived digests and their previews, and the daily rollups. This
module removes or rebuilds all of those in one transaction, overwrites the freed pages
(`secure_delete`) and compacts the full-text index so the words are gone from the file too.
The same function rewrites backup files (`erase_in_backup`). What was erased, by whom and
why is written to the audit log by the caller; the erased content never is.
"""

from __future__ import annotations

import html
import json
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

import sqlite_utils

from core.records import document_id_for_url
from core.timeutil import from_iso
from storage.audit import record_event
from storage.db import transaction
from storage.documents import DERIVED_TABLES
from storage.handle_rewrite import handle_free_link
from storage.rollups import refresh_daily_rollup

SelectorKind = Literal["url", "pseudonym", "source"]
MIN_TITLE_MATCH_CHARS = 4
"""Digests are searched for erased titles; a title shorter than this would match anything."""


class ErasureError(ValueError):
    """The erasure request is incomplete; the message says what to add."""


@dataclass(frozen=True)
class ErasureRequest:
    """What to erase: `kind` is url, pseudonym or source; `value` the URL, pseudonym or id."""

    kind: SelectorKind
    value: str

    def describe(self) -> str:
        return f"{self.kind}:{self.value}"


@dataclass
class ErasureReport:
    """What an erasure removed (or, on a dry run, would remove)."""

    documents: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    alerts_changed: int = 0
    digests_removed: int = 0
    previews_removed: int = 0
    stories_removed: int = 0
    crawl_issues_removed: int = 0
    earliest: datetime | None = None

    def summary(self) -> str:
        derived = sum(self.rows.values())
        return (
            f"{self.documents} documents, {derived} derived rows, "
            f"{self.alerts_changed} alerts' evidence, {self.digests_removed} archived digests, "
            f"{self.previews_removed} digest previews, {self.stories_removed} stories, "
            f"{self.crawl_issues_removed} crawl issues"
        )


def erase(
    db: sqlite_utils.Database,
    request: ErasureRequest,
    *,
    actor: str,
    reason: str,
    dry_run: bool = False,
) -> ErasureReport:
    """Erase what `request` selects from the live store and record it in the audit log.

    A dry run counts without changing anything and records nothing.
    """
    if not request.value.strip():
        raise ErasureError(f"Say which {request.kind} to erase.")
    if not reason.strip() and not dry_run:
        raise ErasureError('Give a reason (--reason "verzoek van betrokkene, kenmerk …").')
    report = _erase(db, request, dry_run=dry_run)
    if not dry_run:
        if report.earliest is not None:
            refresh_daily_rollup(db, since=report.earliest)
        record_event(
            db,
            actor=actor,
            action="erase",
            target=request.describe(),
            detail=f"reason: {reason.strip()}; removed {report.summary()}",
        )
    return report


def erase_in_backup(path: Path, request: ErasureRequest) -> ErasureReport:
    """Rewrite one backup file without what `request` selects, then VACUUM it so the freed
    pages are gone from the file. Tables an older backup lacks are skipped."""
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        report = _erase(sqlite_utils.Database(conn), request, dry_run=False)
        conn.execute("VACUUM")
    finally:
        conn.close()
    return report


def _erase(db: sqlite_utils.Database, request: ErasureRequest, *, dry_run: bool) -> ErasureReport:
    tables = set(db.table_names())
    report = ErasureReport()
    if "documents" not in tables:
        return report
    docs = _select(db, request)
    report.documents = len(docs)
    ids = [doc["id"] for doc in docs]
    times = [from_iso(doc["published"] or doc["first_seen"]) for doc in docs]
    report.earliest = min((t for t in times if t is not None), default=None)
    if not dry_run:
        db.execute("PRAGMA secure_delete = ON")
    with transaction(db) as conn:
        for table, column in DERIVED_TABLES:
            if table in tables:
                report.rows[table] = _delete_in(conn, table, column, ids, dry_run)
        report.rows["documents"] = _delete_in(conn, "documents", "id", ids, dry_run)
        if "stories" in tables and not dry_run:
            report.stories_removed = _tidy_stories(conn)
        if "alerts" in tables:
            report.alerts_changed = _strip_alert_evidence(conn, set(ids), dry_run)
        needles = _needles(docs)
        for table in ("digests", "digest_previews"):
            if table in tables:
                removed = _delete_mentioning(conn, table, needles, dry_run)
                if table == "digests":
                    report.digests_removed = removed
                else:
                    report.previews_removed = removed
        if "crawl_issues" in tables:
            report.crawl_issues_removed = _delete_issues(conn, request, docs, dry_run)
        if "dead_letters" in tables:
            report.rows["dead_letters"] = _delete_dead_letters(conn, request, docs, dry_run)
    if not dry_run and "documents_fts" in tables:
        # Rewrite the index segments so deleted words are not left in old segments.
        db.execute("INSERT INTO documents_fts(documents_fts) VALUES ('optimize')")
    if not dry_run:
        # Old page images live on in the WAL until a checkpoint; a busy reader only delays it.
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return report


def _select(db: sqlite_utils.Database, request: ErasureRequest) -> list[dict[str, Any]]:
    columns = "id, url, title, published, first_seen"
    value = request.value.strip()
    if request.kind == "url":
        # A data subject gives the link they see (`https://host/@handle/123`); we store it
        # without the handle (`https://host/statuses/123`).
        stored_form, _handle = handle_free_link(value)
        sql = f"SELECT {columns} FROM documents WHERE url IN (?, ?) OR id = ?"
        return list(db.query(sql, [value, stored_form, document_id_for_url(value)]))
    if request.kind == "pseudonym":
        sql = f"SELECT {columns} FROM documents WHERE author_pseudonym = ?"
        return list(db.query(sql, [value]))
    if request.kind == "source":
        return list(db.query(f"SELECT {columns} FROM documents WHERE source_id = ?", [value]))
    raise ErasureError(f"Unknown erasure kind {request.kind!r}; use url, pseudonym or source.")


def _delete_in(
    conn: sqlite3.Connection, table: str, column: str, ids: list[str], dry_run: bool
) -> int:
    total = 0
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        verb = "SELECT count(*) FROM" if dry_run else "DELETE FROM"
        cursor = conn.execute(f"{verb} {table} WHERE {column} IN ({marks})", chunk)
        total += int(cursor.fetchone()[0]) if dry_run else cursor.rowcount
    return total


def _tidy_stories(conn: sqlite3.Connection) -> int:
    removed = conn.execute(
        "DELETE FROM stories WHERE id NOT IN (SELECT DISTINCT story_id FROM document_stories)"
    ).rowcount
    conn.execute(
        "UPDATE stories SET size = (SELECT count(*) FROM document_stories ds "
        "WHERE ds.story_id = stories.id)"
    )
    return int(removed)


def _strip_alert_evidence(conn: sqlite3.Connection, ids: set[str], dry_run: bool) -> int:
    """Drop erased documents from each alert's evidence list; the alert's figures stay."""
    changed = 0
    for alert_id, items_json in conn.execute("SELECT id, items_json FROM alerts").fetchall():
        try:
            items = json.loads(items_json or "[]")
        except ValueError:
            items = []
        kept = [item for item in items if not (isinstance(item, dict) and item.get("id") in ids)]
        if len(kept) != len(items):
            changed += 1
            if not dry_run:
                conn.execute("UPDATE alerts SET items_json = ? WHERE id = ?",
                             [json.dumps(kept, ensure_ascii=False), alert_id])
    return changed


def _needles(docs: list[dict[str, Any]]) -> set[str]:
    """Strings that show an archived digest or preview quotes an erased document."""
    found: set[str] = set()
    for doc in docs:
        found.update({doc["id"], doc["url"], html.escape(doc["url"], quote=True)})
        title = (doc["title"] or "").strip()
        if len(title) >= MIN_TITLE_MATCH_CHARS:
            found.update({title, html.escape(title, quote=True), html.escape(title, quote=False)})
    return {needle for needle in found if needle}


def _delete_mentioning(
    conn: sqlite3.Connection, table: str, needles: set[str], dry_run: bool
) -> int:
    """Digests are rendered mails: one that quotes an erased document goes as a whole."""
    if not needles:
        return 0
    doomed = [
        rowid
        for rowid, body, text in conn.execute(f"SELECT rowid, html, text FROM {table}")
        if any(needle in body or needle in text for needle in needles)
    ]
    if not dry_run:
        for rowid in doomed:
            conn.execute(f"DELETE FROM {table} WHERE rowid = ?", [rowid])
    return len(doomed)


def _delete_issues(
    conn: sqlite3.Connection, request: ErasureRequest, docs: list[dict[str, Any]], dry_run: bool
) -> int:
    """Crawl issues name item URLs; those of erased documents (or the whole source) go."""
    if request.kind == "source":
        where = "run_id IN (SELECT id FROM crawl_runs WHERE source_id = ?)"
        params: list[str] = [request.value.strip()]
    else:
        urls = sorted({doc["url"] for doc in docs} | (
            {request.value.strip()} if request.kind == "url" else set()))
        if not urls:
            return 0
        where = f"url IN ({', '.join('?' for _ in urls)})"
        params = urls
    if dry_run:
        return int(conn.execute(f"SELECT count(*) FROM crawl_issues WHERE {where}",
                                params).fetchone()[0])
    return int(conn.execute(f"DELETE FROM crawl_issues WHERE {where}", params).rowcount)


def _delete_dead_letters(
    conn: sqlite3.Connection, request: ErasureRequest, docs: list[dict[str, Any]], dry_run: bool
) -> int:
    """Finally failed queue tasks of an erased source, or whose arguments or error name an
    erased document's link, go too."""
    if request.kind == "source":
        doomed = [row[0] for row in conn.execute(
            "SELECT id FROM dead_letters WHERE source_id = ?", [request.value.strip()])]
    else:
        urls = {doc["url"] for doc in docs} | (
            {request.value.strip()} if request.kind == "url" else set())
        doomed = [rowid for rowid, args, error in
                  conn.execute("SELECT id, args, error FROM dead_letters")
                  if any(url and (url in args or url in error) for url in urls)]
    if not dry_run:
        for rowid in doomed:
            conn.execute("DELETE FROM dead_letters WHERE id = ?", [rowid])
    return len(doomed)
