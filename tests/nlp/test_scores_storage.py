"""storage.scores: atomic saves, round trips through the item view, and what is pending."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import pytest
import sqlite_utils
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.records import Sentence, Sentiment, Watch
from storage.db import open_db
from storage.scores import (
    DocumentAnalysis,
    PlaceMention,
    TopicScore,
    count_waiting,
    document_analysis,
    documents_to_score,
    models_in_use,
    save_analyses,
    save_analysis,
)
from storage.stories import embedded_documents
from storage.watch_edits import create_watch
from storage.watch_scores import WatchScore
from tests.nlp.conftest import add_documents, make_document
from tests.pg_support import TEMPLATE

probability = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


def sentiment(p_neg: float, p_neu: float, p_pos: float, version: str = "1") -> Sentiment:
    total = (p_neg + p_neu + p_pos) or 1.0
    probs = (p_neg / total, p_neu / total, p_pos / total)
    label = ("negatief", "neutraal", "positief")[probs.index(max(probs))]
    return Sentiment(label, *probs, model_name="m", model_version=version)  # type: ignore[arg-type]


def analysis_for(
    doc_id: str,
    content_hash: str,
    texts: list[str],
    scores: list[Sentiment],
    watch_id: int | None = None,
) -> DocumentAnalysis:
    sentences, position = [], 0
    for index, text in enumerate(texts):
        sentences.append(Sentence(doc_id, index, text, position, position + len(text)))
        position += len(text) + 1
    return DocumentAnalysis(
        document_id=doc_id,
        content_hash=content_hash,
        sentences=sentences,
        sentence_scores=scores,
        document_score=scores[0] if scores else sentiment(0, 1, 0),
        topics=[TopicScore("wonen", 0.8), TopicScore("veiligheid", 0.6)],
        topic_model="topics-test",
        places=[PlaceMention("GM0505", "Dordrecht", "gemeente", 51.8, 4.75, 2)],
        watch_scores=[WatchScore(watch_id, doc_id, 1, scores[0])] if watch_id else [],
        embedding=np.ones(4, dtype=np.float32) / 2,
        embedding_model="enc:1",
    )


# PostgreSQL's text type cannot hold U+0000 (the crawlers strip control characters before
# anything is stored, crawlers.sanitise), so the examples leave it out on both engines.
sentence_text = st.text(alphabet=st.characters(blacklist_characters="\x00"), min_size=1,
                        max_size=40)


@contextmanager
def fresh_store(engine: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A new migrated store per hypothesis example: in-memory SQLite, or a PG database
    copied from the session's template (dropped afterwards)."""
    if engine == "sqlite":
        yield open_db(":memory:")
        return
    server = request.getfixturevalue("pg_server")
    name = server.create_database(template=TEMPLATE)
    db = open_db(server.url(name), migrate=False)
    try:
        yield db
    finally:
        db.conn.close()
        server.drop_database(name)


@pytest.mark.parametrize("engine", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    texts=st.lists(sentence_text, min_size=1, max_size=6),
    probs=st.lists(st.tuples(probability, probability, probability), min_size=6, max_size=6),
)
def test_round_trip_through_the_item_view(
    engine: str, request: pytest.FixtureRequest, texts: list[str],
    probs: list[tuple[float, float, float]],
) -> None:
    with fresh_store(engine, request) as db:
        _round_trip(db, texts, probs)


def _round_trip(db: Any, texts: list[str], probs: list[tuple[float, float, float]]) -> None:
    doc = make_document("https://ad.example/rt", "Titel", " ".join(texts))
    add_documents(db, [doc])
    scores = [sentiment(*p) for p in probs[: len(texts)]]
    watch_id = create_watch(db, Watch(name="w", query="titel"))
    save_analysis(db, analysis_for(doc.id, doc.content_hash, texts, scores, watch_id))
    view = document_analysis(db, doc.id)
    assert [s.text for s in view.sentences] == texts
    assert [s.sentiment for s in view.sentences] == scores
    assert view.score == scores[0]
    assert view.scored_content_hash == doc.content_hash
    assert [t.topic for t in view.topics] == ["wonen", "veiligheid"]
    assert view.places[0].mentions == 2
    assert [(h.watch_id, h.sentiment) for h in view.watch_hits] == [(watch_id, scores[0])]
    (embedded,) = embedded_documents(db, "enc:1")
    assert np.allclose(embedded.vector, 0.5)


def test_a_failing_batch_saves_nothing(any_db: sqlite_utils.Database) -> None:
    docs = [make_document(f"https://ad.example/{i}", f"T{i}", "Tekst.") for i in range(2)]
    add_documents(any_db, docs)
    good = analysis_for(docs[0].id, docs[0].content_hash, ["Tekst."], [sentiment(0, 1, 0)])
    bad = analysis_for(docs[1].id, docs[1].content_hash, ["Tekst."], [])  # scores missing
    with pytest.raises(ValueError, match="1 sentences but 0 scores"):
        save_analyses(any_db, [good, bad])
    assert any_db.execute("SELECT count(*) FROM scores").fetchone()[0] == 0
    assert any_db.execute("SELECT count(*) FROM sentences").fetchone()[0] == 0


def test_saving_again_replaces_old_rows(any_db: sqlite_utils.Database) -> None:
    (doc,) = [make_document("https://ad.example/1", "T", "Een. Twee. Drie.")]
    add_documents(any_db, [doc])
    three = [sentiment(1, 0, 0)] * 3
    save_analysis(
        any_db, analysis_for(doc.id, doc.content_hash, ["Een.", "Twee.", "Drie."], three)
    )
    save_analysis(any_db, analysis_for(doc.id, doc.content_hash, ["Een."], [sentiment(0, 0, 1)]))
    view = document_analysis(any_db, doc.id)
    assert [s.text for s in view.sentences] == ["Een."]
    assert any_db.execute("SELECT count(*) FROM scores").fetchone()[0] == 2


def test_pending_by_model_and_content(any_db: sqlite_utils.Database) -> None:
    docs = [make_document(f"https://ad.example/{i}", f"T{i}", "Tekst.") for i in range(3)]
    add_documents(any_db, docs)
    for doc in docs[:2]:
        save_analysis(
            any_db, analysis_for(doc.id, doc.content_hash, ["Tekst."], [sentiment(0, 1, 0)])
        )
    assert [d.id for _, d in documents_to_score(any_db, "m", "1")] == [docs[2].id]
    assert len(documents_to_score(any_db, "m", "2")) == 3
    assert len(documents_to_score(any_db, "other", "1")) == 3
    assert len(documents_to_score(any_db, "m", "1", rescore_all=True)) == 3
    nums = [num for num, _ in documents_to_score(any_db, "m", "2")]
    assert [d.id for _, d in documents_to_score(any_db, "m", "2", after_num=nums[0])] == [
        docs[1].id,
        docs[2].id,
    ]
    assert count_waiting(any_db) == 1
    assert count_waiting(any_db, "m", "2") == 3
    assert models_in_use(any_db) == [("m", "1", 2)]
