"""The dashboard's data layer: storage queries behind `st.cache_data`, and adviser writes.

Pages call these functions and never see SQL or a connection. Reads are cached for
`[dashboard] cache_ttl_seconds` and keyed on the database path, so one process can serve
several stores (the tests do). A sqlite3 connection must not cross threads, and Streamlit runs
each session in its own thread, so connections are kept per thread. Writes go through
`storage.adviser` only, and clear the caches they make stale.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import wraps
from typing import Any, TypeVar, cast
from zoneinfo import ZoneInfo

import streamlit as st

from core import wording
from core.config import Config, load_config
from core.records import Annotation, Watch
from dashboard import actions
from dashboard.roles import SessionUser
from nlp.models.card import model_figures
from nlp.watch_query import WatchQueryError, parse_query
from storage import dashboard_queries as q
from storage.adviser import list_annotations, list_watches
from storage.alerts import list_alerts
from storage.db import Database, open_db
from storage.dead_letters import list_dead_letters
from storage.digests import data_stamp, get_preview
from storage.documents import DocumentFilter
from storage.scope import documents_in_watches
from storage.scores import models_in_use

logger = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])

_local = threading.local()
_cached: dict[tuple[str, int], Callable[..., Any]] = {}


def config() -> Config:
    """The config named by $NEWSROOM_CONFIG (read on each rerun: it is a small file)."""
    return load_config(None)


def db_path() -> str:
    """The configured store: the SQLite file, or the PostgreSQL URL when `[storage] url` is
    set (kept as a string: a URL must not pass through `Path`, which folds its "//")."""
    return str(config().store_target)


def connection(path: str) -> Database:
    """This thread's connection to the store at `path` (opened, and migrated, once)."""
    connections: dict[str, Database] = getattr(_local, "connections", {})
    _local.connections = connections
    if path not in connections:
        connections[path] = open_db(path)
    return connections[path]


def cached(fn: F) -> F:
    """Cache `fn(path, ...)` with the configured TTL; the first argument is the db path."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ttl = config().dashboard.cache_ttl_seconds
        key = (fn.__qualname__, ttl)
        if key not in _cached:
            _cached[key] = st.cache_data(ttl=ttl, show_spinner=False)(fn)
        return _cached[key](*args, **kwargs)

    def clear() -> None:
        for (name, _ttl), cached_fn in _cached.items():
            if name == fn.__qualname__:
                cached_fn.clear()  # type: ignore[attr-defined]

    wrapper.clear = clear  # type: ignore[attr-defined]
    return cast(F, wrapper)


def today() -> date:
    """The current UTC day (periods in the rollup are UTC days)."""
    return datetime.now(UTC).date()


# --- reads -----------------------------------------------------------------------------


@cached
def volume_series(path: str, start: date, end: date, granularity: str,
                  source_ids: tuple[str, ...] = (), kinds: tuple[str, ...] = ()) -> list[dict]:
    return q.volume_series(connection(path), start, end, granularity, source_ids, kinds)


@cached
def volume_by(path: str, start: date, end: date, dimension: str) -> list[dict]:
    return q.volume_by(connection(path), start, end, dimension)


@cached
def period_totals(path: str, start: date, end: date) -> dict:
    return q.period_totals(connection(path), start, end)


@cached
def weekly_reach(path: str, start: date, end: date) -> list[dict]:
    """Reach per week as plain dicts (cacheable): see `storage.reach`."""
    from storage.reach import weekly_reach as reach_per_week

    return [
        {**dataclasses.asdict(week), "top_share": week.top_share,
         "concentrated": week.concentrated}
        for week in reach_per_week(connection(path), start, end)
    ]


@cached
def coordination_signals(path: str, start: date, end: date) -> list[dict]:
    """Coordinated-posting signals among the social posts of [start, end) (whole days):
    the ones the rollup job stored while they are current, else computed now."""
    from storage.coordination_results import signals_between

    return [{**dataclasses.asdict(signal), "description": signal.describe()}
            for signal in signals_between(connection(path), start, end)]


@cached
def rollup_range(path: str) -> tuple[date | None, date | None]:
    return q.rollup_range(connection(path))


@cached
def top_stories(path: str, start: date, end: date, limit: int = 10) -> list[dict]:
    return q.top_stories(connection(path), start, end, limit)


@cached
def emerging_stories(path: str, since: date, limit: int = 15) -> list[dict]:
    return q.emerging_stories(connection(path), since, limit)


@cached
def topic_series(path: str, start: date, end: date, granularity: str) -> list[dict]:
    return q.topic_series(connection(path), start, end, granularity)


@cached
def emerging_topics(path: str, day: date) -> list[dict]:
    return q.emerging_topics(connection(path), day)


@cached
def topic_names(path: str) -> list[str]:
    return q.topic_names(connection(path))


@cached
def place_names(path: str) -> list[dict]:
    return q.place_names(connection(path))


@cached
def place_counts(path: str, start: date, end: date, levels: tuple[str, ...]) -> list[dict]:
    return q.place_counts(connection(path), start, end, levels)


@cached
def watches(path: str) -> list[Watch]:
    return list_watches(connection(path))


@cached
def watch_series(path: str, watch_id: int, start: date, end: date, granularity: str
                 ) -> list[dict]:
    return q.watch_series(connection(path), watch_id, start, end, granularity)


@cached
def watch_outlets(path: str, watch_id: int, start: date, end: date) -> list[dict]:
    return q.watch_outlets(connection(path), watch_id, start, end)


@cached
def share_of_voice(path: str, start: date, end: date, watch_ids: tuple[int, ...]) -> list[dict]:
    return q.share_of_voice(connection(path), start, end, watch_ids)


@cached
def watch_extremes(path: str, watch_id: int, start: date, end: date, most: str) -> list[dict]:
    return q.watch_extremes(connection(path), watch_id, start, end, most)


@cached
def search(path: str, flt: DocumentFilter, limit: int) -> list[dict]:
    return q.search_documents(connection(path), flt, limit)


def document_item(path: str, document_id: str) -> dict | None:
    """Not cached: the item view shows the adviser's own new notes at once."""
    return q.document_item(connection(path), document_id)


