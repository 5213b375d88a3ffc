"""Scheduler benchmark: backup, retention purge and job-store sync, each against a baseline.

- backup: the online backup (backup API + integrity_check + rotation) vs a plain file copy
  of the same checkpointed database; the ratio is the price of a consistent, verified copy.
- purge: deleting old social posts with all derived rows vs inserting them (upserts).
- sync: re-syncing an unchanged job store on restart vs the first sync that fills it.

Figures are ratios measured in the same run, so they compare across machines.
Usage: python -m bench.scheduler [--docs 20000]
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.results import write_results
from core.config import load_config
from core.records import Document, document_id_for_post
from jobs.backup import run_backup
from jobs.purge import run_purge
from storage.db import open_db
from storage.documents import upsert_document

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
TEXT = ("De gemeenteraad van Dordrecht besprak de plannen voor de binnenstad. " * 12).strip()


def _config(folder: Path, sources: int) -> Path:
    lines = ['[storage]\npath = "data/newsroom.db"\n',
             '[schedule]\nbackup_dir = "backups"\nbackup_keep = 3\n']
    for i in range(sources):
        lines.append(
            f'[[sources]]\nid = "bron-{i}"\nname = "Bron {i}"\nkind = "news"\ntype = "rss"\n'
            f'url = "https://example.org/{i}.xml"\ninterval_minutes = {15 + i % 60}\n'
        )
    path = folder / "newsroom.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _fill(db: Any, docs: int) -> float:
    """Insert `docs` social posts, 100 days old, each with a sentence and a score row."""
    started = time.perf_counter()
    for i in range(docs):
        doc = Document(
            id=document_id_for_post("mastodon", str(i)), source_id="m", kind="social",
            url=f"https://example.org/@x/{i}", title="", text=f"{TEXT} {i}",
            published=NOW - timedelta(days=100), fetched=NOW - timedelta(days=100),
            platform="mastodon", post_id=str(i),
        )
        upsert_document(db, doc)
    db.table("sentences").insert_all(
        {"document_id": document_id_for_post("mastodon", str(i)), "idx": 0, "text": "t",
         "start": 0, "end": 1}
        for i in range(docs)
    )
    return time.perf_counter() - started


def _bench_backup(config_path: Path) -> dict[str, float]:
    config = load_config(config_path)
    # The last connection closed checkpoints the WAL, so the plain copy is complete too.
    copy_target = config_path.parent / "plain-copy.db"
    started = time.perf_counter()
    shutil.copyfile(config.storage_path, copy_target)
    plain = time.perf_counter() - started
    started = time.perf_counter()
    result = run_backup(config, now=NOW)
    online = time.perf_counter() - started
    return {
        "database_mb": round(config.storage_path.stat().st_size / 1e6, 1),
        "plain_copy_s": round(plain, 3),
        "online_backup_verified_s": round(online, 3),
        "ratio_backup_vs_copy": round(online / plain, 1) if plain else float("nan"),
        "documents_in_backup": result.documents,
    }


def _bench_purge(config_path: Path, insert_seconds: float, docs: int) -> dict[str, float]:
    config = load_config(config_path)
    db = open_db(config.storage_path)
    started = time.perf_counter()
    removed = run_purge(db, config, now=NOW)
    purge = time.perf_counter() - started
    db.conn.close()
    return {
        "documents": docs,
        "removed": removed.get("social", 0),
        "insert_s": round(insert_seconds, 2),
        "purge_s": round(purge, 2),
        "purged_per_s": round(docs / purge) if purge else 0,
        "ratio_purge_vs_insert": round(purge / insert_seconds, 3),
    }


def _bench_sync(config_path: Path) -> dict[str, float]:
    import scheduler as sched

    config = load_config(config_path)
    first = sched.create_scheduler(config)
    first.start(paused=True)
    started = time.perf_counter()
    report = sched.sync_jobs(first, config, now=NOW + timedelta(days=3650))
    fill = time.perf_counter() - started
    first.shutdown(wait=True)
    second = sched.create_scheduler(config)
    second.start(paused=True)
    started = time.perf_counter()
    again = sched.sync_jobs(second, config, now=NOW + timedelta(days=3650))
    resync = time.perf_counter() - started
    second.shutdown(wait=True)
    assert len(again.kept) == len(report.added)
    return {
        "jobs": len(report.added),
        "first_sync_s": round(fill, 3),
        "restart_sync_s": round(resync, 3),
        "ratio_restart_vs_first": round(resync / fill, 2) if fill else float("nan"),
    }


def run(results_dir: Path, docs: int = 20_000, sources: int = 200) -> dict[str, Any]:
    """Run the three measurements in a temporary folder; write scheduler.json and .md."""
    with tempfile.TemporaryDirectory(prefix="bench-scheduler-") as tmp:
        folder = Path(tmp)
        config_path = _config(folder, sources)
        db = open_db(load_config(config_path).storage_path)
        insert_seconds = _fill(db, docs)
        db.conn.close()
        results = {
            "backup": _bench_backup(config_path),
            "purge": _bench_purge(config_path, insert_seconds, docs),
            "sync": _bench_sync(config_path),
        }
    write_results(results_dir, "scheduler", results, _markdown(results))
    return {
        "backup_vs_copy": results["backup"]["ratio_backup_vs_copy"],
        "purge_vs_insert": results["purge"]["ratio_purge_vs_insert"],
        "restart_sync_vs_first": results["sync"]["ratio_restart_vs_first"],
    }


def _markdown(results: dict[str, dict[str, float]]) -> str:
    lines = ["# Scheduler benchmark", ""]
    for name, figures in results.items():
        lines.append(f"## {name}")
        lines += [f"- {key}: {value}" for key, value in figures.items()]
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=20_000, help="Social posts to create.")
    parser.add_argument("--out", default="bench-results", help="Folder for the results.")
    args = parser.parse_args()
    print(json.dumps(run(Path(args.out), docs=args.docs), indent=2))
