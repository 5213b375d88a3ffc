"""Watches in the scorer: which watches are active, a watch's sentiment in one document,
and the back-fill that gives a new or changed watch its scores on older documents.

Used by `nlp.pipeline` for every batch. A watch's sentiment is taken toward its subject
(`nlp.target`: the clause that names it). The back-fill works from stored sentence scores, so
a new watch costs only the model calls for the target windows of its matching sentences.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from core.records import Sentiment
from nlp.aggregate import aggregate
from nlp.target import Model, score_windows, toward_target, windows_to_score
from nlp.watch_query import WatchQuery, WatchQueryError, parse_query
from storage.adviser import list_watches
from storage.db import Database
from storage.scores import scored_documents, stored_sentence_scores
from storage.watch_scores import (
    WatchScore,
    clear_watch_scores,
    mark_watch_backfilled,
    save_watch_scores,
    watch_versions,
    watches_needing_backfill,
)

logger = logging.getLogger(__name__)

BACKFILL_CHUNK = 500


@dataclass(frozen=True)
class ActiveWatch:
    id: int
    name: str
    query: WatchQuery


def active_watches(db: Database) -> tuple[list[ActiveWatch], list[tuple[str, str]]]:
    """Parsed active watches, and (name, reason) for those whose query does not parse."""
    watches: list[ActiveWatch] = []
    invalid: list[tuple[str, str]] = []
    for watch in list_watches(db, active_only=True):
        try:
            watches.append(ActiveWatch(int(watch.id or 0), watch.name, parse_query(watch.query)))
        except WatchQueryError as exc:
            logger.warning("Watch %s skipped: its query does not parse: %s", watch.name, exc)
            invalid.append((watch.name, str(exc)))
    return watches, invalid


def watch_score(
    query: WatchQuery,
    title: str,
    text: str,
    sentence_texts: Sequence[str],
    sentence_scores: Sequence[Sentiment],
    title_flags: Sequence[bool],
    document_score: Sentiment,
    window_scores: Mapping[str, Sentiment] | None = None,
) -> tuple[int, Sentiment] | None:
    """(mentions, sentiment) of a watch in one document, or None when it does not match.

    The sentiment aggregates only the sentences that satisfy the query on their own, each
    taken toward the watch's subject (`nlp.target.toward_target`, with the scores of the
    target windows in `window_scores`); when the match needs several sentences together,
    the document's score is used.
    """
    full = f"{title}\n{text}"
    if not query.matches(full):
        return None
    hits = query.sentence_hits(sentence_texts)
    if hits:
        windows = window_scores or {}
        sentiment = aggregate(
            [toward_target(query, sentence_texts[i], sentence_scores[i], windows) for i in hits],
            [sentence_texts[i] for i in hits],
            [title_flags[i] for i in hits],
        )
    else:
        sentiment = document_score
    return max(query.mentions(full), 1), sentiment


def backfill_watches(
    db: Database, watches: Sequence[ActiveWatch], model: Model
) -> tuple[int, int]:
    """Give new or changed watches their scores on documents scored before, from stored
    sentence scores (cheap: regex matching and arithmetic; `model` only scores the target
    windows of matching sentences).

    Returns (watches back-filled, watch scores written).
    """
    backfills = 0
    written = 0
    by_id = {w.id: w for w in watches}
    versions = watch_versions(db)
    for watch_id in watches_needing_backfill(db):
        watch = by_id.get(watch_id)
        if watch is None or watch_id not in versions:
            continue  # its query does not parse (reported) or it was just deactivated
        query_text, updated = versions[watch_id]
        if query_text != watch.query.source:
            continue  # changed while we ran; the next run picks the new version up
        touched = _backfill_one(db, watch, model)
        mark_watch_backfilled(db, watch_id, query_text, updated)
        backfills += 1
        written += touched
        logger.info("Watch %s back-filled: %s documents match", watch.name, touched)
    return backfills, written


def _backfill_one(db: Database, watch: ActiveWatch, model: Model) -> int:
    # A full recompute: rows written by a batch that still used an older version of the
    # query (the watch was edited mid-run) must not survive.
    clear_watch_scores(db, watch.id)
    cursor = 0
    touched = 0
    while True:
        rows = scored_documents(db, after_num=cursor, limit=BACKFILL_CHUNK)
        if not rows:
            return touched
        cursor = rows[-1][0]
        matching = [(doc_id, t, x) for _, doc_id, t, x in rows if watch.query.matches(f"{t}\n{x}")]
        stored = stored_sentence_scores(db, [doc_id for doc_id, _, _ in matching])
        window_scores = score_windows(model, {
            window for sentences, _ in stored.values()
            for window in windows_to_score(watch.query, [s.text for s in sentences])
        })
        new_scores = []
        for doc_id, title, text in matching:
            sentences, doc_score = stored[doc_id]
            scored = [s for s in sentences if s.sentiment is not None]
            if doc_score is None or not scored:
                continue
            hit = watch_score(
                watch.query, title, text, [s.text for s in scored],
                [s.sentiment for s in scored if s.sentiment is not None],
                [s.is_title for s in scored], doc_score, window_scores,
            )
            if hit is not None:
                new_scores.append(WatchScore(watch.id, doc_id, hit[0], hit[1]))
        save_watch_scores(db, new_scores)
        touched += len(new_scores)