def document_annotations(path: str, document_id: str) -> list[Annotation]:
    return list_annotations(connection(path), document_id)


@cached
def source_health_rows(path: str) -> list[dict]:
    rows = []
    for health in q.source_health_from_rollup(connection(path)):
        row = dataclasses.asdict(health)
        row["healthy"] = health.healthy
        rows.append(row)
    return rows


@cached
def crawl_issues(path: str, limit: int = 50) -> list[dict]:
    return q.recent_crawl_issues(connection(path), limit)


@cached
def source_names(path: str) -> dict[str, str]:
    """Source id -> its name, so no page shows an id."""
    return {row["id"]: row["name"] or row["id"] for row in q.source_options(connection(path))}


@cached
def dead_letters(path: str, limit: int = 50) -> list[dict]:
    """Queued tasks that failed for good (workers/, issue 16); empty without workers."""
    return [dataclasses.asdict(letter) for letter in list_dead_letters(connection(path), limit)]


@cached
def source_options(path: str) -> list[dict]:
    return q.source_options(connection(path))


def in_watches(path: str, document_ids: tuple[str, ...], watch_ids: tuple[int, ...]
               ) -> set[str]:
    """Which of `document_ids` match one of `watch_ids` (a project lead's scope)."""
    return documents_in_watches(connection(path), document_ids, watch_ids)


def recent_alerts(path: str, limit: int = 10) -> list[dict]:
    """Recent alerts (newest first) as dicts."""
    names = source_names(path)
    return [
        {"gemaakt": alert.created, "soort": wording.code_label(alert.kind, wording.ALERT_KINDS),
         "over": _alert_subject(alert.scope_type, alert.scope_key, names),
         "melding": alert.message}
        for alert in list_alerts(connection(path), limit)
    ]


def _alert_subject(scope_type: str, scope_key: str, names: dict[str, str]) -> str:
    """What an alert is about, in words: 'alle berichten', 'Verkeer en parkeren', …"""
    if scope_type == "topic":
        return wording.topic_label(scope_key)
    if scope_type == "watch":
        return f"project {scope_key}"
    if scope_type == "source":
        return f"bron {names.get(scope_key, scope_key)}"
    return "alle berichten"


