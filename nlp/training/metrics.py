"""Classification metrics in plain numpy, so `newsroom eval` needs no scikit-learn."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core.records import LABELS


@dataclass
class EvalReport:
    """Accuracy, macro-F1, per-class precision/recall/F1 and the confusion matrix."""

    n: int
    accuracy: float
    macro_f1: float
    per_class: dict[str, dict[str, float]]
    confusion: list[list[int]]
    """Rows are the true label, columns the predicted one, both in `labels` order."""
    labels: tuple[str, ...] = LABELS

    def to_dict(self) -> dict[str, object]:
        return {
            "n": self.n,
            "accuracy": round(self.accuracy, 4),
            "macro_f1": round(self.macro_f1, 4),
            "per_class": {
                k: {m: round(v, 4) for m, v in d.items()} for k, d in self.per_class.items()
            },
            "confusion_matrix": self.confusion,
            "labels": list(self.labels),
        }


def evaluate(y_true: Sequence[str], y_pred: Sequence[str]) -> EvalReport:
    """Compare gold and predicted labels (both from LABELS)."""
    if len(y_true) != len(y_pred):
        raise ValueError(f"{len(y_true)} gold labels but {len(y_pred)} predictions")
    if not y_true:
        raise ValueError("nothing to evaluate: no labelled rows")
    index: dict[str, int] = {label: i for i, label in enumerate(LABELS)}
    confusion = np.zeros((len(LABELS), len(LABELS)), dtype=np.int64)
    for gold, pred in zip(y_true, y_pred, strict=True):
        confusion[index[gold], index[pred]] += 1
    per_class: dict[str, dict[str, float]] = {}
    for i, label in enumerate(LABELS):
        tp = float(confusion[i, i])
        predicted = float(confusion[:, i].sum())
        actual = float(confusion[i, :].sum())
        precision = tp / predicted if predicted else 0.0
        recall = tp / actual if actual else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[label] = {"precision": precision, "recall": recall, "f1": f1, "support": actual}
    # Like scikit-learn: average over labels that occur in the gold labels or the predictions.
    present = [
        label for i, label in enumerate(LABELS) if confusion[i, :].sum() or confusion[:, i].sum()
    ]
    macro = float(np.mean([per_class[label]["f1"] for label in present]))
    return EvalReport(
        n=len(y_true),
        accuracy=float(np.trace(confusion) / confusion.sum()),
        macro_f1=macro,
        per_class=per_class,
        confusion=confusion.tolist(),
    )
