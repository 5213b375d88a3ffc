"""Stories across outlets and syndicated copies, with the real encoder on a real SQLite file."""

from __future__ import annotations

from typing import Any

import sqlite_utils

from core.config import Config
from nlp.pipeline import score_pending
from nlp.stories import UnionFind, update_stories
from storage.documents import get_document
from storage.stories import list_stories, story_documents
from tests.nlp.conftest import LexiconDouble, add_documents, fixture_json, make_document


def load_fixture(db: sqlite_utils.Database) -> dict[str, str]:
    """Store the story fixture; returns fixture id → document id."""
    ids = {}
    docs = []
    for item in fixture_json("stories_fixture.json"):
        doc = make_document(
            f"https://{item['source']}.example/{item['id']}",
            item["title"],
            item["text"],
            source=item["source"],
            day=item["day"],
        )
        ids[item["id"]] = doc.id
        docs.append(doc)
    add_documents(db, docs)
    return ids


def groups_by_fixture_id(db: sqlite_utils.Database, ids: dict[str, str]) -> set[frozenset[str]]:
    back = {doc_id: key for key, doc_id in ids.items()}
    return {
        frozenset(back[d] for d in story_documents(db, story.id))
        for story in list_stories(db, limit=100)
    }


def test_same_story_across_outlets_is_grouped(
    file_db: sqlite_utils.Database, config: Config, encoder: Any
) -> None:
    ids = load_fixture(file_db)
    report = score_pending(file_db, config, model=LexiconDouble(), encoder=encoder)
    assert report.stories is not None
    groups = groups_by_fixture_id(file_db, ids)
    assert groups == {
        frozenset({"a1", "a2", "a3"}),
        frozenset({"b1", "b2"}),
        frozenset({"c1", "c2"}),
    }
    # e1 repeats a1 word for word but 20 days later: outside the 7-day window.
    stories = {s.label: s for s in list_stories(file_db, limit=100)}
    brand = next(s for s in stories.values() if s.size == 3)
    assert "Handelskade" in brand.label or "brand" in brand.label.lower()
    assert brand.first_seen < brand.last_seen


def test_story_ids_are_stable_when_a_story_grows(
    file_db: sqlite_utils.Database, config: Config, encoder: Any
) -> None:
    ids = load_fixture(file_db)
    score_pending(file_db, config, model=LexiconDouble(), encoder=encoder)
    before = {s.id for s in list_stories(file_db, limit=100)}
    extra = make_document(
        "https://extra.example/b3",
        "Zwijndrechtse brug dicht: omleiding via de A16",
        "Zes weken lang is de Zwijndrechtse brug dicht voor autoverkeer tussen Dordrecht en "
        "Zwijndrecht vanwege groot onderhoud.",
        source="extra",
        day=3,
    )
    add_documents(file_db, [extra])
    score_pending(file_db, config, model=LexiconDouble(), encoder=encoder)
    after = {s.id: s for s in list_stories(file_db, limit=100)}
    assert set(after) == before
    grown = [s for s in after.values() if extra.id in story_documents(file_db, s.id)]
    assert len(grown) == 1 and grown[0].size == 3
    assert ids["b1"] in story_documents(file_db, grown[0].id)


def test_scoring_reads_but_never_writes_syndication_groups(
    file_db: sqlite_utils.Database, config: Config, encoder: Any
) -> None:
    """The crawler owns syndication_group; stories only count the copies it marked."""
    text = "Het stadhuis is maandag gesloten vanwege een storing in de verwarming."
    first = make_document("https://a.example/1", "Stadhuis dicht", text, source="a")
    first.syndication_group = "crawler-group-1"
    second = make_document("https://b.example/1", "Stadhuis dicht", text, source="b")
    add_documents(file_db, [first, second])
    report = score_pending(file_db, config, model=LexiconDouble(), encoder=encoder)
    stored_first, stored_second = (get_document(file_db, d.id) for d in (first, second))
    assert stored_first is not None and stored_first.syndication_group == "crawler-group-1"
    assert stored_second is not None and stored_second.syndication_group is None
    assert report.stories is not None and report.stories.syndicated_documents == 1


def test_update_stories_on_empty_store(file_db: sqlite_utils.Database) -> None:
    report = update_stories(file_db, "no-such-model")
    assert (report.documents, report.stories) == (0, 0)


def test_union_find_groups() -> None:
    finder = UnionFind(5)
    finder.union(0, 3)
    finder.union(3, 4)
    assert sorted(sorted(g) for g in finder.groups()) == [[0, 3, 4], [1], [2]]
