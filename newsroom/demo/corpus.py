"""The fictional demo corpus: a deterministic set of news, official and social items.

The corpus is generated from a seed, relative to "now" (floored to the hour), so the
dashboard always shows the recent weeks. Everything that identifies an item (its slug,
its URL, its Mastodon post id, its text) depends only on the seed, never on the clock:
a second crawl a few hours later finds the same documents, only their dates shifted.

Example:
    >>> corpus = build_corpus()
    >>> len(corpus.items) >= 250
    True
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import Any

from newsroom.demo import vocab
from newsroom.demo.corpus_text import TextMaker
from newsroom.demo.vocab import TopicVocab

DEFAULT_SEED = 20261122
WEEKS = 11
OUTLETS = ("drechtstad", "merwede", "gemeente", "social")

BROKEN_KINDS = ("no_link", "bad_date", "future", "missing_page", "empty_post")
"""Deliberately broken entries the crawlers must skip or repair, each with a logged reason:
no_link, bad_date and future are RSS entries of Drechtstad Dagblad; missing_page is a link on
the municipality's listing that answers 404; empty_post is a media-only Mastodon status."""

POLARITIES = ("negatief", "neutraal", "positief")

_COUNTS = {"drechtstad": 100, "merwede": 55, "gemeente": 34, "social": 60}
"""Regular (non-spike, non-broken, non-syndicated) items per outlet."""
_SYNDICATED = 8
_SPIKE = {"drechtstad": 5, "merwede": 3, "gemeente": 1, "social": 18}
_SPIKE_HOURS = 48
"""The burst falls in the last two days, so the alerts' latest 24-hour window holds ~half."""


@dataclass(frozen=True)
class DemoItem:
    """One fictional item as the demo site serves it."""

    slug: str
    outlet: str
    title: str
    paragraphs: tuple[str, ...]
    age_seconds: int
    """How long before the corpus anchor this item was published (negative: in the future)."""
    topic: str
    polarity: str
    place: str
    published: datetime
    language: str = "nl"
    author: str = ""
    """Byline for news; the Mastodon username for social posts."""
    broken: str = ""
    """One of BROKEN_KINDS, or empty for a well-formed item."""
    syndicated_from: str = ""
    """Slug of the original Drechtstad Dagblad story this Merwede Courant copy is based on."""
    spike: bool = False
    post_id: str = ""

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass(frozen=True)
class DemoCorpus:
    """All demo items, plus the moment the corpus ends ("now", to the hour)."""

    anchor: datetime
    items: tuple[DemoItem, ...]

    def for_outlet(self, outlet: str) -> list[DemoItem]:
        """Items of one outlet, newest first."""
        return sorted(
            (item for item in self.items if item.outlet == outlet),
            key=lambda item: item.age_seconds,
        )

    def get(self, outlet: str, slug: str) -> DemoItem | None:
        return self._index.get((outlet, slug))

    @cached_property
    def _index(self) -> dict[tuple[str, str], DemoItem]:
        return {(item.outlet, item.slug): item for item in self.items}

    def last_modified(self, outlet: str) -> datetime:
        """Publication time of the newest non-future item of an outlet (for Last-Modified)."""
        times = [i.published for i in self.for_outlet(outlet) if i.age_seconds >= 0]
        return max(times, default=self.anchor)


def corpus_anchor(now: datetime | None = None) -> datetime:
    """The end of the corpus: now, floored to the hour, in UTC."""
    now = (now or datetime.now(UTC)).astimezone(UTC)
    return now.replace(minute=0, second=0, microsecond=0)


def build_corpus(now: datetime | None = None, seed: int = DEFAULT_SEED) -> DemoCorpus:
    """Generate the whole demo corpus; the same seed gives the same items."""
    anchor = corpus_anchor(now)
    builder = _Builder(random.Random(seed))
    builder.regular_items()
    builder.syndicated_copies()
    builder.english_item()
    builder.spike_items()
    builder.broken_items()
    items = tuple(
        replace(item, published=anchor - timedelta(seconds=item.age_seconds))
        for item in builder.items
    )
    return DemoCorpus(anchor=anchor, items=items)


