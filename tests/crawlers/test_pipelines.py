"""The item pipelines, one rule each, on a real in-memory store."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from core.records import Document, Source, document_id_for_url
from crawlers.pipelines import (
    CleanPipeline,
    DedupePipeline,
    StorePipeline,
    SyndicationPipeline,
    ValidatePipeline,
)
from crawlers.spiders.rss import RssSpider
from storage.crawl_log import get_crawl_run
from storage.documents import count_documents, get_document
from tests.crawlers.helpers import OFFLINE_BASE, make_spider

NOW = datetime(2026, 3, 10, 12, tzinfo=UTC)
SOURCE = Source(id="courant", name="C", kind="news", type="rss", url=f"{OFFLINE_BASE}/feed.xml")
LEAD = ("De gemeenteraad van Dordrecht heeft dinsdagavond ingestemd met de bouw van een nieuwe "
        "brug over de Oude Maas. De brug moet de verkeersdrukte verminderen en fietsers een "
        "veilige route naar het centrum geven. Wethouder Jansen is tevreden met het besluit.")


def doc(slug: str, source_id: str = "courant", title: str = "Nieuwe brug",
        text: str = LEAD, **extra: Any) -> Document:
    url = f"{OFFLINE_BASE}/{source_id}/{slug}"
    return Document(id=document_id_for_url(url), source_id=source_id, kind="news", url=url,
                    title=title, text=text, published=NOW, fetched=NOW, **extra)


@pytest.fixture
def pipelines(recorder: Any) -> list[Any]:
    spider = make_spider(RssSpider, recorder, SOURCE)
    crawler = get_crawler(RssSpider)
    crawler.spider = spider
    return [cls.from_crawler(crawler) for cls in
            (CleanPipeline, ValidatePipeline, DedupePipeline, StorePipeline,
             SyndicationPipeline)]


def run(pipelines: list[Any], item: Document) -> Document | None:
    try:
        for pipeline in pipelines:
            item = pipeline.process_item(item)
    except DropItem:
        return None
    return item


def reasons(recorder: Any) -> list[str]:
    found = get_crawl_run(recorder.db, recorder.run_id)
    assert found is not None
    return [issue.reason for issue in found.issues]


def test_clean_collapses_whitespace_and_caps(pipelines: list[Any]) -> None:
    item = run(pipelines, doc("a", title="  Nieuwe\n  brug <b>open</b> ", text=LEAD + "\x00"))
    assert item is not None
    assert item.title == "Nieuwe brug open"
    assert "\x00" not in item.text


def test_validate_drops_empty_text_with_reason_and_share(pipelines: list[Any],
                                                         recorder: Any) -> None:
    assert run(pipelines, doc("leeg", text="   ")) is None
    assert run(pipelines, doc("goed")) is not None
    assert reasons(recorder) == ["invalid_item"]
    assert recorder.stats.skipped == 1
    assert recorder.validation.share == 0.5


def test_validate_rejects_social_post_with_author_name() -> None:
    from crawlers.pipelines import schema_problems

    post = doc("p")
    post.kind = "social"
    post.author_pseudonym = None
    assert any("pseudonym" in problem for problem in schema_problems(post))


def test_dedupe_within_run(pipelines: list[Any], recorder: Any) -> None:
    assert run(pipelines, doc("zelfde")) is not None
    assert run(pipelines, doc("zelfde")) is None
    assert reasons(recorder) == ["duplicate_in_run"]


def test_store_counts_new_updated_unchanged(recorder: Any, db: Any) -> None:
    def fresh() -> list[Any]:
        spider = make_spider(RssSpider, recorder, SOURCE)
        crawler = get_crawler(RssSpider)
        crawler.spider = spider
        return [StorePipeline.from_crawler(crawler)]

    run(fresh(), doc("a"))
    run(fresh(), doc("a"))
    run(fresh(), doc("a", text=LEAD + " Update: de raad stemde unaniem."))
    assert (recorder.stats.new, recorder.stats.unchanged, recorder.stats.updated) == (1, 1, 1)
    assert count_documents(db) == 1


def test_syndication_links_other_outlet_but_keeps_both(pipelines: list[Any], db: Any) -> None:
    first = run(pipelines, doc("brug", source_id="courant"))
    second = run(pipelines, doc("brug-kopie", source_id="dagblad",
                                title="Nieuwe brug"))
    assert first is not None and second is not None
    stored_first = get_document(db, first.id)
    stored_second = get_document(db, second.id)
    assert stored_first is not None and stored_second is not None
    assert stored_first.syndication_group is not None
    assert stored_first.syndication_group == stored_second.syndication_group
    assert count_documents(db) == 2


def test_syndication_ignores_same_source_and_other_stories(pipelines: list[Any], db: Any) -> None:
    run(pipelines, doc("brug"))
    run(pipelines, doc("brug-2"))  # same outlet: an update under a new URL, not syndication
    run(pipelines, doc("park", source_id="dagblad", title="Parkeren duurder",
                       text="Vanaf april betalen automobilisten in de binnenstad meer voor een "
                            "plek; ondernemers in de Voorstraat zijn boos en vrezen dat klanten "
                            "wegblijven uit het centrum van de stad."))
    groups = {row["syndication_group"] for row in db.query("SELECT * FROM documents")}
    assert groups == {None}


def test_social_clean_removes_mentions_and_author(pipelines: list[Any]) -> None:
    post = doc("post", text="Goed gedaan @wethouder@mastodon.test!", title="Goed gedaan")
    post.kind = "social"
    post.author = "Jan Jansen"
    post.author_pseudonym = "abc"
    item = run(pipelines, post)
    assert item is not None
    assert item.author is None
    assert item.text == "Goed gedaan @gebruiker!"
