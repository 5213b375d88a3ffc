"""A social post's title is a cut of its own text: it is not scored again as a sentence.

Crawled for real (the Mastodon spider in a child process against the fixture site on
127.0.0.1, into a SQLite file), then scored by `score_pending`: one sentence shows once with
one label, and the document score is the text's own. News headlines still count.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from core.config import load_config
from crawlers.runner import crawl_sources
from nlp.pipeline import document_units, score_pending
from nlp.sentences import has_own_title
from storage.db import open_db
from storage.documents import get_document, list_documents
from storage.scores import document_analysis
from tests.crawlers.helpers import PSEUDONYM_KEY, write_config
from tests.crawlers.site import FixtureSite
from tests.nlp.conftest import HashingEncoder, LexiconDouble, make_document


def test_crawled_post_title_is_not_scored_twice(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSROOM_PSEUDONYM_KEY", PSEUDONYM_KEY)
    with FixtureSite() as site:
        config = load_config(write_config(tmp_path, [
            {"id": "masto", "name": "Mastodon #dordrecht", "kind": "social",
             "type": "mastodon", "url": site.base, "tag": "dordrecht"},
        ]))
        [summary] = crawl_sources(config, timeout=240)
    assert summary.status == "ok"
    db = open_db(config.storage_path)
    posts = [get_document(db, row["id"]) for row in list_documents(db, limit=None)]
    # Posts longer than a title: their title is the text's first 100 characters plus "…".
    cut = [p for p in posts if p is not None and p.title.endswith("…")]
    assert cut and all(p.text.startswith(p.title[:-1]) for p in cut)

    model = LexiconDouble()
    score_pending(db, config, model=model, encoder=HashingEncoder())
    for post in cut:
        assert post.title not in model.seen
        view = document_analysis(db, post.id)
        texts = [s.text for s in view.sentences]
        assert texts and all(not s.is_title for s in view.sentences)
        assert len(texts) == len(set(texts))
        # The opening sentence is scored once (it used to be scored again as the title).
        assert post.text.startswith(texts[0])
        assert model.seen.count(texts[0]) == 1


def test_news_headline_still_counts() -> None:
    news = make_document("https://ad.example/h", "Raad boos over kosten",
                         "Het stadskantoor wordt duurder. De raad wil uitleg.")
    units = document_units(news)
    assert [u.text for u in units][0] == "Raad boos over kosten"
    assert (units[0].start, units[0].end) == (-1, -1)  # the headline span


@pytest.mark.parametrize(
    ("kind", "title", "text", "own"),
    [
        ("social", "Heel andere kop", "Tekst van de post.", False),
        ("news", "Storing parkeerautomaten…", "Storing parkeerautomaten in de binnenstad.", False),
        ("news", "Storing automaten...", "Storing automaten in de binnenstad.", False),
        ("news", "Storing", "Storing parkeerautomaten.", False),
        ("news", "Raad stemt in.", "Het college is blij.", True),
        ("news", "", "Alleen tekst.", False),
    ],
)
def test_has_own_title(kind: str, title: str, text: str, own: bool) -> None:
    doc = make_document("https://ad.example/t", title, text)
    doc = replace(doc, kind=kind)  # type: ignore[arg-type]
    assert has_own_title(doc) is own
