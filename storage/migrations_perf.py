"""Indexes added after the fact for pages that must answer within issue 4's budget (1 s a
page, 100 ms a search) at 1M documents, as bench/dashboard.py and bench/storage_engines.py
measure on both engines."""

from __future__ import annotations

PERFORMANCE_MIGRATIONS: list[tuple[str, str]] = [
    (
        "0081_annotations_tag_index",  # the tag filter and the tag report (issue 14)
        "CREATE INDEX IF NOT EXISTS idx_annotations_kind_value "
        "ON annotations(kind, value, document_id);",
    ),
    (
        "0120_coordination_author_index",
        # The coordination signal on the Overzicht page asks when each pseudonym was first
        # seen; without this (covering) index that read every social document: 5 s at 1M
        # documents on SQLite, an index-only lookup per pseudonym with it.
        "CREATE INDEX IF NOT EXISTS idx_documents_author "
        "ON documents(author_pseudonym, kind, published, first_seen);",
    ),
    (
        "0122_coordination_results",
        # The coordination signal of the Overzicht page's default window, computed by the
        # rollup job (storage/coordination_results.py): one row, a cache with a data stamp.
        "CREATE TABLE coordination_results (\n"
        "    period_start TEXT NOT NULL,\n"
        "    period_end TEXT NOT NULL,\n"
        "    data_stamp TEXT NOT NULL,\n"
        "    built_at TEXT NOT NULL,\n"
        "    signals TEXT NOT NULL,\n"
        "    PRIMARY KEY (period_start, period_end)\n"
        ");",
    ),
]
