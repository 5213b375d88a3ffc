"""Pick and load the configured sentiment backend (`[model] backend` in newsroom.toml)."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from newsroom.config import ModelSettings
from nlp.sentiment.base import ModelLoadError, SentimentModel
from nlp.sentiment.head import DEFAULT_HEAD_PATH

logger = logging.getLogger(__name__)

BACKENDS = ("auto", "transformers", "embedded")
HEAD_ENV = "NEWSROOM_SENTIMENT_HEAD"


def load_sentiment_model(settings: ModelSettings) -> SentimentModel:
    """Load the backend that `settings.backend` names.

    ``auto`` tries the transformers model (`settings.name`) and falls back to the embedded
    default when it cannot be loaded (offline, not cached, unmappable labels, torch missing).
    Raises `ModelLoadError` when the named backend (or, for auto, both) cannot be loaded.
    """
    backend = settings.backend
    if backend not in BACKENDS:
        raise ModelLoadError(f"Unknown model backend {backend!r}; use one of {', '.join(BACKENDS)}")
    if backend == "embedded":
        return _load_embedded(settings)
    if backend == "transformers":
        return _load_transformers(settings)
    try:
        model = _load_transformers(settings)
    except ModelLoadError as exc:
        logger.warning(
            "Transformers model %s not available (%s); using the embedded model", settings.name, exc
        )
        model = _load_embedded(settings)
    logger.info("Sentiment backend: %s version %s", model.name, model.version)
    return model


def _load_transformers(settings: ModelSettings) -> SentimentModel:
    try:
        from nlp.sentiment.transformers_backend import TransformersSentimentModel
    except ImportError as exc:
        raise ModelLoadError(f"torch/transformers are not installed: {exc}") from exc
    return TransformersSentimentModel.from_settings(settings)


def head_path_for(settings: ModelSettings) -> Path:
    """The head the embedded backend uses: `model.head_path` (when the config has it), else
    $NEWSROOM_SENTIMENT_HEAD, else the head shipped in nlp/models/."""
    configured = str(getattr(settings, "head_path", "") or os.environ.get(HEAD_ENV, ""))
    return Path(configured).expanduser() if configured else DEFAULT_HEAD_PATH


def _load_embedded(settings: ModelSettings) -> SentimentModel:
    from nlp.sentiment.embedded import EmbeddedSentimentModel

    return EmbeddedSentimentModel(
        head_path=head_path_for(settings), batch_size=max(settings.batch_size, 1)
    )