@cached
def digest_preview(path: str, week: str, recipient_email: str | None) -> dict[str, Any] | None:
    """Subject, browser-ready HTML and text of a week's stored digest preview, when it was
    built and the data stamp it reflects; None when no preview is stored.

    Only read here: the scheduler's rollup job builds the previews (digest.preview), so a
    page view never draws charts or writes to the store.
    """
    stored = get_preview(connection(path), week, recipient_email or "")
    if stored is None:
        return None
    built = stored.built_at.astimezone(ZoneInfo(config().schedule.timezone))
    return {"subject": stored.subject, "html": stored.html, "text": stored.text,
            "built_at": built.strftime("%d-%m-%Y %H:%M"), "data_stamp": stored.data_stamp}


def preview_outdated(path: str, stamp: str) -> bool:
    """Whether data came in since a preview with this stamp was built (not cached: the
    stamp is a few index lookups, and the page should say so at once)."""
    return stamp != data_stamp(connection(path))


# --- writes (adviser actions) -------------------------------------------------------------


def annotate(path: str, user: SessionUser, document_id: str, kind: str, value: str,
             sentence_idx: int | None = None) -> int:
    """Store a correction, tag or note as `user` (AnnotationError if invalid, NotAllowed if
    the role may not)."""
    annotation_id = actions.annotate_as(connection(path), user, document_id, kind, value,
                                        sentence_idx)
    logger.info("annotation %s (%s) on %s by %s", annotation_id, kind, document_id,
                user.username)
    if kind in ("correction", "tag"):
        # A correction is the truth in every chart and list from now on; a tag changes the
        # tag filter, the tag report and the labels column of the lists.
        st.cache_data.clear()
    return annotation_id


def client_address() -> str:
    """The browser's address as Streamlit sees it, for the audit log and the login throttle.

    Streamlit says None for a client on the same machine: that is "localhost" (the throttle
    needs a key). Outside a Streamlit run there is no client: "". Behind a reverse proxy this
    is the proxy's address unless it passes the client through.
    """
    try:
        address = st.context.ip_address
    except (AttributeError, RuntimeError):
        return ""
    return address if isinstance(address, str) and address else "localhost"


class WatchQueryInvalid(ValueError):
    """A watch query the parser rejects; the message is Dutch, for the adviser."""


def validate_watch_query(text: str) -> None:
    """Check a watch query with nlp.watch_query's parser (the one the scorer uses)."""
    if not text.strip():
        raise WatchQueryInvalid("Vul een zoekvraag in, bijvoorbeeld: spoorzone OR \"station zuid\"")
    if len(text) > 2000:
        raise WatchQueryInvalid("De zoekvraag is te lang (maximaal 2000 tekens).")
    try:
        parse_query(text)
    except WatchQueryError as exc:
        raise WatchQueryInvalid(str(exc)) from exc


def store_watch(path: str, user: SessionUser, watch: Watch) -> int:
    """Save a watch as `user` (query validated first, role and owner checked by
    dashboard.actions) and clear the watch caches."""
    validate_watch_query(watch.query)
    watch_id = actions.save_watch_as(connection(path), user, watch)
    watches.clear()  # type: ignore[attr-defined]
    logger.info("watch %s saved as id %s", watch.name, watch_id)
    return watch_id


def last_day(path: str) -> date:
    """The day periods end on: today, or the last day with data when the store is older."""
    return q.period_last_day(rollup_range(path)[1], today())


# --- transparency ("Over deze monitor") ---------------------------------------------------


@cached
def models_in_store(path: str) -> list[tuple[str, str, int]]:
    """(model name, version, documents) of the scores in the store."""
    return models_in_use(connection(path))


def model_quality(model_name: str) -> dict[str, Any] | None:
    """The model card's measured figures and known limits for one model, or None."""
    figures = model_figures(model_name)
    if figures is None:
        return None
    return {"title": figures.title, "rows": list(figures.rows), "limits": list(figures.limits)}
