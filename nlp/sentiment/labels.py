"""Map a classification model's own labels (id2label) onto negatief / neutraal / positief.

Models on the hub name their classes in many ways: "negative"/"NEG"/"Negatief", "LABEL_0",
star ratings ("1 star" … "5 stars"). The result is a matrix M of shape (num_labels, 3) so that
`probs3 = probs @ M`: each model class sends its probability mass to one of our three classes.

Decisions (documented in nlp/models/MODEL_CARD.md):
- two-class positive/negative models get p_neu = 0 (they cannot say "neutral");
- star ratings: 1–2 → negatief, 3 → neutraal, 4–5 → positief;
- generic "LABEL_i" names follow the common convention (2 classes: 0 neg, 1 pos; 3 classes:
  0 neg, 1 neu, 2 pos) and are logged, because nothing in the model confirms it;
- anything else is unmappable and raises `ModelLoadError` naming the labels.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping

import numpy as np

from nlp.sentiment.base import ModelLoadError

logger = logging.getLogger(__name__)

NEG, NEU, POS = 0, 1, 2

_WORDS = {
    NEG: {"negative", "negatief", "neg", "very negative", "zeer negatief", "bad", "slecht"},
    NEU: {"neutral", "neutraal", "neu", "neut", "none", "geen", "objective"},
    POS: {"positive", "positief", "pos", "very positive", "zeer positief", "good", "goed"},
}
_STARS = re.compile(r"^([1-5])\s*(star|stars|ster|sterren)$")
_GENERIC = re.compile(r"^label_(\d+)$")


def label_matrix(id2label: Mapping[int, str] | Mapping[str, str]) -> np.ndarray:
    """The (num_labels, 3) mapping matrix for a model's id2label; raises if unmappable."""
    labels = {int(k): str(v) for k, v in id2label.items()}
    n = len(labels)
    if n < 2 or sorted(labels) != list(range(n)):
        raise ModelLoadError(f"Model labels {labels} are not a usable class list (need ids 0..n-1)")
    targets = [_word_target(labels[i]) for i in range(n)]
    if any(t is None for t in targets):
        targets = _generic_targets(labels)
    matrix = np.zeros((n, 3), dtype=np.float64)
    for index, target in enumerate(targets):
        assert target is not None
        matrix[index, target] = 1.0
    if matrix[:, NEG].sum() == 0 or matrix[:, POS].sum() == 0:
        raise ModelLoadError(
            f"Model labels {labels} have no negative or no positive class; it is not a "
            "sentiment model newsroom can use"
        )
    return matrix


def _word_target(label: str) -> int | None:
    key = label.strip().lower().replace("_", " ").replace("-", " ")
    for target, words in _WORDS.items():
        if key in words:
            return target
    match = _STARS.match(key)
    if match:
        stars = int(match.group(1))
        return NEG if stars <= 2 else NEU if stars == 3 else POS
    return None


def _generic_targets(labels: dict[int, str]) -> list[int | None]:
    names = [labels[i].strip().lower() for i in range(len(labels))]
    if all(_GENERIC.match(name) for name in names) and len(names) in (2, 3):
        logger.warning(
            "Model labels %s carry no names; assuming the usual order (%s)",
            names,
            "negative, positive" if len(names) == 2 else "negative, neutral, positive",
        )
        return [NEG, POS] if len(names) == 2 else [NEG, NEU, POS]
    raise ModelLoadError(
        f"Cannot map the model's labels {list(labels.values())} to negatief/neutraal/positief. "
        "Use a sentiment model whose id2label names negative/neutral/positive classes "
        "(or star ratings)."
    )
