"""The scorer's tables: sentences, scores, topics, places (watch scores and stories have
their own modules: storage.watch_scores, storage.stories).

Writes come from `nlp.pipeline` (one document's analysis is saved atomically, one batch per
transaction so a crash loses at most the batch in flight); reads serve the dashboard's item
view (`document_analysis`), `newsroom status` (`models_in_use`, `count_waiting`) and the
scorer itself (`documents_to_score`, stored sentence scores for watch back-fills).

Conventions: the headline is stored as sentence 0 with span (-1, -1) when it is scored (it is
not part of the document text, whose spans the other sentences index); the document-level
score is the `scores` row with sentence_idx -1 and carries the content_hash it was made from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from core.records import Document, Label, Sentence, Sentiment, utcnow
from core.timeutil import to_iso
from storage.db import Database, transaction
from storage.documents import document_from_row
from storage.effective import watch_columns, watch_join
from storage.stories import Story, story_from_row
from storage.watch_scores import WatchScore, insert_watch_scores

DOCUMENT_IDX = -1
"""`scores.sentence_idx` of the document-level aggregate."""

TITLE_SPAN = (-1, -1)
"""Span stored for the headline sentence (it lives in `documents.title`, not in the text)."""


@dataclass(frozen=True)
class TopicScore:
    """A topic assigned to a document, with the score that passed the threshold."""

    topic: str
    score: float


@dataclass(frozen=True)
class PlaceMention:
    """A gemeente, wijk or buurt mentioned in a document (CBS code, label point)."""

    cbs_code: str
    name: str
    level: str
    lat: float | None
    lon: float | None
    mentions: int = 1


@dataclass
class DocumentAnalysis:
    """Everything the scorer derives from one document, saved together or not at all."""

    document_id: str
    content_hash: str
    sentences: list[Sentence]
    sentence_scores: list[Sentiment]
    document_score: Sentiment
    topics: list[TopicScore] = field(default_factory=list)
    topic_model: str = ""
    places: list[PlaceMention] = field(default_factory=list)
    watch_scores: list[WatchScore] = field(default_factory=list)
    embedding: np.ndarray | None = None
    embedding_model: str = ""


@dataclass(frozen=True)
class ScoredSentence:
    """A stored sentence with its score, for the item view and for watch back-fills."""

    idx: int
    text: str
    start: int
    end: int
    sentiment: Sentiment | None

    @property
    def is_title(self) -> bool:
        return (self.start, self.end) == TITLE_SPAN


@dataclass(frozen=True)
class WatchHit:
    """A watch that a document matched, with the targeted sentiment."""

    watch_id: int
    name: str
    mentions: int
    sentiment: Sentiment


@dataclass(frozen=True)
class AnalysisView:
    """What the dashboard's item view shows about one document."""

    document_id: str
    score: Sentiment | None
    scored_content_hash: str | None
    sentences: list[ScoredSentence]
    topics: list[TopicScore]
    places: list[PlaceMention]
    watch_hits: list[WatchHit]
    story: Story | None


# --- writes ----------------------------------------------------------------------------------

_PER_DOCUMENT_TABLES = ("sentences", "scores", "topics", "places", "watch_scores")


def save_analyses(db: Database, analyses: Sequence[DocumentAnalysis]) -> None:
    """Save a batch of analyses in one transaction (all of them, or none after a crash)."""
    now = to_iso(utcnow())
    with transaction(db) as conn:
        for analysis in analyses:
            _save_one(conn, analysis, now)


def save_analysis(db: Database, analysis: DocumentAnalysis) -> None:
    """Replace everything stored for one document by this analysis, atomically."""
    save_analyses(db, [analysis])


def _save_one(conn: Any, analysis: DocumentAnalysis, now: str | None) -> None:
    if len(analysis.sentences) != len(analysis.sentence_scores):
        raise ValueError(
            f"{analysis.document_id}: {len(analysis.sentences)} sentences but "
            f"{len(analysis.sentence_scores)} scores"
        )
    doc_id = analysis.document_id
    for table in _PER_DOCUMENT_TABLES:
        conn.execute(f"DELETE FROM {table} WHERE document_id = ?", [doc_id])
    conn.executemany(
        'INSERT INTO sentences (document_id, idx, text, start, "end") VALUES (?, ?, ?, ?, ?)',
        [(doc_id, s.idx, s.text, s.start, s.end) for s in analysis.sentences],
    )
    rows = [
        _score_row(doc_id, sentence.idx, score, analysis.content_hash, now)
        for sentence, score in zip(analysis.sentences, analysis.sentence_scores, strict=True)
    ]
    rows.append(
        _score_row(doc_id, DOCUMENT_IDX, analysis.document_score, analysis.content_hash, now)
    )
    conn.executemany(
        "INSERT INTO scores (document_id, sentence_idx, label, p_neg, p_neu, p_pos, model_name, "
        "model_version, content_hash, scored_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    conn.executemany(
        "INSERT INTO topics (document_id, topic, score, model_name) VALUES (?, ?, ?, ?)",
        [(doc_id, t.topic, float(t.score), analysis.topic_model) for t in analysis.topics],
    )
    conn.executemany(
        "INSERT INTO places (document_id, cbs_code, name, level, lat, lon, mentions) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(doc_id, p.cbs_code, p.name, p.level, p.lat, p.lon, p.mentions) for p in analysis.places],
    )
    insert_watch_scores(conn, analysis.watch_scores)
    if analysis.embedding is not None:
        vector = np.asarray(analysis.embedding, dtype=np.float32)
        conn.execute(
            "INSERT INTO document_embeddings (document_id, model, dim, vector) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (document_id) DO UPDATE SET "
            "model = excluded.model, dim = excluded.dim, vector = excluded.vector",
            [doc_id, analysis.embedding_model, int(vector.shape[0]), vector.tobytes()],
        )


