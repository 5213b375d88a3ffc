"""Digest and alerts benchmark: quality of the spike rule, and how build and detection scale.

- spikes: precision and recall of the robust z-score rule on seeded synthetic series
  (standard spikes, weak spikes, low-volume series).
- scale: building a digest and running detection on a store with 10x the documents, as a
  ratio against the same work on the small store in the same run (linear would be ~10).
- charts: the share of the digest's build time spent drawing the two PNG charts
  (full build vs reading the figures alone).

Usage: python -m bench.digest [--docs 1500]
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from alerts.detect import detect_alerts
from alerts.evaluation import evaluate
from bench.results import write_results
from core.config import Config
from digest.build import build_digest
from digest.figures import collect_figures
from digest.weeks import parse_week
from storage.db import open_db

WEEK = "2026-W46"
NOW = datetime(2026, 11, 16, 7, 0, tzinfo=UTC)
TOPICS = ("verkeer", "wonen", "veiligheid", "zorg", "energie", "evenementen")
WATCHES = ("Spuiboulevard", "Zwembad", "Stadskantoor")
LABELS = ("negatief", "neutraal", "positief")


def _fill(path: Path, docs_per_week: int, seed: int = 3) -> Any:
    """Three weeks of documents (with scores, topics and watch scores), bulk-inserted."""
    rng = random.Random(seed)
    db = open_db(path)
    for i, name in enumerate(WATCHES, start=1):
        db["watches"].insert({"id": i, "name": name, "query": name.lower(), "owner": "",  # type: ignore[union-attr]
                              "active": 1, "created": "2026-01-01", "updated": "2026-01-01"})
    start = NOW - timedelta(days=21)
    docs, scores, topics, watch_scores = [], [], [], []
    for n in range(docs_per_week * 3):
        doc_id = f"d{n}"
        when = start + timedelta(seconds=rng.randrange(21 * 86400))
        iso = when.isoformat()
        docs.append({"id": doc_id, "source_id": f"bron{n % 7}", "kind": "news",
                     "url": f"https://bron{n % 7}.example/{n}", "title": f"Bericht {n}",
                     "text": "tekst", "published": iso, "fetched": iso, "first_seen": iso,
                     "content_hash": str(n), "syndication_group": f"g{n // 3}" if n % 5 == 0
                     else None})
        label = rng.choices(LABELS, weights=(3, 5, 2))[0]
        p_neg = rng.uniform(0.5, 1.0) if label == "negatief" else rng.uniform(0, 0.4)
        scores.append({"document_id": doc_id, "sentence_idx": -1, "label": label,
                       "p_neg": p_neg, "p_neu": 0.2, "p_pos": 0.1, "model_name": "bench",
                       "model_version": "1", "content_hash": str(n), "scored_at": iso})
        topics.append({"document_id": doc_id, "topic": rng.choice(TOPICS), "score": 0.8,
                       "model_name": "bench"})
        if n % 4 == 0:
            watch_scores.append({"watch_id": rng.randint(1, len(WATCHES)), "document_id": doc_id,
                                 "mentions": 1, "label": label, "p_neg": p_neg, "p_neu": 0.2,
                                 "p_pos": 0.1, "model_name": "bench", "model_version": "1"})
    db["documents"].insert_all(docs, batch_size=2000)  # type: ignore[union-attr]
    db["scores"].insert_all(scores, batch_size=2000)  # type: ignore[union-attr]
    db["topics"].insert_all(topics, batch_size=2000)  # type: ignore[union-attr]
    db["watch_scores"].insert_all(watch_scores, batch_size=2000)  # type: ignore[union-attr]
    return db


def _best_of(repeats: int, work: Any) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def _timings(db: Any) -> dict[str, float]:
    config = Config()
    week = parse_week(WEEK)
    return {
        "build_s": _best_of(3, lambda: build_digest(db, config, WEEK, None, now=NOW)),
        "figures_s": _best_of(3, lambda: collect_figures(db, week, None)),
        "detect_s": _best_of(3, lambda: detect_alerts(db, config, NOW)),
    }


def run(results_dir: Path, docs_per_week: int = 1500) -> dict[str, Any]:
    """Run the benchmark, write digest.json and digest.md, and return the summary."""
    quality = {
        "standard": evaluate(seed=7, series=1000),
        "weak_spikes": evaluate(seed=7, series=1000, growth=0.5, strength=2.0),
        "low_volume": evaluate(seed=11, series=1000, rate_range=(0.2, 5.0)),
    }
    with tempfile.TemporaryDirectory() as folder:
        small = _timings(_fill(Path(folder) / "small.db", docs_per_week))
        large = _timings(_fill(Path(folder) / "large.db", docs_per_week * 10))
    summary: dict[str, Any] = {
        "spike_precision": round(quality["standard"].precision, 3),
        "spike_recall": round(quality["standard"].recall, 3),
        "build_10x_ratio": round(large["build_s"] / small["build_s"], 2),
        "detect_10x_ratio": round(large["detect_s"] / small["detect_s"], 2),
        "chart_share_of_build": round(1 - small["figures_s"] / small["build_s"], 2),
    }
    details: dict[str, Any] = {
        "docs_per_week_small": docs_per_week,
        "docs_per_week_large": docs_per_week * 10,
        "quality": {name: {"precision": round(e.precision, 3), "recall": round(e.recall, 3),
                           "series": e.series, "spikes": e.spikes,
                           "false_positives": e.false_positives,
                           "false_negatives": e.false_negatives}
                    for name, e in quality.items()},
        "small": small,
        "large": large,
        "summary": summary,
    }
    lines = [
        "# Digest and alerts benchmark", "",
        "| spike set | precision | recall |", "| --- | --- | --- |",
        *[f"| {name} | {v['precision']} | {v['recall']} |"
          for name, v in details["quality"].items()],
        "",
        f"Store: {docs_per_week} vs {docs_per_week * 10} documents a week (3 weeks each).",
        "",
        "| work | 10x data / 1x data |", "| --- | --- |",
        f"| build digest | {summary['build_10x_ratio']} |",
        f"| detect alerts | {summary['detect_10x_ratio']} |",
        "",
        f"Charts take {round(summary['chart_share_of_build'] * 100)}% of a small digest's build.",
    ]
    write_results(results_dir, "digest", details, "\n".join(lines) + "\n")
    return summary


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=1500, help="Documents a week (small store).")
    parser.add_argument("--out", default="bench-results", help="Folder for the results files.")
    args = parser.parse_args()
    print(json.dumps(run(Path(args.out), args.docs), indent=2))
