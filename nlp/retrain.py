"""Champion/challenger retraining: learn from advisers' corrections, promote only if not worse.

Why: corrections are the advisers' verdicts on the model's mistakes. Once `[retrain]
min_corrections` new ones exist, a candidate is trained with the fast recipe (a logistic head
on frozen e5 embeddings, `nlp.training.train.train_head`, minutes on a CPU) on the configured
training CSVs plus every correction. Candidate and champion (the model serving now) are both
measured on the fixed development sets; the candidate is promoted only when, on every set,
neither macro-F1 nor negative recall drops by more than `tolerance`. Every candidate, its
figures and the decision (with the reason for a refusal) go to `storage.model_versions`;
the scorer then serves the newest promoted version (`serving_settings`).
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from core.config import Config, ModelSettings
from core.records import utcnow
from nlp.encoder import Encoder
from nlp.sentiment.base import SentimentModel
from nlp.training.data import LabelledData, corrections_data, read_labelled_csv
from nlp.training.fit import DEFAULT_GRID, HeadConfig
from nlp.training.metrics import evaluate
from storage.adviser import latest_corrections
from storage.db import Database
from storage.model_versions import (
    PROMOTED,
    REJECTED,
    active_version,
    corrections_since,
    last_corrections_upto,
    record_version,
)

logger = logging.getLogger(__name__)

METHOD = "head"


class RetrainSkipped(Exception):
    """Nothing to do now (not enough corrections, or no development sets); says why."""


@dataclass(frozen=True)
class RetrainOutcome:
    """What one run decided."""

    version_id: int
    decision: str
    reason: str
    path: Path
    figures: dict[str, dict[str, Any]]
    champion: dict[str, dict[str, Any]]


def serving_settings(db: Database, settings: ModelSettings) -> ModelSettings:
    """The model settings the scorer should use: the newest promoted version, if any.

    A configured transformers model stays as configured (the operator chose it by name).
    """
    active = active_version(db)
    if active is None or settings.backend == "transformers" or not Path(active.path).exists():
        return settings
    return dataclasses.replace(settings, backend="embedded", head_path=active.path)


def measure(model: SentimentModel, dev_sets: list[Path]) -> dict[str, dict[str, Any]]:
    """macro-F1, negative recall and size of `model` on each development set."""
    figures = {}
    for path in dev_sets:
        data = read_labelled_csv(path)
        report = evaluate(data.labels, [p.label for p in model.predict(data.texts)])
        figures[path.name] = {"macro_f1": round(report.macro_f1, 4),
                              "neg_recall": round(report.per_class["negatief"]["recall"], 4),
                              "n": report.n}
    return figures


def judge(candidate: dict[str, dict[str, Any]], champion: dict[str, dict[str, Any]],
          tolerance: float) -> tuple[str, str]:
    """(decision, reason in plain Dutch): promoted only if not worse on any set."""
    for name, theirs in champion.items():
        ours = candidate[name]
        for key, words in (("macro_f1", "macro-F1"), ("neg_recall", "de herkenning van "
                                                                   "negatieve teksten")):
            if ours[key] < theirs[key] - tolerance:
                return REJECTED, (f"Afgewezen: op {name} is {words} {ours[key]:.3f}, lager dan "
                                  f"het huidige model ({theirs[key]:.3f}).")
    return PROMOTED, "In gebruik genomen: op elke testset minstens zo goed als het huidige model."


def retrain_if_due(db: Database, config: Config, *,
                   champion: SentimentModel | None = None, encoder: Encoder | None = None,
                   grid: tuple[HeadConfig, ...] = DEFAULT_GRID, folds: int = 3,
                   models_dir: Path | None = None, force: bool = False,
                   now: datetime | None = None) -> RetrainOutcome:
    """Train, measure and judge a candidate when enough new corrections exist.

    `champion` defaults to the model serving now (loaded only when a candidate is due).
    Raises `RetrainSkipped` when it is not due (or `force` is off and too few corrections)
    or no development sets are configured; `nlp.training.data.DataError` for unusable data.
    """
    from nlp.sentiment.embedded import EmbeddedSentimentModel
    from nlp.training.train import train_head

    settings = config.retrain
    if not settings.dev_sets:
        raise RetrainSkipped("no [retrain] dev_sets configured: nothing to judge a candidate on")
    new, newest = corrections_since(db, last_corrections_upto(db))
    if new < settings.min_corrections and not force:
        raise RetrainSkipped(f"{new} new corrections, {settings.min_corrections} needed")
    data = LabelledData()
    for path in settings.train_data:
        data.extend(read_labelled_csv(Path(path)))
    corrections = corrections_data(latest_corrections(db))
    data.extend(corrections)
    stamp = (now or utcnow()).strftime("%Y%m%dT%H%M%S")
    folder = models_dir or config.storage_path.parent / "models"
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / f"sentiment_head_{stamp}.npz"
    result = train_head(data, out, grid=grid, folds=folds, encoder=encoder)
    candidate = EmbeddedSentimentModel(head_path=out, encoder=encoder)
    dev_sets = [Path(p) for p in settings.dev_sets]
    if champion is None:
        from nlp.sentiment import load_sentiment_model

        champion = load_sentiment_model(serving_settings(db, config.model))
    ours, theirs = measure(candidate, dev_sets), measure(champion, dev_sets)
    decision, reason = judge(ours, theirs, settings.tolerance)
    version_id = record_version(
        db, path=str(out), name=candidate.name, version=result.version, method=METHOD,
        n_train=result.n, n_corrections=len(corrections), corrections_upto=newest,
        figures=ours, champion=theirs, decision=decision, reason=reason, when=now)
    logger.info("candidate %s (%s): %s", result.version, out.name, reason)
    return RetrainOutcome(version_id, decision, reason, out, ours, theirs)