def _score_row(
    doc_id: str, idx: int, score: Sentiment, content_hash: str, now: str | None
) -> tuple[Any, ...]:
    return (
        doc_id, idx, score.label, float(score.p_neg), float(score.p_neu), float(score.p_pos),
        score.model_name, score.model_version, content_hash, now,
    )


# --- what to score ---------------------------------------------------------------------------

_PENDING = (
    "s.document_id IS NULL OR s.model_name != ? OR s.model_version != ? "
    "OR s.content_hash != d.content_hash"
)
_HAS_TEXT = "length(trim(d.title)) + length(trim(d.text)) > 0"


def documents_to_score(
    db: Database,
    model_name: str,
    model_version: str,
    *,
    after_num: int = 0,
    limit: int = 64,
    rescore_all: bool = False,
    kinds: Sequence[str] | None = None,
) -> list[tuple[int, Document]]:
    """The next documents (by insertion order, after `after_num`) that need scoring.

    A document needs scoring when it has no document score, when that score was made by
    another model name or version, or when its content changed since (content_hash).
    With `rescore_all` every document qualifies; the caller walks `after_num` forward, so a
    run ends. Documents with neither title nor text are never returned (nothing to score).
    `kinds` limits the question to documents of those kinds: each kind can have its own model.
    """
    condition = "1 = 1" if rescore_all else f"({_PENDING})"
    params: list[Any] = [] if rescore_all else [model_name, model_version]
    kind_sql, kind_params = _kind_filter(kinds)
    rows = db.query(
        "SELECT d.* FROM documents d LEFT JOIN scores s "
        "ON s.document_id = d.id AND s.sentence_idx = -1 "
        f"WHERE d.num > ? AND {_HAS_TEXT} AND {condition}{kind_sql} ORDER BY d.num LIMIT ?",
        [after_num, *params, *kind_params, limit],
    )
    return [(int(row["num"]), document_from_row(row)) for row in rows]


def count_waiting(
    db: Database,
    model_name: str | None = None,
    model_version: str | None = None,
    kinds: Sequence[str] | None = None,
) -> int:
    """Documents waiting to be scored: unscored or edited since — and, when a model is
    given, also those scored by a different model name or version; `kinds` as in
    `documents_to_score`."""
    if model_name is None or model_version is None:
        condition = "s.document_id IS NULL OR s.content_hash != d.content_hash"
        params: list[Any] = []
    else:
        condition = _PENDING
        params = [model_name, model_version]
    kind_sql, kind_params = _kind_filter(kinds)
    sql = (
        "SELECT count(*) FROM documents d LEFT JOIN scores s "
        "ON s.document_id = d.id AND s.sentence_idx = -1 "
        f"WHERE {_HAS_TEXT} AND ({condition}){kind_sql}"
    )
    return int(db.execute(sql, [*params, *kind_params]).fetchone()[0])


def _kind_filter(kinds: Sequence[str] | None) -> tuple[str, list[Any]]:
    """An extra `AND d.kind IN (...)` for a kind-limited question; nothing when `kinds` is
    None. An empty sequence matches no document."""
    if kinds is None:
        return "", []
    if not kinds:
        return " AND 1 = 0", []
    return f" AND d.kind IN ({', '.join('?' for _ in kinds)})", list(kinds)


def count_empty_documents(db: Database) -> int:
    """Documents without title and text: skipped by the scorer, shown by `newsroom status`."""
    sql = f"SELECT count(*) FROM documents d WHERE NOT ({_HAS_TEXT})"
    return int(db.execute(sql).fetchone()[0])


def models_in_use(db: Database) -> list[tuple[str, str, int]]:
    """(model name, version, number of documents) for the document scores in the store."""
    rows = db.execute(
        "SELECT model_name, model_version, count(*) FROM scores WHERE sentence_idx = -1 "
        "GROUP BY model_name, model_version ORDER BY count(*) DESC, model_name"
    ).fetchall()
    return [(str(name), str(version), int(count)) for name, version, count in rows]


