"""Municipal topics, multi-label: encoder similarity to topic prototypes plus a keyword prior.

The taxonomy lives in a TOML file (`nlp/data/topics.toml`, or `[model] topics_file`): per
topic a Dutch description and seed words/phrases. How a document gets its topics:

1. Prototype per topic: the mean of the embedding of its description and the mean embedding
   of its seeds, L2-normalised (so a topic is neither only its definition nor only its words).
2. Similarity part: the document embedding (title + lead) against every prototype. e5 cosines
   are bunched together (0.75–0.90 for any Dutch news text), so the raw cosine is turned into
   a z-score across the topics of that document: how much this topic stands out.
   sim_t = clip(z_t / `Z_FULL`, 0, 1).
3. Keyword part: distinct seeds found in the document (whole words, accent- and case-
   insensitive, * = prefix), with seeds in the headline counted twice.
   kw_t = min(1, hits_t / `KEYWORDS_FULL`).
4. score_t = `SIM_WEIGHT` × sim_t + (1 − `SIM_WEIGHT`) × kw_t. A topic is assigned when
   score_t ≥ `THRESHOLD`; at most `MAX_TOPICS` topics, best first.

The constants were calibrated on the labelled headlines in tests/nlp/files/topics_fixture.json
(35 headlines; precision 0.90, recall 0.94 there, top-1 by similarity alone 0.89;
`bench/nlp_text.py` reports them and tests/nlp/test_topics.py pins a floor):
the keyword prior alone misses paraphrases ("de bus rijdt niet" is verkeer without a seed
word in some texts), the similarity alone confuses neighbours (wonen / openbare ruimte).
"""

from __future__ import annotations

import hashlib
import logging
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from nlp.watch_query import Term, normalise
from storage.scores import TopicScore

logger = logging.getLogger(__name__)

DEFAULT_TAXONOMY = Path(__file__).resolve().parent / "data" / "topics.toml"

SIM_WEIGHT = 0.7
Z_FULL = 2.5
KEYWORDS_FULL = 2.0
THRESHOLD = 0.55
MAX_TOPICS = 3
TOPIC_TEXT_CHARS = 1_500
"""Title plus the first characters of the text: the lead says what a story is about."""


_PROTOTYPE_CACHE: dict[tuple[str, str, str, int], np.ndarray] = {}


class TopicConfigError(ValueError):
    """The topic taxonomy file is missing or malformed; the message says what to fix."""


class TextEncoder(Protocol):
    """The part of `nlp.encoder.Encoder` the topic model needs."""

    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class Topic:
    """One topic of the taxonomy."""

    key: str
    description: str
    seeds: tuple[str, ...]

    @property
    def terms(self) -> list[Term]:
        return [
            Term(seed.rstrip("*"), prefix=seed.endswith("*"), phrase=" " in seed)
            for seed in self.seeds
        ]


