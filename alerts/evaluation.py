"""Synthetic evaluation of the spike rule: seeded Poisson baselines with injected spikes.

Used by the tests (a pinned precision/recall floor) and by the benchmark (the figures).
A 'spike' adds `strength` times the Poisson standard deviation on top of a doubled rate,
which is what an adviser would call 'clearly more than usual'.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from alerts.spikes import detect_spike


@dataclass(frozen=True)
class Evaluation:
    series: int
    spikes: int
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.spikes if self.spikes else 1.0


def evaluate(seed: int = 7, series: int = 1000, baseline_days: int = 14, min_count: int = 5,
             z_threshold: float = 3.0, rate_range: tuple[float, float] = (1.0, 40.0),
             growth: float = 1.0, strength: float = 3.0) -> Evaluation:
    """Run the detector on `series` synthetic series; half of them end in a spike."""
    rng = np.random.default_rng(seed)
    tp = fp = fn = spikes = 0
    for index in range(series):
        rate = float(rng.uniform(*rate_range))
        baseline = [int(x) for x in rng.poisson(rate, baseline_days)]
        last = int(rng.poisson(rate))
        is_spike = index % 2 == 0
        if is_spike:
            spikes += 1
            last += int(math.ceil(growth * rate + strength * math.sqrt(rate)))
        found = detect_spike(last, baseline, min_count, z_threshold) is not None
        tp += int(found and is_spike)
        fp += int(found and not is_spike)
        fn += int(is_spike and not found)
    return Evaluation(series, spikes, tp, fp, fn)