def slugify(text: str, max_length: int = 60) -> str:
    """ASCII, lower-case, hyphenated: 'Woede over café' -> 'woede-over-cafe'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-")


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_NOT_BEFORE = timedelta(minutes=30)


class _Builder:
    """Draws items one by one from a seeded random generator; order matters for determinism."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.items: list[DemoItem] = []
        self.text = TextMaker(rng)
        self._seen_titles: set[str] = set()
        self._ages: set[int] = set()

    # --- item kinds -------------------------------------------------------------------

    def regular_items(self) -> None:
        for outlet, count in _COUNTS.items():
            for _ in range(count):
                topic = self.rng.choice(vocab.TOPICS)
                polarity = self._polarity(outlet)
                age = self._age(0, WEEKS * 7 * 86400)
                self._add_generated(outlet, topic, polarity, age)

    def syndicated_copies(self) -> None:
        """Copies of Drechtstad stories on the Merwede Courant: same story, small edits."""
        originals = [i for i in self.items if i.outlet == "drechtstad"]
        for original in self.rng.sample(originals, _SYNDICATED):
            title = self.rng.choice(("Dordrecht: {t}", "{t}", "Drechtsteden: {t}")).format(
                t=original.title
            )
            if title == original.title:
                title = original.title + " (update)"
            body = list(original.paragraphs[:-1])
            body.append("Dit bericht verscheen eerder bij Drechtstad Dagblad.")
            age = max(original.age_seconds - self.rng.randint(1800, 4 * 3600), 600)
            self._append(self._news_item(
                "merwede", title, tuple(body), self._unique_age(age), original.topic,
                original.polarity, original.place, syndicated_from=original.slug,
            ))

    def english_item(self) -> None:
        title = "Dordrecht's new city office on the Spuiboulevard wins praise from expats"
        paragraphs = (
            "International residents of Dordrecht are pleased with the new city office on "
            "the Spuiboulevard. Appointments are quick and staff switch to English easily.",
            "'I registered my address in fifteen minutes, which was a pleasant surprise,' "
            "says a software engineer who moved to the Stadswerven last spring.",
            "The municipality says it will add more English information to its website.",
        )
        self._append(self._news_item(
            "drechtstad", title, paragraphs, self._age(3 * 86400, 20 * 86400), "stadskantoor",
            "positief", "Stadswerven", language="en",
        ))

    def spike_items(self) -> None:
        """A burst of negative items about parking in the Binnenstad in the last two days."""
        topic = next(t for t in vocab.TOPICS if t.key == vocab.SPIKE_TOPIC)
        for outlet, count in _SPIKE.items():
            for index in range(count):
                age = self._age(3600, _SPIKE_HOURS * 3600)
                if outlet == "social":
                    round_, which = divmod(index, len(vocab.SPIKE_POSTS))
                    prefix = ("", "Nog steeds: ", "Dag 3: ", "Update: ")[round_ % 4]
                    text = prefix + vocab.SPIKE_POSTS[which]
                    self._append_post(topic, "negatief", "Binnenstad", age, text, spike=True)
                    continue
                if outlet == "gemeente":
                    title = "Gemeente biedt excuses aan voor storing parkeerautomaten binnenstad"
                    paragraphs: tuple[str, ...] = (
                        "Door een storing konden automobilisten in de binnenstad enkele dagen "
                        "niet betalen voor parkeren. De gemeente biedt hiervoor excuses aan.",
                        "Wie in die periode een boete kreeg, kan bezwaar maken. De boetes "
                        "worden dan kwijtgescholden.",
                    )
                    polarity = "neutraal"
                else:
                    title = vocab.SPIKE_TITLES[(index + (outlet == "merwede") * 2)
                                               % len(vocab.SPIKE_TITLES)]
                    paragraphs = (
                        self.rng.choice(vocab.SPIKE_LEADS),
                        self.text.fill(
                            self.rng.choice(topic.quotes["negatief"]), topic, "Binnenstad"
                        ),
                        self.rng.choice(vocab.GENERIC_CLOSERS),
                    )
                    polarity = "negatief"
                self._append(self._news_item(
                    outlet, title, paragraphs, age, topic.key, polarity, "Binnenstad", spike=True,
                ))

    def broken_items(self) -> None:
        """Entries a crawler must handle without crashing: each has a different defect."""
        for kind in ("no_link", "bad_date", "future", "missing_page"):
            topic = self.rng.choice(vocab.TOPICS)
            age = -3 * 86400 if kind == "future" else self._age(86400, 30 * 86400)
            # The dead link sits on the municipality's listing (where dead links are common),
            # so the RSS feed's crawl can end `ok` and be answered 304 the next time.
            outlet = "gemeente" if kind == "missing_page" else "drechtstad"
            item = self._generated_item(outlet, topic, "neutraal", age)
            self._append(replace(item, broken=kind))
        topic = self.rng.choice(vocab.TOPICS)
        self._append_post(topic, "neutraal", "Binnenstad", self._age(86400, 20 * 86400), "",
                          broken="empty_post")

    # --- helpers ----------------------------------------------------------------------

    def _polarity(self, outlet: str) -> str:
        weights = {
            "gemeente": (0.05, 0.7, 0.25),
            "social": (0.45, 0.2, 0.35),
        }.get(outlet, (0.35, 0.35, 0.30))
        return self.rng.choices(POLARITIES, weights=weights)[0]

    def _age(self, low: int, high: int) -> int:
        return self._unique_age(self.rng.randint(max(low, int(_NOT_BEFORE.total_seconds())), high))

    def _unique_age(self, age: int) -> int:
        """Ages are unique so that Mastodon ids (derived from them) are unique and ordered."""
        while age in self._ages:
            age += 7
        self._ages.add(age)
        return age

    def _add_generated(self, outlet: str, topic: TopicVocab, polarity: str, age: int) -> None:
        if outlet == "social":
            place = self.text.place(topic)
            self._append_post(topic, polarity, place, age, None)
            return
        self._append(self._generated_item(outlet, topic, polarity, age))

    def _generated_item(self, outlet: str, topic: TopicVocab, polarity: str, age: int) -> DemoItem:
        for _attempt in range(20):
            place = self.text.place(topic)
            if outlet == "gemeente":
                title, paragraphs = self.text.official(topic, place)
                polarity = "neutraal"
            else:
                title, paragraphs = self.text.article(topic, polarity, place)
            if title not in self._seen_titles:
                break
        self._seen_titles.add(title)
        return self._news_item(outlet, title, paragraphs, age, topic.key, polarity, place)

    def _news_item(
        self,
        outlet: str,
        title: str,
        paragraphs: tuple[str, ...],
        age: int,
        topic: str,
        polarity: str,
        place: str,
        **extra: Any,
    ) -> DemoItem:
        """A news item (not a social post): numbered slug from its title, and a reporter's
        byline except on the municipality's own site. `extra`: DemoItem's optional fields."""
        return DemoItem(
            slug=self._slug(title),
            outlet=outlet,
            title=title,
            paragraphs=paragraphs,
            age_seconds=age,
            topic=topic,
            polarity=polarity,
            place=place,
            published=_EPOCH,
            author="" if outlet == "gemeente" else self.rng.choice(vocab.REPORTERS),
            **extra,
        )

    def _append_post(
        self,
        topic: TopicVocab,
        polarity: str,
        place: str,
        age: int,
        text: str | None,
        spike: bool = False,
        broken: str = "",
    ) -> None:
        if text is None:
            text = self.text.post_text(topic, polarity, place)
        elif text and "#dordrecht" not in text:
            text += " #dordrecht"
        username, _display = self.rng.choice(vocab.SOCIAL_ACCOUNTS)
        post_id = str(10**17 + (10**9 - age) * 100 + len(self.items) % 100)
        self._append(
            DemoItem(
                slug=post_id,
                outlet="social",
                title="",
                paragraphs=(text,) if text else (),
                age_seconds=age,
                topic=topic.key,
                polarity=polarity,
                place=place,
                published=_EPOCH,
                author=username,
                broken=broken,
                spike=spike,
                post_id=post_id,
            )
        )

    def _slug(self, title: str) -> str:
        return f"{len(self.items) + 1:04d}-{slugify(title)}"

    def _append(self, item: DemoItem) -> None:
        self.items.append(item)


def iter_valid(corpus: DemoCorpus) -> Iterator[DemoItem]:
    """Items without a deliberate defect: what a correct crawl stores."""
    return (item for item in corpus.items if not item.broken)
