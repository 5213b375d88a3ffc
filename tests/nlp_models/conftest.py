"""Fixtures for the sentiment-model tests: tiny random transformers models built on the spot,
and the Dutch tweet dev set with its embeddings (computed once per test session)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from devtools.tiny_models import word_level_tokenizer

REPO = Path(__file__).resolve().parents[2]
DEV_DIR = Path(
    os.environ.get("NEWSROOM_SENTIMENT_DEV", REPO.parent / "shared" / "data" / "sentiment-dev")
)
TWEETS = DEV_DIR / "tweets_polarity_train.csv"

DUTCH_WORDS = (
    "de",
    "het",
    "een",
    "en",
    "van",
    "in",
    "is",
    "dat",
    "op",
    "te",
    "met",
    "voor",
    "niet",
    "zijn",
    "er",
    "aan",
    "ook",
    "als",
    "bij",
    "door",
    "over",
    "gemeente",
    "wijk",
    "park",
    "raad",
    "burgemeester",
    "wethouder",
    "bewoners",
    "straat",
    "overlast",
    "klachten",
    "prachtig",
    "mooi",
    "goed",
    "slecht",
    "schandalig",
    "blij",
    "boos",
    "nieuw",
    "oud",
    "groen",
    "veilig",
    "gevaarlijk",
    "verkeer",
    "parkeren",
    "fiets",
    "school",
    "zorg",
    "woning",
    "huur",
    "dordrecht",
    "zwijndrecht",
    "markt",
    "feest",
    "echt",
    "heel",
    "erg",
    "zeer",
    "weer",
    "vandaag",
    "morgen",
    "gisteren",
    "nu",
    "nog",
    "al",
    "maar",
    "want",
    "dus",
    "omdat",
)


def build_tiny_model(
    folder: Path,
    id2label: dict[int, str],
    seed: int = 0,
    max_positions: int = 64,
) -> Path:
    """A randomly initialised 2-layer BERT (hidden 32) plus a WordLevel tokenizer, saved to
    `folder` the way a real model is, so the backend loads it through its normal path."""
    import torch
    from transformers import BertConfig, BertForSequenceClassification

    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"]
    vocab = {
        token: index for index, token in enumerate(specials + list(dict.fromkeys(DUTCH_WORDS)))
    }
    tokenizer = word_level_tokenizer(vocab, unk="[UNK]", pad="[PAD]", cls="[CLS]", sep="[SEP]",
                                     max_length=max_positions)
    config = BertConfig(  # type: ignore[call-arg]
        vocab_size=len(vocab),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=max_positions,
        num_labels=len(id2label),
        id2label=dict(id2label),
        label2id={v: k for k, v in id2label.items()},
    )
    torch.manual_seed(seed)
    model = BertForSequenceClassification(config).eval()
    folder.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


@pytest.fixture
def tiny_model_factory(tmp_path: Path) -> Callable[..., Path]:
    def make(id2label: dict[int, str] | None = None, name: str = "tiny", **kwargs: int) -> Path:
        labels = id2label or {0: "negative", 1: "neutral", 2: "positive"}
        return build_tiny_model(tmp_path / name, labels, **kwargs)

    return make


@pytest.fixture(scope="session")
def tweets() -> tuple[list[str], list[str]]:
    from nlp.training.data import read_labelled_csv

    if not TWEETS.exists():
        pytest.fail(
            f"Tweet dev set not found at {TWEETS}; set NEWSROOM_SENTIMENT_DEV to the folder "
            "holding tweets_polarity_train.csv"
        )
    data = read_labelled_csv(TWEETS)
    return data.texts, data.labels


@pytest.fixture(scope="session")
def tweet_embeddings(tweets: tuple[list[str], list[str]]) -> np.ndarray:
    """Embeddings of the tweet dev set, computed once per session (about half a minute)."""
    from nlp.encoder import get_encoder

    return get_encoder().encode(tweets[0])
