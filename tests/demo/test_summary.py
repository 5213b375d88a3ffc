"""The demo's closing summary and how it reports steps that are not available."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlite_utils

from core.records import CrawlStats, Document, Source, document_id_for_url
from newsroom.demo.run import CrawlLine, dashboard_command, format_summary, summarise
from storage.crawl_log import finish_crawl_run, start_crawl_run, upsert_source
from storage.documents import upsert_document


def _store(db: sqlite_utils.Database, source_id: str, kind: str, n: int) -> None:
    upsert_source(db, Source(id=source_id, name=source_id, kind=kind,  # type: ignore[arg-type]
                             type="rss", url="http://127.0.0.1:1/feed"))
    for i in range(n):
        url = f"http://127.0.0.1:1/{source_id}/{i}"
        upsert_document(db, Document(
            id=document_id_for_url(url), source_id=source_id, kind=kind,  # type: ignore[arg-type]
            url=url, title=f"Titel {i}", text="Tekst", published=datetime(2026, 11, 1, tzinfo=UTC),
            fetched=datetime(2026, 11, 2, tzinfo=UTC), fictional=True,
        ))
    run_id = start_crawl_run(db, source_id)
    finish_crawl_run(db, run_id, CrawlStats(new=n), "ok")


def test_summary_counts_per_source_kind_and_label(fresh_db: sqlite_utils.Database) -> None:
    _store(fresh_db, "demo-a", "news", 3)
    _store(fresh_db, "demo-b", "social", 2)
    line = CrawlLine("demo-a", "ok", 3, 0, 0, 0, 0, False)
    summary = summarise(fresh_db, [line], crawl_available=True)
    assert summary.documents_by_source == {"demo-a": 3, "demo-b": 2}
    assert summary.documents_by_kind == {"news": 3, "social": 2}
    assert summary.labels == {"ongescoord": 5}
    assert summary.fictional == 5 and summary.crawl_runs_total == 2
    assert summary.new_documents == 3
    text = "\n".join(format_summary(summary))
    assert "Documenten in de database: 5 (fictief: 5)" in text
    assert "demo-a" in text and "ongescoord: 5" in text


def test_summary_says_when_steps_are_not_available(fresh_db: sqlite_utils.Database) -> None:
    summary = summarise(fresh_db, [], crawl_available=False)
    summary.scoring_available = False
    summary.scoring_note = "Sentimentscore is nog niet beschikbaar."
    text = "\n".join(format_summary(summary))
    assert "crawlers zijn nog niet beschikbaar" in text
    assert "Sentimentscore is nog niet beschikbaar." in text


def test_dashboard_command_uses_the_demo_config(tmp_path) -> None:
    from newsroom.cli.main import cli

    command = dashboard_command(tmp_path / "newsroom.toml")
    assert "dashboard" in cli.commands
    assert command[-5:] == ["--config", str(tmp_path / "newsroom.toml"), "dashboard", "--port",
                           "8501"]
