"""The document-score rule: confidence-weighted mean, headline weighted up, neutral band."""

from __future__ import annotations

import pytest

from core.records import Sentiment
from nlp.aggregate import AggregationError, aggregate, label_for, sentence_weight


def s(p_neg: float, p_neu: float, p_pos: float) -> Sentiment:
    label = ("negatief", "neutraal", "positief")[
        [p_neg, p_neu, p_pos].index(max(p_neg, p_neu, p_pos))
    ]
    return Sentiment(label, p_neg, p_neu, p_pos, "m", "v1")  # type: ignore[arg-type]


LONG = "Dit is een gewone zin van genoeg woorden."


def test_single_sentence_keeps_its_probabilities() -> None:
    result = aggregate([s(0.7, 0.2, 0.1)], [LONG])
    assert (result.p_neg, result.p_neu, result.p_pos) == pytest.approx((0.7, 0.2, 0.1))
    assert result.label == "negatief"
    assert (result.model_name, result.model_version) == ("m", "v1")


def test_weighted_mean_by_confidence() -> None:
    confident = s(0.9, 0.05, 0.05)  # weight 0.9 - 1/3
    unsure = s(0.3, 0.3, 0.4)  # weight 0.4 - 1/3
    result = aggregate([confident, unsure], [LONG, LONG])
    w1, w2 = 0.9 - 1 / 3, 0.4 - 1 / 3
    expected_neg = (w1 * 0.9 + w2 * 0.3) / (w1 + w2)
    assert result.p_neg == pytest.approx(expected_neg)
    assert result.p_neg + result.p_neu + result.p_pos == pytest.approx(1.0)


def test_title_weighs_double() -> None:
    title, body = s(0.1, 0.1, 0.8), s(0.8, 0.1, 0.1)
    without = aggregate([title, body], ["Kop met genoeg woorden erin", LONG], [False, False])
    with_title = aggregate([title, body], ["Kop met genoeg woorden erin", LONG], [True, False])
    assert without.label == "neutraal"  # equal and opposite: the neutral band
    assert with_title.label == "positief"
    assert with_title.p_pos == pytest.approx((2 * 0.8 + 0.1) / 3)


def test_short_sentences_weigh_half() -> None:
    assert sentence_weight(s(0.8, 0.1, 0.1), "Lees meer.", False) == pytest.approx(
        0.5 * sentence_weight(s(0.8, 0.1, 0.1), LONG, False)
    )


def test_uncertain_sentences_still_count_a_little() -> None:
    assert sentence_weight(s(1 / 3, 1 / 3, 1 / 3), LONG, False) == pytest.approx(0.05)


@pytest.mark.parametrize(
    ("probs", "label"),
    [
        ((0.45, 0.10, 0.45), "neutraal"),  # as negative as positive
        ((0.50, 0.09, 0.41), "neutraal"),  # polar margin 0.09 < 0.10
        ((0.52, 0.08, 0.40), "negatief"),  # margin 0.12
        ((0.20, 0.50, 0.30), "neutraal"),
        ((0.10, 0.20, 0.70), "positief"),
    ],
)
def test_label_neutral_band(probs: tuple[float, float, float], label: str) -> None:
    assert label_for(*probs) == label


def test_errors_on_bad_input() -> None:
    with pytest.raises(AggregationError):
        aggregate([], [])
    with pytest.raises(AggregationError):
        aggregate([s(0.1, 0.1, 0.8)], [LONG, LONG])


def test_news_item_units_put_the_headline_first() -> None:
    from nlp.aggregate import news_item_units

    texts, flags = news_item_units(
        "Brand  in stadskantoor", "De brandweer rukte uit. Niemand raakte gewond."
    )
    assert texts == ["Brand in stadskantoor", "De brandweer rukte uit.", "Niemand raakte gewond."]
    assert flags == [True, False, False]
    assert news_item_units("Kop alleen", "") == (["Kop alleen"], [True])


def test_news_item_score_is_the_document_rule_over_headline_and_lead(monkeypatch) -> None:
    from nlp.aggregate import TITLE_WEIGHT, news_item_units, score_news_items
    from nlp.sentiment.lexicon import LexiconSentimentModel

    model = LexiconSentimentModel()
    items = [
        ("Schandalig slecht beheer van het park", "Het park is prachtig en de bewoners zijn blij."),
        ("Prachtig nieuw park geopend", "Omwonenden zijn erg blij met het mooie groen."),
    ]
    scores = score_news_items(model, items)
    for (headline, lead), score in zip(items, scores, strict=True):
        texts, flags = news_item_units(headline, lead)
        expected = aggregate(model.predict(texts), texts, flags)
        assert (score.p_neg, score.p_neu, score.p_pos) == pytest.approx(
            (expected.p_neg, expected.p_neu, expected.p_pos)
        )
    # The headline's weight is what moves the first item: weighting it less raises p_pos.
    monkeypatch.setattr("nlp.aggregate.TITLE_WEIGHT", TITLE_WEIGHT / 4)
    lighter = score_news_items(model, items[:1])[0]
    assert lighter.p_pos > scores[0].p_pos
    with pytest.raises(AggregationError, match="item 0 has no headline"):
        score_news_items(model, [("  ", "Alleen een intro.")])
    assert score_news_items(model, []) == []
