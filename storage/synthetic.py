"""A synthetic load corpus: many fictional documents with scores, topics, places and watches.

Used by `newsroom demo-data` and the dashboard benchmark to check that every page stays fast
at a million documents. Everything is marked `fictional = 1`, lives under the reserved
`.invalid` domain, and is generated from a seed, so the same call gives the same corpus.

Speed matters (a million documents in a few minutes on two cores): rows are built as plain
tuples and written with `executemany` in large transactions, and the rollups are built once
at the end with `storage.rollups.refresh_daily_rollup`.
"""

from __future__ import annotations

import hashlib
import logging
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlite_utils

from core.records import LABELS, Source, Watch, utcnow
from core.timeutil import to_iso
from storage.adviser import save_watch
from storage.crawl_log import upsert_source
from storage.db import transaction
from storage.rollups import refresh_daily_rollup

logger = logging.getLogger(__name__)

MODEL_NAME = "synthetic"
MODEL_VERSION = "1"
"""What synthetic scores say made them, so nobody mistakes them for a model's verdict."""

SOURCES: tuple[tuple[str, str, str], ...] = (
    ("syn-dagblad", "Synthetisch Dagblad", "news"),
    ("syn-stadskrant", "Stadskrant (synthetisch)", "news"),
    ("syn-omroep", "Regio-omroep (synthetisch)", "news"),
    ("syn-nieuwsbode", "Nieuwsbode (synthetisch)", "news"),
    ("syn-wijkblad", "Wijkblad (synthetisch)", "news"),
    ("syn-mastodon", "Mastodon #dordrecht (synthetisch)", "social"),
    ("syn-forum", "Buurtforum (synthetisch)", "social"),
    ("syn-social-2", "Sociale posts (synthetisch)", "social"),
    ("syn-gemeente", "Gemeente nieuws (synthetisch)", "official"),
    ("syn-raad", "Raadsinformatie (synthetisch)", "official"),
)
SOURCE_WEIGHTS = (14, 10, 8, 6, 4, 22, 14, 10, 7, 5)

TOPICS: dict[str, tuple[str, ...]] = {
    "verkeer": ("de nieuwe rotonde", "het parkeren in de binnenstad", "de fietsstraat"),
    "wonen": ("de nieuwbouwwijk", "de sociale huurwoningen", "de renovatie van de flats"),
    "veiligheid": ("de straatverlichting", "het cameratoezicht", "de overlast bij het station"),
    "zorg": ("de wijkverpleging", "het nieuwe gezondheidscentrum", "de jeugdzorg"),
    "onderwijs": ("de nieuwe basisschool", "het schoolplein", "de bibliotheek"),
    "milieu": ("het groen in de wijk", "de afvalinzameling", "de warmtepompen"),
    "economie": ("de winkels in het centrum", "de weekmarkt", "de haven"),
    "cultuur": ("het theater", "het museum", "het stadsfestival"),
    "bestuur": ("de gemeenteraad", "de begroting", "de wethouder"),
    "sport": ("het zwembad", "de sporthal", "de voetbalclub"),
}

WATCHES: tuple[tuple[str, str, str], ...] = (
    ("Spoorzone", "spoorzone OR \"station zuid\"", "projectleider.spoorzone"),
    ("Stadswerven", "stadswerven", "projectleider.stadswerven"),
    ("Zwembad", "zwembad NOT wedstrijd", ""),
    ("Energietransitie", "warmtenet OR zonnepanelen", ""),
    ("Binnenstad", "binnenstad AND parkeren", ""),
)
WATCH_WORDS = ("spoorzone", "stadswerven", "zwembad", "warmtenet", "binnenstad")

PLACES: tuple[tuple[str, str, str, float, float], ...] = (
    ("GM0505", "Dordrecht", "gemeente", 51.800, 4.753),
    ("WK050500", "Binnenstad", "wijk", 51.814, 4.667),
    ("WK050501", "Noordflank", "wijk", 51.822, 4.693),
    ("WK050502", "Krispijn", "wijk", 51.800, 4.671),
    ("WK050503", "Reeland", "wijk", 51.795, 4.689),
    ("WK050504", "Sterrenburg", "wijk", 51.790, 4.703),
    ("WK050505", "Stadspolders", "wijk", 51.798, 4.720),
    ("WK050506", "Dubbeldam", "wijk", 51.787, 4.730),
    ("WK050507", "Wielwijk", "wijk", 51.792, 4.664),
    ("BU05050001", "Stadswerven", "buurt", 51.821, 4.676),
    ("BU05050002", "Oud-Krispijn", "buurt", 51.804, 4.672),
    ("BU05050003", "Crabbehof", "buurt", 51.788, 4.677),
)
"""Approximate label points of areas in Dordrecht, for fictional load data only."""

