"""Build the embedded head's input vectors from texts, as its `FeatureSpec` describes."""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np

from nlp.encoder import Encoder, get_encoder
from nlp.sentiment.head import FeatureSpec
from nlp.sentiment.lexicon import lexicon_scores

logger = logging.getLogger(__name__)


def lexicon_features(texts: Sequence[str]) -> np.ndarray:
    """(polarity, subjectivity, |polarity|) per text: the lexicon's view, as extra features."""
    scores = lexicon_scores(texts)
    return np.column_stack([scores, np.abs(scores[:, 0])])


def build_features(
    texts: Sequence[str],
    spec: FeatureSpec,
    encoder: Encoder | None = None,
    embeddings: np.ndarray | None = None,
) -> np.ndarray:
    """Embedding (+ lexicon features when the spec asks) for each text.

    Pass precomputed `embeddings` (same order as `texts`) to skip the encoder, as training and
    cross-validation do.
    """
    if embeddings is None:
        encoder = encoder or get_encoder()
        embeddings = encoder.encode(texts, mode="query" if spec.mode == "query" else "passage")
    parts = [np.asarray(embeddings, dtype=np.float64)]
    if spec.lexicon:
        parts.append(lexicon_features(texts))
    return np.hstack(parts)


def current_spec(lexicon: bool, encoder: Encoder | None = None, mode: str = "query") -> FeatureSpec:
    """The spec a head trained now, with the installed encoder, gets."""
    encoder = encoder or get_encoder()
    return FeatureSpec(
        encoder_name=encoder.name, encoder_version=encoder.version, mode=mode, lexicon=lexicon
    )
