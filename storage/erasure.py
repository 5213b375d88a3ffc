"""Erasure on request (AVG art. 17): one post, one author (pseudonym) or one source, with
everything derived from it.

Deleting the documents is not enough: their text lives on in sentences, scores, the
full-text index, story clusters, watch scores, annotations, alert evidence
(`alerts.items_json`), archived digests and their previews, and the daily rollups. This
module removes or rebuilds all of those in one transaction, with the same portable SQL on
SQLite and PostgreSQL. What differs per engine is how the freed space is scrubbed
afterwards, and that lives in one place (`_scrub_before` / `_scrub_after`): on SQLite the
freed pages are overwritten (`secure_delete`), the full-text index is compacted and the WAL
folded in, so the words are gone from the file too; on PostgreSQL (whose full-text vectors,
in `documents_search`, a trigger deletes with their documents) the touched tables are
vacuumed so no dead row version can be read back. The same function rewrites SQLite backup files
(`erase_in_backup`). What was erased, by whom and why is written to the audit log by the
caller; the erased content never is.
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
from storage.coordination_results import clear_signals
from storage.db import Database, transaction
from storage.dialect import engine
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
    db: Database,
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
    pages are gone from the file. Tables an older backup lacks are skipped.

    Backup files are SQLite files whatever the live store is (`jobs.backup` writes them;
    a store that moved to PostgreSQL may still have them), so this opens SQLite directly."""
    conn = sqlite3.connect(str(path), isolation_level=None)
    try:
        report = _erase(sqlite_utils.Database(conn), request, dry_run=False)
        conn.execute("VACUUM")
    finally:
        conn.close()
    return report


def erase_in_restored_copy(db: Database, request: ErasureRequest) -> ErasureReport:
    """The same erasure in a backup restored into a scratch database (storage.erasure_dump);
    nothing is audited there: the caller records it in the live store."""
    return _erase(db, request, dry_run=False)


def _erase(db: Database, request: ErasureRequest, *, dry_run: bool) -> ErasureReport:
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
        _scrub_before(db)
    with transaction(db):
        for table, column in DERIVED_TABLES:
            if table in tables:
                report.rows[table] = _delete_in(db, table, column, ids, dry_run)
        report.rows["documents"] = _delete_in(db, "documents", "id", ids, dry_run)
        if "stories" in tables and not dry_run:
            report.stories_removed = _tidy_stories(db)
        if "alerts" in tables:
            report.alerts_changed = _strip_alert_evidence(db, set(ids), dry_run)
        needles = _needles(docs)
        for table in ("digests", "digest_previews"):
            if table in tables:
                removed = _delete_mentioning(db, table, needles, dry_run)
                if table == "digests":
                    report.digests_removed = removed
                else:
                    report.previews_removed = removed
        if "crawl_issues" in tables:
            report.crawl_issues_removed = _delete_issues(db, request, docs, dry_run)
        if "dead_letters" in tables:
            report.rows["dead_letters"] = _delete_dead_letters(db, request, docs, dry_run)
        if "coordination_results" in tables:  # a cache that quotes posts: recomputed later
            report.rows["coordination_results"] = clear_signals(db, dry_run)
    if not dry_run:
        _scrub_after(db, tables)
    return report


SCRUBBED_TABLES = ("documents", "documents_search", *(table for table, _ in DERIVED_TABLES),
                   "stories", "alerts", "digests", "digest_previews", "crawl_issues",
                   "dead_letters", "coordination_results")
"""Tables an erasure deletes from or rewrites: their freed space is scrubbed afterwards."""


def _scrub_before(db: Database) -> None:
    """Engine-specific, before deleting. SQLite: deleted content is overwritten with zeros
    in the file (`secure_delete`). PostgreSQL has no such setting: see `_scrub_after`."""
    if engine(db) == "sqlite":
        db.execute("PRAGMA secure_delete = ON")


