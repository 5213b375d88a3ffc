"""Privacy rules at ingest: author identifiers scrubbed, names of private persons masked,
links or ids that still name the author refused — for any platform adapter."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from core.records import Document, Source
from crawlers.names import mask_private_names
from crawlers.privacy import names_an_author, scrub_identifiers
from crawlers.social import SocialPage, SocialPost
from crawlers.spiders.social import SocialSpider
from tests.crawlers import helpers


@pytest.mark.parametrize(("text", "expected"), [
    ("Marieke van Dam is boos", "[naam] is boos"),
    ("Vandaag Kees gezien bij de markt", "Vandaag [naam] gezien bij de markt"),
    ("Ik sprak buurvrouw Annie de Vries", "Ik sprak buurvrouw [naam]"),
    ("Mevrouw Jansen belde", "Mevrouw [naam] belde"),
    ("dhr. Bakker was er ook", "dhr. [naam] was er ook"),
    ("Jan van der Berg en Piet", "[naam] en [naam]"),
])
def test_private_names_are_masked(text: str, expected: str) -> None:
    assert mask_private_names(text) == expected


@pytest.mark.parametrize("text", [
    "De Grote Kerk en het Energiehuis in Dordrecht",
    "Timmerman bouwt een Markthal",  # a first name inside a longer word is no name
    "Mail info@dordrecht.nl of @gebruiker",
    "Al [naam] gemaskeerd",
])
def test_ordinary_words_places_and_placeholders_stay(text: str) -> None:
    assert mask_private_names(text) == text


def test_listed_public_figures_stay_readable_in_full_and_by_surname() -> None:
    figures = ("Piet Hein", "Ahmed Marcouch")
    text = "Wethouder Piet Hein en burgemeester Marcouch spraken met Kees de Boer"
    assert mask_private_names(text, figures) == (
        "Wethouder Piet Hein en burgemeester Marcouch spraken met [naam]"
    )
    # Not listed: masked like anyone else.
    assert mask_private_names("Wethouder Piet Hein", ()) == "Wethouder [naam]"


def test_author_identifiers_are_scrubbed_from_text() -> None:
    ids = ("vera_v", "Vera van de Voorstraat", "https://x.example/@vera_v", "Bert 🌿")
    text = ("Groet, Vera van de Voorstraat (vera_v), zie https://x.example/@vera_v; "
            "Bert zegt hoi")
    assert scrub_identifiers(text, ids) == "Groet, [naam] ([naam]), zie [naam]; [naam] zegt hoi"
    assert scrub_identifiers("Sas is kort", ("Sa",)) == "Sas is kort"  # too short to scrub


@pytest.mark.parametrize(("value", "named"), [
    ("https://x.example/@vera_v/109", True),
    ("https://x.example/users/vera_v/statuses/109", True),
    ("https://x.example/@vera_v@other.example/109", True),
    ("https://x.example/statuses/109", False),
    ("x.example/109", False),
    ("https://vera_v.example/statuses/1", False),  # a host like the handle is no handle
])
def test_links_and_ids_naming_the_author_are_detected(value: str, named: bool) -> None:
    assert names_an_author(value, ("vera_v", "Vera", "https://x.example/@vera_v")) is named


@dataclass
class LeakyPlatform:
    """An adapter that forgets the rule: it returns the handle URL as link."""

    name: str = "leaky"
    requires_token: bool = False

    def first_url(self, source: Source) -> str:
        return source.url

    def headers(self, source: Source) -> dict[str, str]:
        return {}

    def parse_page(self, body: str, url: str, link_header: str | None) -> SocialPage:
        leaky = SocialPost(post_id="x.example/1", url="https://x.example/@vera_v/1",
                           html="<p>Hallo</p>", created=None, language="nl", account_id="7",
                           identifiers=("vera_v",))
        fine = SocialPost(post_id="x.example/2", url="https://x.example/statuses/2",
                          html="<p>Groet van vera_v en Kees</p>", created=None, language="nl",
                          account_id="7", identifiers=("vera_v",))
        return SocialPage((leaky, fine), None)


def test_spider_refuses_a_handle_link_from_any_adapter_and_logs_no_handle(recorder: Any) -> None:
    source = Source(id="leak", name="Leak", kind="social", type="mastodon",
                    url="https://x.example", options={"tag": "x"})
    spider = helpers.make_spider(SocialSpider, recorder, source)
    spider.platform = LeakyPlatform()
    response = helpers.text_response("mastodon-tag.json", "https://x.example/api",
                                     headers={"Content-Type": "application/json"})
    docs = [item for item in spider.parse(response) if isinstance(item, Document)]
    assert [doc.url for doc in docs] == ["https://x.example/statuses/2"]
    assert docs[0].text == "Groet van [naam] en [naam]"
    stored = recorder.db.execute("SELECT url, reason, detail FROM crawl_issues").fetchall()
    assert [reason for _, reason, _ in stored] == ["handle_in_link"]
    assert "vera_v" not in repr(stored)
