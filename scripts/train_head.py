"""Train the v1 sentiment head (nlp/models/sentiment_head_v1.npz) and measure it honestly.

The embedded default is now the LoRA adapter (scripts/finetune_sentiment.py); this head stays
as the quick `newsroom train --method head` recipe.

Run from the repository root (needs scikit-learn, a dev dependency, and the dev sets in
../shared/data/sentiment-dev, which are NOT part of the repo):

    .venv/bin/python scripts/train_head.py [--data-dir DIR] [--out PATH] [--report FILE.json]

Steps: embed the tweets and the SemEval restaurant sentences with the e5 encoder; nested
cross-validation on the tweets (5-fold × 3 repeats outside, 3-fold grid search inside);
the lexicon baseline on the same data; cross-domain tests (train on one set, test on the
other, both mapped to 3 classes); then fit the final head on all tweets with the config chosen
by 5-fold CV and write it. The numbers go into nlp/models/MODEL_CARD.md.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from core.records import LABELS  # noqa: E402
from nlp.encoder import get_encoder  # noqa: E402
from nlp.sentiment.features import build_features, current_spec  # noqa: E402
from nlp.sentiment.head import DEFAULT_HEAD_PATH  # noqa: E402
from nlp.sentiment.lexicon import lexicon_probs, lexicon_scores  # noqa: E402
from nlp.training.data import LabelledData, read_labelled_csv  # noqa: E402
from nlp.training.fit import (  # noqa: E402
    DEFAULT_GRID,
    choose_final_config,
    cross_validate,
    fit_head,
)
from nlp.training.metrics import evaluate  # noqa: E402

TWEETS = "tweets_polarity_train.csv"
SEMEVAL = "semeval2016_restaurant_sentences_train.csv"
LEXICON = True


def lexicon_report(data: LabelledData) -> dict[str, float]:
    probs = lexicon_probs(lexicon_scores(data.texts))
    predicted = [LABELS[i] for i in probs.argmax(axis=1)]
    report = evaluate(data.labels, predicted)
    return {"macro_f1": round(report.macro_f1, 4), "accuracy": round(report.accuracy, 4)}


def cross_domain(train_x, train_y, test_x, test_y, spec) -> dict[str, float]:
    config = choose_final_config(train_x, train_y)
    head = fit_head(train_x, train_y, spec, config)
    predicted = [LABELS[i] for i in head.predict_proba(test_x).argmax(axis=1)]
    report = evaluate(list(test_y), predicted)
    return {
        "macro_f1": round(report.macro_f1, 4),
        "accuracy": round(report.accuracy, 4),
        "c": config.c,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data-dir",
        default=str(REPO.parent / "shared/data/sentiment-dev"),
        help="Folder with the labelled dev CSVs.",
    )
    parser.add_argument("--out", default=str(DEFAULT_HEAD_PATH), help="Head file to write.")
    parser.add_argument("--report", default="", help="Also write the measurements as JSON here.")
    parser.add_argument("--repeats", type=int, default=3, help="Outer CV repeats.")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    folder = Path(args.data_dir)
    tweets = read_labelled_csv(folder / TWEETS)
    semeval = read_labelled_csv(folder / SEMEVAL, allow_none=True, skip_labels=("mixed",))
    encoder = get_encoder()
    spec = current_spec(lexicon=LEXICON, encoder=encoder)
    x_tw = build_features(tweets.texts, spec, encoder=encoder)
    y_tw = np.asarray(tweets.labels)
    x_se = build_features(semeval.texts, spec, encoder=encoder)
    y_se = np.asarray(semeval.labels)

    results: dict[str, object] = {
        "tweets": {"n": len(tweets), "counts": tweets.counts()},
        "semeval": {"n": len(semeval), "counts": semeval.counts()},
    }
    results["tweets_nested_cv"] = cross_validate(x_tw, y_tw, repeats=args.repeats).summary()
    results["semeval_nested_cv"] = cross_validate(x_se, y_se, repeats=1).summary()
    results["lexicon"] = {"tweets": lexicon_report(tweets), "semeval": lexicon_report(semeval)}
    results["cross_domain"] = {
        "train_tweets_test_semeval": cross_domain(x_tw, y_tw, x_se, y_se, spec),
        "train_semeval_test_tweets": cross_domain(x_se, y_se, x_tw, y_tw, spec),
    }
    config = choose_final_config(x_tw, y_tw, DEFAULT_GRID)
    meta = {
        "trained_on": f"{TWEETS} (all {len(tweets)} rows)",
        "sources": [TWEETS],
        "n": len(tweets),
        "counts": tweets.counts(),
        "cv": results["tweets_nested_cv"],
        "evaluation": {k: v for k, v in results.items() if k not in ("tweets", "semeval")},
    }
    head = fit_head(x_tw, y_tw, spec, config, meta=meta)
    results["version"] = head.save(Path(args.out))
    results["config"] = {"kind": config.kind, "c": config.c}
    text = json.dumps(results, indent=2, ensure_ascii=False)
    print(text)
    if args.report:
        Path(args.report).write_text(text)


if __name__ == "__main__":
    main()
