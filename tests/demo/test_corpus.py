"""The fictional corpus: size, span, markers, broken entries, copies, the spike."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from newsroom.demo import vocab
from newsroom.demo.corpus import BROKEN_KINDS, DemoCorpus, build_corpus, iter_valid, slugify

from .conftest import NOW


def test_at_least_250_items_over_at_least_10_weeks(corpus: DemoCorpus) -> None:
    valid = list(iter_valid(corpus))
    assert len(valid) >= 250
    span = max(i.published for i in valid) - min(i.published for i in valid)
    assert span >= timedelta(weeks=10)


def test_corpus_ends_now_and_every_week_has_items(corpus: DemoCorpus) -> None:
    assert corpus.anchor == datetime(2026, 11, 22, 14, 0, tzinfo=UTC)
    past = [i for i in corpus.items if i.broken != "future"]
    assert all(i.published <= corpus.anchor for i in past)
    weeks = Counter((corpus.anchor - i.published).days // 7 for i in past)
    assert all(weeks[w] >= 5 for w in range(10)), weeks


def test_all_four_outlets_and_three_kinds_of_tone(corpus: DemoCorpus) -> None:
    outlets = Counter(i.outlet for i in corpus.items)
    assert set(outlets) == {"drechtstad", "merwede", "gemeente", "social"}
    assert min(outlets.values()) >= 30
    tones = Counter(i.polarity for i in corpus.items)
    assert min(tones.values()) >= 50


def test_every_topic_is_covered(corpus: DemoCorpus) -> None:
    topics = Counter(i.topic for i in corpus.items)
    assert set(topics) == {t.key for t in vocab.TOPICS}
    assert min(topics.values()) >= 10


def test_same_seed_same_corpus_and_clock_moves_only_dates() -> None:
    first = build_corpus(now=NOW)
    again = build_corpus(now=NOW)
    later = build_corpus(now=NOW + timedelta(days=3, hours=5))
    assert first == again
    assert [(i.slug, i.text, i.post_id) for i in first.items] == [
        (i.slug, i.text, i.post_id) for i in later.items
    ]
    shift = later.anchor - first.anchor
    pairs = zip(first.items, later.items, strict=True)
    assert all(b.published - a.published == shift for a, b in pairs)


def test_another_seed_gives_another_corpus() -> None:
    assert build_corpus(now=NOW, seed=1).items != build_corpus(now=NOW, seed=2).items


def test_slugs_and_post_ids_are_unique(corpus: DemoCorpus) -> None:
    keys = [(i.outlet, i.slug) for i in corpus.items]
    assert len(keys) == len(set(keys))
    post_ids = [i.post_id for i in corpus.items if i.outlet == "social"]
    assert len(post_ids) == len(set(post_ids))
    assert all(i.post_id.isdigit() for i in corpus.items if i.outlet == "social")


def test_mastodon_ids_grow_with_time(corpus: DemoCorpus) -> None:
    posts = sorted(corpus.for_outlet("social"), key=lambda i: i.published)
    ids = [int(i.post_id) for i in posts]
    assert ids == sorted(ids)


def test_each_broken_kind_is_present_once(corpus: DemoCorpus) -> None:
    broken = Counter(i.broken for i in corpus.items if i.broken)
    assert broken == Counter(BROKEN_KINDS)
    future = next(i for i in corpus.items if i.broken == "future")
    assert future.published > corpus.anchor
    empty = next(i for i in corpus.items if i.broken == "empty_post")
    assert empty.outlet == "social" and empty.text == ""


def test_syndicated_copies_are_near_copies_on_the_other_outlet(corpus: DemoCorpus) -> None:
    copies = [i for i in corpus.items if i.syndicated_from]
    assert len(copies) >= 5
    for copy in copies:
        original = corpus.get("drechtstad", copy.syndicated_from)
        assert original is not None and copy.outlet == "merwede"
        assert copy.text != original.text
        assert copy.paragraphs[0] == original.paragraphs[0]
        assert original.title in copy.title
        assert copy.published > original.published


def test_one_english_item(corpus: DemoCorpus) -> None:
    english = [i for i in corpus.items if i.language == "en"]
    assert len(english) == 1
    assert "city office" in english[0].text
    assert all(i.language == "nl" for i in corpus.items if i is not english[0])


def test_negative_spike_in_the_last_week(corpus: DemoCorpus) -> None:
    week_ago = corpus.anchor - timedelta(days=7)
    recent_negative = [
        i for i in corpus.items
        if i.topic == vocab.SPIKE_TOPIC and i.polarity == "negatief" and i.published >= week_ago
    ]
    older_weeks = [
        i for i in corpus.items
        if i.topic == vocab.SPIKE_TOPIC and i.polarity == "negatief"
        and corpus.anchor - timedelta(days=70) <= i.published < week_ago
    ]
    weekly_baseline = len(older_weeks) / 9
    assert len(recent_negative) >= 15
    assert len(recent_negative) > 4 * weekly_baseline
    assert all("binnenstad" in i.text.lower() for i in corpus.items if i.spike and i.text)
    last_day = [i for i in recent_negative if i.published >= corpus.anchor - timedelta(hours=24)]
    assert len(last_day) >= 8  # enough for alerts.min_count in the latest 24-hour window


def test_texts_use_real_drechtsteden_places(corpus: DemoCorpus) -> None:
    names = [name for name, _ in vocab.PLACES]
    mentioned = Counter(n for i in corpus.items for n in names if n in i.text)
    assert len(mentioned) >= 15


def test_no_placeholder_left_in_any_text(corpus: DemoCorpus) -> None:
    for item in corpus.items:
        assert "{" not in item.text + item.title, item.slug
        assert "  " not in item.text, item.slug


def test_slugify_is_ascii_and_bounded() -> None:
    assert slugify("Woede over café, 't Spui!") == "woede-over-cafe-t-spui"
    assert len(slugify("x" * 200)) == 60


def test_titles_within_an_outlet_are_nearly_all_distinct(corpus: DemoCorpus) -> None:
    for outlet in ("drechtstad", "merwede", "gemeente"):
        titles = [i.title for i in corpus.for_outlet(outlet)]
        assert len(titles) - len(set(titles)) <= 3, outlet