def _scrub_after(db: Database, tables: set[str]) -> None:
    """Engine-specific, after the erasure committed.

    SQLite: rewrite the full-text index segments (deleted words are otherwise left in old
    segments) and fold the WAL into the file (old page images live on in the WAL until a
    checkpoint; a busy reader only delays it).
    PostgreSQL: the full-text vectors (`documents_search`) went with their documents (a
    trigger deletes them); VACUUM removes the dead row versions of every touched table (the
    erased text, the vectors, index entries) so no query or snapshot can return them and
    their space is reused. PostgreSQL has no way to zero the freed bytes; they are
    overwritten as the space is reused. Inside a caller's open transaction VACUUM cannot
    run; autovacuum then does it.
    """
    if engine(db) == "sqlite":
        if "documents_fts" in tables:
            db.execute("INSERT INTO documents_fts(documents_fts) VALUES ('optimize')")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return
    if not db.conn.in_transaction:
        present = [table for table in dict.fromkeys(SCRUBBED_TABLES) if table in tables]
        db.execute(f"VACUUM {', '.join(present)}")


def _select(db: Database, request: ErasureRequest) -> list[dict[str, Any]]:
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
    db: Database, table: str, column: str, ids: list[str], dry_run: bool
) -> int:
    total = 0
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        verb = "SELECT count(*) FROM" if dry_run else "DELETE FROM"
        cursor = db.execute(f"{verb} {table} WHERE {column} IN ({marks})", chunk)
        total += int(cursor.fetchone()[0]) if dry_run else cursor.rowcount
    return total


def _tidy_stories(db: Database) -> int:
    removed = db.execute(
        "DELETE FROM stories WHERE id NOT IN "
        "(SELECT story_id FROM document_stories WHERE story_id IS NOT NULL)"
    ).rowcount
    db.execute(
        "UPDATE stories SET size = (SELECT count(*) FROM document_stories ds "
        "WHERE ds.story_id = stories.id)"
    )
    return int(removed)


def _strip_alert_evidence(db: Database, ids: set[str], dry_run: bool) -> int:
    """Drop erased documents from each alert's evidence list; the alert's figures stay."""
    changed = 0
    for alert_id, items_json in db.execute("SELECT id, items_json FROM alerts").fetchall():
        try:
            items = json.loads(items_json or "[]")
        except ValueError:
            items = []
        kept = [item for item in items if not (isinstance(item, dict) and item.get("id") in ids)]
        if len(kept) != len(items):
            changed += 1
            if not dry_run:
                db.execute("UPDATE alerts SET items_json = ? WHERE id = ?",
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


_ROW_KEYS = {"digests": ("id",), "digest_previews": ("week", "recipient")}
"""Each rendered-mail table's key, to delete one row by."""


def _delete_mentioning(
    db: Database, table: str, needles: set[str], dry_run: bool
) -> int:
    """Digests are rendered mails: one that quotes an erased document goes as a whole."""
    if not needles:
        return 0
    keys = _ROW_KEYS[table]
    doomed = [
        row[: len(keys)]
        for row in db.execute(f"SELECT {', '.join(keys)}, html, text FROM {table}").fetchall()
        if any(needle in row[-2] or needle in row[-1] for needle in needles)
    ]
    if not dry_run:
        where = " AND ".join(f"{key} = ?" for key in keys)
        for key_values in doomed:
            db.execute(f"DELETE FROM {table} WHERE {where}", list(key_values))
    return len(doomed)


def _delete_issues(
    db: Database, request: ErasureRequest, docs: list[dict[str, Any]],
    dry_run: bool,
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
        return int(db.execute(f"SELECT count(*) FROM crawl_issues WHERE {where}",
                              params).fetchone()[0])
    return int(db.execute(f"DELETE FROM crawl_issues WHERE {where}", params).rowcount)


def _delete_dead_letters(
    db: Database, request: ErasureRequest, docs: list[dict[str, Any]],
    dry_run: bool,
) -> int:
    """Finally failed queue tasks of an erased source, or whose arguments or error name an
    erased document's link, go too."""
    if request.kind == "source":
        doomed = [row[0] for row in db.execute(
            "SELECT id FROM dead_letters WHERE source_id = ?", [request.value.strip()]
        ).fetchall()]
    else:
        urls = {doc["url"] for doc in docs} | (
            {request.value.strip()} if request.kind == "url" else set())
        doomed = [task_id for task_id, args, error in
                  db.execute("SELECT id, args, error FROM dead_letters").fetchall()
                  if any(url and (url in args or url in error) for url in urls)]
    if not dry_run:
        for task_id in doomed:
            db.execute("DELETE FROM dead_letters WHERE id = ?", [task_id])
    return len(doomed)
