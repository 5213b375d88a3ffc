"""The scoring pipeline: what `newsroom score` and the scheduler run.

For every document that needs it (no score yet, scored by another model name or version, or
edited since — `storage.scores.documents_to_score`), in batches:

1. split title and text into sentences (`nlp.sentences`); the headline is its own sentence;
2. score all sentences of the batch with the sentiment model in one call;
3. aggregate to a document score (`nlp.aggregate`, rule documented there) — except for news
   and official documents scored by the news model, which reads headline + lead as one text
   for the document score (`nlp.news_item` says why);
4. embed title + lead once (`nlp.encoder`) for topics (`nlp.topics`) and stories;
5. find place mentions (`nlp.places`) and, per active watch, the sentiment toward its subject
   (`nlp.target`: the clause that names it, scored in one more model call per batch);
6. save the batch in one transaction (`storage.scores.save_analyses`).

Because a batch is committed whole or not at all, and a committed document no longer counts
as pending, a crash (or Ctrl-C) loses at most the batch in flight and the next run resumes.

After the batches: stories are re-clustered (`nlp.stories`) and watches that were created or
changed since their last back-fill get scores for all already-scored documents, computed from
the stored sentence scores (the model only scores target windows of matching sentences).

Non-Dutch documents (language detected by the crawler is not "nl"): still scored — the
embedded model's encoder is multilingual, and dropping them would hide items from the
advisers — but counted as `non_dutch` in the report and left flagged by their `language`
column, which the dashboard can filter on. Their scores are less reliable: the head was
trained on Dutch.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from core.config import Config
from core.records import Document, Sentence, Sentiment
from nlp.aggregate import aggregate
from nlp.model_choice import ModelChoice
from nlp.news_item import document_item_text
from nlp.places import Gazetteer, load_gazetteer
from nlp.score_report import ScoreReport
from nlp.sentences import MAX_SENTENCES, has_own_title, split_sentences
from nlp.stories import update_stories
from nlp.target import score_windows, windows_to_score
from nlp.topics import TopicModel, load_taxonomy
from nlp.watch_scoring import ActiveWatch, active_watches, backfill_watches, watch_score
from storage.db import Database
from storage.documents import count_documents
from storage.leases import claim, new_holder, release
from storage.scores import (
    TITLE_SPAN,
    DocumentAnalysis,
    count_waiting,
    documents_to_score,
    models_in_use,
    save_analyses,
)
from storage.stories import delete_orphan_embeddings, has_stories
from storage.watch_scores import (
    WatchScore,
    forget_removed_watches,
)

logger = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 32
"""Documents per transaction: small enough that a crash loses little, big enough to batch
the model's forward passes."""


class SentimentModelLike(Protocol):
    name: str
    version: str

    def predict(self, texts: Sequence[str]) -> list[Sentiment]: ...


class EncoderLike(Protocol):
    name: str
    version: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass
class Analyzer:
    """The loaded parts of the pipeline; built once per run."""

    model: SentimentModelLike
    encoder: EncoderLike
    topics: TopicModel
    gazetteer: Gazetteer
    news_model: SentimentModelLike | None = None
    """Scores news and official documents when set (`nlp.model_choice`)."""
    reads_whole_items: bool = False
    """The document score reads headline + lead as one text (`nlp.news_item`): set for the
    news model, which was trained and measured that way."""

    @property
    def embedding_model(self) -> str:
        return f"{self.encoder.name}:{self.encoder.version}"

    @property
    def choice(self) -> ModelChoice[SentimentModelLike]:
        return ModelChoice(self.model, self.news_model)


