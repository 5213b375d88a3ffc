"""Which items of the week matter most: the ranking rule of the digest's top five.

importance = negativity + reach + novelty, where

- negativity = the model's probability that the item is negative (0..1); an adviser's
  correction to 'negatief' counts as 1 and to another label as 0, because the advisers
  know better than the model;
- reach = min(1, log(copies) / log(8)) where copies is how many documents of the week
  tell the same story (same story cluster, else same syndication group): one outlet is 0,
  eight or more outlets is 1;
- novelty = 0.5 when the story first appeared this week (or has no story yet), else 0:
  a new issue matters more than the tail of an old one.

One item per story is shown (the earliest copy, which is usually the original), ties go to
the earlier item. The rule is deliberately simple so that an adviser can explain it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from storage.digest_queries import Candidate

REACH_FULL_AT = 8
NOVELTY_BONUS = 0.5


@dataclass(frozen=True)
class RankedItem:
    """A top item with its score and the parts of the score, for the 'why' in the digest."""

    item: Candidate
    importance: float
    negativity: float
    reach: float
    copies: int
    novel: bool


def negativity(candidate: Candidate) -> float:
    """p_neg, unless an adviser's correction overrides it."""
    if candidate.corrected:
        return 1.0 if candidate.label == "negatief" else 0.0
    return max(0.0, min(1.0, candidate.p_neg))


def rank_items(
    candidates: list[Candidate], week_start: datetime, limit: int = 5
) -> list[RankedItem]:
    """The `limit` most important items of the week, one per story, best first."""
    groups: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        groups.setdefault(candidate.group, []).append(candidate)
    ranked = []
    for members in groups.values():
        first = min(members, key=lambda c: (c.time, c.id))
        copies = len(members)
        reach = min(1.0, math.log(copies) / math.log(REACH_FULL_AT))
        novel = first.story_first_seen is None or first.story_first_seen >= week_start
        neg = max(negativity(c) for c in members)
        ranked.append(RankedItem(
            item=first,
            importance=round(neg + reach + (NOVELTY_BONUS if novel else 0.0), 4),
            negativity=round(neg, 4),
            reach=round(reach, 4),
            copies=copies,
            novel=novel,
        ))
    ranked.sort(key=lambda r: (-r.importance, r.item.time, r.item.id))
    return ranked[:limit]

