"""Cached reads of the tags advisers add: the tag filter's choices and the tag report.

Why cached like every other read: the report groups all tagged documents of a period. A new
tag or correction clears every cached read (`dashboard.data.annotate`,
`dashboard.labelling`), so the report and the filter never lag behind an adviser's save.
"""

from __future__ import annotations

from datetime import date

from dashboard.data import cached, connection
from storage.dashboard_queries import tags as q


@cached
def tag_names(path: str, watch_ids: tuple[int, ...] = ()) -> list[str]:
    return q.tag_names(connection(path), watch_ids)


@cached
def tag_weeks(path: str, start: date, end: date, tags: tuple[str, ...] = (),
              watch_ids: tuple[int, ...] = ()) -> list[dict]:
    return q.tag_weeks(connection(path), start, end, tags, watch_ids)


@cached
def tag_sentiment(path: str, start: date, end: date, tags: tuple[str, ...] = (),
                  watch_ids: tuple[int, ...] = ()) -> list[dict]:
    return q.tag_sentiment(connection(path), start, end, tags, watch_ids)


@cached
def tag_documents(path: str, tag: str, start: date, end: date,
                  watch_ids: tuple[int, ...] = ()) -> list[dict]:
    return q.tag_documents(connection(path), tag, start, end, watch_ids)