def score_pending(
    db: Database,
    config: Config,
    progress: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    *,
    limit: int | None = None,
    rescore_all: bool = False,
    model: SentimentModelLike | None = None,
    encoder: EncoderLike | None = None,
    news_model: SentimentModelLike | None = None,
) -> ScoreReport:
    """Score what is unscored, edited, or scored by another model; see the module docstring.

    Each document kind is scored by its own model (`nlp.model_choice`): "scored by another
    model" is asked per kind, against that kind's model. `model`, `news_model` and `encoder`
    default to the configured models and the embedded encoder; tests pass their own (a test
    that passes only `model` gets it for every kind). `limit` caps the documents scored.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be 1 or more")
    if model is None:
        from nlp.retrain import serving_settings
        from nlp.sentiment import load_sentiment_model
        from nlp.sentiment.loader import load_news_model

        # A promoted retrained version (champion/challenger) serves instead of the shipped one.
        model = load_sentiment_model(serving_settings(db, config.model))
        news_model = news_model or load_news_model(config.model)
    analyzer = build_analyzer(config, model=model, encoder=encoder, news_model=news_model)
    watches, invalid = active_watches(db)
    report = ScoreReport(analyzer.model.name, analyzer.model.version, invalid_watches=invalid)
    if analyzer.news_model is not None:
        report.news_model = f"{analyzer.news_model.name} (versie {analyzer.news_model.version})"
    groups = analyzer.choice.groups()
    total = _count_total(db, groups, rescore_all)
    if limit is not None:
        total = min(total, limit)
    holder = new_holder()
    bar = _progress_bar(total, progress)
    try:
        for group_model, kinds in groups:
            part = dataclasses.replace(analyzer, model=group_model, news_model=None,
                                       reads_whole_items=group_model is analyzer.news_model)
            _score_kinds(db, part, kinds, watches, report, (batch_size, limit, rescore_all),
                         holder, bar)
    finally:
        release(db, holder)
        bar.close()
    if report.documents or not has_stories(db):
        report.stories = update_stories(db, analyzer.embedding_model)
    backfills, backfilled = backfill_watches(db, watches, analyzer.model)
    report.watch_backfills += backfills
    report.watch_scores_backfilled += backfilled
    delete_orphan_embeddings(db)
    forget_removed_watches(db)
    report.waiting = sum(count_waiting(db, m.name, m.version, kinds) for m, kinds in groups)
    report.by_model = {f"{n} {v}": c for n, v, c in models_in_use(db)}
    logger.info(
        "Scored %s documents (%s sentences) with %s; %s skipped, %s still waiting",
        report.documents, report.sentences,
        ", ".join(f"{m.name} {m.version}" for m, _ in groups), report.skipped, report.waiting,
    )
    return report


def _score_kinds(
    db: Database,
    analyzer: Analyzer,
    kinds: Sequence[str] | None,
    watches: Sequence[ActiveWatch],
    report: ScoreReport,
    limits: tuple[int, int | None, bool],
    holder: str,
    bar: Any,
) -> None:
    """The batch loop for the documents of `kinds`, all scored by `analyzer.model`;
    `limits` is (batch size, document limit, rescore all)."""
    batch_size, limit, rescore_all = limits
    name, version = analyzer.model.name, analyzer.model.version
    cursor = 0
    while limit is None or report.documents + report.skipped < limit:
        done = report.documents + report.skipped
        room = batch_size if limit is None else min(batch_size, limit - done)
        batch = documents_to_score(
            db, name, version, after_num=cursor, limit=room, rescore_all=rescore_all, kinds=kinds
        )
        if not batch:
            return
        cursor = batch[-1][0]
        # Another scorer may hold some of these: score only what this one could claim.
        mine = set(claim(db, [doc.id for _, doc in batch], holder))
        documents = [doc for _, doc in batch if doc.id in mine]
        report.claimed_elsewhere += len(batch) - len(documents)
        if not documents:
            continue
        analyses = analyse_batch(analyzer, documents, watches, report)
        save_analyses(db, analyses)
        release(db, holder)
        report.batches += 1
        report.documents += len(analyses)
        report.sentences += sum(len(a.sentences) for a in analyses)
        bar.update(len(documents))


def build_analyzer(
    config: Config,
    model: SentimentModelLike | None = None,
    encoder: EncoderLike | None = None,
    news_model: SentimentModelLike | None = None,
) -> Analyzer:
    """Load the models, encoder, topic prototypes and gazetteer (once per run).

    The configured news model (`[model] news_head_path`) is loaded only when `model` is not
    given: a caller that brings its own model means it for every kind.

    The gazetteer resolves ambiguous place names for the configured municipality.
    The taxonomy is read first: a typo in `topics_file` should not wait for a model load.
    A relative `topics_file` is relative to the folder of newsroom.toml.
    """
    taxonomy = load_taxonomy(topics_path(config))
    if model is None:
        from nlp.sentiment import load_sentiment_model
        from nlp.sentiment.loader import load_news_model

        model = load_sentiment_model(config.model)
        news_model = load_news_model(config.model)
    if encoder is None:
        from nlp.encoder import get_encoder

        encoder = get_encoder()
    topics = TopicModel(taxonomy, encoder)
    gazetteer = load_gazetteer(municipality=config.model.municipality)
    return Analyzer(
        model=model, encoder=encoder, topics=topics, gazetteer=gazetteer, news_model=news_model
    )


def topics_path(config: Config) -> Path | None:
    """The configured taxonomy file, resolved against the config file's folder."""
    if not config.model.topics_file:
        return None
    path = Path(config.model.topics_file)
    if not path.is_absolute() and config.path is not None:
        path = config.path.parent / path
    return path


