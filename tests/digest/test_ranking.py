"""The top-items rule: negativity + reach + novelty, one item per story."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from digest.ranking import NOVELTY_BONUS, rank_items
from storage.digest_queries import Candidate

START = datetime(2026, 11, 9, tzinfo=UTC)


def cand(doc_id: str, p_neg: float, group: str | None = None, hours: int = 1,
         story_first_seen: datetime | None = None, label: str = "neutraal",
         corrected: bool = False) -> Candidate:
    return Candidate(id=doc_id, title=doc_id, url=f"https://x.example/{doc_id}", source_id="s",
                     source_name="S", kind="news", time=START + timedelta(hours=hours),
                     label=label, p_neg=p_neg, group=group or doc_id,
                     story_first_seen=story_first_seen, corrected=corrected)


def test_reach_and_negativity_and_novelty_add_up() -> None:
    items = [
        cand("lonely-negative", 0.9),
        *[cand(f"copy{i}", 0.3, group="g", hours=i + 2) for i in range(8)],
        cand("old-story", 0.95, story_first_seen=START - timedelta(days=20)),
    ]
    ranked = rank_items(items, START, limit=5)
    by_id = {r.item.id: r for r in ranked}
    assert by_id["copy0"].copies == 8 and by_id["copy0"].reach == 1.0
    assert by_id["copy0"].importance == 0.3 + 1.0 + NOVELTY_BONUS
    assert by_id["lonely-negative"].importance == 0.9 + NOVELTY_BONUS
    assert by_id["old-story"].importance == 0.95
    assert [r.item.id for r in ranked] == ["copy0", "lonely-negative", "old-story"]


def test_adviser_correction_overrides_model_probability() -> None:
    ranked = rank_items([cand("a", 0.1, label="negatief", corrected=True),
                         cand("b", 0.9, label="neutraal", corrected=True),
                         cand("c", 0.5)], START)
    assert [r.item.id for r in ranked] == ["a", "c", "b"]


def test_limit_and_ties_are_deterministic() -> None:
    items = [cand(f"d{i}", 0.5, hours=10 - i) for i in range(8)]
    ranked = rank_items(items, START, limit=5)
    assert [r.item.id for r in ranked] == ["d7", "d6", "d5", "d4", "d3"]