def scored_documents(
    db: Database, *, after_num: int = 0, limit: int = 500
) -> list[tuple[int, str, str, str]]:
    """(num, id, title, text) of documents whose current content has a score, in order."""
    rows = db.execute(
        "SELECT d.num, d.id, d.title, d.text FROM documents d JOIN scores s "
        "ON s.document_id = d.id AND s.sentence_idx = -1 AND s.content_hash = d.content_hash "
        "WHERE d.num > ? ORDER BY d.num LIMIT ?",
        [after_num, limit],
    ).fetchall()
    return [(int(num), str(doc_id), str(title), str(text)) for num, doc_id, title, text in rows]


def stored_sentence_scores(
    db: Database, document_ids: Sequence[str]
) -> dict[str, tuple[list[ScoredSentence], Sentiment | None]]:
    """Per document: its stored sentences with scores, and its document score."""
    out: dict[str, tuple[list[ScoredSentence], Sentiment | None]] = {
        doc_id: ([], None) for doc_id in document_ids
    }
    for start in range(0, len(document_ids), 500):
        chunk = list(document_ids[start : start + 500])
        marks = ", ".join("?" for _ in chunk)
        for row in db.query(
            "SELECT c.document_id, c.sentence_idx, c.label, c.p_neg, c.p_neu, c.p_pos, "
            'c.model_name, c.model_version, t.text, t.start, t."end" FROM scores c '
            "LEFT JOIN sentences t ON t.document_id = c.document_id AND t.idx = c.sentence_idx "
            f"WHERE c.document_id IN ({marks}) ORDER BY c.document_id, c.sentence_idx",
            chunk,
        ):
            sentences, doc_score = out[row["document_id"]]
            sentiment = _sentiment(row)
            if row["sentence_idx"] == DOCUMENT_IDX:
                out[row["document_id"]] = (sentences, sentiment)
            elif row["text"] is not None:
                sentences.append(
                    ScoredSentence(row["sentence_idx"], row["text"], row["start"], row["end"],
                                   sentiment)
                )
    return out


def _sentiment(row: dict[str, Any]) -> Sentiment:
    label: Label = row["label"]
    return Sentiment(
        label=label,
        p_neg=float(row["p_neg"]),
        p_neu=float(row["p_neu"]),
        p_pos=float(row["p_pos"]),
        model_name=row["model_name"],
        model_version=row["model_version"],
    )


# --- the item view ---------------------------------------------------------------------------


def document_analysis(db: Database, document_id: str) -> AnalysisView:
    """Sentences with scores, topics, places, watch hits and story of one document."""
    stored = stored_sentence_scores(db, [document_id])
    sentences, score = stored[document_id]
    sentence_rows = {s.idx: s for s in sentences}
    # Sentences without a score row (should not happen) still show, unscored.
    for row in db.query(
        'SELECT idx, text, start, "end" FROM sentences WHERE document_id = ? ORDER BY idx',
        [document_id],
    ):
        if row["idx"] not in sentence_rows:
            sentence_rows[row["idx"]] = ScoredSentence(
                row["idx"], row["text"], row["start"], row["end"], None
            )
    hash_row = db.execute(
        "SELECT content_hash FROM scores WHERE document_id = ? AND sentence_idx = -1",
        [document_id],
    ).fetchone()
    topics = [
        TopicScore(row["topic"], float(row["score"]))
        for row in db.query(
            "SELECT topic, score FROM topics WHERE document_id = ? ORDER BY score DESC",
            [document_id],
        )
    ]
    places = [
        PlaceMention(row["cbs_code"], row["name"], row["level"], row["lat"], row["lon"],
                     int(row["mentions"]))
        for row in db.query(
            "SELECT * FROM places WHERE document_id = ? ORDER BY mentions DESC, name",
            [document_id],
        )
    ]
    hits = [
        WatchHit(row["watch_id"], row["name"], int(row["mentions"]), _sentiment(row))
        for row in db.query(
            f"SELECT ws.watch_id, ws.mentions, ws.model_name, ws.model_version, "
            f"{watch_columns('ws')}, w.name FROM watch_scores ws "
            f"JOIN watches w ON w.id = ws.watch_id {watch_join('ws')} "
            "WHERE ws.document_id = ? ORDER BY w.name",
            [document_id],
        )
    ]
    story_rows = list(
        db.query(
            "SELECT s.* FROM document_stories ds JOIN stories s ON s.id = ds.story_id "
            "WHERE ds.document_id = ?",
            [document_id],
        )
    )
    return AnalysisView(
        document_id=document_id,
        score=score,
        scored_content_hash=str(hash_row[0]) if hash_row else None,
        sentences=[sentence_rows[i] for i in sorted(sentence_rows)],
        topics=topics,
        places=places,
        watch_hits=hits,
        story=story_from_row(story_rows[0]) if story_rows else None,
    )
