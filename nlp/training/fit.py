"""Fit the embedded sentiment head and estimate how well it generalises.

The head is standardisation + either multinomial logistic regression or a one-hidden-layer
MLP, fitted with scikit-learn and exported to numpy arrays (`nlp.sentiment.head.Head`).
Scores are always estimated by repeated stratified k-fold cross-validation on the *target*
data, with any extra data (another domain, advisers' corrections) added to the training folds
only, and hyperparameters chosen inside each training fold (nested CV), so the reported
numbers never come from data the model was tuned or trained on.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

import numpy as np

from core.records import LABELS
from nlp.sentiment.head import FeatureSpec, Head
from nlp.training.metrics import evaluate

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class HeadConfig:
    """One candidate head: the classifier and its regularisation."""

    kind: str = "logreg"
    """logreg | mlp."""
    c: float = 1.0
    """Inverse L2 strength for logreg."""
    hidden: int = 256
    alpha: float = 1e-2
    """L2 strength for the MLP."""
    class_weight: str | None = "balanced"
    seed: int = 0


DEFAULT_GRID: tuple[HeadConfig, ...] = (
    HeadConfig(kind="logreg", c=0.002),
    HeadConfig(kind="logreg", c=0.005),
    HeadConfig(kind="logreg", c=0.01),
    HeadConfig(kind="logreg", c=0.03),
)
"""Strong regularisation wins on 384 standardised e5 dimensions and ~1k examples (measured by
CV on the tweet dev set: C 0.003-0.01 beat 0.1-1 by 3-5 macro-F1 points)."""


@dataclass
class CVResult:
    """Mean and spread of repeated k-fold scores."""

    macro_f1: list[float]
    accuracy: list[float]
    chosen: list[dict[str, Any]]

    def summary(self) -> dict[str, Any]:
        return {
            "macro_f1_mean": round(float(np.mean(self.macro_f1)), 4),
            "macro_f1_std": round(float(np.std(self.macro_f1)), 4),
            "accuracy_mean": round(float(np.mean(self.accuracy)), 4),
            "accuracy_std": round(float(np.std(self.accuracy)), 4),
            "folds": len(self.macro_f1),
        }


def make_estimator(config: HeadConfig) -> Any:
    """The scikit-learn pipeline for one config (imported lazily: a dev dependency)."""
    try:
        from sklearn.linear_model import LogisticRegression
        from sklearn.neural_network import MLPClassifier
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler
    except ImportError as exc:
        raise RuntimeError(
            f"Training needs scikit-learn ({exc}); install the dev extras: pip install -e .[dev]"
        ) from exc
    if config.kind == "logreg":
        clf: Any = LogisticRegression(
            C=config.c, class_weight=config.class_weight, max_iter=3000, random_state=config.seed
        )
    elif config.kind == "mlp":
        clf = MLPClassifier(
            hidden_layer_sizes=(config.hidden,),
            alpha=config.alpha,
            max_iter=400,
            early_stopping=True,
            n_iter_no_change=15,
            random_state=config.seed,
        )
    else:
        raise ValueError(f"Unknown head kind {config.kind!r}")
    return make_pipeline(StandardScaler(), clf)


def fit_head(
    features: np.ndarray,
    labels: Sequence[str] | np.ndarray,
    spec: FeatureSpec,
    config: HeadConfig,
    meta: dict[str, Any] | None = None,
) -> Head:
    """Fit on all given data and export the result as a numpy `Head`."""
    pipeline = make_estimator(config)
    pipeline.fit(np.asarray(features, dtype=np.float64), np.asarray(labels))
    scaler, clf = pipeline.steps[0][1], pipeline.steps[1][1]
    order = [list(clf.classes_).index(label) for label in LABELS]
    if config.kind == "logreg":
        layers = [(clf.coef_.T[:, order].copy(), clf.intercept_[order].copy())]
    else:
        layers = [(w.copy(), b.copy()) for w, b in zip(clf.coefs_, clf.intercepts_, strict=True)]
        layers[-1] = (layers[-1][0][:, order], layers[-1][1][order])
    scale = np.where(scaler.scale_ == 0, 1.0, scaler.scale_)
    head_meta = {**(meta or {}), "config": asdict(config)}
    return Head(layers=layers, mean=scaler.mean_.copy(), scale=scale, spec=spec, meta=head_meta)


def _fit_predict(
    config: HeadConfig,
    x_train: np.ndarray,
    y_train: np.ndarray,
    x_test: np.ndarray,
) -> np.ndarray:
    pipeline = make_estimator(config)
    pipeline.fit(x_train, y_train)
    return np.asarray(pipeline.predict(x_test))


def select_config(
    x: np.ndarray,
    y: np.ndarray,
    grid: Sequence[HeadConfig],
    extra: tuple[np.ndarray, np.ndarray] | None = None,
    folds: int = 3,
    seed: int = 0,
) -> HeadConfig:
    """The grid entry with the best mean macro-F1 over a stratified k-fold of (x, y)."""
    if len(grid) == 1:
        return grid[0]
    splits = _splits(x, y, folds, repeats=1, seed=seed)
    means = []
    for candidate in grid:
        scores = [
            evaluate(
                list(y[test]),
                list(_fit_predict(candidate, *_with_extra(x[train], y[train], extra), x[test])),
            ).macro_f1
            for train, test in splits
        ]
        means.append(float(np.mean(scores)))
    best = grid[int(np.argmax(means))]
    logger.debug("Inner CV macro-F1 %s -> %s", means, best)
    return best


def cross_validate(
    x: np.ndarray,
    y: np.ndarray,
    grid: Sequence[HeadConfig] = DEFAULT_GRID,
    extra: tuple[np.ndarray, np.ndarray] | None = None,
    folds: int = 5,
    repeats: int = 3,
    seed: int = 0,
) -> CVResult:
    """Repeated stratified k-fold scores of the head on (x, y).

    Each outer training fold picks its own config from `grid` by an inner 3-fold CV (nested
    CV; a one-entry grid skips the inner loop). `extra` is added to every training fold,
    never to a test fold.
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y)
    result = CVResult(macro_f1=[], accuracy=[], chosen=[])
    for fold, (train, test) in enumerate(_splits(x, y, folds, repeats, seed)):
        chosen = select_config(x[train], y[train], grid, extra=extra, seed=seed + fold)
        predicted = _fit_predict(chosen, *_with_extra(x[train], y[train], extra), x[test])
        report = evaluate(list(y[test]), list(predicted))
        result.macro_f1.append(report.macro_f1)
        result.accuracy.append(report.accuracy)
        result.chosen.append(asdict(chosen))
    return result


