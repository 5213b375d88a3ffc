"""Fine-tune and measure the shipped embedded sentiment model (nlp/models/sentiment_lora_v2.npz).

Run from the repository root; needs the dev sets in ../shared/data/sentiment-dev (NOT part of
the repo):

    .venv/bin/python scripts/finetune_sentiment.py [--cv-seeds 0 1 2] [--cv-report FILE.json]
        [--device cpu|cuda] [--out PATH] [--report FILE.json]

Steps: optionally cross-validate the recipe on the tweets (5 folds per seed; on a GPU this
takes minutes, on 2 CPU cores about 15 minutes per seed) or take the figures of an earlier
run from --cv-report; fit on all tweets; score the SemEval restaurant sentences, which the
model never saw, and the lexicon baseline on both sets; write the adapter with all of that in
its metadata. The numbers go into nlp/models/MODEL_CARD.md.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from core.records import LABELS  # noqa: E402
from nlp.e5_weights import bundled_weights  # noqa: E402
from nlp.sentiment.adapter_file import DEFAULT_ADAPTER_PATH, save_adapter  # noqa: E402
from nlp.sentiment.lexicon import LexiconSentimentModel  # noqa: E402
from nlp.training.data import LabelledData, read_labelled_csv  # noqa: E402
from nlp.training.finetune import (  # noqa: E402
    FinetuneConfig,
    cross_validate_finetune,
    finetune,
    predict_proba,
)
from nlp.training.metrics import evaluate  # noqa: E402

TWEETS = "tweets_polarity_train.csv"
SEMEVAL = "semeval2016_restaurant_sentences_train.csv"


def scores(gold: list[str], predicted: list[str]) -> dict[str, float]:
    report = evaluate(gold, predicted)
    return {"macro_f1": round(report.macro_f1, 4), "accuracy": round(report.accuracy, 4)}


def lexicon(data: LabelledData) -> dict[str, float]:
    return scores(data.labels, [s.label for s in LexiconSentimentModel().predict(data.texts)])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=str(REPO.parent / "shared/data/sentiment-dev"))
    parser.add_argument("--out", default=str(DEFAULT_ADAPTER_PATH))
    parser.add_argument("--device", default="cpu")
    parser.add_argument(
        "--cv-seeds",
        type=int,
        nargs="*",
        default=[],
        help="Cross-validate with these fold seeds (reporting protocol: 0 1 2).",
    )
    parser.add_argument(
        "--cv-report", default="", help="JSON with the cross-validation figures of an earlier run."
    )
    parser.add_argument("--report", default="", help="Also write the measurements here.")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    folder = Path(args.data_dir)
    tweets = read_labelled_csv(folder / TWEETS)
    semeval = read_labelled_csv(folder / SEMEVAL, allow_none=True, skip_labels=("mixed",))
    weights = bundled_weights()
    config = FinetuneConfig()
    results: dict[str, object] = {
        "recipe": {**config.__dict__, "adapter": config.adapter.__dict__},
        "lexicon": {"tweets": lexicon(tweets), "semeval": lexicon(semeval)},
    }
    if args.cv_seeds:
        results["cv"] = cross_validate_finetune(
            tweets.texts,
            tweets.labels,
            config,
            seeds=args.cv_seeds,
            device=args.device,
            weights=weights,
        )
    elif args.cv_report:
        results["cv"] = json.loads(Path(args.cv_report).read_text())
    net = finetune(tweets.texts, tweets.labels, config, seed=5, device=args.device, weights=weights)
    probs = predict_proba(net, semeval.texts, weights, args.device)
    results["semeval_unseen"] = scores(semeval.labels, [LABELS[i] for i in probs.argmax(1)])
    meta = {
        "trained": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "trained_on": f"{TWEETS} (all {len(tweets)} rows)",
        "sources": [TWEETS],
        "n": len(tweets),
        "counts": tweets.counts(),
        "cv": results.get("cv", {}),
        "evaluation": {k: v for k, v in results.items() if k != "cv"},
    }
    version = save_adapter(Path(args.out), net.trainable_state(), net.config, meta)
    results["version"] = version
    results["semeval_probs_head"] = np.round(probs[:3], 4).tolist()
    text = json.dumps(results, indent=2, ensure_ascii=False, default=str)
    print(text)
    if args.report:
        Path(args.report).write_text(text)


if __name__ == "__main__":
    main()
