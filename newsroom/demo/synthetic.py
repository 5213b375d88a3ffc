"""A synthetic load corpus: many fictional documents with scores, topics, places and watches.

Used by `newsroom demo-data` and the dashboard benchmark to check that every page stays fast
at a million documents. Everything is marked `fictional = 1`, lives under the reserved
`.invalid` domain, and is generated from a seed, so the same call gives the same corpus.

Speed matters (a million documents in a few minutes on two cores): rows are built here as
plain tuples and written by `storage.bulk` with `executemany` in large transactions, and the
rollups are built once at the end with `storage.rollups.refresh_daily_rollup`. A load
generator, not storage: it lives on the demo side and knows no SQL.
"""

from __future__ import annotations

import hashlib
import logging
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from core.records import LABELS, Source, Watch, utcnow
from core.timeutil import to_iso
from newsroom.demo.synthetic_words import (
    FILLERS,
    LABEL_WEIGHTS,
    OPENERS,
    PLACES,
    SOURCE_WEIGHTS,
    SOURCES,
    TITLES,
    TOPICS,
    WATCH_WORDS,
    WATCHES,
)
from storage.adviser import save_watch
from storage.bulk import (
    BULK_TABLES,
    BulkRows,
    bulk_load_mode,
    count_documents_with_prefix,
    document_hash_and_time,
    write_bulk_chunk,
    write_fixture_analysis,
)
from storage.crawl_log import upsert_source
from storage.db import Database
from storage.rollups import refresh_daily_rollup

logger = logging.getLogger(__name__)

MODEL_NAME = "synthetic"
MODEL_VERSION = "1"
"""What synthetic scores say made them, so nobody mistakes them for a model's verdict."""



@dataclass(frozen=True)
class SyntheticReport:
    """What `generate_corpus` wrote."""

    documents: int
    stories: int
    watch_scores: int
    rollup_rows: int
    seconds: float


def _probabilities(rng: random.Random, label: str) -> tuple[float, float, float]:
    top = 0.5 + rng.random() * 0.45
    rest = 1.0 - top
    split = rng.random() * rest
    if label == "negatief":
        return top, split, rest - split
    if label == "positief":
        return split, rest - split, top
    return split, top, rest - split


def ensure_synthetic_sources(db: Database) -> None:
    """Record the synthetic outlets and a few crawl runs, so the Bronnen page has content."""
    from core.records import CrawlIssue, CrawlStats
    from storage.crawl_log import finish_crawl_run, record_crawl_issue, start_crawl_run

    now = utcnow()
    for index, (source_id, name, kind) in enumerate(SOURCES):
        upsert_source(
            db,
            Source(id=source_id, name=name, kind=kind,  # type: ignore[arg-type]
                   type="rss", url=f"https://{source_id}.invalid/feed.xml"),
        )
        for hours_ago in (3, 2, 1):
            failing = index == len(SOURCES) - 1 and hours_ago < 3
            run_start = now - timedelta(hours=hours_ago)
            run_id = start_crawl_run(db, source_id, started=run_start)
            if failing:
                record_crawl_issue(db, run_id, CrawlIssue(
                    url=f"https://{source_id}.invalid/feed.xml", reason="http_error",
                    detail="HTTP 503 (synthetisch)"))
            finish_crawl_run(
                db, run_id, CrawlStats(new=0 if failing else 5, unchanged=10,
                                       http_status=503 if failing else 200),
                status="failed" if failing else "ok", ended=run_start + timedelta(minutes=1),
            )


def generate_corpus(
    db: Database,
    documents: int,
    *,
    days: int = 365,
    seed: int = 7,
    now: datetime | None = None,
    batch: int = 50_000,
    progress: Callable[[int], None] | None = None,
) -> SyntheticReport:
    """Write `documents` fictional documents (with scores, sentences for some, topics, places,
    stories and watch scores), then rebuild the rollups.

    Ids continue after any synthetic documents already stored, so calling it twice adds
    more rather than failing. Raises ValueError for a non-positive count or day span.
    """
    if documents < 1:
        raise ValueError("documents must be 1 or more")
    if days < 1:
        raise ValueError("days must be 1 or more")
    started = datetime.now(UTC)
    now = (now or utcnow()).astimezone(UTC)
    ensure_synthetic_sources(db)
    watch_ids = [
        save_watch(db, Watch(name=name, query=query, owner=owner))
        for name, query, owner in WATCHES
    ]
    offset = count_documents_with_prefix(db, "syn")
    written = 0
    counts = {"stories": 0, "watch_scores": 0}
    with bulk_load_mode(db):
        for rows in corpus_chunks(documents, watch_ids, days=days, seed=seed, now=now,
                                  batch=batch, first=offset):
            size = len(rows["documents"])
            write_bulk_chunk(db, rows, MODEL_NAME, MODEL_VERSION)
            counts["stories"] += len(rows["stories"])
            counts["watch_scores"] += len(rows["watch_scores"])
            written += size
            if progress is not None:
                progress(size)
            logger.info("synthetic corpus: %s documents written", written)
        rollup_rows = refresh_daily_rollup(db)
    return SyntheticReport(
        documents=written,
        stories=counts["stories"],
        watch_scores=counts["watch_scores"],
        rollup_rows=rollup_rows,
        seconds=round((datetime.now(UTC) - started).total_seconds(), 1),
    )


