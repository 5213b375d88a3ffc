"""Versioned schema migrations, applied in order, each inside one transaction.

Append new migrations at the end of `MIGRATIONS`; never edit one that has shipped, since
installed databases remember which names they already ran (table `schema_migrations`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from storage import migrations_access, migrations_later, migrations_signal, migrations_workers
from storage.handle_rewrite import rewrite_social_handles
from storage.migrations_perf import PERFORMANCE_MIGRATIONS
from storage.migrations_places import PLACES_MIGRATIONS
from storage.migrations_share import SHARE_MIGRATIONS

CORE_SCHEMA = """
CREATE TABLE sources (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    type TEXT NOT NULL,
    url TEXT NOT NULL,
    interval_minutes INTEGER NOT NULL DEFAULT 60,
    enabled INTEGER NOT NULL DEFAULT 1,
    options_json TEXT NOT NULL DEFAULT '{}',
    updated_at TEXT NOT NULL
);

-- `num` is the integer key the FTS index points at; `id` is the stable public id.
CREATE TABLE documents (
    num INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    source_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    url TEXT NOT NULL,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    published TEXT,
    fetched TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    language TEXT NOT NULL DEFAULT 'nl',
    author TEXT,
    author_pseudonym TEXT,
    platform TEXT,
    post_id TEXT,
    syndication_group TEXT,
    fictional INTEGER NOT NULL DEFAULT 0,
    content_hash TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX idx_documents_published ON documents(published);
CREATE INDEX idx_documents_source ON documents(source_id, published);
CREATE INDEX idx_documents_kind ON documents(kind, published);
CREATE INDEX idx_documents_group ON documents(syndication_group);
CREATE INDEX idx_documents_url ON documents(url);

-- Earlier versions of edited documents: what an outlet changed after publication.
CREATE TABLE document_versions (
    document_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (document_id, version)
);

CREATE VIRTUAL TABLE documents_fts USING fts5(
    title, text, content='documents', content_rowid='num',
    tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER documents_ai AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts(rowid, title, text) VALUES (new.num, new.title, new.text);
END;
CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN
    INSERT INTO documents_fts(documents_fts, rowid, title, text)
    VALUES ('delete', old.num, old.title, old.text);
END;
CREATE TRIGGER documents_au AFTER UPDATE OF title, text ON documents BEGIN
    INSERT INTO documents_fts(documents_fts, rowid, title, text)
    VALUES ('delete', old.num, old.title, old.text);
    INSERT INTO documents_fts(rowid, title, text) VALUES (new.num, new.title, new.text);
END;

CREATE TABLE sentences (
    document_id TEXT NOT NULL,
    idx INTEGER NOT NULL,
    text TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    PRIMARY KEY (document_id, idx)
);

-- sentence_idx -1 is the document-level aggregate.
CREATE TABLE scores (
    document_id TEXT NOT NULL,
    sentence_idx INTEGER NOT NULL,
    label TEXT NOT NULL,
    p_neg REAL NOT NULL,
    p_neu REAL NOT NULL,
    p_pos REAL NOT NULL,
    model_name TEXT NOT NULL,
    model_version TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    scored_at TEXT NOT NULL,
    PRIMARY KEY (document_id, sentence_idx)
);
CREATE INDEX idx_scores_model ON scores(sentence_idx, model_name, model_version);

CREATE TABLE topics (
    document_id TEXT NOT NULL,
    topic TEXT NOT NULL,
    score REAL NOT NULL,
    model_name TEXT NOT NULL,
    PRIMARY KEY (document_id, topic)
);
CREATE INDEX idx_topics_topic ON topics(topic);

CREATE TABLE stories (
    id TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    size INTEGER NOT NULL
);
CREATE TABLE document_stories (
    document_id TEXT PRIMARY KEY,
    story_id TEXT NOT NULL
);
CREATE INDEX idx_document_stories_story ON document_stories(story_id);

CREATE TABLE places (
    document_id TEXT NOT NULL,
    cbs_code TEXT NOT NULL,
    name TEXT NOT NULL,
    level TEXT NOT NULL,
    lat REAL,
    lon REAL,
    mentions INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (document_id, cbs_code)
);
CREATE INDEX idx_places_code ON places(cbs_code);

CREATE TABLE watches (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    query TEXT NOT NULL,
    owner TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);

-- The sentiment of the sentences of a document that mention a watch.
CREATE TABLE watch_scores (
    watch_id INTEGER NOT NULL,
    document_id TEXT NOT NULL,
    mentions INTEGER NOT NULL,
    label TEXT NOT NULL,
    p_neg REAL NOT NULL,
    p_neu REAL NOT NULL,
    p_pos REAL NOT NULL,
    model_name TEXT NOT NULL,
    model_version TEXT NOT NULL,
    PRIMARY KEY (watch_id, document_id)
);
CREATE INDEX idx_watch_scores_doc ON watch_scores(document_id);

CREATE TABLE crawl_runs (
    id INTEGER PRIMARY KEY,
    source_id TEXT NOT NULL,
    started TEXT NOT NULL,
    ended TEXT,
    status TEXT NOT NULL DEFAULT 'running',
    http_status INTEGER,
    not_modified INTEGER NOT NULL DEFAULT 0,
    new INTEGER NOT NULL DEFAULT 0,
    updated INTEGER NOT NULL DEFAULT 0,
    unchanged INTEGER NOT NULL DEFAULT 0,
    skipped INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX idx_crawl_runs_source ON crawl_runs(source_id, started);

CREATE TABLE crawl_issues (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL,
    url TEXT NOT NULL,
    reason TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX idx_crawl_issues_run ON crawl_issues(run_id);

-- Conditional GET state per fetched URL (feeds, sitemaps, timelines).
CREATE TABLE http_cache (
    url TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT,
    updated_at TEXT NOT NULL
);

CREATE TABLE annotations (
    id INTEGER PRIMARY KEY,
    document_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    sentence_idx INTEGER,
    author TEXT NOT NULL,
    created TEXT NOT NULL
);
CREATE INDEX idx_annotations_doc ON annotations(document_id, kind);

CREATE TABLE alerts (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    scope_type TEXT NOT NULL,
    scope_key TEXT NOT NULL,
    window_start TEXT NOT NULL,
    window_end TEXT NOT NULL,
    figures_json TEXT NOT NULL,
    items_json TEXT NOT NULL DEFAULT '[]',
    message TEXT NOT NULL DEFAULT '',
    dedupe_key TEXT NOT NULL UNIQUE,
    created TEXT NOT NULL,
    sent_email TEXT,
    sent_webhook TEXT
);
CREATE INDEX idx_alerts_scope ON alerts(scope_type, scope_key, created);

CREATE TABLE digests (
    id INTEGER PRIMARY KEY,
    week TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    html TEXT NOT NULL,
    text TEXT NOT NULL,
    created TEXT NOT NULL,
    sent_at TEXT,
    UNIQUE (week, recipient)
);

CREATE TABLE job_runs (
    id INTEGER PRIMARY KEY,
    job_id TEXT NOT NULL,
    started TEXT NOT NULL,
    ended TEXT,
    outcome TEXT NOT NULL DEFAULT 'running',
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX idx_job_runs_job ON job_runs(job_id, started);

-- Per day, source and label counts: the dashboard reads these instead of scanning documents.
CREATE TABLE daily_rollup (
    day TEXT NOT NULL,
    source_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    n INTEGER NOT NULL,
    n_neg INTEGER NOT NULL,
    n_neu INTEGER NOT NULL,
    n_pos INTEGER NOT NULL,
    n_unscored INTEGER NOT NULL,
    polarity_sum REAL NOT NULL,
    PRIMARY KEY (day, source_id, kind)
);
"""

# Dashboard: per-day rollups for watches, topics and places (filled by storage.rollups), and
# an index so lists sorted by publication time need no scan.
DASHBOARD_ROLLUPS = """
CREATE TABLE daily_watch_rollup (
    day TEXT NOT NULL, watch_id INTEGER NOT NULL, source_id TEXT NOT NULL,
    n INTEGER NOT NULL, n_neg INTEGER NOT NULL, n_neu INTEGER NOT NULL, n_pos INTEGER NOT NULL,
    polarity_sum REAL NOT NULL, PRIMARY KEY (day, watch_id, source_id)
);
CREATE INDEX idx_daily_watch_rollup_watch ON daily_watch_rollup(watch_id, day);
CREATE TABLE daily_topic_rollup (
    day TEXT NOT NULL, topic TEXT NOT NULL,
    n INTEGER NOT NULL, n_neg INTEGER NOT NULL, n_pos INTEGER NOT NULL,
    polarity_sum REAL NOT NULL, PRIMARY KEY (day, topic)
);
CREATE TABLE daily_place_rollup (
    day TEXT NOT NULL, cbs_code TEXT NOT NULL, name TEXT NOT NULL, level TEXT NOT NULL,
    lat REAL, lon REAL,
    n INTEGER NOT NULL, n_neg INTEGER NOT NULL, n_pos INTEGER NOT NULL,
    polarity_sum REAL NOT NULL, PRIMARY KEY (day, cbs_code)
);
CREATE INDEX idx_documents_time ON documents(coalesce(published, first_seen));
"""

Migration = tuple[str, "str | Callable[[sqlite3.Connection], None]"]
"""A migration is SQL, or a function run on the connection inside the migration's
transaction (for rewrites SQL cannot express, such as 0026)."""

MIGRATIONS: list[Migration] = [
    ("0001_core_schema", CORE_SCHEMA),
    ("0003_dashboard_rollups", DASHBOARD_ROLLUPS),
    (
        "0004_digest_send_state",
        "ALTER TABLE digests ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;\n"
        "ALTER TABLE digests ADD COLUMN last_error TEXT;",
    ),
    (
        "0005_crawlers_fingerprints",
        # Syndication: a similarity hash of title + lead per document, split into four
        # 16-bit bands so near-duplicates are found by an indexed lookup on any band.
        "CREATE TABLE document_fingerprints (\n"
        "    document_id TEXT PRIMARY KEY,\n"
        "    source_id TEXT NOT NULL,\n"
        "    simhash INTEGER NOT NULL,\n"
        "    band0 INTEGER NOT NULL, band1 INTEGER NOT NULL,\n"
        "    band2 INTEGER NOT NULL, band3 INTEGER NOT NULL\n"
        ");\n"
        "CREATE INDEX idx_fingerprints_band0 ON document_fingerprints(band0);\n"
        "CREATE INDEX idx_fingerprints_band1 ON document_fingerprints(band1);\n"
        "CREATE INDEX idx_fingerprints_band2 ON document_fingerprints(band2);\n"
        "CREATE INDEX idx_fingerprints_band3 ON document_fingerprints(band3);",
    ),
    (
        "0006_nlp_embeddings_watch_progress",
        # Document embeddings let story clustering compare new documents with ones scored in
        # earlier runs; watch_progress records which version of a watch has been applied to
        # all scored documents, so a changed watch is back-filled once, without a model call.
        "CREATE TABLE document_embeddings (\n"
        "    document_id TEXT PRIMARY KEY,\n"
        "    model TEXT NOT NULL,\n"
        "    dim INTEGER NOT NULL,\n"
        "    vector BLOB NOT NULL\n"
        ");\n"
        "CREATE TABLE watch_progress (\n"
        "    watch_id INTEGER PRIMARY KEY,\n"
        "    query TEXT NOT NULL,\n"
        "    watch_updated TEXT NOT NULL,\n"
        "    done_at TEXT NOT NULL\n"
        ");",
    ),
    (
        "0007_crawlers_story_minhash",
        # Syndication v2: SimHash over short leads separated copies from unrelated stories
        # badly; MinHash bands over lead shingles (verified by exact Jaccard) replace it.
        "DROP TABLE IF EXISTS document_fingerprints;\n"
        "CREATE TABLE story_fingerprints (\n"
        "    document_id TEXT PRIMARY KEY,\n"
        "    source_id TEXT NOT NULL,\n"
        "    band0 INTEGER NOT NULL, band1 INTEGER NOT NULL,\n"
        "    band2 INTEGER NOT NULL, band3 INTEGER NOT NULL\n"
        ");\n"
        "CREATE INDEX idx_story_fp_band0 ON story_fingerprints(band0);\n"
        "CREATE INDEX idx_story_fp_band1 ON story_fingerprints(band1);\n"
        "CREATE INDEX idx_story_fp_band2 ON story_fingerprints(band2);\n"
        "CREATE INDEX idx_story_fp_band3 ON story_fingerprints(band3);",
    ),
    (
        "0008_digest_previews",
        # The dashboard's Digest page shows a stored preview while the data it was built
        # from is unchanged (data_stamp); the scheduler's rollup job keeps them fresh.
        "CREATE TABLE digest_previews (\n"
        "    week TEXT NOT NULL,\n"
        "    recipient TEXT NOT NULL,\n"
        "    subject TEXT NOT NULL,\n"
        "    html TEXT NOT NULL,\n"
        "    text TEXT NOT NULL,\n"
        "    data_stamp TEXT NOT NULL,\n"
        "    built_at TEXT NOT NULL,\n"
        "    PRIMARY KEY (week, recipient)\n"
        ");",
    ),
    *migrations_later.RELIABILITY_AND_AUDIT,
    ("0026_privacy_handle_free_social_links", rewrite_social_handles),
    # Access control (issue 12): SQL and the reasons in storage/migrations_access.py.
    ("0033_access_login_throttle", migrations_access.LOGIN_THROTTLE),
    ("0034_access_sessions", migrations_access.SESSIONS),
    ("0035_access_users", migrations_access.USERS),
    *migrations_signal.SIGNAL_MIGRATIONS,
    (
        "0051_removed_watches",
        # A watch removed in the CLI or dashboard is remembered with the query it had, so
        # `newsroom init` does not bring it back from newsroom.toml (only a changed query does).
        "CREATE TABLE removed_watches (\n"
        "    name TEXT PRIMARY KEY,\n"
        "    query TEXT NOT NULL,\n"
        "    removed TEXT NOT NULL\n"
        ");",
    ),
    (
        "0100_watch_config_queries",
        # The query and owner newsroom.toml had for each watch at the last sync
        # (storage.watch_config): a sync overwrites a watch only when the file changed,
        # never a dashboard edit.
        "CREATE TABLE watch_config_queries (\n"
        "    name TEXT PRIMARY KEY,\n"
        "    query TEXT NOT NULL,\n"
        "    owner TEXT\n"
        ");",
    ),
    *migrations_workers.WORKER_MIGRATIONS,  # issue 16: work on a queue (migrations_workers.py)
    *SHARE_MIGRATIONS, *PLACES_MIGRATIONS,  # issue 14: API and saved views; map outlines (0075)
    *PERFORMANCE_MIGRATIONS,  # indexes: tag filter (0081), coordination signal (0120)
]
