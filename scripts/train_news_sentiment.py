"""Train the embedded sentiment head on all real Dutch data and measure it per domain.

Data: the labelled news set in this repository (nlp/data/news/news_sentiment.csv) plus the
tweets and SemEval restaurant sentences in ../shared/data/sentiment-dev (NOT in the repo).

Run from the repository root (needs scikit-learn, a dev dependency):

    .venv/bin/python scripts/train_news_sentiment.py --recipe '{"news": "both", ...}' \
        [--cache DIR] [--out nlp/models/sentiment_head_v3.npz] [--report FILE.json]

Protocol (the numbers in nlp/models/MODEL_CARD.md): the recipe is fixed beforehand (chosen on
design folds with fold seeds 7 and 11); then news and tweets are each split into 5 stratified
folds with fold seeds 0, 1, 2; fold k trains on every other news and tweet fold plus all
SemEval sentences and tests on news fold k (each item scored from headline and lead with the
document rule of nlp/aggregate.py) and tweet fold k. Reported: mean ± sd over the 15 folds and
a 95 % interval (mean ± 1.96 sd/√15) per domain, macro-F1 and negatief recall. Then one head
is fitted on everything and written. `--cache` keeps the e5 embeddings between runs.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import math
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from core.records import LABELS, Sentiment  # noqa: E402
from nlp.aggregate import aggregate  # noqa: E402
from nlp.encoder import get_encoder  # noqa: E402
from nlp.sentiment.features import build_features, current_spec  # noqa: E402
from nlp.training.data import normalise_label  # noqa: E402
from nlp.training.finetune import stratified_folds  # noqa: E402
from nlp.training.fit import HeadConfig, fit_head  # noqa: E402
from nlp.training.metrics import evaluate  # noqa: E402
from nlp.training.news_data import read_news_csv  # noqa: E402

TWEETS = "tweets_polarity_train.csv"
SEMEVAL = "semeval2016_restaurant_sentences_train.csv"
DEFAULT_RECIPE = {"news": "item", "news_weight": 1.0, "semeval_weight": 0.0, "c": 0.002,
                  "doc": "item"}
"""Chosen on the design folds (MODEL_CARD.md, "News"): `news` item = train on "headline. lead",
both = headline and lead as two texts; `doc` item = score an item as one text, or a number =
score headline and lead apart and combine them with that headline weight."""


def read_rows(path: Path, allow_none: bool = False) -> tuple[list[str], list[str]]:
    """(texts, labels) of a text,label CSV; SemEval's 'mixed' rows are left out."""
    texts, labels = [], []
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            label = normalise_label(row["label"], allow_none=allow_none)
            if label is not None:
                texts.append(row["text"])
                labels.append(label)
    return texts, labels


def features_for(name: str, texts: list[str], spec: Any, cache: Path | None) -> np.ndarray:
    """Embedding + lexicon features; embeddings cached as <cache>/<name>.npy when asked."""
    cached = cache / f"{name}.npy" if cache else None
    if cached and cached.exists():
        embeddings = np.load(cached)
    else:
        embeddings = get_encoder().encode(texts, mode="query")
        if cached:
            cached.parent.mkdir(parents=True, exist_ok=True)
            np.save(cached, embeddings)
    return build_features(texts, spec, embeddings=embeddings)


def news_item_labels(head: Any, heads: np.ndarray, leads: np.ndarray, items: list,
                     title_weight: float) -> list[str]:
    """Document labels: headline and lead scored apart, combined by nlp.aggregate with the
    headline weighted `title_weight`."""
    import nlp.aggregate

    nlp.aggregate.TITLE_WEIGHT = title_weight
    p_head, p_lead = head.predict_proba(heads), head.predict_proba(leads)
    out: list[str] = []
    for item, a, b in zip(items, p_head, p_lead, strict=True):
        scores = [Sentiment("neutraal", float(a[0]), float(a[1]), float(a[2]), "m", "v"),
                  Sentiment("neutraal", float(b[0]), float(b[1]), float(b[2]), "m", "v")]
        out.append(aggregate(scores, [item.headline, item.lead], [True, False]).label)
    return out


