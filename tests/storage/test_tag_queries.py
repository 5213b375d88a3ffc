"""The tag filter and the tag report's queries on a real store (a SQLite file and a
PostgreSQL database): counts per tag per week (by the document's own time, each document
once), effective sentiment (a correction counts at once), the documents behind a tag, a
project lead's scope, and the filter in exports."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from pathlib import Path

import sqlite_utils
from click.testing import CliRunner

from core.records import Annotation, Document, Source, Watch, document_id_for_url
from newsroom.cli.main import cli
from newsroom.demo.synthetic import attach_analysis
from storage.adviser import add_annotation, save_watch
from storage.bulk_labels import correct_documents
from storage.crawl_log import upsert_source
from storage.dashboard_queries.tags import tag_documents, tag_names, tag_sentiment, tag_weeks
from storage.db import Database
from storage.documents import DocumentFilter, list_documents, upsert_document

START, END = date(2026, 11, 2), date(2026, 11, 30)


def _document(db: Database, key: str, day: int, label: str | None,
              watch_ids: tuple[int, ...] = ()) -> str:
    url = f"https://bron.invalid/{key}"
    when = datetime(2026, 11, day, 9, tzinfo=UTC)
    doc = Document(id=document_id_for_url(url), source_id="bron", kind="news", url=url,
                   title=f"Bericht {key}", text=f"Tekst van {key}.", published=when,
                   fetched=when)
    upsert_document(db, doc)
    if label:
        attach_analysis(db, doc.id, label, watch_ids=watch_ids)
    return doc.id


def _tag(db: Database, document_id: str, tag: str) -> None:
    add_annotation(db, Annotation(document_id=document_id, kind="tag", value=tag,
                                  author="adviseur", created=datetime.now(UTC)))


def _store(db: Database) -> dict[str, str]:
    upsert_source(db, Source(id="bron", name="Bron", kind="news", type="rss",
                             url="https://bron.invalid/feed"))
    watch = save_watch(db, Watch(name="Zwembad", query="zwembad"))
    ids = {
        "a": _document(db, "a", 3, "negatief", (watch,)),   # week of Monday 2 Nov
        "b": _document(db, "b", 4, "positief"),              # same week
        "c": _document(db, "c", 10, "negatief", (watch,)),  # week of Monday 9 Nov
        "d": _document(db, "d", 11, None),                   # not scored yet
        "old": _document(db, "old", 1, "negatief"),          # before the period
    }
    for key in ("a", "b", "c", "d", "old"):
        _tag(db, ids[key], "klacht")
    _tag(db, ids["a"], "klacht")  # tagged twice: still one document
    _tag(db, ids["b"], "=1+1")
    ids["watch"] = str(watch)
    return ids


def test_counts_per_tag_per_week_count_each_document_once(any_db: Database) -> None:
    _store(any_db)
    weeks = {(r["tag"], r["week"]): r["n"] for r in tag_weeks(any_db, START, END)}
    assert weeks == {("klacht", "2026-11-02"): 2, ("=1+1", "2026-11-02"): 1,
                     ("klacht", "2026-11-09"): 2}
    only = tag_weeks(any_db, START, END, tags=("=1+1",))
    assert [(r["tag"], r["n"]) for r in only] == [("=1+1", 1)]


def test_sentiment_per_tag_follows_a_correction(any_db: Database) -> None:
    ids = _store(any_db)
    klacht = next(r for r in tag_sentiment(any_db, START, END) if r["tag"] == "klacht")
    assert (klacht["n"], klacht["n_neg"], klacht["n_pos"], klacht["n_unscored"]) == (4, 2, 1, 1)
    assert klacht["share_neg"] == 2 / 3
    correct_documents(any_db, [ids["b"]], "negatief", author="adviseur", role="adviser")
    klacht = next(r for r in tag_sentiment(any_db, START, END) if r["tag"] == "klacht")
    assert (klacht["n_neg"], klacht["n_pos"], klacht["share_neg"]) == (3, 0, 1.0)


def test_documents_behind_a_tag_newest_first(any_db: Database) -> None:
    ids = _store(any_db)
    rows = tag_documents(any_db, "klacht", START, END)
    assert [r["id"] for r in rows] == [ids["d"], ids["c"], ids["b"], ids["a"]]
    assert rows[0]["label"] is None and rows[1]["label"] == "negatief"
    assert tag_documents(any_db, "onbekend", START, END) == []


def test_a_project_scope_keeps_other_documents_out(any_db: Database) -> None:
    ids = _store(any_db)
    scope = (int(ids["watch"]),)
    assert tag_names(any_db, scope) == ["klacht"]
    assert tag_names(any_db) == ["=1+1", "klacht"]
    assert {r["id"] for r in tag_documents(any_db, "klacht", START, END, scope)} == {
        ids["a"], ids["c"]}
    assert [r["n"] for r in tag_sentiment(any_db, START, END, watch_ids=scope)] == [2]


def test_the_document_filter_selects_by_tag(any_db: Database) -> None:
    ids = _store(any_db)
    tagged = list_documents(any_db, DocumentFilter(tags=("=1+1",)), limit=None)
    assert [r["id"] for r in tagged] == [ids["b"]]
    either = list_documents(any_db, DocumentFilter(tags=("=1+1", "klacht")), limit=None)
    assert len(either) == 5
    assert list_documents(any_db, DocumentFilter(tags=("geen",)), limit=None) == []


def test_cli_export_honours_the_tag_filter(file_db: sqlite_utils.Database,
                                           tmp_path: Path) -> None:
    ids = _store(file_db)
    config = tmp_path / "newsroom.toml"
    config.write_text(f'[storage]\npath = "{tmp_path / "newsroom.db"}"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["--config", str(config), "export", "--tag", "=1+1",
                                      "--no-text"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["id"] for r in rows] == [ids["b"]]
