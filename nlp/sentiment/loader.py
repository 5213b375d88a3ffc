"""Pick and load the configured sentiment backend (`[model] backend` in newsroom.toml)."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from core.config import ModelSettings
from nlp.sentiment.adapter_file import DEFAULT_ADAPTER_PATH, is_adapter_file
from nlp.sentiment.base import ModelLoadError, SentimentModel

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
    # Imported here: torch and transformers load only when this backend is chosen.
    from nlp.sentiment.transformers_backend import TransformersSentimentModel

    return TransformersSentimentModel.from_settings(settings)


def head_path_for(settings: ModelSettings) -> Path:
    """The model file the embedded backend uses: `model.head_path` (when the config has it),
    else $NEWSROOM_SENTIMENT_HEAD, else the fine-tuned adapter shipped in nlp/models/."""
    configured = str(getattr(settings, "head_path", "") or os.environ.get(HEAD_ENV, ""))
    return Path(configured).expanduser() if configured else DEFAULT_ADAPTER_PATH


def load_embedded_file(path: Path, batch_size: int = 32) -> SentimentModel:
    """The embedded model for `path`: a LoRA adapter file (the default since v2, written by
    `newsroom train`) or a v1 head file (frozen e5 + logistic regression, `--method head`)."""
    if is_adapter_file(path):
        from nlp.sentiment.finetuned import FinetunedSentimentModel

        return FinetunedSentimentModel(adapter_path=path, batch_size=batch_size)
    from nlp.sentiment.embedded import EmbeddedSentimentModel

    return EmbeddedSentimentModel(head_path=path, batch_size=batch_size)


def _load_embedded(settings: ModelSettings) -> SentimentModel:
    return load_embedded_file(head_path_for(settings), batch_size=max(settings.batch_size, 1))
