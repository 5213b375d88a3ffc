"""Which model `backend = "auto"` picks, and the neutral band that two-class transformers
models get. Transformers models are tiny random ones built in the test (no network)."""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

import numpy as np
import pytest

from core.config import ConfigError, ModelSettings, load_config
from nlp.sentiment import ModelLoadError, load_sentiment_model
from nlp.sentiment.adapter_file import FINETUNED_NAME
from nlp.sentiment.transformers_backend import TransformersSentimentModel, with_neutral_band

TEXTS = ["de gemeente is goed", "overlast en klachten", "het park", "boos boos boos", "mooi"]


def tiny_settings(path: Path, **changes: object) -> ModelSettings:
    base = ModelSettings(name=str(path), device="cpu", batch_size=2, max_length=32, threads=1)
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_default_is_the_embedded_model_and_no_hub_is_tried(caplog, monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    assert ModelSettings().name == ""
    with caplog.at_level(logging.INFO):
        model = load_sentiment_model(ModelSettings())
    assert model.name == FINETUNED_NAME
    assert "Transformers model" not in caplog.text  # no silent attempt at a hub model


def test_auto_uses_a_named_model_and_transformers_needs_a_name(tiny_model_factory):
    path = tiny_model_factory()
    model = load_sentiment_model(tiny_settings(path, backend="auto"))
    assert isinstance(model, TransformersSentimentModel)
    assert model.name == str(path)
    with pytest.raises(ModelLoadError, match='needs a model: set name'):
        load_sentiment_model(ModelSettings(backend="transformers"))


def test_two_class_model_gets_the_neutral_band(tiny_model_factory):
    path = tiny_model_factory({0: "negative", 1: "positive"}, seed=3)
    plain = load_sentiment_model(tiny_settings(path, backend="transformers", neutral_band=0.0))
    raw = np.array([[s.p_neg, s.p_neu, s.p_pos] for s in plain.predict(TEXTS)])
    assert np.all(raw[:, 1] == 0.0)  # band 0: the old two-class behaviour
    margins = raw[:, 2] - raw[:, 0]
    band = float(np.median(np.abs(margins)))  # half the texts fall inside the band
    banded = load_sentiment_model(tiny_settings(path, backend="transformers", neutral_band=band))
    scores = banded.predict(TEXTS)
    for score, margin in zip(scores, margins, strict=True):
        expected = np.array([max(-margin, 0.0), band, max(margin, 0.0)])
        expected /= expected.sum()
        np.testing.assert_allclose([score.p_neg, score.p_neu, score.p_pos], expected, atol=1e-9)
        if abs(margin) < band:
            assert score.label == "neutraal"
        else:
            assert score.label == ("positief" if margin > 0 else "negatief")
    assert {s.label for s in scores} >= {"neutraal"}
    assert banded.version.endswith(f"-nb{band:g}") and banded.version != plain.version


def test_three_class_model_is_not_banded(tiny_model_factory):
    path = tiny_model_factory(seed=4)
    model = load_sentiment_model(tiny_settings(path, backend="transformers", neutral_band=0.9))
    assert not model.two_class  # type: ignore[attr-defined]
    assert "-nb" not in model.version


def test_neutral_band_formula_edges():
    probs = np.array([[0.5, 0.0, 0.5], [0.02, 0.0, 0.98], [0.9, 0.0, 0.1]])
    np.testing.assert_array_equal(with_neutral_band(probs, 0.0), probs)  # band off
    banded = with_neutral_band(probs, 0.4)
    np.testing.assert_allclose(banded[0], [0.0, 1.0, 0.0])  # no margin: neutraal
    np.testing.assert_allclose(banded[1], [0.0, 0.4 / 1.36, 0.96 / 1.36])
    np.testing.assert_allclose(banded.sum(axis=1), 1.0)
    assert banded[2].argmax() == 0


@pytest.mark.parametrize("band", ["-0.1", "1.0", "2"])
def test_bad_neutral_band_is_a_config_error(tmp_path, band):
    path = tmp_path / "newsroom.toml"
    path.write_text(f"[model]\nneutral_band = {band}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="model.neutral_band"):
        load_config(path)
