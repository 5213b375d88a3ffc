"""Small statistics the pages need: robust spike detection on a daily series."""

from __future__ import annotations

import statistics
from collections.abc import Sequence

MAD_SCALE = 1.4826
"""Makes the median absolute deviation comparable to a standard deviation (normal data)."""


def robust_z_scores(
    values: Sequence[float | None], window: int = 28, floor: float = 1.0
) -> list[float | None]:
    """Per point, its robust z-score against the `window` points before it.

    z = (x - median) / (1.4826 * MAD). A median and MAD ignore earlier spikes, unlike a
    mean and standard deviation. None where there is too little history (under 7 points) or
    the value is missing. The spread has a `floor` (1 item for counts, e.g. 0.02 for shares),
    so on a flat history one extra item is not a spike.
    """
    scores: list[float | None] = []
    for index, value in enumerate(values):
        history = [v for v in values[max(0, index - window):index] if v is not None]
        if value is None or len(history) < 7:
            scores.append(None)
            continue
        median = statistics.median(history)
        mad = statistics.median(abs(v - median) for v in history) * MAD_SCALE
        scores.append(round((value - median) / max(mad, floor), 2))
    return scores


def spikes(
    values: Sequence[float | None], threshold: float = 3.0, window: int = 28, floor: float = 1.0
) -> list[bool]:
    """True where a point's robust z-score is at or above `threshold`."""
    return [z is not None and z >= threshold for z in robust_z_scores(values, window, floor)]
