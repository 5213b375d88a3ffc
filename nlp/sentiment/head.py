"""The classification head of the embedded model: a small numpy network stored in one .npz file.

Inference needs numpy only (scikit-learn is for training). The file holds:

- ``labels``: class order of the output layer (always negatief, neutraal, positief);
- ``mean``/``scale``: feature standardisation fitted on the training data;
- ``W0, b0, W1, b1, ...``: dense layers, ReLU between them, softmax at the end
  (one layer is multinomial logistic regression);
- ``spec``: JSON feature spec (encoder name/version, e5 prefix mode, lexicon features);
- ``meta``: JSON training metadata (data, sizes, cross-validated scores, date).

The version is a content hash of the arrays, so retraining always yields a new version and the
scorer knows to rescore.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from core.records import LABELS
from nlp.sentiment.base import ModelLoadError

DEFAULT_HEAD_PATH = Path(__file__).resolve().parent.parent / "models" / "sentiment_head_v1.npz"


@dataclass
class FeatureSpec:
    """How the head's input vector is built from a text; stored with the weights."""

    encoder_name: str
    encoder_version: str
    mode: str = "query"
    lexicon: bool = False
    """Append Pattern's Dutch lexicon (polarity, subjectivity, |polarity|) to the embedding."""

    def to_json(self) -> str:
        return json.dumps(self.__dict__, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> FeatureSpec:
        data = json.loads(text)
        return cls(**{k: data[k] for k in ("encoder_name", "encoder_version", "mode", "lexicon")})


@dataclass
class Head:
    """Standardise → dense layers (ReLU) → softmax over `labels`."""

    layers: list[tuple[np.ndarray, np.ndarray]]
    mean: np.ndarray
    scale: np.ndarray
    spec: FeatureSpec
    labels: tuple[str, ...] = LABELS
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def input_dim(self) -> int:
        return int(self.layers[0][0].shape[0])

    @property
    def version(self) -> str:
        """A short content hash of everything that changes predictions."""
        digest = hashlib.sha256()
        for array in self._arrays().values():
            # float32, as stored, so a saved and a reloaded head share one version.
            digest.update(np.ascontiguousarray(array, dtype=np.float32).tobytes())
        digest.update(self.spec.to_json().encode())
        return digest.hexdigest()[:12]

    def predict_proba(self, features: np.ndarray) -> np.ndarray:
        """Class probabilities, shape (n, len(labels)), in `labels` order."""
        x = (np.asarray(features, dtype=np.float64) - self.mean) / self.scale
        for index, (weights, bias) in enumerate(self.layers):
            x = x @ weights + bias
            if index < len(self.layers) - 1:
                x = np.maximum(x, 0.0)
        x -= x.max(axis=1, keepdims=True)
        exp = np.exp(x)
        return exp / exp.sum(axis=1, keepdims=True)

    def _arrays(self) -> dict[str, np.ndarray]:
        arrays: dict[str, np.ndarray] = {"mean": self.mean, "scale": self.scale}
        for index, (weights, bias) in enumerate(self.layers):
            arrays[f"W{index}"] = weights
            arrays[f"b{index}"] = bias
        return arrays

    def save(self, path: Path) -> str:
        """Write the head to `path` (atomically) and return its version."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        meta = {**self.meta, "version": self.version}
        buffer = io.BytesIO()
        payload: dict[str, Any] = {k: v.astype(np.float32) for k, v in self._arrays().items()}
        payload["labels"] = np.array(self.labels)
        payload["spec"] = np.array(self.spec.to_json())
        payload["meta"] = np.array(json.dumps(meta, sort_keys=True, ensure_ascii=False))
        np.savez_compressed(buffer, **payload)
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_bytes(buffer.getvalue())
        tmp.replace(path)
        return self.version


def load_head(path: Path = DEFAULT_HEAD_PATH) -> Head:
    """Read a head file; a missing or malformed file raises `ModelLoadError`."""
    path = Path(path)
    if not path.exists():
        raise ModelLoadError(
            f"Sentiment head {path} does not exist. Reinstall newsroom or run `newsroom train`."
        )
    try:
        with np.load(path, allow_pickle=False) as data:
            labels = tuple(str(x) for x in data["labels"])
            spec = FeatureSpec.from_json(str(data["spec"]))
            meta = json.loads(str(data["meta"]))
            layers: list[tuple[np.ndarray, np.ndarray]] = []
            while f"W{len(layers)}" in data:
                index = len(layers)
                layers.append(
                    (data[f"W{index}"].astype(np.float64), data[f"b{index}"].astype(np.float64))
                )
            mean = data["mean"].astype(np.float64)
            scale = data["scale"].astype(np.float64)
    except (OSError, KeyError, ValueError, TypeError) as exc:
        raise ModelLoadError(f"Sentiment head {path} is not a valid head file: {exc}") from exc
    if labels != LABELS:
        raise ModelLoadError(f"Sentiment head {path} has labels {labels}, expected {LABELS}")
    if (
        not layers
        or layers[-1][0].shape[1] != len(LABELS)
        or mean.shape[0] != layers[0][0].shape[0]
    ):
        raise ModelLoadError(f"Sentiment head {path} has inconsistent layer shapes")
    return Head(layers=layers, mean=mean, scale=scale, spec=spec, labels=labels, meta=meta)
