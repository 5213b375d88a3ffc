"""Which sentiment model scores which document kind.

Measured (nlp/models/MODEL_CARD.md, section 0): the main model (v2, LoRA on tweets) is best on
social posts (tweets macro-F1 0.724) but weak on news (0.354), and the news head (v4) is best
on news (0.657, negatief recall 0.801) but weaker on tweets (0.648). So each kind gets the
model that measured best for it instead of one compromise: news and official documents the
news model, social posts the main model. Every stored score keeps its model name and version,
so the two stay apart in the store and a kind is rescored when its own model changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

NEWS_KINDS: tuple[str, ...] = ("news", "official")
"""Edited text (articles, press releases, council documents): the news model's domain."""
SOCIAL_KINDS: tuple[str, ...] = ("social",)
"""Posts: the main model's domain (it was trained on tweets)."""


class Named(Protocol):
    name: str
    version: str


M = TypeVar("M", bound=Named)


@dataclass(frozen=True)
class ModelChoice(Generic[M]):
    """The main model and, when configured, the news model."""

    main: M
    news: M | None = None

    def for_kind(self, kind: str) -> M:
        """The model that scores documents of `kind`."""
        if self.news is not None and kind in NEWS_KINDS:
            return self.news
        return self.main

    def groups(self) -> list[tuple[M, Sequence[str] | None]]:
        """(model, kinds it scores) — kinds None means every kind (no news model)."""
        if self.news is None:
            return [(self.main, None)]
        return [(self.news, NEWS_KINDS), (self.main, SOCIAL_KINDS)]