def load_taxonomy(path: str | Path | None = None) -> list[Topic]:
    """Read and validate a taxonomy TOML (the built-in one when `path` is empty)."""
    target = Path(path) if path else DEFAULT_TAXONOMY
    try:
        data = tomllib.loads(target.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise TopicConfigError(
            f"model.topics_file: {target} does not exist; leave it empty for the built-in "
            "municipal taxonomy"
        ) from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise TopicConfigError(f"{target} is not valid TOML: {exc}") from exc
    raw = data.get("topics")
    if not isinstance(raw, dict) or not raw:
        raise TopicConfigError(f"{target}: expected [topics.<key>] tables, found none")
    topics = []
    for key, entry in raw.items():
        if not isinstance(entry, dict):
            raise TopicConfigError(f"{target}: [topics.{key}] must be a table")
        description = entry.get("description")
        seeds = entry.get("seeds", [])
        if not isinstance(description, str) or not description.strip():
            raise TopicConfigError(f"{target}: topics.{key}.description must be a non-empty text")
        if not isinstance(seeds, list) or not all(isinstance(s, str) and s.strip() for s in seeds):
            raise TopicConfigError(f"{target}: topics.{key}.seeds must be a list of words")
        topics.append(Topic(key, description.strip(), tuple(s.strip() for s in seeds)))
    return topics


class TopicModel:
    """Assigns topics to documents; build once per run (prototypes cost one encoder call)."""

    def __init__(self, topics: Sequence[Topic], encoder: TextEncoder) -> None:
        if not topics:
            raise TopicConfigError("A topic model needs at least one topic")
        self.topics = list(topics)
        self.encoder = encoder
        self.prototypes = self._prototypes()
        digest = hashlib.sha256(
            repr([(t.key, t.description, t.seeds) for t in self.topics]).encode()
        ).hexdigest()[:8]
        self.name = f"topics-{digest}@{encoder.name}"
        """Stored with each topic row: which taxonomy and encoder decided."""

    def _prototypes(self) -> np.ndarray:
        # Embedding ~200 seeds takes seconds; the scheduler scores every few minutes in one
        # process, so prototypes are cached per taxonomy and encoder version.
        key = (
            repr([(t.key, t.description, t.seeds) for t in self.topics]),
            self.encoder.name,
            str(getattr(self.encoder, "version", "")),
            id(self.encoder),
        )
        cached = _PROTOTYPE_CACHE.get(key)
        if cached is None:
            cached = self._compute_prototypes()
            _PROTOTYPE_CACHE[key] = cached
        return cached

    def _compute_prototypes(self) -> np.ndarray:
        texts: list[str] = []
        spans: list[tuple[int, int]] = []
        for topic in self.topics:
            start = len(texts)
            texts.append(topic.description)
            texts.extend(seed.rstrip("*") for seed in topic.seeds)
            spans.append((start, len(texts)))
        vectors = np.asarray(self.encoder.encode(texts), dtype=np.float32)
        rows = []
        for start, end in spans:
            description = vectors[start]
            seeds = vectors[start + 1 : end].mean(axis=0) if end - start > 1 else description
            proto = description + seeds
            rows.append(proto / (np.linalg.norm(proto) or 1.0))
        return np.vstack(rows)

    @staticmethod
    def document_text(title: str, text: str) -> str:
        """What the topic model (and story clustering) embeds for a document."""
        joined = f"{title.strip()}. {text.strip()}" if title.strip() else text.strip()
        return joined[:TOPIC_TEXT_CHARS]

    def assign(
        self, titles: Sequence[str], texts: Sequence[str], embeddings: np.ndarray
    ) -> list[list[TopicScore]]:
        """Topics per document, given their titles, texts and document embeddings."""
        sims = np.asarray(embeddings, dtype=np.float32) @ self.prototypes.T
        out = []
        for row, title, text in zip(sims, titles, texts, strict=True):
            out.append(self._pick(row, title, text))
        return out

    def scores(self, sims: np.ndarray, title: str, text: str) -> np.ndarray:
        """The combined score per topic for one document (see the module docstring)."""
        spread = float(sims.std()) or 1.0
        z = (sims - sims.mean()) / spread
        sim_part = np.clip(z / Z_FULL, 0.0, 1.0)
        folded_title = normalise(title)
        folded_text = normalise(text[:20_000])
        kw = np.zeros(len(self.topics))
        for index, topic in enumerate(self.topics):
            hits = 0
            for term in topic.terms:
                if term.pattern.search(folded_title):
                    hits += 2
                elif term.pattern.search(folded_text):
                    hits += 1
            kw[index] = min(1.0, hits / KEYWORDS_FULL)
        return SIM_WEIGHT * sim_part + (1 - SIM_WEIGHT) * kw

    def _pick(self, sims: np.ndarray, title: str, text: str) -> list[TopicScore]:
        combined = self.scores(sims, title, text)
        order = np.argsort(-combined)
        picked = [
            TopicScore(self.topics[i].key, round(float(combined[i]), 4))
            for i in order[:MAX_TOPICS]
            if combined[i] >= THRESHOLD
        ]
        return picked
