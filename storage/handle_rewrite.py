"""Migration 0026: rewrite social documents stored before links and ids were handle-free.

Earlier crawls kept a Mastodon post's web URL (`https://host/@handle/123`) as its link and
its status URI (`https://host/users/handle/statuses/123`) as its post id, and derived the
document id from that URI. This rewrites each such document to what the crawler stores now
(link `https://host/statuses/123`, post id `host/123`, id from platform + that post id),
moves every row keyed by the old id along, replaces the old link, post id and document id
wherever they were copied (alert evidence, archived digests and previews, crawl issues),
and replaces `@handle` in the title and text, which updates the full-text index through its
triggers. A post stored twice (the same status reached through two instances) keeps one row.
"""

from __future__ import annotations

import re
import sqlite3
from urllib.parse import urlsplit

from core.records import document_id_for_post

_HANDLE_PATH = re.compile(r"^/(?:@(?P<at>[^/]+)|users/(?P<user>[^/]+)/statuses)/(?P<id>[^/]+)/?$")
_SKIP_TABLES = ("schema_migrations", "audit_log", "audit_purge_gate")


def rewrite_social_handles(conn: sqlite3.Connection) -> None:
    """Run inside the migration's transaction; see the module docstring."""
    replacements: dict[str, str] = {}
    handles: set[str] = set()
    rows = conn.execute(
        "SELECT id, url, post_id, platform FROM documents WHERE platform IS NOT NULL"
    ).fetchall()
    for old_id, url, post_id, platform in rows:
        new_url, url_handle = handle_free_link(url)
        new_post_id, id_handle = _handle_free_post_id(post_id or "")
        if url_handle is None and id_handle is None:
            continue
        handles.update(h for h in (url_handle, id_handle) if h)
        new_id = document_id_for_post(platform, new_post_id) if id_handle else old_id
        if new_id != old_id and conn.execute(
            "SELECT 1 FROM documents WHERE id = ?", [new_id]
        ).fetchone():
            _drop_duplicate(conn, old_id)
        else:
            conn.execute("UPDATE documents SET id = ?, url = ?, post_id = ? WHERE id = ?",
                         [new_id, new_url, new_post_id, old_id])
        replacements.update({url: new_url, post_id or url: new_post_id, old_id: new_id})
    replacements = {old: new for old, new in replacements.items() if old and old != new}
    if replacements:
        _replace_everywhere(conn, replacements)
    if handles:
        _mask_handles_in_text(conn, handles)


def handle_free_link(url: str) -> tuple[str, str | None]:
    """`https://host/@handle/123` → (`https://host/statuses/123`, `handle`); other URLs are
    returned unchanged with None."""
    parts = urlsplit(url)
    match = _HANDLE_PATH.match(parts.path)
    if not match:
        return url, None
    return (f"{parts.scheme}://{parts.netloc}/statuses/{match.group('id')}",
            match.group("at") or match.group("user"))


def _handle_free_post_id(post_id: str) -> tuple[str, str | None]:
    parts = urlsplit(post_id)
    match = _HANDLE_PATH.match(parts.path) if parts.scheme in ("http", "https") else None
    if not match or not parts.hostname:
        return post_id, None
    return f"{parts.hostname}/{match.group('id')}", match.group("at") or match.group("user")


def _tables(conn: sqlite3.Connection) -> list[str]:
    """Ordinary tables, read from SQLite's catalog: 0026 runs this only on SQLite. On
    PostgreSQL `storage.migrations_pg` replaces 0026 by a check, since a PostgreSQL store is
    created by a version that has 0026 and so never holds the old links."""
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'"
        " AND name NOT LIKE 'documents_fts%' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    return [name for (name,) in rows if name not in _SKIP_TABLES]


def _text_columns(conn: sqlite3.Connection, table: str) -> list[str]:
    """Text columns of `table` (SQLite's catalog; see `_tables`)."""
    return [row[1] for row in conn.execute(f'PRAGMA table_info("{table}")')
            if "TEXT" in str(row[2]).upper()]


def _drop_duplicate(conn: sqlite3.Connection, old_id: str) -> None:
    for table in _tables(conn):
        if table != "documents" and "document_id" in _text_columns(conn, table):
            conn.execute(f'DELETE FROM "{table}" WHERE document_id = ?', [old_id])
    conn.execute("DELETE FROM documents WHERE id = ?", [old_id])


def _replace_everywhere(conn: sqlite3.Connection, replacements: dict[str, str]) -> None:
    """Swap old values for new in every text column of every ordinary table.

    Rows are updated by value (every row holding one old value gets its one new value), so
    no table needs a key and no engine-specific row id is used."""
    pattern = re.compile("|".join(re.escape(old) for old in
                                  sorted(replacements, key=len, reverse=True)))
    for table in _tables(conn):
        columns = [c for c in _text_columns(conn, table) if not (table == "documents" and
                                                                   c in ("title", "text"))]
        for column in columns:
            found = conn.execute(
                f'SELECT DISTINCT "{column}" FROM "{table}" WHERE "{column}" IS NOT NULL'
            ).fetchall()
            for (value,) in found:
                new = pattern.sub(lambda m: replacements[m.group(0)], value)
                if new != value:
                    conn.execute(f'UPDATE "{table}" SET "{column}" = ? WHERE "{column}" = ?',
                                 [new, value])


_TEXT_KEYS = {"documents": ("id",), "document_versions": ("document_id", "version")}
"""The key of each table whose titles and texts are masked."""


def _mask_handles_in_text(conn: sqlite3.Connection, handles: set[str]) -> None:
    """`@handle` and `@handle@host` in social titles and texts become `@gebruiker`."""
    alternatives = "|".join(re.escape(h) for h in sorted(handles, key=len, reverse=True))
    mention = re.compile(rf"(?<![\w@/])@(?:{alternatives})(?:@[A-Za-z0-9.-]+)?(?![\w])",
                         re.IGNORECASE)
    for table, keys in _TEXT_KEYS.items():
        rows = conn.execute(
            f"SELECT {', '.join(keys)}, title, text FROM {table} WHERE "
            + ("platform IS NOT NULL" if table == "documents" else
               "document_id IN (SELECT id FROM documents WHERE platform IS NOT NULL)")
        ).fetchall()
        where = " AND ".join(f"{key} = ?" for key in keys)
        for row in rows:
            title, text = row[-2], row[-1]
            new_title, new_text = mention.sub("@gebruiker", title), mention.sub("@gebruiker", text)
            if (new_title, new_text) != (title, text):
                conn.execute(f"UPDATE {table} SET title = ?, text = ? WHERE {where}",
                             [new_title, new_text, *row[: len(keys)]])
