"""Fine-tune only the top layers of e5, from cached lower-layer states: the news model recipe.

Why: full LoRA fine-tuning runs all 12 layers forward and backward for every batch of every
epoch of every fold. When the lower layers stay frozen (no LoRA there), their output for a
text never changes, so it is computed once (`cache_states`) and each training step runs only
the top layers: about a third of the cost on a CPU, which made cross-validated fine-tuning on
news + tweets possible without a GPU. The net that comes out is an ordinary `SentimentNet`
(LoRA matrices of the lower layers stay at their no-op start, B = 0), so it is saved with
`save_adapter` and scored by `FinetunedSentimentModel` like any adapter — no special path at
inference.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch.nn import functional as F

from core.records import LABELS
from nlp.e5_weights import E5Weights
from nlp.sentiment.finetuned import POOL_SCALE, Batcher, SentimentNet
from nlp.training.finetune import FinetuneConfig, class_weights, optimiser_with_schedule


@dataclass(frozen=True)
class TopLayerConfig(FinetuneConfig):
    """Hyper-parameters of the top-layer recipe (chosen on design folds, MODEL_CARD.md): the
    full recipe's adapter and optimiser settings, plus how many lower layers stay frozen."""

    frozen_layers: int = 6


def _attention_mask(attention: torch.Tensor) -> torch.Tensor:
    keep = attention.bool()[:, None, None, :]
    return torch.zeros(keep.shape).masked_fill(~keep, float("-inf"))


@torch.no_grad()
def cache_states(
    texts: Sequence[str], weights: E5Weights, config: TopLayerConfig, batch: int = 32
) -> list[np.ndarray]:
    """Hidden states after the frozen layers, one (tokens × hidden) float16 array per text."""
    net = SentimentNet(weights, config.adapter).eval()
    encoder = net.encoder
    batcher = Batcher(weights.tokenizer, config.adapter)
    rows = batcher.ids(texts)
    order = sorted(range(len(rows)), key=lambda i: len(rows[i]))
    states: list[np.ndarray] = [np.zeros((0, 0), np.float16)] * len(rows)
    for start in range(0, len(order), batch):
        chunk = order[start : start + batch]
        ids, attention = batcher.pad([rows[i] for i in chunk])
        x = encoder.embed_tokens(ids) + encoder.position[: ids.shape[1]] + encoder.token_type
        x = encoder.embed_norm(x)
        mask = _attention_mask(attention)
        for block in encoder.blocks[: config.frozen_layers]:
            x = block(x, mask, 0.0)
        for j, i in enumerate(chunk):
            length = int(attention[j].sum())
            states[i] = x[j, :length].numpy().astype(np.float16)
    return states


def _pad(states: Sequence[np.ndarray]) -> tuple[torch.Tensor, torch.Tensor]:
    longest = max(s.shape[0] for s in states)
    hidden = states[0].shape[1]
    x = torch.zeros(len(states), longest, hidden)
    attention = torch.zeros(len(states), longest, dtype=torch.long)
    for i, s in enumerate(states):
        x[i, : s.shape[0]] = torch.from_numpy(s.astype(np.float32))
        attention[i, : s.shape[0]] = 1
    return x, attention


def top_logits(
    net: SentimentNet, frozen_layers: int, x: torch.Tensor, attention: torch.Tensor, dropout: float
) -> torch.Tensor:
    """The rest of `SentimentNet.forward`, starting from cached states."""
    mask = _attention_mask(attention)
    for block in net.encoder.blocks[frozen_layers:]:
        x = block(x, mask, dropout)
    weights = attention.unsqueeze(-1).float()
    pooled = (x * weights).sum(1) / weights.sum(1).clamp(min=1.0)
    pooled = F.normalize(pooled, dim=-1) * POOL_SCALE
    return net.head(F.dropout(pooled, dropout, net.training))


def train_top_layers(
    states: Sequence[np.ndarray],
    labels: Sequence[str],
    weights: E5Weights,
    config: TopLayerConfig = TopLayerConfig(),
    sample_weight: Sequence[float] | None = None,
    seed: int = 0,
    progress: Callable[[int, float], None] | None = None,
) -> SentimentNet:
    """Train LoRA in the top layers + the output layer; class-weighted cross-entropy (so the
    class mix of the data does not teach "always neutraal"), optional per-text weights.
    `progress(epoch, last_loss)` after each epoch. Returns the net in eval mode."""
    if len(states) != len(labels) or not states:
        raise ValueError("train_top_layers() needs as many labels as states, and at least one")
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    net = SentimentNet(weights, config.adapter)
    for index, block in enumerate(net.encoder.blocks):
        for name, parameter in block.named_parameters():
            if "lora_" in name:
                parameter.requires_grad = index >= config.frozen_layers
    y = torch.tensor([LABELS.index(label) for label in labels])
    class_weight = class_weights(y)
    per_text = torch.tensor(
        list(sample_weight) if sample_weight is not None else [1.0] * len(y), dtype=torch.float32
    )
    optimiser, schedule, _ = optimiser_with_schedule(net, config, len(states))
    net.train()
    for epoch in range(config.epochs):
        order = rng.permutation(len(states))
        loss = torch.tensor(0.0)
        for start in range(0, len(order), config.batch_size):
            chunk = order[start : start + config.batch_size]
            x, attention = _pad([states[i] for i in chunk])
            logits = top_logits(net, config.frozen_layers, x, attention, config.dropout)
            losses = F.cross_entropy(logits, y[chunk], weight=class_weight, reduction="none")
            scale = class_weight[y[chunk]] * per_text[chunk]
            loss = (losses * per_text[chunk]).sum() / scale.sum()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
        if progress:
            progress(epoch, float(loss.detach()))
    net.eval()
    return net


@torch.no_grad()
def proba_from_states(
    net: SentimentNet, states: Sequence[np.ndarray], frozen_layers: int, batch: int = 64
) -> np.ndarray:
    """Class probabilities (n × 3, LABELS order) for cached states."""
    order = sorted(range(len(states)), key=lambda i: states[i].shape[0])
    out = np.zeros((len(states), len(LABELS)))
    for start in range(0, len(order), batch):
        chunk = order[start : start + batch]
        x, attention = _pad([states[i] for i in chunk])
        logits = top_logits(net, frozen_layers, x, attention, 0.0)
        out[chunk] = torch.softmax(logits, -1).numpy()
    return out
