"""The signal migrations (issue 11: 0015-0017), listed in storage.migrations.MIGRATIONS.

Kept apart so that the migration list itself stays short enough to read at once.
"""

from __future__ import annotations

SIGNAL_MIGRATIONS: list[tuple[str, str]] = [
    (
        "0015_corrections_effective_labels",
        # A correction (or a rule) is the truth for a document from the moment it is saved:
        # label_overrides holds the one effective label per document that every reader joins,
        # so no reader re-derives "newest correction wins" on its own. label_rules are the
        # adviser's "source X and text contains Y -> label Z"; rule_hits what each touched.
        "CREATE TABLE label_overrides (\n"
        "    document_id TEXT PRIMARY KEY,\n"
        "    label TEXT NOT NULL,\n"
        "    origin TEXT NOT NULL,\n"
        "    rule_id INTEGER,\n"
        "    author TEXT NOT NULL,\n"
        "    updated TEXT NOT NULL\n"
        ");\n"
        "CREATE INDEX idx_label_overrides_rule ON label_overrides(rule_id);\n"
        "CREATE TABLE label_rules (\n"
        "    id INTEGER PRIMARY KEY,\n"
        "    source_id TEXT,\n"
        "    contains TEXT NOT NULL,\n"
        "    label TEXT NOT NULL,\n"
        "    author TEXT NOT NULL,\n"
        "    created TEXT NOT NULL,\n"
        "    checked_num INTEGER NOT NULL DEFAULT 0\n"
        ");\n"
        "CREATE TABLE rule_hits (\n"
        "    rule_id INTEGER NOT NULL,\n"
        "    document_id TEXT NOT NULL,\n"
        "    PRIMARY KEY (rule_id, document_id)\n"
        ");\n"
        "CREATE INDEX idx_rule_hits_doc ON rule_hits(document_id);\n"
        "INSERT INTO label_overrides (document_id, label, origin, rule_id, author, updated)\n"
        "SELECT a.document_id, a.value, 'correction', NULL, a.author, a.created\n"
        "FROM annotations a WHERE a.kind = 'correction' AND a.sentence_idx IS NULL\n"
        "AND a.id = (SELECT max(b.id) FROM annotations b WHERE b.document_id = a.document_id\n"
        "            AND b.kind = 'correction' AND b.sentence_idx IS NULL);",
    ),
    (
        "0016_alerts_incidents",
        # One incident per event: spikes that share evidence are one incident with one
        # message (alert_id); later runs update it while it is open instead of alerting again.
        "CREATE TABLE incidents (\n"
        "    id INTEGER PRIMARY KEY,\n"
        "    alert_id INTEGER NOT NULL,\n"
        "    opened TEXT NOT NULL,\n"
        "    updated TEXT NOT NULL,\n"
        "    scopes_json TEXT NOT NULL,\n"
        "    evidence_json TEXT NOT NULL,\n"
        "    peak_count INTEGER NOT NULL,\n"
        "    updates INTEGER NOT NULL DEFAULT 0\n"
        ");\n"
        "CREATE INDEX idx_incidents_updated ON incidents(updated);",
    ),
    (
        "0017_nlp_model_versions",
        # Champion/challenger: every trained candidate, its figures on the fixed development
        # sets next to the champion's, and the decision (promoted or rejected, with why).
        # corrections_upto is the newest correction it learned from, so the job knows how
        # many corrections are new since.
        "CREATE TABLE model_versions (\n"
        "    id INTEGER PRIMARY KEY,\n"
        "    created TEXT NOT NULL,\n"
        "    path TEXT NOT NULL,\n"
        "    name TEXT NOT NULL,\n"
        "    version TEXT NOT NULL,\n"
        "    method TEXT NOT NULL,\n"
        "    n_train INTEGER NOT NULL,\n"
        "    n_corrections INTEGER NOT NULL,\n"
        "    corrections_upto INTEGER NOT NULL,\n"
        "    figures_json TEXT NOT NULL,\n"
        "    champion_json TEXT NOT NULL,\n"
        "    decision TEXT NOT NULL,\n"
        "    reason TEXT NOT NULL,\n"
        "    active INTEGER NOT NULL DEFAULT 0\n"
        ");",
    ),
]
