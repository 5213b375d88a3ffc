"""The check every shipped sentiment model must pass on Dutch text it never saw in training:
the SemEval-2016 Dutch restaurant sentences (no restaurant text is in any training set).

One check for each gate (the tweet adapter in test_finetuned.py, the news adapter in
test_news_lora_gate.py), so both models are held to the same test; each gate keeps its own
floor, measured for its model (MODEL_CARD.md)."""

from __future__ import annotations

from nlp.sentiment import SentimentModel
from nlp.sentiment.lexicon import LexiconSentimentModel
from nlp.training.data import read_labelled_csv
from nlp.training.metrics import evaluate
from tests.nlp_models.conftest import DEV_DIR

SEMEVAL = DEV_DIR / "semeval2016_restaurant_sentences_train.csv"
LEXICON_MARGIN = 0.04
"""How much better than the word list (lexicon) a model must do on the unseen sentences."""


def assert_holds_on_unseen_dutch(model: SentimentModel, floor: float) -> None:
    """Macro-F1 of `model` on the SemEval sentences (mixed ones left out) reaches `floor`
    and beats the lexicon by `LEXICON_MARGIN`."""
    data = read_labelled_csv(SEMEVAL, allow_none=True, skip_labels=("mixed",))
    ours = evaluate(data.labels, [s.label for s in model.predict(data.texts)])
    lexicon = evaluate(data.labels, [s.label for s in LexiconSentimentModel().predict(data.texts)])
    assert ours.macro_f1 >= floor
    assert ours.macro_f1 >= lexicon.macro_f1 + LEXICON_MARGIN
