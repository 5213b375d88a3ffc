"""The one interface every sentiment backend serves, and helpers they share.

A backend turns texts into `core.records.Sentiment` (label, three class probabilities, and
the name and version of the model that decided), so every stored score says who made it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np

from core.records import LABELS, Sentiment


class ModelLoadError(Exception):
    """A sentiment model could not be loaded; the message says which and how to fix it."""


@runtime_checkable
class SentimentModel(Protocol):
    """What the scorer, the CLI and the dashboard need from a sentiment model."""

    name: str
    version: str

    def predict(self, texts: Sequence[str]) -> list[Sentiment]:
        """One `Sentiment` per text, in the order given."""
        ...


def sentiments_from_probs(probs: np.ndarray, name: str, version: str) -> list[Sentiment]:
    """Rows of (p_neg, p_neu, p_pos) → Sentiment records; the label is the argmax."""
    rows = np.asarray(probs, dtype=np.float64).reshape(-1, len(LABELS))
    out = []
    for p_neg, p_neu, p_pos in rows:
        label = LABELS[int(np.argmax((p_neg, p_neu, p_pos)))]
        out.append(
            Sentiment(
                label=label,
                p_neg=float(p_neg),
                p_neu=float(p_neu),
                p_pos=float(p_pos),
                model_name=name,
                model_version=version,
            )
        )
    return out


def check_texts(texts: Sequence[str]) -> list[str]:
    """A caller's mistake (a bare str, a non-str item) raises; everything else is accepted."""
    if isinstance(texts, str):
        raise TypeError("predict() takes a sequence of texts, not a single str; wrap it in a list")
    items = list(texts)
    for index, text in enumerate(items):
        if not isinstance(text, str):
            raise TypeError(f"predict(): item {index} is {type(text).__name__}, expected str")
    return items
