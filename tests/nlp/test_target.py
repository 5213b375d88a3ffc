"""Sentiment toward a watch's subject: clauses, target windows, the gate, and watch scores
through the real pipeline on a real SQLite file (new documents and back-fill)."""

from __future__ import annotations

import sqlite_utils

from core.config import Config
from core.records import Sentiment, Watch
from nlp.pipeline import score_pending
from nlp.target import clauses, target_window, toward_target, windows_to_score
from nlp.watch_query import parse_query
from storage.adviser import save_watch
from tests.nlp.conftest import HashingEncoder, LexiconDouble, add_documents, make_document

MIXED = "Het stadskantoor is een ramp, maar de nieuwe fietsbrug is prachtig."


def window_for(target: str, sentence: str) -> str:
    return target_window(sentence, parse_query(target).spans(sentence))


def sentiment(p_neg: float, p_neu: float, p_pos: float) -> Sentiment:
    probs = (p_neg, p_neu, p_pos)
    label = ("negatief", "neutraal", "positief")[probs.index(max(probs))]
    return Sentiment(label, p_neg, p_neu, p_pos, "m", "1")  # type: ignore[arg-type]


def test_clauses_split_at_punctuation_and_contrast_words() -> None:
    parts = [c.text for c in clauses("Eerst dit; dan dat - en verder, terwijl het regent")]
    assert parts == ["Eerst dit", "dan dat", "en verder", "terwijl het regent"]
    assert [c.text for c in clauses("Geen grens hier")] == ["Geen grens hier"]
    assert clauses("") == []


def test_window_is_the_clause_that_names_the_target() -> None:
    assert window_for("fietsbrug", MIXED) == "maar de nieuwe fietsbrug is prachtig."
    assert window_for("stadskantoor", MIXED) == "Het stadskantoor is een ramp"
    sentence = "De achterban van D66 is tevreden, maar dat geldt minder voor die van het CDA."
    assert window_for("CDA", sentence) == "maar dat geldt minder voor die van het CDA."


def test_window_takes_a_neighbour_when_too_short_and_whole_sentence_when_needed() -> None:
    short = "Peiling: VVD krijgt klappen, Volt wint"
    assert window_for("Volt", short) == "VVD krijgt klappen, Volt wint"
    assert window_for("brug", "De brug is klaar") == "De brug is klaar"
    both = "De brug is mooi, maar de brug is duur"
    assert window_for("brug", both) == both
    assert target_window(MIXED, []) == MIXED


def test_confident_window_replaces_the_sentence_score_and_a_vague_one_does_not() -> None:
    query = parse_query("fietsbrug")
    sentence_score = sentiment(0.45, 0.2, 0.35)
    window = window_for("fietsbrug", MIXED)
    clear = sentiment(0.05, 0.15, 0.80)
    vague = sentiment(0.20, 0.60, 0.20)
    assert toward_target(query, MIXED, sentence_score, {window: clear}) == clear
    assert toward_target(query, MIXED, sentence_score, {window: vague}) == sentence_score
    assert toward_target(query, MIXED, sentence_score, {}) == sentence_score
    assert windows_to_score(query, [MIXED, "Niets hierover."]) == {window}


def test_watch_scores_take_the_sentiment_toward_each_subject(
    file_db: sqlite_utils.Database, config: Config, hashing_encoder: HashingEncoder
) -> None:
    save_watch(file_db, Watch(name="Fietsbrug", query="fietsbrug"))
    save_watch(file_db, Watch(name="Stadskantoor", query="stadskantoor"))
    doc = make_document("https://ad.example/t", "Nieuws uit de stad", MIXED)
    add_documents(file_db, [doc])
    model = LexiconDouble()
    score_pending(file_db, config, model=model, encoder=hashing_encoder)
    labels = {
        row["name"]: row["label"]
        for row in file_db.query(
            "SELECT w.name, ws.label FROM watch_scores ws JOIN watches w ON w.id = ws.watch_id"
        )
    }
    assert labels == {"Fietsbrug": "positief", "Stadskantoor": "negatief"}
    (sentence_label,) = [
        row["label"] for row in file_db.query("SELECT label FROM scores WHERE sentence_idx = -1")
    ]
    assert sentence_label == "neutraal"  # the plain score would give both watches this
    assert "maar de nieuwe fietsbrug is prachtig." in model.seen


def test_backfilled_watch_gets_the_same_target_sentiment(
    file_db: sqlite_utils.Database, config: Config, hashing_encoder: HashingEncoder
) -> None:
    doc = make_document("https://ad.example/t", "Nieuws uit de stad", MIXED)
    add_documents(file_db, [doc])
    score_pending(file_db, config, model=LexiconDouble(), encoder=hashing_encoder)
    save_watch(file_db, Watch(name="Fietsbrug", query="fietsbrug"))
    report = score_pending(file_db, config, model=LexiconDouble(), encoder=hashing_encoder)
    assert report.watch_backfills == 1
    (row,) = list(file_db.query("SELECT label FROM watch_scores"))
    assert row["label"] == "positief"
