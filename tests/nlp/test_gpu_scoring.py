"""The bucketed GPU scoring path, run on the CPU: same scores and order as the naive path."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

from bench.nlp import LONG_TEXT, SENTENCES, build_model
from nlp.sentiment import gpu_scoring
from nlp.sentiment.gpu_scoring import BucketedScorer, bucket_length, plan_batches


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any]:
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    folder = build_model(tmp_path_factory.mktemp("tiny"), vocab_size=2_000, shape="tiny")
    model = AutoModelForSequenceClassification.from_pretrained(folder).eval()
    return model, AutoTokenizer.from_pretrained(folder)


def naive_logits(model: Any, tokenizer: Any, texts: list[str]) -> np.ndarray:
    """One text at a time, unpadded: the reference every batching must reproduce."""
    rows = []
    with torch.inference_mode():
        for text in texts:
            enc = tokenizer(text, truncation=True, max_length=128, return_tensors="pt")
            rows.append(model(**enc).logits[0].numpy())
    return np.stack(rows)


def texts() -> list[str]:
    mixed = [f"{s} ({i})" for i, s in enumerate(SENTENCES * 3)]
    return mixed + [LONG_TEXT, "", "Kort.", LONG_TEXT[:300]]


def test_bucketed_scores_equal_the_naive_scores_in_input_order(tiny: tuple) -> None:
    model, tokenizer = tiny
    items = texts()
    scorer = BucketedScorer(model, tokenizer, "cpu", batch_size=7, bucket=16)
    got = scorer.logits(items)
    want = naive_logits(model, tokenizer, items)
    assert got.shape == (len(items), 3)
    np.testing.assert_allclose(got, want, atol=2e-4, rtol=1e-4)
    assert (got.argmax(1) == want.argmax(1)).all()


def test_small_chunks_keep_the_order_across_chunks(
    tiny: tuple, monkeypatch: pytest.MonkeyPatch
) -> None:
    model, tokenizer = tiny
    monkeypatch.setattr(gpu_scoring, "CHUNK_TEXTS", 5)  # several producer chunks
    items = texts()
    got = BucketedScorer(model, tokenizer, "cpu", batch_size=3).logits(items)
    np.testing.assert_allclose(got, naive_logits(model, tokenizer, items), atol=2e-4,
                               rtol=1e-4)


def test_no_texts_gives_an_empty_array(tiny: tuple) -> None:
    model, tokenizer = tiny
    assert BucketedScorer(model, tokenizer, "cpu").logits([]).shape == (0, 3)


def test_batches_hold_one_bucket_width_and_respect_rows_and_tokens() -> None:
    lengths = [3, 40, 17, 16, 128, 1, 33, 100, 15]
    plans = plan_batches(lengths, batch_size=2, bucket=16, max_length=128, batch_tokens=200)
    seen = sorted(i for rows, _ in plans for i in rows)
    assert seen == list(range(len(lengths)))
    for rows, width in plans:
        assert len(rows) <= 2 and len(rows) * width <= 200 or len(rows) == 1
        assert {bucket_length(lengths[i], 16, 128) for i in rows} == {width}
    assert [w for _, w in plans] == sorted(w for _, w in plans)  # shortest first
    assert bucket_length(129, 16, 128) == 128 and bucket_length(17, 16, 128) == 32


def test_a_failing_tokenizer_is_raised_to_the_caller(tiny: tuple) -> None:
    model, _ = tiny

    class Broken:
        pad_token_id = 1

        def __call__(self, *args: object, **kwargs: object) -> dict:
            raise RuntimeError("tokenizer kapot")

    with pytest.raises(RuntimeError, match="tokenizer kapot"):
        BucketedScorer(model, Broken(), "cpu").logits(["tekst"])
