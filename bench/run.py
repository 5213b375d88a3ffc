"""Run every area's benchmark and collect the summaries in bench-results/summary.json.

Each area module under `bench/` exposes `run(results_dir: Path) -> dict` and writes its own
detailed results file; this runner only orchestrates, so one failing benchmark is reported
without hiding the others.

Usage: python -m bench.run [--only nlp,dashboard] [--out bench-results]
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from bench import (
    coordination,
    crawl,
    dashboard,
    demo,
    digest,
    extraction,
    incidents,
    nlp,
    nlp_text,
    scale,
    scheduler,
    storage_engines,
)

AREAS: dict[str, Callable[[Path], dict]] = {
    "nlp": nlp.run,
    "nlp_text": nlp_text.run,
    "crawl": crawl.run,
    "extraction": extraction.run,
    "coordination": coordination.run,
    "dashboard": dashboard.run,
    "scheduler": scheduler.run,
    "digest": digest.run,
    "incidents": incidents.run,
    "demo": demo.run,
    "storage_engines": storage_engines.run,
    "scale": scale.run,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", default="", help="Comma-separated areas (default: all).")
    parser.add_argument("--out", default="bench-results", help="Folder for the results files.")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    results_dir = Path(args.out)
    results_dir.mkdir(parents=True, exist_ok=True)
    wanted = [a for a in args.only.split(",") if a] or list(AREAS)
    summary: dict[str, object] = {}
    failed = False
    for area in wanted:
        if area not in AREAS:
            summary[area] = {"status": f"unknown area; known: {', '.join(AREAS)}"}
            failed = True
            continue
        started = time.perf_counter()
        try:
            result = AREAS[area](results_dir)
            summary[area] = {"status": "ok", "seconds": round(time.perf_counter() - started, 1),
                             **result}
        except Exception as exc:  # one broken benchmark must not hide the others
            failed = True
            traceback.print_exc()
            summary[area] = {"status": "failed", "error": repr(exc)}
    (results_dir / "summary.json").write_text(json.dumps(summary, indent=2, default=str))
    print(json.dumps(summary, indent=2, default=str))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
