"""The transformers backend: any Hugging Face sequence-classification model, by name or path.

Throughput comes from the standard recipe (see bench/nlp.py for the measured gain over a
`pipeline` called one text at a time): tokenize once with explicit truncation, sort by token
length so each batch holds similar lengths, pad each batch only to its own longest text,
run under `torch.inference_mode`, threads set to the cores, on the GPU when there is one.
Optionally the model runs as an int8 ONNX graph in ONNX Runtime (`onnx_int8 = true`).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer

from core.config import ModelSettings
from core.records import Sentiment
from nlp.encoder import file_digest
from nlp.sentiment.base import ModelLoadError, check_texts, sentiments_from_probs
from nlp.sentiment.hub import ModelSource, resolve_model_source
from nlp.sentiment.labels import label_matrix

logger = logging.getLogger(__name__)

WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")


class TransformersSentimentModel:
    """A loaded classifier plus its label mapping; `predict` is batched and length-sorted."""

    def __init__(
        self,
        model: Any,
        tokenizer: Any,
        name: str,
        version: str,
        device: str = "cpu",
        batch_size: int = 32,
        max_length: int = 128,
        onnx_session: Any = None,
        batch_tokens: int = 0,
    ) -> None:
        self.model = model
        self.tokenizer = tokenizer
        self.name = name
        self.version = version
        self.device = device
        self.batch_size = max(1, batch_size)
        self.max_length = max_length
        self.onnx_session = onnx_session
        self.batch_tokens = batch_tokens if batch_tokens > 0 else default_batch_tokens(device)
        self.mapping = label_matrix(model.config.id2label)

    @classmethod
    def from_settings(cls, settings: ModelSettings) -> TransformersSentimentModel:
        """Load `settings.name` (fails fast offline), set threads and device, maybe ONNX int8."""
        source = resolve_model_source(settings.name)
        torch.set_num_threads(settings.threads or os.cpu_count() or 1)
        device = pick_device(settings.device)
        model, tokenizer = _load(source)
        version = model_version(model, source)
        session = None
        if settings.onnx_int8:
            if device != "cpu":
                raise ModelLoadError('onnx_int8 runs on the CPU; set model.device = "cpu"')
            from nlp.sentiment.onnx_int8 import load_int8_session

            session = load_int8_session(model, settings.name, version, settings.threads)
            version = f"{version}-onnx-int8"
        model.to(device)
        model.eval()
        instance = cls(
            model,
            tokenizer,
            name=settings.name,
            version=version,
            device=device,
            batch_size=settings.batch_size,
            max_length=settings.max_length,
            onnx_session=session,
            batch_tokens=settings.batch_tokens,
        )
        logger.info("Loaded %s (version %s) on %s", instance.name, instance.version, device)
        return instance

    def predict(self, texts: Sequence[str]) -> list[Sentiment]:
        items = check_texts(texts)
        if not items:
            return []
        probs = self.predict_proba(items)
        return sentiments_from_probs(probs, self.name, self.version)

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        """(p_neg, p_neu, p_pos) per text, in input order."""
        encoded = self.tokenizer(texts, truncation=True, max_length=self.max_length, padding=False)[
            "input_ids"
        ]
        order = sorted(range(len(texts)), key=lambda i: len(encoded[i]))
        out = np.zeros((len(texts), 3), dtype=np.float64)
        lengths = [len(encoded[i]) for i in order]
        for start, end in token_budget_batches(lengths, self.batch_size, self.batch_tokens):
            index = order[start:end]
            batch = self.tokenizer.pad(
                {"input_ids": [encoded[i] for i in index]}, padding=True, return_tensors="pt"
            )
            logits = self._forward(batch["input_ids"], batch["attention_mask"])
            out[index] = _softmax(logits) @ self.mapping
        return out

    def _forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> np.ndarray:
        if self.onnx_session is not None:
            feeds = {
                "input_ids": input_ids.numpy().astype(np.int64),
                "attention_mask": attention_mask.numpy().astype(np.int64),
            }
            return np.asarray(self.onnx_session.run(["logits"], feeds)[0], dtype=np.float64)
        with torch.inference_mode():
            logits = self.model(
                input_ids=input_ids.to(self.device), attention_mask=attention_mask.to(self.device)
            ).logits
        return logits.float().cpu().numpy().astype(np.float64)


CPU_BATCH_TOKENS = 2048
"""On a CPU, batches of at most this many padded tokens. Measured on 2 cores with a random
RoBERTa-base (bench/nlp.py workloads, 2026-11-23): texts that fill 128 tokens ran 37 instead
of 32 sentences/s as int8 ONNX (16 rows a batch instead of 32: the activations stay in cache),
fp32 8.0 instead of 7.7; short sentences, still 32 a batch, were unchanged or faster.
Budgets of 256–1024 were no better."""


def default_batch_tokens(device: str) -> int:
    """No token cap on a GPU (bigger batches keep it busy); CPU_BATCH_TOKENS on a CPU."""
    return 1 << 30 if device.startswith("cuda") else CPU_BATCH_TOKENS


def token_budget_batches(
    lengths: Sequence[int], batch_size: int, batch_tokens: int
) -> list[tuple[int, int]]:
    """[start, end) ranges over ascending `lengths`: at most `batch_size` rows and at most
    `batch_tokens` padded tokens (rows × longest row) each; a row longer than the budget
    still gets a batch of its own."""
    ranges: list[tuple[int, int]] = []
    start = 0
    for end in range(1, len(lengths)):
        rows = end + 1 - start
        if rows > batch_size or rows * lengths[end] > batch_tokens:
            ranges.append((start, end))
            start = end
    if lengths:
        ranges.append((start, len(lengths)))
    return ranges


def pick_device(setting: str) -> str:
    """auto → cuda when available, else cpu; an explicit cuda without a GPU is an error."""
    wanted = (setting or "auto").strip().lower()
    if wanted == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if wanted.startswith("cuda") and not torch.cuda.is_available():
        raise ModelLoadError(f"model.device = {setting!r} but no CUDA GPU is available")
    if wanted != "cpu" and not wanted.startswith("cuda"):
        raise ModelLoadError(f"model.device = {setting!r}: use auto, cpu or cuda")
    return wanted


def model_version(model: Any, source: ModelSource) -> str:
    """The hub commit hash when known, else a hash of the weights file."""
    commit = getattr(model.config, "_commit_hash", None)
    if commit and not source.is_local_dir:
        return str(commit)[:12]
    if source.is_local_dir:
        for filename in WEIGHT_FILES:
            weights = Path(source.name_or_path) / filename
            if weights.exists():
                return "sha256-" + file_digest(weights)
    return str(commit)[:12] if commit else "unknown"


def _load(source: ModelSource) -> tuple[Any, Any]:
    kwargs = {"local_files_only": source.local_files_only}
    try:
        tokenizer = AutoTokenizer.from_pretrained(source.name_or_path, **kwargs)
        model = AutoModelForSequenceClassification.from_pretrained(source.name_or_path, **kwargs)
    except (OSError, ValueError, KeyError) as exc:
        raise ModelLoadError(f"Could not load model {source.name_or_path}: {exc}") from exc
    return model, tokenizer


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)