def corpus_chunks(
    documents: int,
    watch_ids: list[int],
    *,
    days: int = 365,
    seed: int = 7,
    now: datetime | None = None,
    batch: int = 50_000,
    first: int = 0,
) -> Iterator[BulkRows]:
    """The rows of `documents` synthetic documents (ids from `first` on), `batch` at a time,
    in the layouts of `storage.bulk.write_bulk_chunk`; the same arguments give the same rows,
    so two stores (SQLite and PostgreSQL in the storage benchmark) can hold the same corpus.
    `watch_ids` are the stored ids of `WATCHES`, in that order."""
    now = (now or utcnow()).astimezone(UTC)
    rng = random.Random(seed + first)
    gen = _RowFactory(rng, _timeline(rng, now, days, documents), watch_ids)
    for chunk_start in range(first, first + documents, batch):
        yield gen.rows(chunk_start, min(batch, first + documents - chunk_start))


def _timeline(
    rng: random.Random, now: datetime, days: int, documents: int
) -> Iterator[tuple[str, bool]]:
    """Publication times in ascending order, with quieter weekends and a few spike days.

    Ascending times keep the time indexes append-only while writing (much faster), and make
    insertion order match time order, as it does for a real crawl. Yields (iso, spike_day).
    """
    first_day = (now - timedelta(days=days - 1)).replace(hour=0, minute=0, second=0)
    weights = []
    spikes = set()
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        weight = 0.55 if day.weekday() >= 5 else 1.0
        if rng.random() < 0.02:
            weight *= 3.5
            spikes.add(offset)
        weights.append(weight)
    total = sum(weights)
    counts = [int(documents * w / total) for w in weights]
    counts[-1] += documents - sum(counts)
    limit = int((now - first_day).total_seconds()) - (days - 1) * 86_400
    for offset, count in enumerate(counts):
        day = first_day + timedelta(days=offset)
        span = 86_399 if offset < days - 1 else max(limit, 1)
        for second in sorted(rng.randrange(span) for _ in range(count)):
            yield (day + timedelta(seconds=second)).isoformat(), offset in spikes


