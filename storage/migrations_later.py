"""Reliability (0041, issue 13) and audit-log (0025, issue 12) migrations, listed in
storage.migrations.MIGRATIONS; kept apart so the migration list stays short enough to read.
"""

from __future__ import annotations

RELIABILITY_AND_AUDIT: list[tuple[str, str]] = [
    (
        "0041_reliability",
        # pid: which process owns a 'running' crawl run, so a later start can tell a live
        # crawl from one whose process died (and close it as 'interrupted').
        # score_leases: a scorer claims a batch of documents until `expires`; a second
        # scorer skips claimed documents, and a crashed scorer's claim simply runs out.
        # document_mentions: later sources that linked a document another source published
        # first (the document keeps its first source as owner).
        "ALTER TABLE crawl_runs ADD COLUMN pid INTEGER;\n"
        "CREATE TABLE score_leases (\n"
        "    document_id TEXT PRIMARY KEY,\n"
        "    holder TEXT NOT NULL,\n"
        "    expires TEXT NOT NULL\n"
        ");\n"
        "CREATE INDEX idx_score_leases_holder ON score_leases(holder);\n"
        "CREATE TABLE document_mentions (\n"
        "    document_id TEXT NOT NULL,\n"
        "    source_id TEXT NOT NULL,\n"
        "    url TEXT NOT NULL,\n"
        "    first_seen TEXT NOT NULL,\n"
        "    PRIMARY KEY (document_id, source_id)\n"
        ");",
    ),
    (
        # Append-only audit log (issue 12). UPDATE is always refused; DELETE only for rows
        # older than the cutoff the retention purge writes into audit_purge_gate inside its
        # own transaction (storage.audit.purge_events_older_than).
        "0025_privacy_audit_log",
        "CREATE TABLE audit_log (\n"
        "    id INTEGER PRIMARY KEY,\n"
        "    at TEXT NOT NULL,\n"
        "    actor TEXT NOT NULL,\n"
        "    action TEXT NOT NULL,\n"
        "    target TEXT NOT NULL DEFAULT '',\n"
        "    detail TEXT NOT NULL DEFAULT '',\n"
        "    client TEXT NOT NULL DEFAULT ''\n"
        ");\n"
        "CREATE INDEX idx_audit_log_at ON audit_log(at);\n"
        "CREATE INDEX idx_audit_log_action ON audit_log(action, at);\n"
        "CREATE TABLE audit_purge_gate (cutoff TEXT NOT NULL);\n"
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN\n"
        "    SELECT RAISE(ABORT, 'audit_log is append-only');\n"
        "END;\n"
        "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log\n"
        "WHEN NOT EXISTS (SELECT 1 FROM audit_purge_gate WHERE old.at < cutoff) BEGIN\n"
        "    SELECT RAISE(ABORT, 'audit_log is append-only; only the retention purge deletes');\n"
        "END;",
    ),
]
