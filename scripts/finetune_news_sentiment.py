"""Fine-tune the news model (e5 top layers, LoRA) on news + tweets; cross-validate; ship it.

The recipe and why it was chosen: nlp/models/MODEL_CARD.md, section 0. News items are read
as one text ("headline. lead"), the way the pipeline scores a news document. News and tweets
are folded separately (stratified) and fold k of both is held out together; the figures per
domain are the mean over folds with a 95 % interval (mean ± 1.96·sd/√folds).

Usage:
    python scripts/finetune_news_sentiment.py --data-dir ../shared/data/sentiment-dev \
        --seeds 0 --out nlp/models/sentiment_news_lora_v4.npz --report report.json
    --no-final: only cross-validate (recipe search); --recipe '{"lr": 5e-4}' overrides;
    --cv-report FILE: take the CV figures from an earlier --no-final report of the same recipe
    and data (checked) instead of training every fold again.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import torch

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from core.records import LABELS  # noqa: E402
from nlp.e5_weights import bundled_weights  # noqa: E402
from nlp.sentiment.adapter_file import AdapterConfig, save_adapter  # noqa: E402
from nlp.training.finetune import stratified_folds  # noqa: E402
from nlp.training.metrics import evaluate  # noqa: E402
from nlp.training.news_data import read_news_csv  # noqa: E402
from nlp.training.top_layers import (  # noqa: E402
    TopLayerConfig,
    cache_states,
    proba_from_states,
    train_top_layers,
)

TWEETS = "tweets_polarity_train.csv"
DEFAULT_RECIPE: dict[str, Any] = {
    "frozen_layers": 6,
    "rank": 8,
    "alpha": 16.0,
    "targets": ["q", "v"],
    "lr": 1e-3,
    "epochs": 5,
    "batch_size": 16,
    "dropout": 0.1,
    "weight_decay": 0.01,
    "news_weight": 1.0,
}


def read_rows(path: Path) -> tuple[list[str], list[str]]:
    """(texts, labels) of the tweets file (text,label; labels already negatief/…)."""
    import csv

    from nlp.training.data import normalise_label

    texts, labels = [], []
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            label = normalise_label(row["label"])
            if label is not None:
                texts.append(row["text"])
                labels.append(label)
    return texts, labels


def config_for(recipe: dict[str, Any], digest: str) -> TopLayerConfig:
    adapter = AdapterConfig(
        rank=int(recipe["rank"]),
        alpha=float(recipe["alpha"]),
        targets=tuple(recipe["targets"]),
        max_tokens=128,
        encoder_digest=digest,
    )
    return TopLayerConfig(
        adapter=adapter,
        frozen_layers=int(recipe["frozen_layers"]),
        lr=float(recipe["lr"]),
        epochs=int(recipe["epochs"]),
        batch_size=int(recipe["batch_size"]),
        dropout=float(recipe["dropout"]),
        weight_decay=float(recipe["weight_decay"]),
    )


def summary(values: list[float]) -> dict[str, Any]:
    mean, sd = float(np.mean(values)), float(np.std(values))
    half = 1.96 * sd / math.sqrt(len(values))
    return {"mean": round(mean, 4), "sd": round(sd, 4),
            "ci95": [round(mean - half, 4), round(mean + half, 4)],
            "folds": [round(v, 4) for v in values]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, default=REPO.parent / "shared/data/sentiment-dev")
    parser.add_argument("--recipe", type=json.loads, default={})
    parser.add_argument("--seeds", default="0")
    parser.add_argument("--folds", default="", help="only these fold numbers (design runs)")
    parser.add_argument("--out", type=Path, default=REPO / "nlp/models/sentiment_news_lora_v4.npz")
    parser.add_argument("--report", type=Path, default=None)
    parser.add_argument("--no-final", action="store_true")
    parser.add_argument("--cv-report", type=Path, default=None)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    torch.set_num_threads(2)
    recipe = {**DEFAULT_RECIPE, **args.recipe}
    weights = bundled_weights()
    config = config_for(recipe, weights.digest)
    items = read_news_csv()
    y_news = np.array([item.label for item in items])
    tweet_texts, tweet_labels = read_rows(args.data_dir / TWEETS)
    y_tweets = np.array(tweet_labels)
    news_states = cache_states([item.text for item in items], weights, config)
    tweet_states = cache_states(tweet_texts, weights, config)
    logging.info("cached %d news and %d tweet states", len(news_states), len(tweet_states))
    if args.cv_report:
        earlier = json.loads(args.cv_report.read_text(encoding="utf-8"))
        if earlier["recipe"] != recipe or earlier.get("n_news") != len(items):
            raise SystemExit(f"{args.cv_report} was made with another recipe or news set")
        scores = {"news_f1": earlier["domains"]["news"]["macro_f1"]["folds"],
                  "news_neg": earlier["domains"]["news"]["recall_negatief"]["folds"],
                  "tweets_f1": earlier["domains"]["tweets"]["macro_f1"]["folds"],
                  "tweets_neg": earlier["domains"]["tweets"]["recall_negatief"]["folds"]}
        confusion = np.array(earlier["news_confusion"])
        args.seeds, args.folds = "", ""
    else:
        scores = {k: [] for k in ("news_f1", "news_neg", "tweets_f1", "tweets_neg")}
        confusion = np.zeros((3, 3), dtype=int)
    wanted = {int(k) for k in args.folds.split(",") if k}
    for seed in (int(s) for s in args.seeds.split(",") if s):
        folds = zip(stratified_folds(y_news.tolist(), 5, seed),
                    stratified_folds(tweet_labels, 5, seed), strict=True)
        for number, (news_test, tweet_test) in enumerate(folds):
            if wanted and number not in wanted:
                continue
            news_train = np.setdiff1d(np.arange(len(y_news)), news_test)
            tweet_train = np.setdiff1d(np.arange(len(y_tweets)), tweet_test)
            states = [news_states[i] for i in news_train] + [tweet_states[i] for i in tweet_train]
            labels = y_news[news_train].tolist() + y_tweets[tweet_train].tolist()
            sample_weight = [recipe["news_weight"]] * len(news_train) + [1.0] * len(tweet_train)
            net = train_top_layers(states, labels, weights, config, sample_weight,
                                   seed=1000 * seed + number)
            news_pred = proba_from_states(net, [news_states[i] for i in news_test],
                                          config.frozen_layers).argmax(1)
            tweet_pred = proba_from_states(net, [tweet_states[i] for i in tweet_test],
                                           config.frozen_layers).argmax(1)
            news_report = evaluate(y_news[news_test].tolist(), [LABELS[i] for i in news_pred])
            tweet_report = evaluate(y_tweets[tweet_test].tolist(), [LABELS[i] for i in tweet_pred])
            for gold, pred in zip(y_news[news_test], news_pred, strict=True):
                confusion[LABELS.index(gold), pred] += 1
            scores["news_f1"].append(news_report.macro_f1)
            scores["news_neg"].append(news_report.per_class["negatief"]["recall"])
            scores["tweets_f1"].append(tweet_report.macro_f1)
            scores["tweets_neg"].append(tweet_report.per_class["negatief"]["recall"])
            logging.info("seed %d fold %d: news %.3f (neg rec %.3f), tweets %.3f", seed, number,
                         news_report.macro_f1, scores["news_neg"][-1], tweet_report.macro_f1)
    domains = {
        "news": {"macro_f1": summary(scores["news_f1"]),
                 "recall_negatief": summary(scores["news_neg"])},
        "tweets": {"macro_f1": summary(scores["tweets_f1"]),
                   "recall_negatief": summary(scores["tweets_neg"])},
    }
    result: dict[str, Any] = {"recipe": recipe, "domains": domains, "n_news": len(items),
                              "news_confusion": confusion.tolist(), "labels": list(LABELS)}
    if not args.no_final:
        cv = {
            "macro_f1_mean": domains["news"]["macro_f1"]["mean"],
            "macro_f1_std": domains["news"]["macro_f1"]["sd"],
            "folds": len(scores["news_f1"]),
            "domains": {name: {"macro_f1_mean": d["macro_f1"]["mean"],
                               "recall_negatief_mean": d["recall_negatief"]["mean"]}
                        for name, d in domains.items()},
        }
        states = list(news_states) + list(tweet_states)
        labels = y_news.tolist() + y_tweets.tolist()
        sample_weight = [recipe["news_weight"]] * len(y_news) + [1.0] * len(y_tweets)
        net = train_top_layers(states, labels, weights, config, sample_weight, seed=7)
        meta = {
            "trained": datetime.now(UTC).replace(microsecond=0).isoformat(),
            "sources": ["news_sentiment.csv", TWEETS],
            "n": len(labels),
            "counts": {label: labels.count(label) for label in LABELS},
            "recipe": recipe,
            "cv": cv,
            "cv_detail": domains,
        }
        version = save_adapter(args.out, net.trainable_state(), replace(config.adapter), meta)
        result.update({"version": version, "out": str(args.out)})
    print(json.dumps(result, indent=1))
    if args.report:
        args.report.write_text(json.dumps(result, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
