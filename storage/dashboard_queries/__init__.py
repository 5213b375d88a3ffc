"""Read queries behind the dashboard, written to stay fast at a million documents.

Time series come from the per-day rollups (storage.rollups), never from scanning documents;
lists use the time index and a LIMIT; text search walks the FTS5 index newest-first and stops
at the LIMIT. Periods are UTC days: `start` inclusive, `end` exclusive (`date` objects).
Every function returns plain dicts (or lists of them) so the dashboard can cache and tabulate
them without knowing SQL.
The queries live in one module per page group; this package re-exports them so pages
call `q.volume_series(...)` without knowing which module holds what.
"""

from storage.dashboard_queries.messages import (
    document_item,
    search_documents,
)
from storage.dashboard_queries.overview import (
    emerging_stories,
    period_last_day,
    period_totals,
    rollup_range,
    top_stories,
    volume_by,
    volume_series,
)
from storage.dashboard_queries.series import Row
from storage.dashboard_queries.sources import (
    recent_crawl_issues,
    source_health_from_rollup,
    source_options,
)
from storage.dashboard_queries.topics import (
    emerging_topics,
    place_counts,
    place_names,
    topic_names,
    topic_series,
)
from storage.dashboard_queries.watches import (
    share_of_voice,
    watch_extremes,
    watch_outlets,
    watch_series,
)

__all__ = [
    "Row",
    "document_item",
    "emerging_stories",
    "emerging_topics",
    "period_totals",
    "place_counts",
    "place_names",
    "recent_crawl_issues",
    "period_last_day",
    "rollup_range",
    "search_documents",
    "share_of_voice",
    "source_health_from_rollup",
    "source_options",
    "top_stories",
    "topic_names",
    "topic_series",
    "volume_by",
    "volume_series",
    "watch_extremes",
    "watch_outlets",
    "watch_series",
]
