"""Evaluation gate on real Dutch news (nlp/data/news/news_sentiment.csv, hand-labelled).

The frozen-head news model (nlp/models/sentiment_news_head_v4.npz: the cheaper alternative
that ships beside the default fine-tuned news model, see test_news_lora_gate.py) was fitted
on the whole news set, so scoring that set with the file itself
is in-sample and proves nothing about new news. As in test_eval_gate.py, the gate therefore
re-trains the shipped file's own recipe (its stored config) inside 5-fold CV on news + tweets
(so no score comes from training data): it must keep its pinned news macro-F1 and negatief
recall, stay clearly above the lexicon baseline on news, and keep its tweet score. The floors
sit a little under the measured means (fold noise, one fold seed here against three in the
card) but fail on a real regression. The in-sample check only guards the file itself.
"""

from __future__ import annotations

import numpy as np
import pytest

from core.records import LABELS
from nlp.sentiment.features import build_features, current_spec
from nlp.sentiment.head import load_head
from nlp.sentiment.lexicon import LexiconSentimentModel
from nlp.sentiment.loader import DEFAULT_NEWS_HEAD_PATH
from nlp.training.finetune import stratified_folds
from nlp.training.fit import HeadConfig, fit_head
from nlp.training.metrics import evaluate
from nlp.training.news_data import read_news_csv

HEAD_V4 = DEFAULT_NEWS_HEAD_PATH.parent / "sentiment_news_head_v4.npz"
NEWS_MACRO_F1_FLOOR = 0.62
"""Measured 0.658 on these folds (fold seed 0; 2,081 news items), 0.657 ± 0.013 over 15 folds
in the card."""
NEWS_NEG_RECALL_FLOOR = 0.77
"""Measured 0.809 (fold seed 0), 0.801 ± 0.028 over 15 folds."""
TWEETS_MACRO_F1_FLOOR = 0.61
"""Measured 0.647 (fold seed 0), 0.648 ± 0.031 over 15 folds."""
LEXICON_MARGIN = 0.15
RECIPE = {"news": "item", "news_weight": 1.0, "semeval_weight": 0.0, "c": 0.002, "doc": "item"}
"""The recipe of the card: logistic regression (C 0.002, balanced) on e5 + lexicon features
of `headline. lead` and of the tweets, news and tweets weighted equally."""


@pytest.fixture(scope="module")
def shipped():
    return load_head(HEAD_V4)


@pytest.fixture(scope="module")
def news():
    items = read_news_csv()
    return [item.text for item in items], np.array([item.label for item in items])


@pytest.fixture(scope="module")
def news_embeddings(news):
    from nlp.encoder import get_encoder

    return get_encoder().encode(news[0])


@pytest.fixture(scope="module")
def cv_scores(news, news_embeddings, tweets, tweet_embeddings, shipped) -> dict[str, float]:
    spec = current_spec(lexicon=True)
    config = HeadConfig(**shipped.meta["config"])
    x_news = build_features(news[0], spec, embeddings=news_embeddings)
    x_tweets = build_features(tweets[0], spec, embeddings=tweet_embeddings)
    y_news, y_tweets = news[1], np.array(tweets[1])
    news_f1, news_neg, tweet_f1 = [], [], []
    folds = zip(
        stratified_folds(y_news.tolist(), 5, 0), stratified_folds(y_tweets.tolist(), 5, 0),
        strict=True,
    )
    for news_test, tweet_test in folds:
        news_train = np.setdiff1d(np.arange(len(y_news)), news_test)
        tweet_train = np.setdiff1d(np.arange(len(y_tweets)), tweet_test)
        head = fit_head(
            np.vstack([x_news[news_train], x_tweets[tweet_train]]),
            np.concatenate([y_news[news_train], y_tweets[tweet_train]]),
            spec,
            config,
        )
        report = evaluate(
            y_news[news_test].tolist(),
            [LABELS[i] for i in head.predict_proba(x_news[news_test]).argmax(1)],
        )
        news_f1.append(report.macro_f1)
        news_neg.append(report.per_class["negatief"]["recall"])
        tweet_f1.append(
            evaluate(
                y_tweets[tweet_test].tolist(),
                [LABELS[i] for i in head.predict_proba(x_tweets[tweet_test]).argmax(1)],
            ).macro_f1
        )
    return {
        "news_f1": float(np.mean(news_f1)),
        "news_neg": float(np.mean(news_neg)),
        "tweets_f1": float(np.mean(tweet_f1)),
    }


def test_news_recipe_keeps_its_pinned_figures(cv_scores):
    assert cv_scores["news_f1"] >= NEWS_MACRO_F1_FLOOR
    assert cv_scores["news_neg"] >= NEWS_NEG_RECALL_FLOOR
    assert cv_scores["tweets_f1"] >= TWEETS_MACRO_F1_FLOOR


def test_news_recipe_is_clearly_above_the_lexicon_on_news(news, cv_scores):
    predicted = [s.label for s in LexiconSentimentModel().predict(news[0])]
    lexicon = evaluate(news[1].tolist(), predicted)
    assert lexicon.macro_f1 < 0.5
    assert cv_scores["news_f1"] >= lexicon.macro_f1 + LEXICON_MARGIN


def test_shipped_news_head_is_the_gated_recipe(shipped):
    from nlp.encoder import get_encoder

    assert shipped.meta["recipe"] == RECIPE
    assert shipped.meta["config"]["kind"] == "logreg"
    assert shipped.meta["config"]["c"] == RECIPE["c"]
    assert shipped.spec.encoder_version == get_encoder().version
    news_cv = shipped.meta["cv"]["domains"]["news"]  # 15 folds, written by the script
    assert news_cv["macro_f1_mean"] >= NEWS_MACRO_F1_FLOOR
    assert news_cv["recall_negatief_mean"] >= NEWS_NEG_RECALL_FLOOR


def test_shipped_news_head_in_sample_is_not_below_its_held_out_figures(
    news, news_embeddings, shipped, cv_scores
):
    """In-sample (the file saw every item): a sanity check of the file, not a figure to
    report; a fit that scores its own training data below the held-out figures is broken."""
    features = build_features(news[0], shipped.spec, embeddings=news_embeddings)
    predicted = [LABELS[i] for i in shipped.predict_proba(features).argmax(1)]
    report = evaluate(news[1].tolist(), predicted)
    assert report.macro_f1 >= cv_scores["news_f1"]
    assert report.per_class["negatief"]["recall"] >= cv_scores["news_neg"]
