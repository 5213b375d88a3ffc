"""The SQLite migrations (`storage.migrations.MIGRATIONS`) as PostgreSQL runs them (issue 16).

The SQLite list stays the one source of truth: a PostgreSQL database runs the same names in
the same order, and `schema_migrations` records them the same way. Plain DDL is translated
(`translate_sql`); what truly differs is replaced BY MIGRATION NAME, in one place each:

- `PG_EXTRA[name]`: PostgreSQL statements that stand in for the FTS5 virtual tables and
  SQLite triggers of that migration (which the translation skips). A migration with a
  virtual table or trigger and no entry here refuses to translate, so nothing is lost quietly.
- `PG_REPLACED[name]`: a whole migration replaced (the Python-callable ones).

Types: INTEGER → BIGINT, `INTEGER PRIMARY KEY` → identity key (SQLite's rowid alias),
REAL → DOUBLE PRECISION, BLOB → BYTEA; TEXT stays TEXT (timestamps are ISO text, as on
SQLite) with the byte-wise "C" collation, so rows read back with the same Python types and
sort in the same order on both engines.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

from storage.migrations_workers import WRITE_MARKS_PG

PgMigration = tuple[str, "str | Callable[[Any], None]"]


class MigrationTranslationError(Exception):
    """A SQLite migration holds something with no PostgreSQL counterpart registered here."""


DOCUMENTS_SEARCH_SYNC = """
CREATE OR REPLACE FUNCTION documents_search_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM documents_search WHERE num = OLD.num;
        RETURN OLD;
    END IF;
    INSERT INTO documents_search (num, tsv)
    VALUES (NEW.num, ts_delete(setweight(to_tsvector('newsroom_dutch', NEW.title), 'A')
                               || CAST('''title end'':100' AS tsvector)
                               || setweight(to_tsvector('newsroom_dutch', NEW.text), 'B'),
                               'title end'))
    ON CONFLICT (num) DO UPDATE SET tsv = excluded.tsv;
    RETURN NEW;
END
$$;
"""
"""The trigger function that keeps `documents_search` in step, on its own so that a later
PostgreSQL migration can replace it (CREATE OR REPLACE) in databases made before a change."""

DOCUMENTS_SEARCH_SCHEMA = """
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE TEXT SEARCH CONFIGURATION newsroom_dutch (COPY = pg_catalog.dutch);
ALTER TEXT SEARCH CONFIGURATION newsroom_dutch
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, dutch_stem;
CREATE TABLE documents_search (
    num BIGINT PRIMARY KEY,
    tsv tsvector NOT NULL
);
CREATE INDEX idx_documents_search_tsv ON documents_search USING GIN (tsv);
""" + DOCUMENTS_SEARCH_SYNC + """
CREATE TRIGGER documents_ai AFTER INSERT ON documents
    FOR EACH ROW EXECUTE FUNCTION documents_search_sync();
CREATE TRIGGER documents_ad AFTER DELETE ON documents
    FOR EACH ROW EXECUTE FUNCTION documents_search_sync();
CREATE TRIGGER documents_au AFTER UPDATE OF title, text ON documents
    FOR EACH ROW EXECUTE FUNCTION documents_search_sync();
"""
"""0001's FTS5 index and its three triggers: Dutch full-text search on PostgreSQL.

A `tsvector` per document with `newsroom_dutch`: PostgreSQL's `dutch` configuration
(stemming: "fietspaden" finds "fietspad") with `unaccent` in front, so "cafe" finds "café"
as SQLite's `remove_diacritics` does (unaccent ships with PostgreSQL and is a trusted
extension: the database owner may create it). Title weighted A and text B for ranking
(ts_rank_cd), in a GIN index, kept in step by one PL/pgSQL trigger function. The text's
positions start 100 after the title's (`||` alone would continue right after it, through a
placeholder lexeme that is deleted again; the parser never makes a lexeme with a space), so
a phrase never runs from the end of the title into the text: FTS5 matches a phrase within
one column only, and both engines must find the same documents. It lives in
its own table keyed by `documents.num` (as FTS5's rowid does) rather than as a column of
`documents`, so `SELECT d.*` returns the same columns on both engines; it is named
`documents_search`, not `documents_fts`, so FTS5-only statements (MATCH, 'optimize') can
never run against it by mistake."""

AUDIT_LOG_GUARDS = """
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM audit_purge_gate WHERE OLD.at < cutoff) THEN
        RAISE EXCEPTION 'audit_log is append-only; only the retention purge deletes'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN OLD;
END
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
"""
"""0025's two SQLite triggers: UPDATE always refused, DELETE only below the purge gate.
Raised as an integrity violation, as SQLite's RAISE(ABORT) is (dialect.INTEGRITY_ERRORS)."""

PG_EXTRA: dict[str, str] = {
    "0001_core_schema": DOCUMENTS_SEARCH_SCHEMA,
    "0025_privacy_audit_log": AUDIT_LOG_GUARDS,
}


def check_no_social_handles_to_rewrite(conn: Any) -> None:
    """0026 on PostgreSQL: verify there is nothing to rewrite.

    0026 rewrites social documents stored by crawlers older than 0026. A PostgreSQL database
    is always created by a version that has 0026, and `open_db` migrates it fully before
    anything is written, so when 0026 runs there the documents table holds no social posts.
    If it does (rows copied in by hand from an unmigrated SQLite file), stop instead of
    leaving handles behind: migrate that SQLite file first, then copy.
    """
    row = conn.execute("SELECT count(*) FROM documents WHERE platform IS NOT NULL").fetchone()
    if row[0]:
        raise MigrationTranslationError(
            "0026 found social documents in a new PostgreSQL database; open the SQLite file "
            "they came from with this version first (it rewrites them), then copy them over."
        )


PG_REPLACED: dict[str, str | Callable[[Any], None]] = {
    "0026_privacy_handle_free_social_links": check_no_social_handles_to_rewrite,
    "0110_pg_write_marks": WRITE_MARKS_PG,  # SQLite's rowid needs nothing (migrations_workers)
    "0121_pg_search_phrase_positions": DOCUMENTS_SEARCH_SYNC
    + "UPDATE documents SET title = title;",  # the update trigger rebuilds every search row
}


def pg_migrations(migrations: Sequence[tuple[str, Any]]) -> list[PgMigration]:
    """Every migration of `migrations`, in order, as PostgreSQL runs it."""
    return [(name, translate_migration(name, body)) for name, body in migrations]


def translate_migration(name: str, body: Any) -> str | Callable[[Any], None]:
    """One migration for PostgreSQL: its replacement, or its translated SQL plus extras."""
    if name in PG_REPLACED:
        return PG_REPLACED[name]
    if callable(body):
        raise MigrationTranslationError(
            f"Migration {name} is Python code written for SQLite; add a PostgreSQL version "
            "to storage.migrations_pg.PG_REPLACED."
        )
    statements = []
    for statement in split_statements(body):
        sql = _strip_comments(statement)
        if not sql:
            continue
        if re.match(r"CREATE\s+(VIRTUAL\s+TABLE|TRIGGER)\b", sql, re.IGNORECASE):
            if name not in PG_EXTRA:
                raise MigrationTranslationError(
                    f"Migration {name} has an FTS5 table or trigger; add its PostgreSQL "
                    "counterpart to storage.migrations_pg.PG_EXTRA."
                )
            continue
        statements.append(translate_sql(sql))
    if name in PG_EXTRA:
        statements.append(PG_EXTRA[name].strip())
    return ";\n".join(s.rstrip().rstrip(";") for s in statements) + ";"


_IDENTITY = re.compile(r"\bINTEGER\s+PRIMARY\s+KEY(?:\s+AUTOINCREMENT)?\b", re.IGNORECASE)
_TYPES = (
    (re.compile(r"\bINTEGER\b", re.IGNORECASE), "BIGINT"),
    (re.compile(r"\bREAL\b", re.IGNORECASE), "DOUBLE PRECISION"),
    (re.compile(r"\bBLOB\b", re.IGNORECASE), "BYTEA"),
)
_TEXT = re.compile(r"\bTEXT\b")
"""The TEXT type (upper case: never the column named `text`). Its collation is "C": values
compare and sort by their bytes, as on SQLite, whatever locale the server was created with
(an nl_NL or en_US default would sort 'a' before 'B', ignore punctuation in ties, and keep
B-tree indexes from serving `LIKE 'prefix%'`)."""
_INDEX = re.compile(r"^(CREATE\s+(?:UNIQUE\s+)?INDEX\b.*?\bON\s+\S+?\s*)\((.*)\)\s*;?\s*$",
                    re.IGNORECASE | re.DOTALL)


def translate_sql(statement: str) -> str:
    """One SQLite DDL/DML statement in PostgreSQL's words (types, expression indexes,
    INSERT OR IGNORE); anything else passes unchanged, since it is portable already."""
    sql = statement.strip().rstrip(";").strip()
    if re.match(r"(CREATE\s+TABLE|ALTER\s+TABLE)\b", sql, re.IGNORECASE):
        sql = _IDENTITY.sub("BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", sql)
        for pattern, pg_type in _TYPES:
            sql = pattern.sub(pg_type, sql)
        return _TEXT.sub('TEXT COLLATE "C"', sql)
    index = _INDEX.match(sql)
    if index:
        # PostgreSQL wants an expression in an index list in its own parentheses.
        parts = [p.strip() for p in _split_top_level(index.group(2))]
        wrapped = [f"({p})" if "(" in p else p for p in parts]
        return f"{index.group(1)}({', '.join(wrapped)})"
    if re.match(r"INSERT\s+OR\s+IGNORE\b", sql, re.IGNORECASE):
        return re.sub(r"^INSERT\s+OR\s+IGNORE", "INSERT", sql, flags=re.IGNORECASE) + (
            " ON CONFLICT DO NOTHING")
    return sql


def split_statements(sql: str) -> list[str]:
    """Split a SQLite migration script into statements, keeping trigger bodies whole."""
    statements: list[str] = []
    buffer = ""
    for line in sql.splitlines(keepends=True):
        if line.strip().startswith("--") and not buffer.strip():
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements


def _strip_comments(statement: str) -> str:
    """Drop whole-line `--` comments (our migrations put comments on their own lines)."""
    lines = [line for line in statement.splitlines() if not line.strip().startswith("--")]
    return "\n".join(lines).strip()


def _split_top_level(text: str) -> list[str]:
    """Split on commas that are not inside parentheses."""
    parts, depth, current = [], 0, ""
    for ch in text:
        if ch == "," and depth == 0:
            parts.append(current)
            current = ""
            continue
        depth += (ch == "(") - (ch == ")")
        current += ch
    parts.append(current)
    return parts
