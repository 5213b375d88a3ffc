"""storage.scores: atomic saves, round trips through the item view, and what is pending."""

from __future__ import annotations

import numpy as np
import pytest
import sqlite_utils
from hypothesis import given, settings
from hypothesis import strategies as st

from core.records import Sentence, Sentiment, Watch
from storage.adviser import save_watch
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
from storage.watch_scores import WatchScore
from tests.nlp.conftest import add_documents, make_document

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


@settings(max_examples=25, deadline=None)
@given(
    texts=st.lists(st.text(min_size=1, max_size=40), min_size=1, max_size=6),
    probs=st.lists(st.tuples(probability, probability, probability), min_size=6, max_size=6),
)
def test_round_trip_through_the_item_view(
    texts: list[str], probs: list[tuple[float, float, float]]
) -> None:
    db = open_db(":memory:")
    doc = make_document("https://ad.example/rt", "Titel", " ".join(texts))
    add_documents(db, [doc])
    scores = [sentiment(*p) for p in probs[: len(texts)]]
    watch_id = save_watch(db, Watch(name="w", query="titel"))
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


def test_a_failing_batch_saves_nothing(fresh_db: sqlite_utils.Database) -> None:
    docs = [make_document(f"https://ad.example/{i}", f"T{i}", "Tekst.") for i in range(2)]
    add_documents(fresh_db, docs)
    good = analysis_for(docs[0].id, docs[0].content_hash, ["Tekst."], [sentiment(0, 1, 0)])
    bad = analysis_for(docs[1].id, docs[1].content_hash, ["Tekst."], [])  # scores missing
    with pytest.raises(ValueError, match="1 sentences but 0 scores"):
        save_analyses(fresh_db, [good, bad])
    assert fresh_db.execute("SELECT count(*) FROM scores").fetchone()[0] == 0
    assert fresh_db.execute("SELECT count(*) FROM sentences").fetchone()[0] == 0


def test_saving_again_replaces_old_rows(fresh_db: sqlite_utils.Database) -> None:
    (doc,) = [make_document("https://ad.example/1", "T", "Een. Twee. Drie.")]
    add_documents(fresh_db, [doc])
    three = [sentiment(1, 0, 0)] * 3
    save_analysis(
        fresh_db, analysis_for(doc.id, doc.content_hash, ["Een.", "Twee.", "Drie."], three)
    )
    save_analysis(fresh_db, analysis_for(doc.id, doc.content_hash, ["Een."], [sentiment(0, 0, 1)]))
    view = document_analysis(fresh_db, doc.id)
    assert [s.text for s in view.sentences] == ["Een."]
    assert fresh_db.execute("SELECT count(*) FROM scores").fetchone()[0] == 2


def test_pending_by_model_and_content(fresh_db: sqlite_utils.Database) -> None:
    docs = [make_document(f"https://ad.example/{i}", f"T{i}", "Tekst.") for i in range(3)]
    add_documents(fresh_db, docs)
    for doc in docs[:2]:
        save_analysis(
            fresh_db, analysis_for(doc.id, doc.content_hash, ["Tekst."], [sentiment(0, 1, 0)])
        )
    assert [d.id for _, d in documents_to_score(fresh_db, "m", "1")] == [docs[2].id]
    assert len(documents_to_score(fresh_db, "m", "2")) == 3
    assert len(documents_to_score(fresh_db, "other", "1")) == 3
    assert len(documents_to_score(fresh_db, "m", "1", rescore_all=True)) == 3
    nums = [num for num, _ in documents_to_score(fresh_db, "m", "2")]
    assert [d.id for _, d in documents_to_score(fresh_db, "m", "2", after_num=nums[0])] == [
        docs[1].id,
        docs[2].id,
    ]
    assert count_waiting(fresh_db) == 1
    assert count_waiting(fresh_db, "m", "2") == 3
    assert models_in_use(fresh_db) == [("m", "1", 2)]