def _splits(
    x: np.ndarray, y: np.ndarray, folds: int, repeats: int, seed: int
) -> list[tuple[np.ndarray, np.ndarray]]:
    from sklearn.model_selection import RepeatedStratifiedKFold

    smallest = min(np.unique(y, return_counts=True)[1])
    folds = max(2, min(folds, int(smallest)))
    splitter = RepeatedStratifiedKFold(n_splits=folds, n_repeats=repeats, random_state=seed)
    return list(splitter.split(x, y))


def _with_extra(
    x: np.ndarray, y: np.ndarray, extra: tuple[np.ndarray, np.ndarray] | None
) -> tuple[np.ndarray, np.ndarray]:
    if extra is None or len(extra[1]) == 0:
        return x, y
    return np.vstack([x, extra[0]]), np.concatenate([y, extra[1]])


def choose_final_config(
    x: np.ndarray,
    y: np.ndarray,
    grid: Sequence[HeadConfig] = DEFAULT_GRID,
    extra: tuple[np.ndarray, np.ndarray] | None = None,
    seed: int = 0,
) -> HeadConfig:
    """The config for the shipped head: chosen by 5-fold CV on all target data."""
    best = select_config(x, y, grid, extra=extra, folds=5, seed=seed)
    return replace(best, seed=seed)
