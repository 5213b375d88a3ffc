"""Evaluation gate: the shipped head's recipe, re-trained inside 5-fold CV on the tweet dev set
(so no score comes from training data), must stay above a pinned macro-F1 floor and clearly
above the lexicon baseline. Metrics are checked against hand-computed values too."""

from __future__ import annotations

import numpy as np
import pytest

from nlp.sentiment.features import build_features
from nlp.sentiment.head import load_head
from nlp.sentiment.lexicon import LexiconSentimentModel
from nlp.training.fit import HeadConfig, cross_validate
from nlp.training.metrics import evaluate

MACRO_F1_FLOOR = 0.68
"""Measured 0.70 ± 0.03 (nested CV, see nlp/models/MODEL_CARD.md); the floor leaves room for
fold noise but fails on a real regression."""
LEXICON_MARGIN = 0.10


@pytest.fixture(scope="module")
def cv_macro_f1(tweets, tweet_embeddings) -> float:
    head = load_head()
    features = build_features(tweets[0], head.spec, embeddings=tweet_embeddings)
    config = HeadConfig(**head.meta["config"])
    result = cross_validate(features, np.asarray(tweets[1]), grid=(config,), folds=5, repeats=1)
    return float(np.mean(result.macro_f1))


def test_shipped_head_recipe_meets_the_floor(cv_macro_f1):
    assert cv_macro_f1 >= MACRO_F1_FLOOR


def test_clearly_above_the_lexicon(tweets, cv_macro_f1):
    predicted = [s.label for s in LexiconSentimentModel().predict(tweets[0])]
    lexicon = evaluate(tweets[1], predicted).macro_f1
    assert lexicon < 0.6
    assert cv_macro_f1 >= lexicon + LEXICON_MARGIN


def test_shipped_head_matches_the_installed_encoder():
    from nlp.encoder import get_encoder

    head = load_head()
    encoder = get_encoder()
    assert head.spec.encoder_version == encoder.version
    assert head.meta["cv"]["macro_f1_mean"] >= MACRO_F1_FLOOR


def test_metrics_against_hand_computed_values():
    gold = ["positief", "positief", "negatief", "neutraal", "neutraal", "negatief"]
    pred = ["positief", "neutraal", "negatief", "neutraal", "positief", "negatief"]
    report = evaluate(gold, pred)
    assert report.accuracy == pytest.approx(4 / 6)
    # F1: neg 1.0; neu p=1/2 r=1/2 → 0.5; pos p=1/2 r=1/2 → 0.5
    assert report.per_class["negatief"]["f1"] == pytest.approx(1.0)
    assert report.per_class["neutraal"]["f1"] == pytest.approx(0.5)
    assert report.macro_f1 == pytest.approx(2 / 3)
    assert report.confusion == [[2, 0, 0], [0, 1, 1], [0, 1, 1]]
    with pytest.raises(ValueError):
        evaluate([], [])
    with pytest.raises(ValueError):
        evaluate(["positief"], [])