def _count_total(
    db: Database,
    groups: list[tuple[SentimentModelLike, Sequence[str] | None]],
    rescore_all: bool,
) -> int:
    """Documents this run would score, for the progress bar."""
    if rescore_all:
        return count_documents(db)
    return sum(count_waiting(db, m.name, m.version, kinds) for m, kinds in groups)


def _progress_bar(total: int, enabled: bool) -> Any:
    from tqdm import tqdm

    return tqdm(total=total, disable=not enabled, unit="doc", desc="Scoren")


# --- one batch -------------------------------------------------------------------------------


@dataclass
class _Units:
    """The scoring units of one document: headline (maybe) and sentences of the text."""

    document: Document
    sentences: list[Sentence]

    @property
    def texts(self) -> list[str]:
        return [s.text for s in self.sentences]

    @property
    def title_flags(self) -> list[bool]:
        return [(s.start, s.end) == TITLE_SPAN for s in self.sentences]


def document_units(document: Document) -> list[Sentence]:
    """The headline (unless it repeats the text) and the text's sentences."""
    units: list[Sentence] = []
    if has_own_title(document):
        units.append(Sentence(document.id, 0, " ".join(document.title.split())[:1000],
                              *TITLE_SPAN))
    for span in split_sentences(document.text, max_sentences=MAX_SENTENCES - len(units)):
        units.append(Sentence(document.id, len(units), span.text, span.start, span.end))
    return units


def analyse_batch(
    analyzer: Analyzer,
    documents: Sequence[Document],
    watches: Sequence[ActiveWatch],
    report: ScoreReport,
) -> list[DocumentAnalysis]:
    """Analyse a batch of documents: one model call for all sentences, one encoder call."""
    units: list[_Units] = []
    for document in documents:
        sentences = document_units(document)
        if not sentences:
            report.skipped += 1
            report.skipped_reasons.append((document.id, "geen tekst om te scoren"))
            logger.info("Document %s skipped: no text to score", document.id)
            continue
        if document.language and document.language != "nl":
            report.non_dutch += 1
        units.append(_Units(document, sentences))
    if not units:
        return []
    flat = [text for unit in units for text in unit.texts]
    items = ([document_item_text(u.document.title, u.document.text) for u in units]
             if analyzer.reads_whole_items else [])
    sentiments = analyzer.model.predict(flat + items)
    if len(sentiments) != len(flat) + len(items):
        raise RuntimeError(f"Model {analyzer.model.name} returned {len(sentiments)} scores for "
                           f"{len(flat) + len(items)} texts")
    item_scores = sentiments[len(flat):]
    titles = [u.document.title for u in units]
    bodies = [u.document.text for u in units]
    embeddings = analyzer.encoder.encode(
        [TopicModel.document_text(t, b) for t, b in zip(titles, bodies, strict=True)]
    )
    topic_lists = analyzer.topics.assign(titles, bodies, embeddings)
    window_scores = score_windows(analyzer.model, {
        window for unit in units for watch in watches
        for window in windows_to_score(watch.query, unit.texts)
    })
    analyses = []
    position = 0
    for index, unit in enumerate(units):
        scores = sentiments[position : position + len(unit.sentences)]
        position += len(unit.sentences)
        doc_score = (item_scores[index] if item_scores
                     else aggregate(scores, unit.texts, unit.title_flags))
        analyses.append(
            _analysis(analyzer, unit, (scores, doc_score), embeddings[index], topic_lists[index],
                      watches, window_scores)
        )
    return analyses


def _analysis(
    analyzer: Analyzer,
    unit: _Units,
    scored: tuple[list[Sentiment], Sentiment],
    embedding: np.ndarray,
    topics: list[Any],
    watches: Sequence[ActiveWatch],
    window_scores: Mapping[str, Sentiment],
) -> DocumentAnalysis:
    document = unit.document
    scores, doc_score = scored  # sentence scores, document score
    watch_scores = []
    for watch in watches:
        hit = watch_score(
            watch.query, document.title, document.text, unit.texts, scores, unit.title_flags,
            doc_score, window_scores,
        )
        if hit is not None:
            mentions, sentiment = hit
            watch_scores.append(WatchScore(watch.id, document.id, mentions, sentiment))
    return DocumentAnalysis(
        document_id=document.id,
        content_hash=document.content_hash,
        sentences=unit.sentences,
        sentence_scores=scores,
        document_score=doc_score,
        topics=topics,
        topic_model=analyzer.topics.name,
        places=analyzer.gazetteer.find(f"{document.title}\n{document.text}"),
        watch_scores=watch_scores,
        embedding=embedding,
        embedding_model=analyzer.embedding_model,
    )
