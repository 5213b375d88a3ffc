"""Precision and recall of place matching on a labelled sample of real text.

The sample (tests/nlp/files/places_sample.csv, described in tests/nlp/files/DATASHEET.md) has
one row per short text (a headline and its first sentences) with the CBS codes a reader finds
named in it. Scoring is per (text, area) pair: a found area that the reader did not label is
a false positive, a labelled one that was not found a miss. Used by the tests (floors) and
`make bench`.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from nlp.places import Gazetteer


@dataclass(frozen=True)
class PlaceSampleRow:
    text: str
    expected: frozenset[str]


@dataclass(frozen=True)
class PlaceScores:
    precision: float
    recall: float
    true_positives: int
    false_positives: int
    misses: int
    mistakes: tuple[str, ...]
    """One line per wrong or missed area, for reading what went wrong."""


def read_place_sample(path: Path) -> list[PlaceSampleRow]:
    """Rows of a labelled sample; a row without a text is a broken file and raises."""
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            if not row.get("text"):
                raise ValueError(f"{path}:{number}: empty text")
            codes = frozenset(c for c in (row.get("expected") or "").split(";") if c)
            rows.append(PlaceSampleRow(row["text"], codes))
    return rows


def score_places(gazetteer: Gazetteer, rows: list[PlaceSampleRow]) -> PlaceScores:
    """Micro precision and recall of `gazetteer.find` against the labels."""
    tp = fp = fn = 0
    mistakes = []
    for row in rows:
        found = {p.cbs_code for p in gazetteer.find(row.text)}
        tp += len(found & row.expected)
        for code in sorted(found - row.expected):
            fp += 1
            mistakes.append(f"extra {code}: {row.text[:80]}")
        for code in sorted(row.expected - found):
            fn += 1
            mistakes.append(f"missed {code}: {row.text[:80]}")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return PlaceScores(precision, recall, tp, fp, fn, tuple(mistakes))
