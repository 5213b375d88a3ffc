"""Benchmark of the scoring pipeline and text analysis (`python -m bench.run --only nlp_text`).

What it measures, each against a baseline in the same run on the same machine:

- pipeline: documents/s of `score_pending` (32 documents per batch and transaction, one
  model call and one encoder call per batch) against the same pipeline unbatched (one
  document per transaction, the model and encoder called once per text) — same work;
- how much of the pipeline's time is the sentiment model itself (all sentences in one call),
  and the naive per-sentence model loop for reference;
- watch back-fill: time to give a new watch its scores on all scored documents (stored
  sentence scores, no model) against re-scoring those documents with the model;
- quality on the labelled sets in tests/nlp/files (DATASHEET.md): topic precision/recall,
  story pair precision/recall (story_pairs.json), place precision/recall (places_sample.csv)
  and the accuracy of sentiment toward a watch's target next to the plain sentence score
  (target_pairs.csv).

Results: `nlp_text.json` and `nlp_text.md` in the results folder.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from bench.results import write_results
from core.records import Sentiment

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "nlp" / "files"
COPIES = 2
"""The 35 labelled headlines, each stored this many times (with a suffix), as the corpus."""


def _corpus() -> list[Any]:
    from core.records import Document, document_id_for_url

    items = json.loads((FIXTURES / "topics_fixture.json").read_text(encoding="utf-8"))
    base = datetime(2026, 3, 1, tzinfo=UTC)
    docs = []
    for copy in range(COPIES):
        for index, item in enumerate(items):
            url = f"https://bench.example/{copy}/{index}"
            docs.append(
                Document(
                    id=document_id_for_url(url),
                    source_id="bench",
                    kind="news",
                    url=url,
                    title=item["title"],
                    text=f"{item['text']} Bericht {copy}-{index}.",
                    published=base + timedelta(hours=index + 40 * copy),
                    fetched=base,
                )
            )
    return docs


class _OneByOne:
    """Wraps a model or encoder so every text is its own call (the unbatched baseline)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.name = inner.name
        self.version = inner.version

    def predict(self, texts: Sequence[str]) -> list[Sentiment]:
        return [self.inner.predict([text])[0] for text in texts]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return self.inner.encode(texts)
        return np.vstack([self.inner.encode([text]) for text in texts])


def _pipeline(model: Any, encoder: Any, work: Path) -> dict[str, Any]:
    from core.config import Config
    from core.records import Watch
    from nlp.pipeline import build_analyzer, document_units, score_pending
    from storage.adviser import save_watch
    from storage.db import open_db
    from storage.documents import upsert_document

    config = Config(storage_path=work / "bench.db")
    db = open_db(config.storage_path)
    docs = _corpus()
    for doc in docs:
        upsert_document(db, doc)
    sentences = [u.text for doc in docs for u in document_units(doc)]
    # Warm the topic-prototype cache first: the scheduler scores every few minutes in one
    # process, so steady-state throughput is what matters.
    build_analyzer(config, model=model, encoder=encoder)

    start = time.perf_counter()
    report = score_pending(db, config, model=model, encoder=encoder)
    pipeline_s = time.perf_counter() - start

    start = time.perf_counter()
    score_pending(
        db,
        config,
        batch_size=1,
        rescore_all=True,
        model=_OneByOne(model),
        encoder=_OneByOne(encoder),
    )
    unbatched_s = time.perf_counter() - start

    start = time.perf_counter()
    model.predict(sentences)
    model_only_s = time.perf_counter() - start

    start = time.perf_counter()
    for sentence in sentences:
        model.predict([sentence])
    naive_s = time.perf_counter() - start

    save_watch(db, Watch(name="bench", query='parkeer* OR "sociale huur*" OR brand'))
    start = time.perf_counter()
    backfill = score_pending(db, config, model=model, encoder=encoder)
    backfill_s = time.perf_counter() - start
    db.conn.close()
    return {
        "documents": report.documents,
        "sentences": report.sentences,
        "pipeline_seconds": round(pipeline_s, 3),
        "pipeline_docs_per_s": round(report.documents / pipeline_s, 2),
        "unbatched_pipeline_seconds": round(unbatched_s, 3),
        "batched_vs_unbatched_ratio": round(unbatched_s / pipeline_s, 2),
        "sentiment_model_only_seconds": round(model_only_s, 3),
        "sentiment_share_of_pipeline": round(model_only_s / pipeline_s, 2),
        "naive_per_sentence_model_seconds": round(naive_s, 3),
        "watch_backfill_seconds": round(backfill_s, 3),
        "watch_backfill_documents": backfill.watch_scores_backfilled,
        "backfill_vs_rescore_ratio": round(pipeline_s / max(backfill_s, 1e-6), 1),
        "model": f"{model.name} {model.version}",
    }


