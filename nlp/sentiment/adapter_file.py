"""The adapter file of the fine-tuned embedded model: format, version, reading and writing.

Numpy only (no torch), so `newsroom status` can describe the model without loading it.
An adapter file is an ``.npz`` with the trainable arrays (``l{layer}.{target}.lora_a|b``,
``head.weight``, ``head.bias``), ``kind`` = ``e5-lora-sentiment``, ``labels``, a JSON
``config`` (`AdapterConfig`) and a JSON ``meta`` (training data and measured scores).
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from core.records import LABELS
from nlp.sentiment.base import ModelLoadError

ADAPTER_KIND = "e5-lora-sentiment"
FINETUNED_NAME = "newsroom-e5-lora-sentiment"
DEFAULT_ADAPTER_PATH = Path(__file__).resolve().parent.parent / "models" / "sentiment_lora_v2.npz"


@dataclass(frozen=True)
class AdapterConfig:
    """How an adapter was built; stored in its file and checked at load."""

    rank: int = 8
    alpha: float = 16.0
    targets: tuple[str, ...] = ("q", "v")
    prefix: str = "query: "
    max_tokens: int = 128
    encoder_digest: str = ""

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> AdapterConfig:
        data = json.loads(text)
        data["targets"] = tuple(data["targets"])
        return cls(**data)


def adapter_version(state: dict[str, np.ndarray], config: AdapterConfig) -> str:
    """Content hash of everything that changes predictions (float32, as stored)."""
    digest = hashlib.sha256()
    for key in sorted(state):
        digest.update(key.encode())
        digest.update(np.ascontiguousarray(state[key], dtype=np.float32).tobytes())
    digest.update(config.to_json().encode())
    return digest.hexdigest()[:12]


def save_adapter(
    path: Path, state: dict[str, np.ndarray], config: AdapterConfig, meta: dict[str, Any]
) -> str:
    """Write an adapter file atomically; returns its version."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    version = adapter_version(state, config)
    payload: dict[str, Any] = {k: np.asarray(v, dtype=np.float32) for k, v in state.items()}
    payload["kind"] = np.array(ADAPTER_KIND)
    payload["labels"] = np.array(LABELS)
    payload["config"] = np.array(config.to_json())
    payload["meta"] = np.array(json.dumps({**meta, "version": version}, ensure_ascii=False))
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **payload)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(buffer.getvalue())
    tmp.replace(path)
    return version


def is_adapter_file(path: Path) -> bool:
    """True for a LoRA adapter file, False for a v1 head file (or anything else)."""
    try:
        with np.load(Path(path), allow_pickle=False) as data:
            return "kind" in data and str(data["kind"]) == ADAPTER_KIND
    except (OSError, ValueError):
        return False


def read_adapter(path: Path) -> tuple[dict[str, np.ndarray], AdapterConfig, dict[str, Any]]:
    path = Path(path)
    if not path.exists():
        raise ModelLoadError(f"Sentiment adapter {path} does not exist; run `newsroom train`.")
    try:
        with np.load(path, allow_pickle=False) as data:
            if str(data["kind"]) != ADAPTER_KIND:
                raise ModelLoadError(f"{path} is not a sentiment adapter file")
            labels = tuple(str(x) for x in data["labels"])
            config = AdapterConfig.from_json(str(data["config"]))
            meta = json.loads(str(data["meta"]))
            skip = {"kind", "labels", "config", "meta"}
            state = {k: data[k] for k in data.files if k not in skip}
    except (OSError, KeyError, ValueError, TypeError) as exc:
        raise ModelLoadError(f"Sentiment adapter {path} is not valid: {exc}") from exc
    if labels != LABELS:
        raise ModelLoadError(f"Sentiment adapter {path} has labels {labels}, expected {LABELS}")
    return state, config, meta


def describe_model_file(path: Path) -> tuple[str, str, dict[str, Any]]:
    """(model name, version, cross-validation summary) of an adapter or v1 head file, for
    `newsroom status`; reads only the small file, never the encoder."""
    if is_adapter_file(path):
        state, config, meta = read_adapter(path)
        return FINETUNED_NAME, adapter_version(state, config), dict(meta.get("cv") or {})
    from nlp.sentiment.embedded import EMBEDDED_NAME
    from nlp.sentiment.head import load_head

    head = load_head(path)
    return EMBEDDED_NAME, head.version, dict(head.meta.get("cv") or {})
