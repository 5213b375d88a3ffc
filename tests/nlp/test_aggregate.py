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
