"""Story purity on a labelled set: precision and recall of "same story" pairs.

The set (tests/nlp/files/story_pairs.json, see tests/nlp/files/DATASHEET.md) lists documents
with a story label ("" for a document that belongs to no story), a source and a day. A pair
of documents is *same story* when both carry the same non-empty label. Clustering is judged
per pair: a pair put in one story that the labels keep apart is a false merge; a same-story
pair left apart is a miss. Used by the tests (floors) and `make bench`.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from nlp.stories import cluster_stories
from nlp.topics import TopicModel
from storage.stories import EmbeddedDocument

START = datetime.fromisoformat("2026-01-05T08:00:00+00:00")
"""Day 0 of the set; documents of one day are an hour apart in file order."""


class Encoder(Protocol):
    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class PairScores:
    precision: float
    recall: float
    same_pairs: int
    false_merges: tuple[tuple[str, str], ...]
    missed: tuple[tuple[str, str], ...]


def read_story_set(path: Path) -> list[dict[str, Any]]:
    """The labelled documents; a document without id, title or day raises."""
    items = json.loads(path.read_text(encoding="utf-8"))
    for index, item in enumerate(items):
        for key in ("id", "title", "text", "day", "story"):
            if key not in item:
                raise ValueError(f"{path}: item {index} has no {key!r}")
    return list(items)


def embed_story_set(items: Sequence[dict[str, Any]], encoder: Encoder) -> list[EmbeddedDocument]:
    """The documents as story clustering sees them, sorted by time."""
    vectors = encoder.encode([TopicModel.document_text(i["title"], i["text"]) for i in items])
    docs = [
        EmbeddedDocument(
            document_id=item["id"],
            source_id=item.get("source", ""),
            time=START + timedelta(days=int(item["day"]), hours=index % 12),
            title=item["title"],
            syndication_group=None,
            vector=np.asarray(vectors[index], dtype=np.float32),
            text=item["text"],
        )
        for index, item in enumerate(items)
    ]
    return sorted(docs, key=lambda d: d.time)


def score_story_pairs(items: Sequence[dict[str, Any]], docs: Sequence[EmbeddedDocument]
                      ) -> PairScores:
    """Pair precision and recall of `cluster_stories(docs)` against the story labels."""
    label = {item["id"]: item["story"] for item in items}
    found = {}
    for number, group in enumerate(cluster_stories(docs)):
        for index in group:
            found[docs[index].document_id] = number
    tp = 0
    false_merges, missed = [], []
    for a, b in itertools.combinations(sorted(label), 2):
        same = bool(label[a]) and label[a] == label[b]
        merged = a in found and found.get(a) == found.get(b)
        if same and merged:
            tp += 1
        elif merged:
            false_merges.append((a, b))
        elif same:
            missed.append((a, b))
    precision = tp / (tp + len(false_merges)) if tp + len(false_merges) else 1.0
    recall = tp / (tp + len(missed)) if tp + len(missed) else 1.0
    return PairScores(precision, recall, tp + len(missed), tuple(false_merges), tuple(missed))
