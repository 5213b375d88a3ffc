"""The transformers backend, through its real loading and inference path, on tiny random models
built inside the tests (no download)."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

from core.config import ModelSettings
from nlp.sentiment import ModelLoadError, load_sentiment_model
from nlp.sentiment.transformers_backend import (
    TransformersSentimentModel,
    default_batch_tokens,
    pick_device,
    token_budget_batches,
)

TEXTS = [
    "prachtig park",
    "de gemeente is echt heel erg schandalig met de overlast in de wijk en de straat",
    "goed",
    "bewoners zijn boos over het parkeren bij de school in dordrecht",
    "",
    "nieuw groen in de wijk",
]


def settings_for(path: Path, **changes: Any) -> ModelSettings:
    base = ModelSettings(
        backend="transformers", name=str(path), device="cpu", batch_size=2, max_length=32, threads=1
    )
    return dataclasses.replace(base, **changes)


def direct_probs(path: Path, texts: list[str], max_length: int = 32) -> np.ndarray:
    """Reference: the model run one text at a time, without the backend's batching."""
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(path)
    model = AutoModelForSequenceClassification.from_pretrained(path).eval()
    rows = []
    with torch.inference_mode():
        for text in texts:
            batch = tokenizer([text], truncation=True, max_length=max_length, return_tensors="pt")
            logits = model(
                input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]
            ).logits
            rows.append(torch.softmax(logits, dim=-1)[0].numpy())
    return np.array(rows)


def probs_of(sentiments: list) -> np.ndarray:
    return np.array([[s.p_neg, s.p_neu, s.p_pos] for s in sentiments])


def test_predict_shapes_probabilities_and_identity(tiny_model_factory):
    path = tiny_model_factory()
    model = load_sentiment_model(settings_for(path))
    result = model.predict(TEXTS)
    assert len(result) == len(TEXTS)
    probs = probs_of(result)
    assert probs.shape == (len(TEXTS), 3)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-6)
    assert all(s.model_name == str(path) for s in result)
    assert all(s.model_version.startswith("sha256-") for s in result)
    labels = ["negatief", "neutraal", "positief"]
    assert [s.label for s in result] == [labels[i] for i in probs.argmax(axis=1)]


def test_batched_length_sorted_output_matches_one_by_one_in_input_order(tiny_model_factory):
    path = tiny_model_factory()
    model = load_sentiment_model(settings_for(path, batch_size=3))
    batched = probs_of(model.predict(TEXTS))
    np.testing.assert_allclose(batched, direct_probs(path, TEXTS), atol=1e-5)
    # and reversing the input reverses the output: order is restored after sorting
    reversed_probs = probs_of(model.predict(TEXTS[::-1]))
    np.testing.assert_allclose(reversed_probs, batched[::-1], atol=1e-5)


def test_token_budget_batches_respect_both_caps():
    lengths = [5, 5, 8, 20, 40, 128, 128, 128, 128, 128, 600]
    ranges = token_budget_batches(lengths, batch_size=3, batch_tokens=256)
    assert ranges == [(0, 3), (3, 5), (5, 7), (7, 9), (9, 10), (10, 11)]
    for start, end in ranges[:-1]:
        assert end - start <= 3 and (end - start) * lengths[end - 1] <= 256
    assert ranges[-1] == (10, 11)  # longer than the budget: alone, never dropped
    assert token_budget_batches([], 32, 2048) == []
    assert default_batch_tokens("cpu") == 2048 and default_batch_tokens("cuda") > 10**6


def test_a_small_token_budget_changes_batches_not_results(tiny_model_factory):
    path = tiny_model_factory()
    model = load_sentiment_model(settings_for(path, batch_tokens=12))
    assert isinstance(model, TransformersSentimentModel) and model.batch_tokens == 12
    np.testing.assert_allclose(probs_of(model.predict(TEXTS)), direct_probs(path, TEXTS), atol=1e-5)


def test_truncates_at_max_length(tiny_model_factory):
    path = tiny_model_factory(max_positions=64)
    model = load_sentiment_model(settings_for(path, max_length=16))
    long_text = " ".join(["gemeente", "park", "overlast", "prachtig"] * 100)  # 400 tokens
    prefix = " ".join(long_text.split()[:14])  # 14 words + [CLS] + [SEP] = 16 tokens
    long_probs = probs_of(model.predict([long_text]))
    np.testing.assert_allclose(long_probs, probs_of(model.predict([prefix])), atol=1e-6)
    assert isinstance(model, TransformersSentimentModel)
    assert len(model.tokenizer(long_text, truncation=True, max_length=16)["input_ids"]) == 16


