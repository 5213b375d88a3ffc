"""`newsroom train` as a library function: labelled data in, a new head file and CV scores out."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from nlp.encoder import Encoder, get_encoder
from nlp.sentiment.features import build_features, current_spec
from nlp.training.data import LabelledData
from nlp.training.fit import DEFAULT_GRID, HeadConfig, cross_validate, fit_head, select_config

logger = logging.getLogger(__name__)

MIN_PER_CLASS = 3
"""Cross-validation needs a few examples of every class."""


@dataclass
class TrainResult:
    """What `newsroom train` reports: where the head went, its version and its CV scores."""

    path: Path
    version: str
    n: int
    counts: dict[str, int]
    cv: dict[str, Any]
    config: HeadConfig


def train_head(
    data: LabelledData,
    out: Path,
    lexicon: bool = True,
    grid: tuple[HeadConfig, ...] = DEFAULT_GRID,
    folds: int = 5,
    repeats: int = 1,
    encoder: Encoder | None = None,
    sources: list[str] | None = None,
) -> TrainResult:
    """Embed `data`, score the recipe by nested CV, fit on everything and write the head."""
    data.require_every_label(MIN_PER_CLASS)
    counts = data.counts()
    encoder = encoder or get_encoder()
    spec = current_spec(lexicon=lexicon, encoder=encoder)
    features = build_features(data.texts, spec, encoder=encoder)
    labels = np.asarray(data.labels)
    cv = cross_validate(features, labels, grid=grid, folds=folds, repeats=repeats).summary()
    config = select_config(features, labels, grid, folds=folds)
    meta = {
        "trained": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "sources": sources or sorted(set(data.origins)),
        "n": len(data),
        "counts": counts,
        "cv": cv,
    }
    head = fit_head(features, labels, spec, config, meta=meta)
    version = head.save(out)
    logger.info("Wrote sentiment head %s (version %s)", out, version)
    return TrainResult(
        path=Path(out), version=version, n=len(data), counts=counts, cv=cv, config=config
    )
