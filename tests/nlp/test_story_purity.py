"""Story purity with the real encoder: floors on a labelled set of real-shaped story pairs,
hard different-story pairs in the same week, and the demo's parking-outage story."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from newsroom.demo.corpus import build_corpus, iter_valid
from nlp.stories import cluster_stories
from nlp.story_eval import embed_story_set, read_story_set, score_story_pairs
from nlp.story_links import content_terms, inverse_document_frequencies, lexical_overlap

STORY_SET = Path(__file__).parent / "files" / "story_pairs.json"


@pytest.fixture(scope="module")
def story_set(encoder: Any) -> tuple[list[dict[str, Any]], list[Any]]:
    items = read_story_set(STORY_SET)
    return items, embed_story_set(items, encoder)


def test_pair_precision_and_recall_floors(story_set: tuple[list[Any], list[Any]]) -> None:
    items, docs = story_set
    scores = score_story_pairs(items, docs)
    assert scores.same_pairs >= 30
    assert scores.precision >= 0.95, scores.false_merges
    assert scores.recall >= 0.80, scores.missed


@pytest.mark.parametrize(
    ("story_a", "story_b"),
    [
        ("parkeerstoring", "parkeertarief"),  # same place and topic, same week
        ("brug-onderhoud", "brug-storing"),  # same bridge, same week
        ("voorstraat-winkel", "voorstraat-steek"),  # same street, same days
        ("fietspad", "autobrand"),  # same street (Zuidendijk)
        ("kosten-stadskantoor", "ontwerp-stadskantoor"),  # same project
        ("parkeerstoring", "kosten-stadskantoor"),  # the demo's old false merge
    ],
)
def test_different_stories_on_one_street_or_topic_stay_apart(
    story_set: tuple[list[Any], list[Any]], story_a: str, story_b: str
) -> None:
    items, docs = story_set
    story_of = {item["id"]: item["story"] for item in items}
    for group in cluster_stories(docs):
        stories = {story_of[docs[i].document_id] for i in group}
        assert not {story_a, story_b} <= stories, stories


def test_unrelated_documents_do_not_merge(story_set: tuple[list[Any], list[Any]]) -> None:
    items, docs = story_set
    loners = {item["id"] for item in items if not item["story"]}
    grouped = {docs[i].document_id for group in cluster_stories(docs) for i in group}
    assert not loners & grouped


def test_story_set_without_a_label_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "set.json"
    broken.write_text('[{"id": "a", "title": "t", "text": "x", "day": 0}]', encoding="utf-8")
    with pytest.raises(ValueError, match="story"):
        read_story_set(broken)


def test_shared_event_words_weigh_more_than_common_words() -> None:
    a = content_terms("Brand in loods aan de Handelskade", "")
    b = content_terms("Loods Handelskade uitgebrand", "")
    c = content_terms("Brand in woning", "")
    d = content_terms("Brand bij school", "")
    idf = inverse_document_frequencies([a, b, c, d])
    assert idf["brand"] < idf["handel"]
    assert lexical_overlap(a, b, idf) > lexical_overlap(a, c, idf)
    assert lexical_overlap(a, frozenset(), idf) == 0.0


def test_demo_parking_outage_is_one_story_without_other_items(encoder: Any) -> None:
    corpus = build_corpus()
    items = [
        {"id": f"{i.outlet}/{i.slug}", "title": i.title, "text": i.text, "story": "",
         "day": 0, "spike": i.spike}
        for i in iter_valid(corpus)
        if i.outlet != "social" and i.age_seconds < 10 * 86400
    ]
    docs = embed_story_set(items, encoder)
    spike = {item["id"] for item in items if item["spike"]}
    groups = [{docs[i].document_id for i in g} for g in cluster_stories(docs)]
    holding = [g for g in groups if g & spike]
    assert len(holding) == 1
    assert holding[0] <= spike  # no stadskantoor, bike-path or other item
    assert len(holding[0]) >= len(spike) - 1
