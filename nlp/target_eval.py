"""Accuracy of target sentiment vs. the plain per-sentence score on labelled pairs.

The pairs (tests/nlp/files/target_pairs.csv, see tests/nlp/files/DATASHEET.md) hold a watch
query (`target`), a real sentence and the sentiment toward that target as a reader labelled
it. Both approaches use the same model and the same aggregation rule as watch scores
(`nlp.aggregate`, neutral band included), so the figures compare only the input: the whole
sentence vs. the target window (`nlp.target`). Used by the tests and `make bench`.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from core.records import LABELS, Sentiment
from nlp.aggregate import aggregate
from nlp.target import score_windows, target_window, toward_target
from nlp.watch_query import parse_query


class Model(Protocol):
    def predict(self, texts: Sequence[str]) -> list[Sentiment]: ...


@dataclass(frozen=True)
class TargetPair:
    target: str
    text: str
    label: str


@dataclass(frozen=True)
class TargetScores:
    pairs: int
    split_pairs: int
    """Pairs whose target window is smaller than the sentence."""
    plain_accuracy: float
    target_accuracy: float
    plain_split_accuracy: float
    target_split_accuracy: float


def read_target_pairs(path: Path) -> list[TargetPair]:
    """The labelled pairs; a bad label, or a target the sentence does not mention, raises."""
    pairs = []
    with path.open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            if row["label"] not in LABELS:
                raise ValueError(f"{path}:{number}: label {row['label']!r} is not one of {LABELS}")
            if not parse_query(row["target"]).matches(row["text"]):
                raise ValueError(f"{path}:{number}: the text does not mention {row['target']!r}")
            pairs.append(TargetPair(row["target"], row["text"], row["label"]))
    return pairs


def windows(pairs: Sequence[TargetPair]) -> list[str]:
    """The target window of each pair."""
    return [target_window(p.text, parse_query(p.target).spans(p.text)) for p in pairs]


def score_targets(model: Model, pairs: Sequence[TargetPair]) -> TargetScores:
    """Accuracy of both approaches, overall and on the pairs where the window is smaller."""
    cut = windows(pairs)
    sentence_scores = model.predict([p.text for p in pairs])
    window_scores = score_windows(model, {w for p, w in zip(pairs, cut, strict=True)
                                          if w != p.text})
    plain = [_label(s, p.text) for s, p in zip(sentence_scores, pairs, strict=True)]
    target = [
        _label(toward_target(parse_query(p.target), p.text, s, window_scores), p.text)
        for s, p in zip(sentence_scores, pairs, strict=True)
    ]
    gold = [p.label for p in pairs]
    split = [i for i, (p, w) in enumerate(zip(pairs, cut, strict=True)) if w != p.text]
    return TargetScores(
        pairs=len(pairs),
        split_pairs=len(split),
        plain_accuracy=_accuracy(plain, gold, range(len(gold))),
        target_accuracy=_accuracy(target, gold, range(len(gold))),
        plain_split_accuracy=_accuracy(plain, gold, split),
        target_split_accuracy=_accuracy(target, gold, split),
    )


def _label(sentiment: Sentiment, text: str) -> str:
    return aggregate([sentiment], [text]).label


def _accuracy(predicted: Sequence[str], gold: Sequence[str], indices: Sequence[int] | range
              ) -> float:
    chosen = list(indices)
    if not chosen:
        return 0.0
    return sum(predicted[i] == gold[i] for i in chosen) / len(chosen)
