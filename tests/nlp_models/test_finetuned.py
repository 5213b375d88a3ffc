"""The embedded default since v2: e5 fine-tuned with LoRA (shipped adapter, training, files).

The quality gate scores the shipped adapter on the SemEval-2016 Dutch restaurant sentences,
a domain it never saw in training (it was trained on political tweets only)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from core.config import ModelSettings
from nlp.sentiment import ModelLoadError, SentimentModel, load_sentiment_model
from nlp.sentiment.adapter_file import (
    DEFAULT_ADAPTER_PATH,
    FINETUNED_NAME,
    AdapterConfig,
    adapter_version,
    describe_model_file,
    is_adapter_file,
    read_adapter,
    save_adapter,
)
from nlp.sentiment.finetuned import FinetunedSentimentModel
from nlp.sentiment.head import DEFAULT_HEAD_PATH
from nlp.training.data import DataError, LabelledData
from nlp.training.finetune import (
    FinetuneConfig,
    finetune,
    predict_proba,
    stratified_folds,
    train_adapter,
)
from tests.nlp_models.test_cli_model import ROWS
from tests.nlp_models.test_embedded import NEGATIVE, POSITIVE
from tests.nlp_models.unseen_dutch import assert_holds_on_unseen_dutch

UNSEEN_MACRO_F1_FLOOR = 0.61
"""Measured 0.63–0.64 on SemEval (MODEL_CARD.md); the floor fails on a real regression."""
CV_TARGET = 0.72


@pytest.fixture(scope="module")
def model() -> FinetunedSentimentModel:
    return FinetunedSentimentModel()


def test_it_is_the_default_embedded_model(model):
    loaded = load_sentiment_model(ModelSettings(backend="embedded"))
    assert isinstance(loaded, FinetunedSentimentModel)
    assert isinstance(loaded, SentimentModel)
    assert loaded.name == FINETUNED_NAME and loaded.version == model.version
    state, config, meta = read_adapter(DEFAULT_ADAPTER_PATH)
    assert model.version == adapter_version(state, config) == meta["version"]


def test_clear_dutch_sentences(model):
    results = model.predict(POSITIVE + NEGATIVE)
    assert [r.label for r in results] == ["positief"] * 3 + ["negatief"] * 3
    for result in results:
        assert result.model_name == FINETUNED_NAME and result.model_version == model.version
        assert result.p_neg + result.p_neu + result.p_pos == pytest.approx(1.0)


def test_batching_and_order_do_not_change_scores(model):
    texts = POSITIVE + NEGATIVE + ["De raad vergadert dinsdag.", "Kort."]
    one_by_one = np.vstack([model.predict_proba([t]) for t in texts])
    np.testing.assert_allclose(model.predict_proba(texts), one_by_one, atol=1e-5)
    assert model.predict([]) == []


def test_untrusted_input(model):
    huge = "Overlast in de binnenstad. " * 20_000
    results = model.predict(["kapot \ud800 teken", huge, "", "🙂🙂🙂"])
    assert len(results) == 4
    assert all(np.isfinite([r.p_neg, r.p_neu, r.p_pos]).all() for r in results)
    with pytest.raises(TypeError):
        model.predict("geen lijst")
    with pytest.raises(TypeError):
        model.predict([None])  # type: ignore[list-item]


def test_shipped_adapter_records_its_cross_validated_score():
    _, _, meta = read_adapter(DEFAULT_ADAPTER_PATH)
    cv = meta["cv"]
    assert len(cv["macro_f1"]) == cv["folds"] * len(cv["seeds"]) == 15
    assert cv["macro_f1_mean"] == pytest.approx(np.mean(cv["macro_f1"]), abs=1e-3)
    assert cv["macro_f1_mean"] >= CV_TARGET
    assert meta["counts"] == {"negatief": 268, "neutraal": 362, "positief": 269}


def test_holds_on_dutch_text_it_never_saw(model):
    assert_holds_on_unseen_dutch(model, UNSEEN_MACRO_F1_FLOOR)


def test_training_writes_an_adapter_that_scores_like_the_trained_net(tmp_path: Path):
    texts, labels = [t for t, _ in ROWS], [_dutch(label) for _, label in ROWS]
    config = FinetuneConfig(epochs=12, lr=3e-3)
    net = finetune(texts, labels, config, seed=1)
    from nlp.e5_weights import bundled_weights

    probs = predict_proba(net, texts, bundled_weights())
    accuracy = np.mean([p == y for p, y in zip(probs.argmax(1), _indices(labels), strict=True)])
    assert accuracy >= 0.75  # it learnt its training rows (chance: 0.33)
    path = tmp_path / "adapter.npz"
    version = save_adapter(path, net.trainable_state(), net.config, {"n": len(texts)})
    assert is_adapter_file(path) and not is_adapter_file(DEFAULT_HEAD_PATH)
    loaded = FinetunedSentimentModel(path)
    assert loaded.version == version != FinetunedSentimentModel().version
    np.testing.assert_allclose(loaded.predict_proba(texts), probs, atol=1e-4)
    assert describe_model_file(path)[:2] == (FINETUNED_NAME, version)


def test_train_adapter_needs_every_label(tmp_path: Path):
    data = LabelledData()
    data.texts = ["mooi", "prachtig", "top", "lelijk", "slecht", "naar", "de raad"]
    data.labels = ["positief"] * 3 + ["negatief"] * 3 + ["neutraal"]
    data.origins = ["x"] * 7
    with pytest.raises(DataError, match=r"Too few examples of neutraal \("):
        train_adapter(data, tmp_path / "a.npz")
    assert not (tmp_path / "a.npz").exists()


def test_stratified_folds_partition_every_class():
    labels = ["positief"] * 7 + ["negatief"] * 5 + ["neutraal"] * 9
    folds = stratified_folds(labels, 3, seed=0)
    assert sorted(np.concatenate(folds).tolist()) == list(range(len(labels)))
    for fold in folds:
        counts = {label: sum(labels[i] == label for i in fold) for label in set(labels)}
        assert min(counts.values()) >= 1
    assert [f.tolist() for f in folds] == [f.tolist() for f in stratified_folds(labels, 3, 0)]


def test_bad_adapter_files_are_load_errors(tmp_path: Path):
    with pytest.raises(ModelLoadError, match="does not exist"):
        FinetunedSentimentModel(tmp_path / "missing.npz")
    garbage = tmp_path / "garbage.npz"
    garbage.write_bytes(b"not a zip")
    with pytest.raises(ModelLoadError, match="not valid"):
        FinetunedSentimentModel(garbage)
    state, config, meta = read_adapter(DEFAULT_ADAPTER_PATH)
    small = tmp_path / "small.npz"
    save_adapter(small, {**state, "l0.q.lora_a": state["l0.q.lora_a"][:4]}, config, meta)
    with pytest.raises(ModelLoadError, match="does not fit"):
        FinetunedSentimentModel(small)
    other = tmp_path / "other.npz"
    save_adapter(other, state, AdapterConfig(**{**config.__dict__, "rank": 4}), meta)
    with pytest.raises(ModelLoadError, match="does not fit"):
        FinetunedSentimentModel(other)
    relabelled = tmp_path / "relabelled.npz"
    with np.load(DEFAULT_ADAPTER_PATH) as data:
        arrays = {k: data[k] for k in data.files}
    arrays["labels"] = np.array(["neg", "neu", "pos"])
    np.savez(relabelled, **arrays)
    with pytest.raises(ModelLoadError, match="labels"):
        FinetunedSentimentModel(relabelled)


def test_config_round_trips_through_json():
    config = AdapterConfig(rank=4, targets=("q", "k", "v"), encoder_digest="abc")
    assert AdapterConfig.from_json(config.to_json()) == config
    assert json.loads(config.to_json())["targets"] == ["q", "k", "v"]


def _dutch(label: str) -> str:
    from nlp.training.data import normalise_label

    result = normalise_label(label)
    assert result
    return result


def _indices(labels: list[str]) -> list[int]:
    from core.records import LABELS

    return [LABELS.index(label) for label in labels]
