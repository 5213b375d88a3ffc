"""The work-queue migrations (issue 16: 0091-0099), listed in storage.migrations.MIGRATIONS."""

from __future__ import annotations

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

WORKER_MIGRATIONS: list[tuple[str, str]] = [
    ("0091_workers_dead_letters", DEAD_LETTERS),
]
