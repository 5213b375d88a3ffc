"""Target sentiment against the plain per-sentence score, with the shipped model, on labelled
target/sentence pairs from real Dutch news (tests/nlp/files/DATASHEET.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.config import ModelSettings
from nlp.sentiment.loader import load_sentiment_model
from nlp.target_eval import TargetScores, read_target_pairs, score_targets

PAIRS = Path(__file__).parent / "files" / "target_pairs.csv"
TARGET_ACCURACY_FLOOR = 0.58
"""Measured 0.62 (plain sentence: 0.58) with the shipped embedded model on 85 pairs; one pair
is 1.2 points, so the floor allows three pairs of drift from a retrained model."""


@pytest.fixture(scope="module")
def scores() -> TargetScores:
    model = load_sentiment_model(ModelSettings(backend="embedded"))
    return score_targets(model, read_target_pairs(PAIRS))


def test_target_sentiment_meets_its_floor(scores: TargetScores) -> None:
    assert scores.pairs >= 80
    assert scores.split_pairs >= 40
    assert scores.target_accuracy >= TARGET_ACCURACY_FLOOR


def test_target_sentiment_is_not_worse_than_the_plain_sentence(scores: TargetScores) -> None:
    assert scores.target_accuracy >= scores.plain_accuracy
    assert scores.target_split_accuracy >= scores.plain_split_accuracy


def test_pairs_file_with_a_bad_label_or_missing_target_is_refused(tmp_path: Path) -> None:
    bad_label = tmp_path / "label.csv"
    bad_label.write_text("source,target,text,label\nx,brug,De brug.,boos\n", encoding="utf-8")
    with pytest.raises(ValueError, match="label"):
        read_target_pairs(bad_label)
    missing = tmp_path / "missing.csv"
    missing.write_text("source,target,text,label\nx,tunnel,De brug.,neutraal\n", encoding="utf-8")
    with pytest.raises(ValueError, match="does not mention"):
        read_target_pairs(missing)