def training_set(recipe: dict, news_parts: list[np.ndarray], y_news: np.ndarray,
                 x_tweets: np.ndarray, y_tweets: np.ndarray, x_semeval: np.ndarray,
                 y_semeval: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    xs, ys, ws = [x_tweets], [y_tweets], [np.ones(len(y_tweets))]
    for part in news_parts:
        xs.append(part)
        ys.append(y_news)
        ws.append(np.full(len(y_news), recipe["news_weight"]))
    if recipe["semeval_weight"] > 0:
        xs.append(x_semeval)
        ys.append(y_semeval)
        ws.append(np.full(len(y_semeval), recipe["semeval_weight"]))
    return np.vstack(xs), np.concatenate(ys), np.concatenate(ws)


def summary(values: list[float]) -> dict[str, float | list[float]]:
    mean, sd = float(np.mean(values)), float(np.std(values))
    half = 1.96 * sd / math.sqrt(len(values))
    return {"mean": round(mean, 4), "sd": round(sd, 4),
            "ci95": [round(mean - half, 4), round(mean + half, 4)]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, default=REPO.parent / "shared/data/sentiment-dev")
    parser.add_argument("--recipe", type=json.loads, default=DEFAULT_RECIPE)
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=REPO / "nlp/models/sentiment_head_v3.npz")
    parser.add_argument("--report", type=Path, default=None)
    parser.add_argument("--seeds", default="0,1,2")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    recipe = {**DEFAULT_RECIPE, **args.recipe}
    spec = current_spec(lexicon=True)
    items = read_news_csv()
    y_news = np.array([item.label for item in items])
    heads = features_for("news_head", [i.headline for i in items], spec, args.cache)
    leads = features_for("news_lead", [i.lead for i in items], spec, args.cache)
    both = features_for("news_both", [i.text for i in items], spec, args.cache)
    tweet_texts, tweet_labels = read_rows(args.data_dir / TWEETS)
    semeval_texts, semeval_labels = read_rows(args.data_dir / SEMEVAL, allow_none=True)
    x_tweets = features_for("tweets", tweet_texts, spec, args.cache)
    if recipe["semeval_weight"] > 0:
        x_semeval = features_for("semeval", semeval_texts, spec, args.cache)
    else:
        x_semeval, semeval_labels = np.zeros((0, x_tweets.shape[1])), []
    y_tweets, y_semeval = np.array(tweet_labels), np.array(semeval_labels)
    parts = {"item": [both], "both": [heads, leads]}[recipe["news"]]
    config = HeadConfig(kind="logreg", c=recipe["c"])
    scores: dict[str, list[float]] = {k: [] for k in ("news_f1", "news_neg", "tweets_f1",
                                                      "tweets_neg")}
    for seed in (int(s) for s in args.seeds.split(",")):
        news_folds = stratified_folds(y_news.tolist(), 5, seed)
        tweet_folds = stratified_folds(tweet_labels, 5, seed)
        for news_test, tweet_test in zip(news_folds, tweet_folds, strict=True):
            news_train = np.setdiff1d(np.arange(len(y_news)), news_test)
            tweet_train = np.setdiff1d(np.arange(len(y_tweets)), tweet_test)
            x, y, w = training_set(recipe, [p[news_train] for p in parts], y_news[news_train],
                                   x_tweets[tweet_train], y_tweets[tweet_train], x_semeval,
                                   y_semeval)
            head = fit_head(x, y, spec, config, sample_weight=w)
            if recipe["doc"] == "item":
                news_pred = [LABELS[i] for i in head.predict_proba(both[news_test]).argmax(1)]
            else:
                news_pred = news_item_labels(head, heads[news_test], leads[news_test],
                                             [items[i] for i in news_test], float(recipe["doc"]))
            news_report = evaluate(y_news[news_test].tolist(), news_pred)
            tweet_pred = [LABELS[i] for i in head.predict_proba(x_tweets[tweet_test]).argmax(1)]
            tweet_report = evaluate(y_tweets[tweet_test].tolist(), tweet_pred)
            scores["news_f1"].append(news_report.macro_f1)
            scores["news_neg"].append(news_report.per_class["negatief"]["recall"])
            scores["tweets_f1"].append(tweet_report.macro_f1)
            scores["tweets_neg"].append(tweet_report.per_class["negatief"]["recall"])
            logging.info("fold: news %.3f (neg rec %.3f), tweets %.3f", news_report.macro_f1,
                         scores["news_neg"][-1], tweet_report.macro_f1)
    domains = {
        "news": {"macro_f1": summary(scores["news_f1"]),
                 "recall_negatief": summary(scores["news_neg"])},
        "tweets": {"macro_f1": summary(scores["tweets_f1"]),
                   "recall_negatief": summary(scores["tweets_neg"])},
    }
    cv = {
        "macro_f1_mean": domains["news"]["macro_f1"]["mean"],
        "macro_f1_std": domains["news"]["macro_f1"]["sd"],
        "folds": len(scores["news_f1"]),
        "domains": {
            name: {"macro_f1_mean": d["macro_f1"]["mean"],
                   "recall_negatief_mean": d["recall_negatief"]["mean"]}
            for name, d in domains.items()
        },
    }
    x, y, w = training_set(recipe, parts, y_news, x_tweets, y_tweets, x_semeval, y_semeval)
    meta = {
        "trained": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "sources": ["news_sentiment.csv", TWEETS, SEMEVAL],
        "n": int(len(y)),
        "counts": {label: int((y == label).sum()) for label in LABELS},
        "recipe": recipe,
        "cv": cv,
        "cv_detail": domains,
    }
    head = fit_head(x, y, spec, config, meta=meta, sample_weight=w)
    version = head.save(args.out)
    result = {"version": version, "out": str(args.out), "recipe": recipe, "domains": domains}
    print(json.dumps(result, indent=1))
    if args.report:
        args.report.write_text(json.dumps(result, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
