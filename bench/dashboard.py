"""Dashboard benchmark: is every page fast at a million documents?

Builds (or reuses, cached under var/bench/) a synthetic load corpus, then times:
- each page's storage queries, against a naive baseline in the same run (the same figures
  computed from the documents instead of the rollups, or search by LIKE scan / the generic
  filter instead of the FTS-driven query);
- full page renders through Streamlit's AppTest (cold: caches cleared; warm: cached);
- the rollup refresh the scheduler runs.
Targets from issue 4: every page ≤ 1 s, search ≤ 100 ms. Results: dashboard.json + .md.

Size: NEWSROOM_BENCH_DASHBOARD_DOCS (default 1,000,000; generation takes ~2.5 min on 2 cores
the first time, then the cached file is reused).
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import bcrypt

from bench.results import write_results
from newsroom.demo.synthetic import generate_corpus
from storage import baselines as base
from storage import dashboard_queries as q
from storage.adviser import list_watches
from storage.db import checkpoint, open_db
from storage.digests import clear_previews
from storage.documents import DocumentFilter, list_documents
from storage.rollups import refresh_daily_rollup

logger = logging.getLogger(__name__)

CORPUS_VERSION = 1
"""Bump when newsroom.demo.synthetic changes shape, so a stale cached corpus is rebuilt."""
PAGE_TARGET_S = 1.0
SEARCH_TARGET_S = 0.1
ROOT = Path(__file__).resolve().parent.parent
PAGES = ("overzicht", "projecten", "onderwerpen", "berichten", "kaart", "bronnen", "digest")


def median_seconds(fn: Callable[[], Any], repeat: int = 5) -> float:
    """Median wall time of `repeat` calls (the storage bench times its budgets with it too)."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


BASELINE_CAP_S = 20.0
"""A naive baseline is stopped after this long (some take minutes at 1M documents)."""


def _capped_seconds(db: Any, fn: Callable[[], Any], repeat: int) -> tuple[float, bool]:
    """Median time of a baseline, interrupted (via SQLite's progress handler) at the cap."""
    deadline = [0.0]
    db.conn.set_progress_handler(lambda: int(time.perf_counter() > deadline[0]), 10_000)
    times = []
    try:
        for _ in range(repeat):
            started = time.perf_counter()
            deadline[0] = started + BASELINE_CAP_S
            try:
                fn()
            except sqlite3.OperationalError:  # interrupted at the cap
                return BASELINE_CAP_S, False
            times.append(time.perf_counter() - started)
    finally:
        db.conn.set_progress_handler(None, 0)
    return statistics.median(times), True


def corpus_path(documents: int) -> Path:
    return ROOT / "var" / "bench" / f"dashboard-{documents}-v{CORPUS_VERSION}.db"


def ensure_corpus(documents: int) -> tuple[Path, float | None]:
    """The cached corpus file, generating it when missing; returns (path, seconds or None)."""
    path = corpus_path(documents)
    if path.exists():
        return path, None
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    for stale in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        stale.unlink(missing_ok=True)
    db = open_db(partial)
    started = time.perf_counter()
    generate_corpus(db, documents, days=365, seed=11)
    seconds = time.perf_counter() - started
    checkpoint(db)
    db.conn.close()
    partial.rename(path)
    return path, seconds


QueryCase = tuple[str, str, Callable[[], Any], Callable[[], Any] | None, int]
"""(name, kind "page" or "search", the page's query, its naive baseline or None, repeats)."""


