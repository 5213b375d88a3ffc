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
DEFAULT_NEWS_HEAD_PATH = DEFAULT_ADAPTER_PATH.parent / "sentiment_news_lora_v5.npz"
"""The shipped news model (e5 with its top six layers fine-tuned by LoRA on news + tweets,
MODEL_CARD.md section 0): the default for documents of kind news and official. The frozen-head
alternative `sentiment_news_head_v4.npz` also ships (cheaper, measured lower)."""


def load_sentiment_model(settings: ModelSettings) -> SentimentModel:
    """Load the backend that `settings.backend` names.

    ``auto`` is the embedded model — the one with the best measured figures on the project's
    news and social dev sets — unless `settings.name` names a transformers model: then that
    model, falling back to the embedded one (with a warning) when it cannot be loaded. A hub
    model is never picked without being named: an unmeasured model must not silently replace
    a measured one. Raises `ModelLoadError` when the backend cannot be loaded.
    """
    backend = settings.backend
    if backend not in BACKENDS:
        raise ModelLoadError(f"Unknown model backend {backend!r}; use one of {', '.join(BACKENDS)}")
    if backend == "embedded" or (backend == "auto" and not settings.name.strip()):
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
    if not settings.name.strip():
        raise ModelLoadError(
            'backend = "transformers" needs a model: set name = "<hub id or folder>" under '
            '[model] in newsroom.toml (or use backend = "embedded")'
        )
    # Imported here: torch and transformers load only when this backend is chosen.
    from nlp.sentiment.transformers_backend import TransformersSentimentModel

    return TransformersSentimentModel.from_settings(settings)


def head_path_for(settings: ModelSettings) -> Path:
    """The model file the embedded backend uses: `model.head_path` (when the config has it),
    else $NEWSROOM_SENTIMENT_HEAD, else the fine-tuned adapter shipped in nlp/models/."""
    configured = str(getattr(settings, "head_path", "") or os.environ.get(HEAD_ENV, ""))
    return Path(configured).expanduser() if configured else DEFAULT_ADAPTER_PATH


def news_head_path_for(settings: ModelSettings) -> Path | None:
    """The model file for news and official documents: `model.news_head_path`, the shipped
    news head when it is not set, None when it is "" (the main model scores every kind)."""
    configured = settings.news_head_path
    if configured is None:
        return DEFAULT_NEWS_HEAD_PATH
    return Path(configured).expanduser() if configured.strip() else None


def load_news_model(settings: ModelSettings) -> SentimentModel | None:
    """The news model (see `news_head_path_for`), or None when none is configured."""
    path = news_head_path_for(settings)
    if path is None:
        return None
    if not path.is_file():
        raise ModelLoadError(
            f"News model {path} does not exist; set news_head_path under [model] in "
            'newsroom.toml to a model file, or to "" to score news with the main model'
        )
    return load_embedded_file(path, batch_size=max(settings.batch_size, 1))


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
