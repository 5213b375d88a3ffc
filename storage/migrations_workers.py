"""Issue 16's migrations, listed in storage.migrations.MIGRATIONS: the work queue (0091-0099),
PostgreSQL's write marks (0110) and its search positions (0121)."""

from __future__ import annotations

from typing import Any

DEAD_LETTERS = (
    # A queued task that failed after all its retries (or ran past its time limit every
    # time) is written here, so it is not lost in a worker's log: the Bronnen page and
    # `newsroom status` show it. Not keyed by document_id: it names a task, not a document.
    "CREATE TABLE dead_letters (\n"
    "    id INTEGER PRIMARY KEY,\n"
    "    task TEXT NOT NULL,\n"
    "    task_id TEXT NOT NULL,\n"
    "    source_id TEXT,\n"
    "    args TEXT NOT NULL,\n"
    "    attempts INTEGER NOT NULL,\n"
    "    error TEXT NOT NULL,\n"
    "    failed_at TEXT NOT NULL\n"
    ");\n"
    "CREATE UNIQUE INDEX dead_letters_task_id ON dead_letters (task_id);\n"
    "CREATE INDEX dead_letters_failed_at ON dead_letters (failed_at);"
)

MARKED_TABLES = ("scores", "document_versions")
"""Tables whose writes the digest preview's freshness stamp follows (`dialect.insert_mark`)."""


def write_marks_sqlite(conn: Any) -> None:
    """0110 on SQLite: nothing to do. `max(rowid)` of a table is already an index lookup that
    moves when rows are inserted, which is what `storage.dialect.insert_mark` reads there."""


WRITE_MARKS_PG = "\n".join([
    "CREATE FUNCTION bump_write_mark() RETURNS trigger LANGUAGE plpgsql AS $$\n"
    "BEGIN\n"
    "    PERFORM nextval(TG_ARGV[0]::regclass);\n"
    "    RETURN NULL;\n"
    "END\n"
    "$$;",
    *(f"CREATE SEQUENCE {table}_write_mark;\n"
      f"CREATE TRIGGER {table}_write_mark AFTER INSERT OR UPDATE OR DELETE ON {table}\n"
      f"    FOR EACH STATEMENT EXECUTE FUNCTION bump_write_mark('{table}_write_mark');"
      for table in MARKED_TABLES),
])
"""0110 on PostgreSQL: a write counter per marked table, read in O(1).

PostgreSQL has no rowid, and a count or max over the table is a scan. A sequence advanced
once per writing statement (a statement-level trigger: one `nextval` per INSERT, UPDATE,
DELETE or COPY, whatever the number of rows) moves with every write, deletes included.
Sequences are not transactional, so concurrent scorers never wait on each other for it (a
counter row would make them take turns until commit). The price: a value taken while a
write is still uncommitted does not move again at its commit; the stamp is a fingerprint,
and the dashboard's rebuild button covers that moment (as for a reused rowid on SQLite)."""

def postgresql_only(conn: Any) -> None:
    """A PostgreSQL-only step (its SQL is in storage.migrations_pg.PG_REPLACED): nothing to
    do on SQLite, where FTS5 already keeps the title's and the text's positions apart."""


WORKER_MIGRATIONS: list[tuple[str, Any]] = [
    ("0091_workers_dead_letters", DEAD_LETTERS),
    ("0110_pg_write_marks", write_marks_sqlite),
    # Databases made before the phrase fix get the new trigger function, and their search
    # rows are rebuilt through it (a phrase ran from the title's end into the text).
    ("0121_pg_search_phrase_positions", postgresql_only),
]
