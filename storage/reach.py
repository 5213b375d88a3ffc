"""Reach and representativeness: on which platforms, kinds of sources and how many voices a
period's picture rests on.

A spike of 60 posts means something else when 3 accounts wrote them. Per period this gives
the share of items per platform and per source kind, the number of distinct (pseudonymous)
social authors, and the share of social posts written by the most active 10 of them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from core.timeutil import to_iso
from storage.db import Database

TOP_AUTHORS = 10
CONCENTRATED_SHARE = 0.5
"""At or above this share of posts from the top authors, a period's social picture rests
on a few accounts."""
MIN_POSTS_FOR_WARNING = 20


@dataclass
class Reach:
    """The reach figures of one period [start, end)."""

    start: datetime
    end: datetime
    total: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    by_platform: dict[str, int] = field(default_factory=dict)
    """Social posts per platform; news and official items are counted under their kind."""
    social_posts: int = 0
    authors: int = 0
    top_posts: int = 0
    """Posts by the `TOP_AUTHORS` most active pseudonyms."""

    def share(self, count: int) -> float | None:
        return round(count / self.total, 4) if self.total else None

    @property
    def top_share(self) -> float | None:
        """Share of social posts written by the top authors (None without posts)."""
        return round(self.top_posts / self.social_posts, 4) if self.social_posts else None

    @property
    def concentrated(self) -> bool:
        """True when a few accounts carry the social picture (enough posts to say so)."""
        share = self.top_share
        return (self.social_posts >= MIN_POSTS_FOR_WARNING and share is not None
                and share >= CONCENTRATED_SHARE and self.authors > TOP_AUTHORS)


def reach_between(db: Database, start: datetime, end: datetime) -> Reach:
    """Reach figures of the documents dated in [start, end) (published, else first seen)."""
    reach = Reach(start, end)
    per_author: Counter[str] = Counter()
    rows = db.query(
        "SELECT kind, coalesce(platform, '') AS platform, author_pseudonym, count(*) AS n "
        "FROM documents WHERE coalesce(published, first_seen) >= ? "
        "AND coalesce(published, first_seen) < ? "
        "GROUP BY kind, coalesce(platform, ''), author_pseudonym",
        [to_iso(start), to_iso(end)],
    )
    for row in rows:
        n = int(row["n"])
        reach.total += n
        reach.by_kind[row["kind"]] = reach.by_kind.get(row["kind"], 0) + n
        channel = row["platform"] if row["kind"] == "social" and row["platform"] else row["kind"]
        reach.by_platform[channel] = reach.by_platform.get(channel, 0) + n
        if row["kind"] == "social":
            reach.social_posts += n
            if row["author_pseudonym"]:
                per_author[row["author_pseudonym"]] += n
    reach.authors = len(per_author)
    reach.top_posts = sum(n for _, n in per_author.most_common(TOP_AUTHORS))
    return reach


def weekly_reach(db: Database, first_day: date, last_day: date) -> list[Reach]:
    """Reach per ISO week (Monday to Monday, UTC days) from the week of `first_day` through
    the week of `last_day`, oldest first."""
    monday = first_day - timedelta(days=first_day.weekday())
    weeks = []
    while monday <= last_day:
        start = datetime(monday.year, monday.month, monday.day, tzinfo=UTC)
        weeks.append(reach_between(db, start, start + timedelta(days=7)))
        monday += timedelta(days=7)
    return weeks