def query_cases(db: Any) -> list[QueryCase]:
    """Each page's storage queries, bound to an open store of either engine. The baselines
    are for SQLite only (their cap uses SQLite's progress handler); bench.storage_engines
    times the same page queries on both engines against the same budgets."""
    _first, last = q.rollup_range(db)
    end_day = last or datetime.now(UTC).date()
    end = end_day + timedelta(days=1)
    d90, d7, d365 = end - timedelta(days=90), end - timedelta(days=7), end - timedelta(days=365)
    watch_id = next(w.id for w in list_watches(db) if w.name == "Zwembad" and w.id is not None)
    since_30 = datetime.combine(end - timedelta(days=30), datetime.min.time(), UTC)
    cases: list[QueryCase] = [
        ("overzicht: series 90 days (rollup vs documents)", "page",
         lambda: q.volume_series(db, d90, end, "day"), lambda: base.naive_series(db, d90, end), 3),
        ("overzicht: series 365 days by week", "page",
         lambda: q.volume_series(db, d365, end, "week"),
         lambda: base.naive_series(db, d365, end), 1),
        ("overzicht: by source 90 days", "page", lambda: q.volume_by(db, d90, end, "source"),
         None, 5),
        ("overzicht: top stories this week", "page", lambda: q.top_stories(db, d7, end), None,
         5),
        ("onderwerpen: topic series 90 days (rollup vs topics join)", "page",
         lambda: q.topic_series(db, d90, end), lambda: base.naive_topics(db, d90, end), 3),
        ("onderwerpen: emerging topics + stories", "page",
         lambda: (q.emerging_topics(db, end_day), q.emerging_stories(db, d7)), None, 5),
        ("kaart: place counts 90 days (rollup vs places join)", "page",
         lambda: q.place_counts(db, d90, end), lambda: base.naive_places(db, d90), 3),
        ("projecten: watch series 90 days (rollup vs watch_scores join)", "page",
         lambda: q.watch_series(db, watch_id, d90, end),
         lambda: base.naive_watch(db, watch_id, d90), 3),
        ("projecten: most negative/positive 90 days", "page",
         lambda: (q.watch_extremes(db, watch_id, d90, end, "negatief"),
                  q.watch_extremes(db, watch_id, d90, end, "positief")), None, 3),
        ("search: common word (FTS newest-first vs LIKE scan)", "search",
         lambda: q.search_documents(db, DocumentFilter(text_query="gemeente")),
         lambda: base.like_search(db, "gemeente"), 5),
        ("search: rare phrase + filters (FTS vs generic filter)", "search",
         lambda: q.search_documents(db, DocumentFilter(
             text_query='"de sporthal" zwembad', labels=("negatief",), since=since_30)),
         lambda: list_documents(db, DocumentFilter(
             text_query='"de sporthal" zwembad', labels=("negatief",), since=since_30)), 5),
        ("search: common word + kind + sentiment (FTS vs generic filter)", "search",
         lambda: q.search_documents(db, DocumentFilter(
             text_query="bewoners", kinds=("social",), labels=("positief",))),
         lambda: list_documents(db, DocumentFilter(
             text_query="bewoners", kinds=("social",), labels=("positief",))), 5),
        ("berichten: list without text, kind + sentiment (time index vs generic)", "search",
         lambda: q.search_documents(db, DocumentFilter(kinds=("social",),
                                                       labels=("negatief",))),
         lambda: list_documents(db, DocumentFilter(kinds=("social",), labels=("negatief",))),
         3),
        ("berichten: open an item", "search",
         lambda: q.document_item(db, "syn000000010"), None, 5),
    ]
    return cases


def target_seconds(kind: str) -> float:
    """The budget of issue 4: a search answers within 100 ms, a page's query within 1 s."""
    return SEARCH_TARGET_S if kind == "search" else PAGE_TARGET_S


def time_queries(path: Path) -> list[dict[str, Any]]:
    """Each page query against its naive baseline (medians, seconds)."""
    db = open_db(path)
    results = []
    for name, kind, fast, naive, repeat in query_cases(db):
        fast_s = median_seconds(fast, max(repeat, 3))
        row: dict[str, Any] = {"name": name, "kind": kind, "median_s": round(fast_s, 4)}
        if naive is not None:
            naive_s, finished = _capped_seconds(db, naive, repeat)
            row["baseline_s"] = round(naive_s, 4) if finished else f">{BASELINE_CAP_S}"
            row["speedup"] = (f"{'' if finished else '>'}{naive_s / fast_s:.1f}"
                              if fast_s else None)
        target = target_seconds(kind)
        row["target_s"] = target
        row["ok"] = fast_s <= target
        results.append(row)
        logger.info("dashboard bench %s: %.4f s", name, fast_s)
    db.conn.close()
    return results


def storage_line(target: str | Path) -> str:
    """The config's [storage] line for a SQLite file or a postgresql:// URL."""
    return f'url = "{target}"' if isinstance(target, str) else f'path = "{target}"'


