"""Emerging stories: documents about the same event across outlets, and syndicated copies.

How documents are grouped:

- Two documents can be the same story when they were published at most `WINDOW` (7 days)
  apart; their story score adds the content words they share to the cosine of their
  embeddings, and stories form by average linkage over those scores (`nlp.story_links`
  explains why and how it was calibrated: the cosine alone merged different events on the
  same street or topic). A story can grow day by day; a group of one document is not a story.
- Syndicated copies (the same article on another outlet) are marked by the crawler, which
  owns `documents.syndication_group` (crawlers.pipelines.SyndicationPipeline); this module
  only reads the groups, to count the copies in its report.
- The label of a story is the title of its most central document (highest mean similarity
  to the other documents): a real headline reads better than a bag of words.
- Story ids are stable while a story grows: a cluster re-uses the story id most of its
  documents already had; a new story's id derives from its earliest document.

`update_stories` re-clusters the last `HORIZON` (30 days, counted back from the newest
document, so old imports and tests behave the same as live data) on every scoring run.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

import numpy as np

from nlp.story_links import (
    CANDIDATE_COSINE,
    StoryScorer,
    average_linkage,
    content_terms,
    inverse_document_frequencies,
)
from storage.db import Database
from storage.stories import (
    EmbeddedDocument,
    Story,
    embedded_documents,
    newest_embedded_time,
    replace_stories,
    stories_of_documents,
)

logger = logging.getLogger(__name__)

WINDOW = timedelta(days=7)
HORIZON = timedelta(days=30)
BLOCK = 512
"""Rows per block of the similarity matrix (bounds memory for large windows)."""


@dataclass(frozen=True)
class StoryReport:
    """What one re-clustering did."""

    documents: int
    stories: int
    syndicated_documents: int


def similar_pairs(
    docs: Sequence[EmbeddedDocument], threshold: float, window: timedelta = WINDOW
) -> list[tuple[int, int, float]]:
    """(i, j, cosine) for i < j with cosine ≥ threshold and times at most `window` apart.

    `docs` must be sorted by time (as `storage.stories.embedded_documents` returns them).
    """
    if len(docs) < 2:
        return []
    matrix = np.vstack([d.vector for d in docs]).astype(np.float32)
    times = np.array([d.time.timestamp() for d in docs])
    span = window.total_seconds()
    pairs = []
    for start in range(0, len(docs), BLOCK):
        block = matrix[start : start + BLOCK] @ matrix.T
        for offset, row in enumerate(block):
            i = start + offset
            candidates = np.nonzero(row[i + 1 :] >= threshold)[0] + i + 1
            for j in candidates:
                if times[j] - times[i] <= span:
                    pairs.append((i, int(j), float(row[j])))
    return pairs


def cluster_stories(docs: Sequence[EmbeddedDocument]) -> list[list[int]]:
    """Groups (indices into `docs`) of two or more documents about the same story.

    `docs` must be sorted by time. Candidate pairs come from the embeddings; the decision
    is `nlp.story_links.average_linkage` on the story score.
    """
    if len(docs) < 2:
        return []
    terms = [content_terms(d.title, d.text) for d in docs]
    scorer = StoryScorer(
        vectors=np.vstack([d.vector for d in docs]).astype(np.float32),
        times=np.array([d.time.timestamp() for d in docs]),
        terms=terms,
        idf=inverse_document_frequencies(terms),
        window=WINDOW,
    )
    candidates = [(i, j) for i, j, _ in similar_pairs(docs, CANDIDATE_COSINE)]
    return average_linkage(len(docs), candidates, scorer)


def story_label(docs: Sequence[EmbeddedDocument], members: Sequence[int]) -> str:
    """The title of the most central member (ties: the earliest)."""
    vectors = np.vstack([docs[i].vector for i in members])
    sims = vectors @ vectors.T
    centrality = (sims.sum(axis=1) - 1.0) / max(len(members) - 1, 1)
    best = members[int(np.argmax(centrality))]
    title = docs[best].title.strip() or docs[best].document_id
    return title[:200]


def _new_story_id(first_document_id: str) -> str:
    return "s" + hashlib.sha256(first_document_id.encode()).hexdigest()[:16]


def update_stories(db: Database, embedding_model: str) -> StoryReport:
    """Re-cluster the recent documents into stories; count the syndicated copies among them."""
    newest = newest_embedded_time(db, embedding_model)
    if newest is None:
        return StoryReport(0, 0, 0)
    docs = embedded_documents(db, embedding_model, since=newest - HORIZON)
    ids = [d.document_id for d in docs]
    previous = stories_of_documents(db, ids)
    stories: list[Story] = []
    membership: dict[str, str] = {}
    taken: set[str] = set()
    for members in cluster_stories(docs):
        member_ids = [ids[i] for i in members]
        story_id = _stable_id(member_ids, previous, taken)
        taken.add(story_id)
        times = [docs[i].time for i in members]
        stories.append(
            Story(story_id, story_label(docs, members), min(times), max(times), len(members))
        )
        membership.update({doc_id: story_id for doc_id in member_ids})
    replace_stories(db, ids, stories, membership)
    syndicated = sum(1 for doc in docs if doc.syndication_group)
    logger.info(
        "Stories: %s documents in the horizon, %s stories, %s syndicated copies",
        len(docs), len(stories), syndicated,
    )
    return StoryReport(len(docs), len(stories), syndicated)


def _stable_id(member_ids: Sequence[str], previous: dict[str, str], taken: set[str]) -> str:
    votes = Counter(previous[d] for d in member_ids if d in previous)
    for story_id, _ in votes.most_common():
        if story_id not in taken:
            return story_id
    return _new_story_id(member_ids[0])