def test_output_is_deterministic_for_a_fixed_seed(tiny_model_factory):
    first = probs_of(
        load_sentiment_model(settings_for(tiny_model_factory(name="a", seed=7))).predict(TEXTS)
    )
    again = probs_of(
        load_sentiment_model(settings_for(tiny_model_factory(name="b", seed=7))).predict(TEXTS)
    )
    other = probs_of(
        load_sentiment_model(settings_for(tiny_model_factory(name="c", seed=8))).predict(TEXTS)
    )
    np.testing.assert_array_equal(first, again)
    assert not np.allclose(first, other)


def test_two_label_model_maps_to_negative_and_positive(tiny_model_factory):
    path = tiny_model_factory({0: "Negative", 1: "Positive"})
    model = load_sentiment_model(settings_for(path))
    probs = probs_of(model.predict(TEXTS))
    reference = direct_probs(path, TEXTS)
    assert np.all(probs[:, 1] == 0.0)
    np.testing.assert_allclose(probs[:, [0, 2]], reference, atol=1e-5)


def test_reordered_label_ids_are_respected(tiny_model_factory):
    path = tiny_model_factory({0: "POS", 1: "NEG", 2: "NEU"})
    probs = probs_of(load_sentiment_model(settings_for(path)).predict(TEXTS))
    np.testing.assert_allclose(probs, direct_probs(path, TEXTS)[:, [1, 2, 0]], atol=1e-5)


def test_unmappable_labels_fail_clearly(tiny_model_factory):
    path = tiny_model_factory({0: "sport", 1: "politiek", 2: "cultuur"})
    with pytest.raises(ModelLoadError, match="Cannot map the model's labels"):
        load_sentiment_model(settings_for(path))


def test_missing_local_directory_is_a_load_error(tmp_path):
    with pytest.raises(ModelLoadError, match="does not exist"):
        load_sentiment_model(settings_for(tmp_path / "nowhere" / "model"))


def test_directory_without_config_is_a_load_error(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(ModelLoadError, match="config.json"):
        load_sentiment_model(settings_for(tmp_path / "empty"))


def test_predict_rejects_a_bare_string(tiny_model_factory):
    model = load_sentiment_model(settings_for(tiny_model_factory()))
    with pytest.raises(TypeError):
        model.predict("een tekst")
    assert model.predict([]) == []


def test_threads_are_set(tiny_model_factory):
    before = torch.get_num_threads()
    try:
        load_sentiment_model(settings_for(tiny_model_factory(), threads=1))
        assert torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(before)


def test_cuda_without_gpu_is_a_clear_error():
    if torch.cuda.is_available():
        assert pick_device("cuda") == "cuda"
        assert pick_device("auto") == "cuda"
    else:
        with pytest.raises(ModelLoadError, match="no CUDA GPU"):
            pick_device("cuda")
        assert pick_device("auto") == "cpu"
    with pytest.raises(ModelLoadError, match="use auto, cpu or cuda"):
        pick_device("tpu")


def test_onnx_int8_path_agrees_with_torch_and_is_cached(tiny_model_factory, tmp_path, monkeypatch):
    pytest.importorskip("onnxruntime", reason="optional onnxruntime not installed")
    monkeypatch.setenv("NEWSROOM_CACHE_DIR", str(tmp_path / "cache"))
    path = tiny_model_factory()
    plain = load_sentiment_model(settings_for(path))
    quantised = load_sentiment_model(settings_for(path, onnx_int8=True))
    assert isinstance(quantised, TransformersSentimentModel)
    assert quantised.onnx_session is not None
    assert quantised.version.endswith("-onnx-int8")
    exported = list((tmp_path / "cache" / "onnx").glob("*/model_int8.onnx"))
    assert len(exported) == 1
    np.testing.assert_allclose(
        probs_of(quantised.predict(TEXTS)), probs_of(plain.predict(TEXTS)), atol=0.05
    )
    mtime = exported[0].stat().st_mtime_ns
    load_sentiment_model(settings_for(path, onnx_int8=True))
    assert exported[0].stat().st_mtime_ns == mtime  # reused, not re-exported


def test_onnx_int8_without_onnxruntime_is_a_clear_error(tiny_model_factory, tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSROOM_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setitem(sys.modules, "onnxruntime", None)
    with pytest.raises(ModelLoadError, match="onnxruntime"):
        load_sentiment_model(settings_for(tiny_model_factory(), onnx_int8=True))