class _RowFactory:
    """Builds the rows of one chunk of synthetic documents as tuples (fast to write)."""

    def __init__(
        self, rng: random.Random, times: Iterator[tuple[str, bool]], watch_ids: list[int]
    ) -> None:
        self.rng = rng
        self.times = times
        self.watch_ids = watch_ids
        self.topic_names = list(TOPICS)
        self.source_weights = list(SOURCE_WEIGHTS)

    def rows(self, first: int, size: int) -> BulkRows:
        out: BulkRows = {key: [] for key in BULK_TABLES}
        rng = self.rng
        sources = rng.choices(SOURCES, weights=self.source_weights, k=size)
        labels = rng.choices(LABELS, weights=LABEL_WEIGHTS, k=size)
        story: tuple[str, str, int, str] | None = None  # id, thing, copies left, time
        for i in range(size):
            num = first + i
            doc_id = f"syn{num:09d}"
            source_id, _name, kind = sources[i]
            when_iso, spike_day = next(self.times)
            label = "negatief" if spike_day and rng.random() < 0.5 else labels[i]
            topic = self.topic_names[num % len(self.topic_names)] if rng.random() < 0.3 \
                else rng.choice(self.topic_names)
            thing = rng.choice(TOPICS[topic])
            if story is not None and story[2] > 0:
                story_id, thing, left, story_time = story
                story = (story_id, thing, left - 1, story_time)
                out["document_stories"].append((doc_id, story_id))
            elif rng.random() < 0.04:
                story_id = f"syn-story-{num}"
                copies = rng.randint(2, 4)
                story = (story_id, thing, copies - 1, when_iso)
                out["stories"].append((story_id, f"Verhaal over {thing}", when_iso, when_iso,
                                       copies))
                out["document_stories"].append((doc_id, story_id))
            else:
                story = None
            published = story[3] if story is not None else when_iso
            sentences = [rng.choice(OPENERS[label]).format(thing=thing), rng.choice(FILLERS)]
            watch_index = num % 7 if num % 7 < len(self.watch_ids) and rng.random() < 0.5 \
                else None
            if watch_index is not None:
                sentences.append(
                    f"Het gaat ook over {WATCH_WORDS[watch_index]} en de gevolgen voor de stad."
                )
            text = " ".join(sentences)
            title = rng.choice(TITLES[label]).format(thing=thing)
            title = title[0].upper() + title[1:]
            pseudonym = f"anon-{num % 9973:04x}" if kind == "social" else None
            content = hashlib.blake2b(doc_id.encode(), digest_size=16).hexdigest()
            out["documents"].append((
                doc_id, source_id, kind, f"https://{source_id}.invalid/a/{num}", title, text,
                published, published, published, pseudonym,
                "mastodon" if kind == "social" else None,
                story[0] if story is not None else None, content,
            ))
            p_neg, p_neu, p_pos = _probabilities(rng, label)
            out["scores"].append((doc_id, -1, label, p_neg, p_neu, p_pos, content, published))
            if num % 10 == 0:
                self._sentence_rows(out, doc_id, sentences, label, content, published)
            out["topics"].append((doc_id, topic, round(0.5 + rng.random() / 2, 3)))
            if rng.random() < 0.45:
                code, pname, level, lat, lon = rng.choice(PLACES)
                out["places"].append((doc_id, code, pname, level, lat, lon, rng.randint(1, 3)))
            if watch_index is not None:
                out["watch_scores"].append((
                    self.watch_ids[watch_index], doc_id, 1, label, p_neg, p_neu, p_pos,
                ))
        return out

    def _sentence_rows(
        self, out: BulkRows, doc_id: str, sentences: list[str],
        label: str, content: str, published: str | None,
    ) -> None:
        start = 0
        for idx, sentence in enumerate(sentences):
            out["sentences"].append((doc_id, idx, sentence, start, start + len(sentence)))
            sentence_label = label if idx == 0 else "neutraal"
            p_neg, p_neu, p_pos = _probabilities(self.rng, sentence_label)
            out["scores"].append(
                (doc_id, idx, sentence_label, p_neg, p_neu, p_pos, content, published)
            )
            start += len(sentence) + 1


def iter_place_rows() -> Iterator[tuple[str, str, str, float, float]]:
    """The synthetic areas (code, name, level, lat, lon), for tests and the map legend."""
    yield from PLACES


def attach_analysis(
    db: Database,
    document_id: str,
    label: str,
    *,
    sentences: tuple[tuple[str, str], ...] = (),
    topics: tuple[str, ...] = (),
    places: tuple[str, ...] = (),
    watch_ids: tuple[int, ...] = (),
    model_name: str = MODEL_NAME,
    model_version: str = MODEL_VERSION,
) -> None:
    """Give a stored document a score, scored sentences (text, label), topics, synthetic
    places (CBS codes from PLACES) and watch scores, as the scorer would.

    For fixture corpora and demos; the real analysis comes from nlp.pipeline. Raises
    ValueError for an unknown label, document or place code.
    """
    if label not in LABELS or any(s_label not in LABELS for _t, s_label in sentences):
        raise ValueError(f"labels must be one of {', '.join(LABELS)}")
    stored = document_hash_and_time(db, document_id)
    if stored is None:
        raise ValueError(f"no document with id {document_id!r}")
    content, when = stored
    known_places = {p[0]: p for p in PLACES}
    unknown = [code for code in places if code not in known_places]
    if unknown:
        raise ValueError(f"unknown synthetic place code {unknown[0]!r}")
    rng = random.Random(document_id)
    p_neg, p_neu, p_pos = _probabilities(rng, label)
    rows: BulkRows = {key: [] for key in BULK_TABLES}
    rows["scores"].append(
        (document_id, -1, label, p_neg, p_neu, p_pos, content, to_iso(utcnow()))
    )
    start = 0
    for idx, (text, s_label) in enumerate(sentences):
        rows["sentences"].append((document_id, idx, text, start, start + len(text)))
        s_neg, s_neu, s_pos = _probabilities(rng, s_label)
        rows["scores"].append((document_id, idx, s_label, s_neg, s_neu, s_pos, content, when))
        start += len(text) + 1
    rows["topics"] = [(document_id, topic, 0.9) for topic in topics]
    rows["places"] = [(document_id, *known_places[code], 1) for code in places]
    rows["watch_scores"] = [
        (watch_id, document_id, 1, label, p_neg, p_neu, p_pos) for watch_id in watch_ids
    ]
    write_fixture_analysis(db, document_id, rows, model_name, model_version)