def _topic_quality(encoder: Any) -> dict[str, float]:
    from nlp.topics import TopicModel, load_taxonomy

    model = TopicModel(load_taxonomy(), encoder)
    items = json.loads((FIXTURES / "topics_fixture.json").read_text(encoding="utf-8"))
    texts = [TopicModel.document_text(i["title"], i["text"]) for i in items]
    assigned = model.assign(
        [i["title"] for i in items], [i["text"] for i in items], encoder.encode(texts)
    )
    tp = fp = fn = 0
    for topics, item in zip(assigned, items, strict=True):
        got, want = {t.topic for t in topics}, set(item["topics"])
        tp, fp, fn = tp + len(got & want), fp + len(got - want), fn + len(want - got)
    return {"topic_precision": round(tp / (tp + fp), 3), "topic_recall": round(tp / (tp + fn), 3)}


def _story_quality(encoder: Any) -> dict[str, float]:
    from nlp.story_eval import embed_story_set, read_story_set, score_story_pairs

    items = read_story_set(FIXTURES / "story_pairs.json")
    scores = score_story_pairs(items, embed_story_set(items, encoder))
    return {
        "story_pair_precision": round(scores.precision, 3),
        "story_pair_recall": round(scores.recall, 3),
    }


def _place_quality() -> dict[str, float]:
    from nlp.place_eval import read_place_sample, score_places
    from nlp.places import load_gazetteer

    rows = read_place_sample(FIXTURES / "places_sample.csv")
    scores = score_places(load_gazetteer(municipality="Dordrecht"), rows)
    return {"place_precision": round(scores.precision, 3), "place_recall": round(scores.recall, 3)}


def _target_quality(model: Any) -> dict[str, float]:
    from nlp.target_eval import read_target_pairs, score_targets

    scores = score_targets(model, read_target_pairs(FIXTURES / "target_pairs.csv"))
    return {
        "target_accuracy": round(scores.target_accuracy, 3),
        "plain_sentence_accuracy": round(scores.plain_accuracy, 3),
    }


def run(results_dir: Path) -> dict[str, Any]:
    """Run the benchmark, write nlp_text.json and nlp_text.md, return the summary."""
    from core.config import ModelSettings
    from nlp.encoder import get_encoder
    from nlp.sentiment import load_sentiment_model

    encoder = get_encoder()
    model = load_sentiment_model(ModelSettings(backend="embedded"))
    with tempfile.TemporaryDirectory() as tmp:
        results: dict[str, Any] = _pipeline(model, encoder, Path(tmp))
    results.update(_topic_quality(encoder))
    results.update(_story_quality(encoder))
    results.update(_place_quality())
    results.update(_target_quality(model))
    lines = [
        "# Scoring pipeline and text analysis",
        "",
        f"Model: {results['model']}; corpus {results['documents']} documents, "
        f"{results['sentences']} sentences.",
        "",
        "| measure | value |",
        "| --- | --- |",
        *(f"| {key} | {value} |" for key, value in results.items() if key != "model"),
    ]
    write_results(results_dir, "nlp_text", results, "\n".join(lines) + "\n")
    return {
        "pipeline_docs_per_s": results["pipeline_docs_per_s"],
        "batched_vs_unbatched_ratio": results["batched_vs_unbatched_ratio"],
        "backfill_vs_rescore_ratio": results["backfill_vs_rescore_ratio"],
        "topic_precision": results["topic_precision"],
        "topic_recall": results["topic_recall"],
        "story_pair_precision": results["story_pair_precision"],
        "story_pair_recall": results["story_pair_recall"],
        "place_precision": results["place_precision"],
        "place_recall": results["place_recall"],
        "target_accuracy": results["target_accuracy"],
        "plain_sentence_accuracy": results["plain_sentence_accuracy"],
    }


if __name__ == "__main__":
    import sys

    print(json.dumps(run(Path(sys.argv[1] if len(sys.argv) > 1 else "bench-results")), indent=2))
