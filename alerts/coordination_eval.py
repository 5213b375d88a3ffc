"""Synthetic evaluation of the coordinated-posting signal: a seeded week of organic posts
with planted bursts, for the tests (a pinned precision/recall floor) and the benchmark.

Organic posts: many accounts, varied text from a local vocabulary, links to many pages,
plus hard negatives: a greeting many accounts post spread over the week, a popular link
shared by long-known accounts, and two accounts that repeat themselves. Planted: bursts of
near-identical text (small edits, emoji, a mention) from 6-12 fresh accounts within 40
minutes, and one link pushed by 6-10 new accounts with different texts within 12 hours.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from storage.coordination import SocialPostRow
from storage.coordination_signal import CoordinationSignal, detect_coordination

START = datetime(2026, 11, 16, tzinfo=UTC)
WORDS = [
    "parkeren", "binnenstad", "gemeente", "raad", "wethouder", "brug", "fiets", "station",
    "bus", "school", "zorg", "wijk", "markt", "haven", "kade", "stadhuis", "vergunning",
    "bewoners", "jongeren", "sport", "park", "bomen", "afval", "geluid", "feest", "verkeer",
    "veilig", "duur", "mooi", "slecht", "goed", "nieuw", "oud", "plan", "besluit",
    "Dordrecht", "Merwede", "Zwijndrecht", "Voorstraat", "Spuiboulevard", "begroting",
    "woningen",
]


@dataclass(frozen=True)
class Series:
    posts: list[SocialPostRow]
    first_seen: dict[str, datetime]
    planted: list[frozenset[str]]


@dataclass(frozen=True)
class Score:
    planted: int
    signals: int
    found: int
    correct: int

    @property
    def recall(self) -> float:
        return self.found / self.planted if self.planted else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.signals if self.signals else 1.0


def synthetic_series(seed: int, bursts: int = 4, pushes: int = 2, organic: int = 1500
                     ) -> Series:
    rng = random.Random(seed)
    posts: list[SocialPostRow] = []
    first_seen: dict[str, datetime] = {}
    count = 0

    def add(author: str, when: datetime, text: str) -> str:
        nonlocal count
        count += 1
        doc_id = f"p{seed}-{count}"
        posts.append(SocialPostRow(doc_id, when, author, text, f"https://social.test/{count}"))
        first_seen.setdefault(author, when)
        return doc_id

    old_accounts = [f"old{i}" for i in range(300)]
    for account in old_accounts:
        first_seen[account] = START - timedelta(days=rng.randint(30, 400))
    for _ in range(organic):
        when = START + timedelta(minutes=rng.randint(0, 7 * 24 * 60))
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 25)))
        if rng.random() < 0.2:
            text += f" https://nieuws.test/artikel/{rng.randint(1, 400)}"
        add(rng.choice(old_accounts), when, text)
    for i in range(40):  # a greeting many accounts post, spread over the week
        add(rng.choice(old_accounts), START + timedelta(hours=4 * i + rng.random()),
            "Goedemorgen Dordrecht, wat een mooie dag aan de Merwede vandaag")
    for i in range(12):  # a popular link from known accounts within a few hours
        add(old_accounts[i], START + timedelta(days=2, minutes=15 * i),
            f"Lees dit {rng.choice(WORDS)} https://nieuws.test/groot-nieuws")
    for i in range(30):  # two accounts that repeat themselves a lot
        add(f"old{i % 2}", START + timedelta(days=3, minutes=2 * i),
            "Steun de actie voor meer groen in de wijk, teken nu de petitie")
    planted: list[frozenset[str]] = []
    for b in range(bursts):
        base = " ".join(rng.choice(WORDS) for _ in range(rng.randint(14, 24)))
        at = START + timedelta(hours=rng.randint(6, 160))
        ids = []
        for a in range(rng.randint(6, 12)):
            words = base.split()
            words[rng.randrange(len(words))] = rng.choice(WORDS)  # one word changed
            text = " ".join(words) + rng.choice(["", " !!", " 👎", " @gebruiker"])
            ids.append(add(f"burst{b}-{a}", at + timedelta(minutes=rng.randint(0, 40)), text))
        planted.append(frozenset(ids))
    for p in range(pushes):
        at = START + timedelta(hours=rng.randint(6, 150))
        link = f"https://nep-nieuws.test/verhaal-{p}?utm_source=x{p}"
        ids = []
        for a in range(rng.randint(6, 10)):
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 14)))
            ids.append(add(f"push{p}-{a}", at + timedelta(minutes=rng.randint(0, 720)),
                           f"{text} {link}"))
        planted.append(frozenset(ids))
    posts.sort(key=lambda post: (post.time, post.document_id))
    return Series(posts, first_seen, planted)


def score(signals: list[CoordinationSignal], planted: list[frozenset[str]]) -> Score:
    """A signal is correct when at least half its documents belong to one planted group; a
    planted group is found when a signal holds at least half of it."""
    correct = sum(
        any(len(set(s.document_ids) & group) * 2 >= len(s.document_ids) for group in planted)
        for s in signals
    )
    found = sum(
        any(len(set(s.document_ids) & group) * 2 >= len(group) for s in signals)
        for group in planted
    )
    return Score(len(planted), len(signals), found, correct)


def evaluate(seeds: range = range(5)) -> Score:
    """Precision and recall over several seeded weeks."""
    totals = [0, 0, 0, 0]
    for seed in seeds:
        series = synthetic_series(seed)
        result = score(detect_coordination(series.posts, series.first_seen), series.planted)
        for index, value in enumerate((result.planted, result.signals, result.found,
                                       result.correct)):
            totals[index] += value
    return Score(*totals)