OPENERS = {
    "negatief": (
        "Bewoners zijn boos over {thing}.",
        "Er is veel kritiek op {thing}.",
        "Ondernemers klagen over {thing}.",
        "De oppositie noemt {thing} een mislukking.",
        "Omwonenden maken zich zorgen over {thing}.",
    ),
    "neutraal": (
        "De gemeente geeft uitleg over {thing}.",
        "Donderdag praat de raad over {thing}.",
        "Er komt een informatieavond over {thing}.",
        "Het college stuurt een brief over {thing}.",
        "Volgende week start het onderzoek naar {thing}.",
    ),
    "positief": (
        "Bewoners zijn blij met {thing}.",
        "Er is veel lof voor {thing}.",
        "Ondernemers zijn tevreden over {thing}.",
        "De wijk viert de opening van {thing}.",
        "Iedereen is enthousiast over {thing}.",
    ),
}
FILLERS = (
    "Dat meldt de gemeente Dordrecht.",
    "De plannen liggen tot eind volgende maand ter inzage.",
    "Wethouder en raadsleden gaan met de buurt in gesprek.",
    "Er is een bijeenkomst in het wijkcentrum.",
    "Op sociale media wordt er volop over gepraat.",
    "Het onderwerp staat op de agenda van de commissie.",
)
TITLES = {
    "negatief": ("Onvrede over {thing}", "Kritiek op {thing}", "Zorgen om {thing}"),
    "neutraal": ("Nieuws over {thing}", "Raad bespreekt {thing}", "Update: {thing}"),
    "positief": ("Lof voor {thing}", "Blij met {thing}", "Succes voor {thing}"),
}
LABEL_WEIGHTS = (30, 45, 25)


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


def ensure_synthetic_sources(db: sqlite_utils.Database) -> None:
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
    db: sqlite_utils.Database,
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
    offset = int(
        db.execute("SELECT count(*) FROM documents WHERE id LIKE 'syn%'").fetchone()[0]
    )
    rng = random.Random(seed + offset)
    gen = _RowFactory(rng, _timeline(rng, now, days, documents), watch_ids)
    written = 0
    counts = {"stories": 0, "watch_scores": 0}
    conn = db.conn
    # A load corpus can be regenerated, so trade durability for speed while writing it.
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -262144")
    for chunk_start in range(offset, offset + documents, batch):
        size = min(batch, offset + documents - chunk_start)
        rows = gen.rows(chunk_start, size)
        conn.execute("BEGIN IMMEDIATE")
        try:
            _write_chunk(conn, rows)
            conn.execute("COMMIT")
        except Exception:
            conn.execute("ROLLBACK")
            raise
        counts["stories"] += len(rows["stories"])
        counts["watch_scores"] += len(rows["watch_scores"])
        written += size
        if progress is not None:
            progress(size)
        logger.info("synthetic corpus: %s documents written", written)
    rollup_rows = refresh_daily_rollup(db)
    conn.execute("PRAGMA synchronous = NORMAL")
    return SyntheticReport(
        documents=written,
        stories=counts["stories"],
        watch_scores=counts["watch_scores"],
        rollup_rows=rollup_rows,
        seconds=round((datetime.now(UTC) - started).total_seconds(), 1),
    )


def _write_chunk(conn: Any, rows: dict[str, list[tuple[Any, ...]]]) -> None:
    conn.executemany(
        "INSERT INTO documents (id, source_id, kind, url, title, text, published, fetched, "
        "first_seen, language, author_pseudonym, platform, syndication_group, fictional, "
        "content_hash, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'nl', ?, ?, ?, 1, ?, 1)",
        rows["documents"],
    )
    conn.executemany(
        "INSERT INTO scores (document_id, sentence_idx, label, p_neg, p_neu, p_pos, model_name, "
        f"model_version, content_hash, scored_at) VALUES (?, ?, ?, ?, ?, ?, '{MODEL_NAME}', "
        f"'{MODEL_VERSION}', ?, ?)",
        rows["scores"],
    )
    conn.executemany(
        'INSERT INTO sentences (document_id, idx, text, start, "end") VALUES (?, ?, ?, ?, ?)',
        rows["sentences"],
    )
    conn.executemany(
        f"INSERT INTO topics (document_id, topic, score, model_name) VALUES (?, ?, ?, "
        f"'{MODEL_NAME}')",
        rows["topics"],
    )
    conn.executemany(
        "INSERT INTO places (document_id, cbs_code, name, level, lat, lon, mentions) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows["places"],
    )
    conn.executemany(
        "INSERT OR REPLACE INTO stories (id, label, first_seen, last_seen, size) "
        "VALUES (?, ?, ?, ?, ?)",
        rows["stories"],
    )
    conn.executemany(
        "INSERT OR REPLACE INTO document_stories (document_id, story_id) VALUES (?, ?)",
        rows["document_stories"],
    )
    conn.executemany(
        "INSERT OR REPLACE INTO watch_scores (watch_id, document_id, mentions, label, p_neg, "
        f"p_neu, p_pos, model_name, model_version) VALUES (?, ?, ?, ?, ?, ?, ?, '{MODEL_NAME}', "
        f"'{MODEL_VERSION}')",
        rows["watch_scores"],
    )


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

    def rows(self, first: int, size: int) -> dict[str, list[tuple[Any, ...]]]:
        out: dict[str, list[tuple[Any, ...]]] = {
            key: [] for key in ("documents", "scores", "sentences", "topics", "places",
                                "stories", "document_stories", "watch_scores")
        }
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
        self, out: dict[str, list[tuple[Any, ...]]], doc_id: str, sentences: list[str],
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
    db: sqlite_utils.Database,
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
    row = db.execute(
        "SELECT content_hash, coalesce(published, first_seen) FROM documents WHERE id = ?",
        [document_id],
    ).fetchone()
    if row is None:
        raise ValueError(f"no document with id {document_id!r}")
    content, when = row
    known_places = {p[0]: p for p in PLACES}
    rng = random.Random(document_id)
    with transaction(db) as conn:
        p_neg, p_neu, p_pos = _probabilities(rng, label)
        conn.execute(
            "INSERT OR REPLACE INTO scores (document_id, sentence_idx, label, p_neg, p_neu, "
            "p_pos, model_name, model_version, content_hash, scored_at) "
            "VALUES (?, -1, ?, ?, ?, ?, ?, ?, ?, ?)",
            [document_id, label, p_neg, p_neu, p_pos, model_name, model_version, content,
             to_iso(utcnow())],
        )
        start = 0
        for idx, (text, s_label) in enumerate(sentences):
            conn.execute(
                'INSERT OR REPLACE INTO sentences (document_id, idx, text, start, "end") '
                "VALUES (?, ?, ?, ?, ?)",
                [document_id, idx, text, start, start + len(text)],
            )
            s_neg, s_neu, s_pos = _probabilities(rng, s_label)
            conn.execute(
                "INSERT OR REPLACE INTO scores (document_id, sentence_idx, label, p_neg, p_neu, "
                "p_pos, model_name, model_version, content_hash, scored_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [document_id, idx, s_label, s_neg, s_neu, s_pos, model_name, model_version,
                 content, when],
            )
            start += len(text) + 1
        for topic in topics:
            conn.execute(
                "INSERT OR REPLACE INTO topics (document_id, topic, score, model_name) "
                "VALUES (?, ?, 0.9, ?)",
                [document_id, topic, model_name],
            )
        for code in places:
            if code not in known_places:
                raise ValueError(f"unknown synthetic place code {code!r}")
            _code, name, level, lat, lon = known_places[code]
            conn.execute(
                "INSERT OR REPLACE INTO places (document_id, cbs_code, name, level, lat, lon, "
                "mentions) VALUES (?, ?, ?, ?, ?, ?, 1)",
                [document_id, code, name, level, lat, lon],
            )
        for watch_id in watch_ids:
            conn.execute(
                "INSERT OR REPLACE INTO watch_scores (watch_id, document_id, mentions, label, "
                "p_neg, p_neu, p_pos, model_name, model_version) "
                "VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?)",
                [watch_id, document_id, label, p_neg, p_neu, p_pos, model_name, model_version],
            )
