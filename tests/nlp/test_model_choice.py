"""Each document kind scored by its own model (nlp.model_choice), in a real SQLite store."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils

from core.config import Config, ModelSettings
from core.records import Document
from nlp.model_choice import ModelChoice
from nlp.pipeline import score_pending
from nlp.sentiment.base import ModelLoadError
from nlp.sentiment.loader import load_news_model
from storage.scores import count_waiting, models_in_use
from tests.nlp.conftest import LexiconDouble, add_documents, make_document


def _documents() -> list[Document]:
    """One document of every kind, all with something to score."""
    news = make_document(
        "https://ad.example/brug", "Nieuwe brug feestelijk geopend",
        "De wethouder was blij met de brug.",
    )
    official = dataclasses.replace(
        make_document(
            "https://gemeente.example/besluit", "Raad stemt in met begroting",
            "Het college legt de begroting voor.",
        ),
        kind="official",
    )
    social = dataclasses.replace(
        make_document(
            "https://social.example/1", "", "Wat een ellende weer met die bus vandaag.",
        ),
        kind="social",
    )
    return [news, official, social]


def _stored_models(db: sqlite_utils.Database) -> dict[str, tuple[str, str]]:
    """document kind -> (model name, version) of its document score."""
    rows = db.query(
        "SELECT d.kind, s.model_name, s.model_version FROM documents d JOIN scores s "
        "ON s.document_id = d.id AND s.sentence_idx = -1"
    )
    return {row["kind"]: (row["model_name"], row["model_version"]) for row in rows}


def test_choice_picks_the_news_model_for_news_and_official_only() -> None:
    main, news = LexiconDouble("main", "2"), LexiconDouble("news", "3")
    choice = ModelChoice(main, news)
    assert choice.for_kind("news") is news
    assert choice.for_kind("official") is news
    assert choice.for_kind("social") is main
    assert ModelChoice(main).for_kind("news") is main
    assert ModelChoice(main).groups() == [(main, None)]


def test_pipeline_stores_the_model_per_kind_and_rescores_only_the_changed_kind(
    file_db: sqlite_utils.Database, config: Config, hashing_encoder: Any
) -> None:
    add_documents(file_db, _documents())
    main, news = LexiconDouble("main-model", "2"), LexiconDouble("news-model", "3")
    report = score_pending(file_db, config, model=main, news_model=news, encoder=hashing_encoder)
    assert report.documents == 3
    assert report.news_model == "news-model (versie 3)"
    assert "nieuws en officieel: news-model (versie 3)" in report.lines()[0]
    assert _stored_models(file_db) == {
        "news": ("news-model", "3"), "official": ("news-model", "3"), "social": ("main-model", "2"),
    }
    assert report.waiting == 0
    again = score_pending(file_db, config, model=main, news_model=news, encoder=hashing_encoder)
    assert again.documents == 0

    # A new news model version: only news and official documents are pending and rescored.
    newer = LexiconDouble("news-model", "4")
    assert count_waiting(file_db, "news-model", "4", ("news", "official")) == 2
    assert count_waiting(file_db, "main-model", "2", ("social",)) == 0
    rescored = score_pending(file_db, config, model=main, news_model=newer,
                             encoder=hashing_encoder)
    assert rescored.documents == 2
    assert _stored_models(file_db)["news"] == ("news-model", "4")
    assert _stored_models(file_db)["social"] == ("main-model", "2")

    # No news model: the main model takes every kind back.
    alone = score_pending(file_db, config, model=main, encoder=hashing_encoder)
    assert alone.documents == 2
    assert models_in_use(file_db) == [("main-model", "2", 3)]


def test_limit_counts_across_both_models(
    file_db: sqlite_utils.Database, config: Config, hashing_encoder: Any
) -> None:
    add_documents(file_db, _documents())
    main, news = LexiconDouble("main-model", "2"), LexiconDouble("news-model", "3")
    report = score_pending(
        file_db, config, model=main, news_model=news, encoder=hashing_encoder, limit=2
    )
    assert report.documents == 2
    assert report.waiting == 1
    assert _stored_models(file_db) == {
        "news": ("news-model", "3"), "official": ("news-model", "3"),
    }


def test_configured_news_file_that_is_gone_fails_loudly(tmp_path: Path) -> None:
    settings = ModelSettings(news_head_path=str(tmp_path / "gone.npz"))
    with pytest.raises(ModelLoadError, match="gone.npz does not exist"):
        load_news_model(settings)
    assert load_news_model(ModelSettings(news_head_path="")) is None


def test_real_models_from_the_default_config_score_each_kind(
    file_db: sqlite_utils.Database, tmp_path: Path, encoder: Any
) -> None:
    """No model passed: the pipeline loads the configured ones — v2 for social posts and the
    shipped news head for news and official documents."""
    add_documents(file_db, _documents())
    config = Config(storage_path=tmp_path / "newsroom.db", model=ModelSettings(backend="embedded"))
    report = score_pending(file_db, config, encoder=encoder)
    assert report.documents == 3
    stored = _stored_models(file_db)
    assert stored["news"] == stored["official"] == ("newsroom-e5-lora-sentiment", "d81200e35908")
    assert stored["social"] == ("newsroom-e5-lora-sentiment", "15861646f2a8")
