"""Measure a sentiment model on a labelled file, and remember the figures per model.

Two file kinds:

- **news** (`id,headline,lead,label,…`, like `nlp/data/news/news_sentiment.csv`): each item
  is scored the way the pipeline scores a news document — headline and lead sentences one by
  one, then `nlp.aggregate.score_news_items` with the headline weighted up;
- **text** (`text,label`, e.g. the tweets or any adviser's CSV): one prediction per row.

`newsroom eval` stores every result in a small JSON file (`FIGURES_FILE`, next to the trained
models), keyed by model name and version, so `newsroom status` can show how the configured
model measured without loading it. A model nobody measured says so.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from nlp.aggregate import score_news_items
from nlp.sentiment.base import SentimentModel
from nlp.training.data import read_labelled_csv
from nlp.training.metrics import EvalReport, evaluate
from nlp.training.news_data import is_news_csv, read_news_csv

logger = logging.getLogger(__name__)

FIGURES_FILE = "model_figures.json"
SHIPPED_FIGURES = Path(__file__).resolve().parent / "models" / FIGURES_FILE
"""Figures of the shipped models on the shipped dev sets, measured with `newsroom eval` when
the model was released (nlp/models/MODEL_CARD.md), so `newsroom status` has them at once."""
MAX_ENTRIES = 200
"""Oldest results are dropped beyond this many (one per model version × data file)."""


@dataclass
class FileEvaluation:
    """A report plus what was measured: file kind, file name and content digest."""

    report: EvalReport
    kind: str
    data_name: str
    data_digest: str


def evaluate_file(
    model: SentimentModel, path: Path, *, whole_item: bool = False
) -> FileEvaluation:
    """Score every labelled row of `path` with `model`; raises `DataError` for a bad file.

    `whole_item`: a news file's items are read as one text each (the news model's rule in
    the pipeline, `nlp.news_item`) instead of sentence by sentence."""
    path = Path(path)
    if is_news_csv(path):
        items = read_news_csv(path)
        predicted = score_news_items(model, [(item.headline, item.lead) for item in items],
                                     whole_item=whole_item)
        gold, kind = [item.label for item in items], "news"
    else:
        data = read_labelled_csv(path)
        predicted = model.predict(data.texts)
        gold, kind = data.labels, "text"
    report = evaluate(gold, [p.label for p in predicted])
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    return FileEvaluation(report=report, kind=kind, data_name=path.name, data_digest=digest)


def record_figures(
    figures_path: Path, model_name: str, model_version: str, result: FileEvaluation
) -> None:
    """Add (or replace) this model version's result on this data file; written atomically."""
    entries = [
        e
        for e in _read(figures_path)
        if not (
            e.get("model_name") == model_name
            and e.get("model_version") == model_version
            and e.get("data_digest") == result.data_digest
        )
    ]
    per_class = result.report.per_class
    entries.append(
        {
            "model_name": model_name,
            "model_version": model_version,
            "data": result.data_name,
            "data_digest": result.data_digest,
            "kind": result.kind,
            "n": result.report.n,
            "macro_f1": round(result.report.macro_f1, 4),
            "accuracy": round(result.report.accuracy, 4),
            "recall_negatief": round(per_class["negatief"]["recall"], 4),
            "measured": datetime.now(UTC).replace(microsecond=0).isoformat(),
        }
    )
    figures_path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=figures_path.parent, suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(entries[-MAX_ENTRIES:], out, ensure_ascii=False, indent=1)
    os.replace(tmp, figures_path)


def figures_for(
    figures_path: Path, model_name: str, model_version: str | None = None
) -> list[dict[str, Any]]:
    """Stored results of a model (any version when `model_version` is None), newest last."""
    return [
        e
        for e in _read(figures_path)
        if e.get("model_name") == model_name
        and (model_version is None or e.get("model_version") == model_version)
    ]


def _read(figures_path: Path) -> list[dict[str, Any]]:
    """The stored entries; a missing file is empty, a damaged one is logged and ignored."""
    if not figures_path.is_file():
        return []
    try:
        entries = json.loads(figures_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        logger.warning("Ignoring unreadable model figures file %s: %s", figures_path, exc)
        return []
    return [e for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []
