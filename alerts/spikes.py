"""The spike rule: a robust z-score of the last window against a baseline of earlier windows.

Median and MAD (median absolute deviation) are used instead of mean and standard deviation
because one earlier spike in the baseline would otherwise inflate the spread and hide the
next one. Counts of news are small and Poisson-like, so the spread has a floor of
sqrt(median) (the Poisson standard deviation), and at least 1: a baseline of all zeros
followed by one stray item is not a spike, which `min_count` also guards.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

MAD_TO_SIGMA = 1.4826
"""Scales the MAD to a standard deviation for normally distributed data."""


@dataclass(frozen=True)
class Spike:
    """The evidence of a spike: the window's value against its baseline."""

    value: int
    median: float
    mad: float
    scale: float
    z: float


def robust_scale(baseline: Sequence[float]) -> tuple[float, float, float]:
    """(median, MAD, scale) of a baseline; scale has the Poisson floor described above."""
    if not baseline:
        return 0.0, 0.0, 1.0
    median = float(statistics.median(baseline))
    mad = float(statistics.median(abs(x - median) for x in baseline))
    scale = max(MAD_TO_SIGMA * mad, math.sqrt(max(median, 0.0)), 1.0)
    return median, mad, scale


def robust_z(baseline: Sequence[float], value: float) -> float:
    """How many robust standard deviations `value` lies above the baseline's median.

    >>> round(robust_z([10, 12, 9, 11, 10, 10, 11], 30), 1)
    6.3
    """
    median, _mad, scale = robust_scale(baseline)
    return (value - median) / scale


def detect_spike(
    window_value: int, baseline: Sequence[int], min_count: int, z_threshold: float
) -> Spike | None:
    """A `Spike` when the window has at least `min_count` items and z >= `z_threshold`."""
    if window_value < min_count:
        return None
    median, mad, scale = robust_scale(baseline)
    z = (window_value - median) / scale
    if z < z_threshold:
        return None
    return Spike(value=window_value, median=median, mad=mad, scale=scale, z=round(z, 2))
