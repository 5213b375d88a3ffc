"""End to end with the real embedded sentiment model and the real encoder on Dutch news text."""

from __future__ import annotations

from typing import Any

import pytest
import sqlite_utils

from core.config import Config, ModelSettings
from core.records import Watch
from nlp.pipeline import score_pending
from storage.adviser import save_watch
from storage.scores import document_analysis, models_in_use
from tests.nlp.conftest import add_documents, make_document


@pytest.fixture(scope="module")
def embedded_model() -> Any:
    from nlp.sentiment import load_sentiment_model

    return load_sentiment_model(ModelSettings(backend="embedded"))


def test_real_model_scores_dutch_news_end_to_end(
    file_db: sqlite_utils.Database, config: Config, embedded_model: Any, encoder: Any
) -> None:
    save_watch(file_db, Watch(name="Park", query="park"))
    save_watch(file_db, Watch(name="Onveilig", query="vernield OR onveilig"))
    happy = make_document(
        "https://ad.example/park",
        "Prachtig nieuw park in Dordrecht geopend",
        "Bewoners zijn erg blij met het mooie nieuwe park. Kinderen spelen er met veel plezier "
        "en ouderen genieten van de rust. De wethouder noemde het een groot succes.",
    )
    angry = make_document(
        "https://ad.example/overlast",
        "Woede over overlast en vernielingen in Wielwijk",
        "Buurtbewoners zijn woedend over de aanhoudende overlast. Auto's zijn vernield en "
        "bewoners voelen zich onveilig. Ze verwijten de gemeente dat er niets gebeurt.",
    )
    add_documents(file_db, [happy, angry])
    report = score_pending(file_db, config, model=embedded_model, encoder=encoder)
    assert report.documents == 2
    assert report.model_name == embedded_model.name
    assert models_in_use(file_db) == [(embedded_model.name, embedded_model.version, 2)]

    happy_view = document_analysis(file_db, happy.id)
    angry_view = document_analysis(file_db, angry.id)
    assert happy_view.score is not None and angry_view.score is not None
    assert happy_view.score.label == "positief"
    assert angry_view.score.label == "negatief"
    assert happy_view.score.polarity > angry_view.score.polarity + 0.5
    assert len(happy_view.sentences) == 4  # headline + three sentences
    for view in (happy_view, angry_view):
        for sentence in view.sentences:
            assert sentence.sentiment is not None
            total = sentence.sentiment.p_neg + sentence.sentiment.p_neu + sentence.sentiment.p_pos
            assert total == pytest.approx(1.0, abs=1e-4)

    assert "openbare-ruimte-en-groen" in {t.topic for t in happy_view.topics}
    assert "veiligheid" in {t.topic for t in angry_view.topics}
    assert {p.name for p in happy_view.places} == {"Dordrecht"}
    assert {p.name for p in angry_view.places} == {"Wielwijk"}
    assert [(h.name, h.sentiment.label) for h in happy_view.watch_hits] == [("Park", "positief")]
    assert [(h.name, h.sentiment.label) for h in angry_view.watch_hits] == [
        ("Onveilig", "negatief")
    ]
