"""Demo benchmark: what a recrawl of the demo costs compared with the first crawl.

Baseline: the first crawl of the demo site into an empty store. Measured in the same run:
the second crawl of the same site (conditional GET and idempotent upserts should make it
cheap). Reported as ratios: wall time, requests and bytes served, second / first. Also the
time to generate the corpus, which every demo start pays.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.results import write_results
from newsroom.demo.corpus import build_corpus
from newsroom.demo.run import crawl, init_store, start_demo


def _crawl_once(run: Any) -> dict[str, Any]:
    before = len(run.site.requests)
    started = time.perf_counter()
    available, lines = crawl(run.config, lambda _line: None)
    seconds = time.perf_counter() - started
    if not available:
        raise RuntimeError("crawlers are not available")
    requests = run.site.requests[before:]
    return {
        "seconds": round(seconds, 2),
        "requests": len(requests),
        "not_modified": sum(r.status == 304 for r in requests),
        "bytes": sum(r.bytes for r in requests),
        "new_documents": sum(line.new for line in lines),
    }


def run(results_dir: Path) -> dict[str, Any]:
    started = time.perf_counter()
    corpus = build_corpus()
    corpus_ms = (time.perf_counter() - started) * 1000
    os.environ.setdefault("NEWSROOM_PSEUDONYM_KEY", "bench-only-key")
    with tempfile.TemporaryDirectory() as folder:
        demo = start_demo(Path(folder))
        try:
            init_store(demo.config).close()
            first = _crawl_once(demo)
            second = _crawl_once(demo)
        finally:
            demo.site.stop()
    result = {
        "corpus_items": len(corpus.items),
        "corpus_build_ms": round(corpus_ms, 1),
        "first_crawl": first,
        "second_crawl": second,
        "ratio_time_second_vs_first": round(second["seconds"] / max(first["seconds"], 1e-9), 3),
        "ratio_bytes_second_vs_first": round(second["bytes"] / max(first["bytes"], 1), 3),
        "ratio_requests_second_vs_first": round(second["requests"] / max(first["requests"], 1), 3),
    }
    write_results(results_dir, "demo", result, _markdown(result))
    return result


def _markdown(r: dict[str, Any]) -> str:
    first, second = r["first_crawl"], r["second_crawl"]
    return (
        "# Demo recrawl benchmark\n\n"
        f"Corpus: {r['corpus_items']} items, generated in {r['corpus_build_ms']} ms.\n\n"
        "| crawl | seconds | requests | 304s | bytes served | new documents |\n"
        "| --- | ---: | ---: | ---: | ---: | ---: |\n"
        f"| first (baseline) | {first['seconds']} | {first['requests']} | "
        f"{first['not_modified']} | {first['bytes']} | {first['new_documents']} |\n"
        f"| second | {second['seconds']} | {second['requests']} | {second['not_modified']} | "
        f"{second['bytes']} | {second['new_documents']} |\n\n"
        f"Second / first: time {r['ratio_time_second_vs_first']}, "
        f"bytes {r['ratio_bytes_second_vs_first']}, "
        f"requests {r['ratio_requests_second_vs_first']}.\n"
    )


if __name__ == "__main__":
    import sys

    out = Path(sys.argv[1] if len(sys.argv) > 1 else "bench-results")
    out.mkdir(parents=True, exist_ok=True)
    print(json.dumps(run(out), indent=2))
