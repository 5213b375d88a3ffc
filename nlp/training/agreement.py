"""Agreement between two labellers: Cohen's kappa with a bootstrap interval.

The labelled sets (news, target pairs) are only as good as their labels. A second person labels
a sample blind and we report how far the two agree beyond chance, so a reader of the datasheet
can judge how much of a model's "error" is really disagreement between people.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from core.records import LABELS
from nlp.training.data import DataError, normalise_label


@dataclass(frozen=True)
class Agreement:
    n: int
    raw: float
    """Share of items with the same label."""
    kappa: float
    kappa_low: float
    kappa_high: float
    """95 % percentile bootstrap interval of kappa."""
    confusion: list[list[int]]
    """Rows: first labeller, columns: second, both in LABELS order."""
    disagreements: list[int]
    """Positions (0-based) where the two labels differ."""


def cohen_kappa(first: Sequence[str], second: Sequence[str]) -> float:
    """Kappa of two label lists of equal length; 1.0 when chance agreement is already total."""
    if len(first) != len(second) or not first:
        raise ValueError("cohen_kappa() needs two non-empty label lists of equal length")
    n = len(first)
    observed = sum(a == b for a, b in zip(first, second, strict=True)) / n
    labels = set(first) | set(second)
    expected = sum((first.count(lab) / n) * (second.count(lab) / n) for lab in labels)
    return 1.0 if expected >= 1.0 else (observed - expected) / (1.0 - expected)


def agreement(
    first: Sequence[str], second: Sequence[str], resamples: int = 2000, seed: int = 0
) -> Agreement:
    """Raw agreement, kappa and its bootstrap interval, the confusion matrix and the
    positions where the labellers differ."""
    kappa = cohen_kappa(first, second)
    rng = random.Random(seed)
    n = len(first)
    samples = []
    for _ in range(resamples):
        picks = [rng.randrange(n) for _ in range(n)]
        samples.append(cohen_kappa([first[i] for i in picks], [second[i] for i in picks]))
    samples.sort()
    low = samples[int(0.025 * resamples)]
    high = samples[min(resamples - 1, int(0.975 * resamples))]
    confusion = [
        [sum(1 for a, b in zip(first, second, strict=True) if a == r and b == c) for c in LABELS]
        for r in LABELS
    ]
    return Agreement(
        n=n,
        raw=sum(a == b for a, b in zip(first, second, strict=True)) / n,
        kappa=kappa,
        kappa_low=low,
        kappa_high=high,
        confusion=confusion,
        disagreements=[i for i, (a, b) in enumerate(zip(first, second, strict=True)) if a != b],
    )


def read_labels(path: Path, key: str = "id", label: str = "label") -> dict[str, str]:
    """`key -> label` from a CSV; an unknown label or a repeated key raises `DataError`."""
    labels: dict[str, str] = {}
    with Path(path).open(encoding="utf-8-sig", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            value = normalise_label(row.get(label) or "")
            item = (row.get(key) or "").strip()
            if value is None or not item:
                raise DataError(f"{path}, row {number}: need a {key} and a known {label}")
            if item in labels:
                raise DataError(f"{path}, row {number}: {key} {item!r} appears twice")
            labels[item] = value
    return labels
