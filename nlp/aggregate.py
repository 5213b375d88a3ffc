"""From sentence scores to one document score (and to one score per watch in a document).

The rule, so that advisers and the next engineer can check a number by hand:

1. Each sentence i has class probabilities p_i = (p_neg, p_neu, p_pos) from the model.
2. Its weight is w_i = confidence_i × title_i × length_i, where
   - confidence_i = max(p_i) − 1/3 (how far the model is from a coin toss over three
     classes; at least `MIN_CONFIDENCE` so no sentence counts for nothing),
   - title_i = `TITLE_WEIGHT` (2.0) for the headline, 1.0 otherwise — headlines set the tone
     readers take away,
   - length_i = `SHORT_WEIGHT` (0.5) for sentences of fewer than `SHORT_WORDS` (3) words
     ("Lees meer.", "Foto: ANP"), 1.0 otherwise.
3. The document's probabilities are the weighted mean Σ w_i p_i / Σ w_i (they still sum to 1).
4. The label is the argmax, with a neutral band: a polar label (negatief/positief) whose
   probability is less than `NEUTRAL_BAND` (0.10) above the opposite polar class becomes
   neutraal — a text that is as negative as it is positive is, for a communication team,
   "gemengd", which we report as neutraal.

The same rule aggregates the sentences that mention a watch into that watch's score.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from core.records import Label, Sentiment
from nlp.news_item import score_items_whole
from nlp.sentences import split_sentences

if TYPE_CHECKING:
    from nlp.sentiment.base import SentimentModel

TITLE_WEIGHT = 2.0
SHORT_WEIGHT = 0.5
SHORT_WORDS = 3
MIN_CONFIDENCE = 0.05
NEUTRAL_BAND = 0.10


class AggregationError(ValueError):
    """Aggregation was asked for something impossible (no sentences, mismatched lists)."""


def sentence_weight(sentiment: Sentiment, text: str, is_title: bool) -> float:
    """The weight of one sentence in its document's score (see the module docstring)."""
    confidence = max(sentiment.p_neg, sentiment.p_neu, sentiment.p_pos) - 1.0 / 3.0
    weight = max(confidence, MIN_CONFIDENCE)
    if is_title:
        weight *= TITLE_WEIGHT
    if len(text.split()) < SHORT_WORDS:
        weight *= SHORT_WEIGHT
    return weight


def label_for(p_neg: float, p_neu: float, p_pos: float) -> Label:
    """Argmax label with the neutral band between the two polar classes."""
    if p_neu >= p_neg and p_neu >= p_pos:
        return "neutraal"
    if p_neg > p_pos:
        return "negatief" if p_neg - p_pos >= NEUTRAL_BAND else "neutraal"
    return "positief" if p_pos - p_neg >= NEUTRAL_BAND else "neutraal"


def aggregate(
    sentiments: Sequence[Sentiment],
    texts: Sequence[str],
    is_title: Sequence[bool] | None = None,
) -> Sentiment:
    """One score for several sentences: confidence-weighted mean, title up, neutral band.

    >>> from core.records import Sentiment
    >>> neg = Sentiment("negatief", 0.8, 0.1, 0.1, "m", "1")
    >>> pos = Sentiment("positief", 0.1, 0.1, 0.8, "m", "1")
    >>> aggregate([neg, pos], ["Slecht nieuws vandaag.", "Goed nieuws ook."]).label
    'neutraal'
    """
    if not sentiments:
        raise AggregationError("aggregate() needs at least one sentence score")
    flags = list(is_title) if is_title is not None else [False] * len(sentiments)
    if len(texts) != len(sentiments) or len(flags) != len(sentiments):
        raise AggregationError(
            f"aggregate(): {len(sentiments)} scores but {len(texts)} texts and {len(flags)} flags"
        )
    total = neg = neu = pos = 0.0
    for sentiment, text, title in zip(sentiments, texts, flags, strict=True):
        weight = sentence_weight(sentiment, text, title)
        total += weight
        neg += weight * sentiment.p_neg
        neu += weight * sentiment.p_neu
        pos += weight * sentiment.p_pos
    neg, neu, pos = neg / total, neu / total, pos / total
    first = sentiments[0]
    return Sentiment(
        label=label_for(neg, neu, pos),
        p_neg=neg,
        p_neu=neu,
        p_pos=pos,
        model_name=first.model_name,
        model_version=first.model_version,
    )


def news_item_units(headline: str, lead: str) -> tuple[list[str], list[bool]]:
    """A news item as the scorer sees a document: the headline, then the lead's sentences."""
    texts = [" ".join(headline.split())]
    texts += [span.text for span in split_sentences(lead)]
    return texts, [True] + [False] * (len(texts) - 1)


def score_news_items(
    model: SentimentModel, items: Sequence[tuple[str, str]], *, whole_item: bool = False
) -> list[Sentiment]:
    """Document scores of (headline, lead) pairs, by the rule the pipeline applies to a
    crawled news document of this model: with `whole_item` (the news model) headline and lead
    read as one text (`nlp.news_item`); otherwise headline and lead sentences scored one by
    one (one model call for all), then `aggregate` with the headline weighted `TITLE_WEIGHT`.

    Raises `AggregationError` for an item without a headline.
    """
    for number, (headline, _) in enumerate(items):
        if not headline.strip():
            raise AggregationError(f"score_news_items(): item {number} has no headline")
    if whole_item:
        return score_items_whole(model, items)
    units = [news_item_units(headline, lead) for headline, lead in items]
    flat = [text for texts, _ in units for text in texts]
    scores = model.predict(flat) if flat else []
    out: list[Sentiment] = []
    position = 0
    for texts, flags in units:
        out.append(aggregate(scores[position : position + len(texts)], texts, flags))
        position += len(texts)
    return out
