"""News and official documents scored by the news model read headline + lead as one text
for their document score (nlp.news_item); sentence scores and social posts keep the sentence
rule. Real SQLite store, the pipeline's own batch path."""

from __future__ import annotations

import dataclasses
from typing import Any

import sqlite_utils

from core.config import Config
from nlp.aggregate import score_news_items
from nlp.news_item import (
    LEAD_MAX_CHARS,
    LEAD_MIN_CHARS,
    document_item_text,
    item_text,
    lead_of,
)
from tests.nlp.conftest import LexiconDouble, add_documents, make_document

LONG = ("De wethouder opende de brug. Het was een mooie dag voor de buurt. "
        "Daarna volgde een lange toespraak over de plannen voor de komende jaren in de stad. "
        "Ook de kinderen van de basisschool zongen een lied. Tot slot was er koffie.")


def test_item_text_is_written_as_the_training_items() -> None:
    assert item_text("Brug  open", " De brug is\nopen. ") == "Brug open. De brug is open."
    assert item_text("Alleen een kop", "") == "Alleen een kop"


def test_lead_takes_first_sentences_up_to_the_training_lengths() -> None:
    lead = lead_of("Brug open", LONG)
    assert lead.startswith("De wethouder opende de brug. Het was een mooie dag")
    assert LEAD_MIN_CHARS <= len(lead) <= LEAD_MAX_CHARS
    assert "koffie" not in lead
    assert lead_of("Brug open", "Kort.") == "Kort."
    assert lead_of("Brug", "") == ""


def test_lead_skips_a_repeated_headline_and_cuts_a_long_sentence_at_a_word() -> None:
    assert lead_of("Brug open", "Brug open. De brug is open.") == "De brug is open."
    long_sentence = " ".join(["woord"] * 200)
    lead = lead_of("Kop", long_sentence)
    assert len(lead) <= LEAD_MAX_CHARS and lead.endswith("woord")


def test_document_without_headline_reads_its_text() -> None:
    assert document_item_text("", "Wat een ellende weer.") == "Wat een ellende weer."
    assert document_item_text("  ", "") == ""


def test_score_news_items_whole_reads_one_text_per_item() -> None:
    model = LexiconDouble()
    items = [("Brug feestelijk geopend", "Maar de buurt klaagt over overlast.")]
    whole = score_news_items(model, items, whole_item=True)
    assert model.seen == ["Brug feestelijk geopend. Maar de buurt klaagt over overlast."]
    assert len(whole) == 1
    model.seen.clear()
    score_news_items(model, items)
    assert model.seen == ["Brug feestelijk geopend", "Maar de buurt klaagt over overlast."]


def _document_score(db: sqlite_utils.Database, document_id: str) -> tuple[str, float]:
    row = db.execute("SELECT label, p_neg FROM scores WHERE document_id = ? AND sentence_idx = -1",
                     [document_id]).fetchone()
    return row[0], row[1]


def test_pipeline_reads_news_items_whole_with_the_news_model_only(
    file_db: sqlite_utils.Database, config: Config, hashing_encoder: Any
) -> None:
    from nlp.pipeline import score_pending

    # Headline neutral, lead negative: the sentence rule (headline weighted 2, neutral band)
    # and the one-text reading can disagree; the double makes the reading visible.
    news = make_document("https://ad.example/a", "Gemeente over de brug",
                         "Bewoners boos over overlast. De gemeente reageert.")
    social = dataclasses.replace(
        make_document("https://social.example/1", "", "Boos over overlast. Fijne dag verder."),
        kind="social")
    add_documents(file_db, [news, social])
    main, news_model = LexiconDouble("main", "2"), LexiconDouble("news", "3")
    score_pending(file_db, config, model=main, news_model=news_model, encoder=hashing_encoder)

    item = document_item_text(news.title, news.text)
    assert item in news_model.seen  # the document score read the item as one text
    assert item not in main.seen and not any(". " in t and "Fijne" in t for t in main.seen)
    assert _document_score(file_db, news.id) == (news_model._one(item).label,
                                                 news_model._one(item).p_neg)
    # The sentences of the news item are still scored one by one for the item view.
    assert {"Gemeente over de brug", "Bewoners boos over overlast."} <= set(news_model.seen)
    stored = file_db.execute("SELECT count(*) FROM scores WHERE document_id = ? "
                             "AND sentence_idx >= 0", [news.id]).fetchone()[0]
    assert stored == 3  # headline + two sentences


def test_without_a_news_model_news_keeps_the_sentence_rule(
    file_db: sqlite_utils.Database, config: Config, hashing_encoder: Any
) -> None:
    from nlp.pipeline import score_pending

    news = make_document("https://ad.example/b", "Gemeente over de brug",
                         "Bewoners boos over overlast. De gemeente reageert.")
    add_documents(file_db, [news])
    main = LexiconDouble("main", "2")
    score_pending(file_db, config, model=main, encoder=hashing_encoder)
    assert document_item_text(news.title, news.text) not in main.seen