def time_page_renders(target: str | Path) -> list[dict[str, Any]]:
    """Render each page with AppTest as a logged-in adviser: cold (caches cleared) and warm.
    `target` is the store: a SQLite file, or a postgresql:// URL (bench.storage_engines)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    password = "bench-wachtwoord"
    hashed = bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=4)).decode()
    with tempfile.TemporaryDirectory() as folder:
        config = Path(folder) / "newsroom.toml"
        config.write_text(
            f'[storage]\n{storage_line(target)}\n\n[dashboard]\ncache_ttl_seconds = 600\n\n'
            f'[[dashboard.users]]\nusername = "bench"\nrole = "adviser"\n'
            f'password_hash = "{hashed}"\n', encoding="utf-8")
        previous = os.environ.get("NEWSROOM_CONFIG")
        os.environ["NEWSROOM_CONFIG"] = str(config)
        try:
            at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=120)
            at.run()
            at.text_input(key="login_username").input("bench")
            at.text_input(key="login_password").input(password)
            next(b for b in at.button if b.label == "Inloggen").click().run()
            results = []
            for name in PAGES:
                st.cache_data.clear()
                started = time.perf_counter()
                at.switch_page(f"views/{name}.py").run()
                cold = time.perf_counter() - started
                warm_times = []
                for _ in range(3):
                    started = time.perf_counter()
                    at.run()
                    warm_times.append(time.perf_counter() - started)
                warm = statistics.median(warm_times)
                results.append({
                    "page": name, "cold_s": round(cold, 3), "warm_s": round(warm, 3),
                    "errors": [str(e.value)[:200] for e in at.exception],
                    "ok": cold <= PAGE_TARGET_S and not at.exception,
                })
                logger.info("dashboard bench page %s: cold %.3f s, warm %.3f s", name, cold, warm)
        finally:
            if previous is None:
                os.environ.pop("NEWSROOM_CONFIG", None)
            else:
                os.environ["NEWSROOM_CONFIG"] = previous
    return results


def time_rollup(path: Path) -> dict[str, float]:
    db = open_db(path)
    _first, last = q.rollup_range(db)
    since = datetime.combine((last or date.today()) - timedelta(days=7), datetime.min.time(), UTC)
    incremental = median_seconds(lambda: refresh_daily_rollup(db, since=since), 3)
    full = median_seconds(lambda: refresh_daily_rollup(db), 1)
    db.conn.close()
    return {"incremental_7_days_s": round(incremental, 3), "full_rebuild_s": round(full, 3)}


def time_digest_previews(target: str | Path) -> dict[str, float]:
    """The scheduler's digest-preview refresh (so the Digest page opens from storage), from
    an empty preview table: its total and the cost of one live digest build."""
    from core.config import Config
    from digest.preview import refresh_previews

    db = open_db(target)
    clear_previews(db)
    config = (Config(storage_url=target) if isinstance(target, str)
              else Config(storage_path=target))
    started = time.perf_counter()
    built = refresh_previews(db, config)
    total = time.perf_counter() - started
    db.conn.close()
    return {"previews_built": built, "refresh_s": round(total, 3),
            "live_build_s": round(total / max(built, 1), 3)}


def time_coordination_refresh(target: str | Path) -> dict[str, Any]:
    """The rollup job's coordination-signal refresh (so the Overzicht page reads it from
    storage instead of comparing two weeks of posts on a cold cache)."""
    from storage.coordination_results import refresh_signals

    db = open_db(target)
    try:
        started = time.perf_counter()
        found = refresh_signals(db, datetime.now(UTC))
        return {"signals": found, "refresh_s": round(time.perf_counter() - started, 3)}
    finally:
        db.conn.close()


def _markdown(summary: dict[str, Any]) -> str:
    lines = [
        f"# Dashboard benchmark ({summary['documents']:,} documents)", "",
        f"Corpus generation: {summary['generation_s'] or 'cached'} s. "
        f"Rollup refresh: last 7 days {summary['rollup']['incremental_7_days_s']} s, "
        f"full {summary['rollup']['full_rebuild_s']} s.", "",
        "| query | median (s) | baseline (s) | speed-up | target (s) | ok |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in summary["queries"]:
        lines.append(f"| {row['name']} | {row['median_s']} | {row.get('baseline_s', '')} | "
                     f"{row.get('speedup', '')} | {row['target_s']} | {row['ok']} |")
    previews = summary["digest_previews"]
    lines += ["", f"Digest previews (scheduler, before the page renders): "
              f"{previews['previews_built']} built in {previews['refresh_s']} s; one live "
              f"digest build {previews['live_build_s']} s, which the Digest page pays only when "
              "no current preview is stored."]
    lines += ["", "| page (AppTest) | cold (s) | warm (s) | ok |", "| --- | ---: | ---: | --- |"]
    for row in summary["pages"]:
        lines.append(f"| {row['page']} | {row['cold_s']} | {row['warm_s']} | {row['ok']} |")
    return "\n".join(lines) + "\n"


def run(results_dir: Path) -> dict[str, Any]:
    """Run the benchmark, write dashboard.json and dashboard.md, return the summary."""
    documents = int(os.environ.get("NEWSROOM_BENCH_DASHBOARD_DOCS", "1000000"))
    path, generation = ensure_corpus(documents)
    queries = time_queries(path)
    rollup = time_rollup(path)
    previews = time_digest_previews(path)
    coordination = time_coordination_refresh(path)
    pages = time_page_renders(path)
    detail = {
        "documents": documents, "generation_s": round(generation, 1) if generation else None,
        "queries": queries, "pages": pages, "rollup": rollup, "digest_previews": previews,
        "coordination_refresh": coordination,
    }
    write_results(results_dir, "dashboard", detail, _markdown(detail))
    searches = [r for r in queries if r["kind"] == "search"]
    return {
        "documents": documents,
        "generation_s": detail["generation_s"],
        "slowest_page_cold_s": max(p["cold_s"] for p in pages),
        "slowest_page_warm_s": max(p["warm_s"] for p in pages),
        "slowest_search_s": max(r["median_s"] for r in searches),
        "all_pages_within_1s": all(p["ok"] for p in pages),
        "all_searches_within_100ms": all(r["ok"] for r in searches),
        "rollup": rollup,
        "digest_previews": previews,
    }


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    print(json.dumps(run(ROOT / "bench-results"), indent=2))
