"""Fixtures for the text-analysis and scoring tests.

`LexiconDouble` is a small deterministic sentiment model implementing the SentimentModel
protocol: it lets the aggregation, watch-targeting and crash-resume tests state exact
expectations. The encoder is the real embedded e5 (it is fast and offline), and at least one
pipeline test runs the real embedded sentiment model.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import sqlite_utils

from core.config import Config
from core.records import Document, Sentiment, document_id_for_url
from storage.documents import upsert_document

FILES = Path(__file__).parent / "files"

POSITIVE = {"goed", "mooi", "prachtig", "blij", "succes", "geweldig", "fantastisch", "trots"}
NEGATIVE = {"slecht", "boos", "woedend", "kapot", "overlast", "gevaarlijk", "schandalig", "ramp"}


class ModelCrashed(RuntimeError):
    """Raised by the double to simulate a crash in the middle of a run."""


class LexiconDouble:
    """Counts positive and negative words; records every text it was asked to score."""

    def __init__(self, name: str = "lexicon-double", version: str = "1") -> None:
        self.name = name
        self.version = version
        self.seen: list[str] = []
        self.calls = 0
        self.fail_on_call: int | None = None

    def predict(self, texts: Sequence[str]) -> list[Sentiment]:
        self.calls += 1
        if self.fail_on_call is not None and self.calls >= self.fail_on_call:
            raise ModelCrashed(f"simulated crash on call {self.calls}")
        self.seen.extend(texts)
        return [self._one(text) for text in texts]

    def _one(self, text: str) -> Sentiment:
        words = {w.strip(".,!?\"'").lower() for w in text.split()}
        pos, neg = len(words & POSITIVE), len(words & NEGATIVE)
        if pos > neg:
            probs = (0.05, 0.15, 0.80)
        elif neg > pos:
            probs = (0.80, 0.15, 0.05)
        else:
            probs = (0.10, 0.80, 0.10)
        label = ("negatief", "neutraal", "positief")[probs.index(max(probs))]
        return Sentiment(label, *probs, model_name=self.name, model_version=self.version)  # type: ignore[arg-type]


@pytest.fixture
def double() -> LexiconDouble:
    return LexiconDouble()


class HashingEncoder:
    """A deterministic bag-of-words encoder (hashed words, L2-normalised) for pipeline-logic
    tests, where the real e5 would only add minutes on a shared 2-core machine."""

    name = "hashing-double"
    version = "1"

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim
        self.calls = 0

    def encode(self, texts: Sequence[str], mode: str = "query", **_: Any) -> np.ndarray:
        """Like e5's encoder, `mode` (query or passage) is accepted; words alone decide."""
        self.calls += 1
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                digest = hashlib.blake2b(word.encode(), digest_size=4).digest()
                out[row, int.from_bytes(digest, "little") % self.dim] += 1.0
            norm = np.linalg.norm(out[row])
            if norm:
                out[row] /= norm
        return out


@pytest.fixture
def hashing_encoder() -> HashingEncoder:
    return HashingEncoder()


@pytest.fixture(scope="session")
def encoder() -> Any:
    from nlp.encoder import get_encoder

    return get_encoder()


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return Config(storage_path=tmp_path / "newsroom.db")


BASE_TIME = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def make_document(
    url: str,
    title: str,
    text: str,
    *,
    source: str = "ad",
    day: float = 0,
    language: str = "nl",
) -> Document:
    """A news document published `day` days after BASE_TIME."""
    published = BASE_TIME + timedelta(days=day)
    return Document(
        id=document_id_for_url(url),
        source_id=source,
        kind="news",
        url=url,
        title=title,
        text=text,
        published=published,
        fetched=published,
        language=language,
    )


def add_documents(db: sqlite_utils.Database, documents: Sequence[Document]) -> list[str]:
    for document in documents:
        upsert_document(db, document)
    return [d.id for d in documents]


def fixture_json(name: str) -> Any:
    return json.loads((FILES / name).read_text(encoding="utf-8"))
