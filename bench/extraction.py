"""Article extraction on saved real-world pages (bench/pages/): CPU time of newsroom's
`extract_article` against plain `trafilatura.extract` of the same pages (the ratio is the
figure; the goal is at most 1.25), and word-level precision/recall of both against
hand-checked bodies.

Usage: python -m bench.extraction [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections import Counter
from pathlib import Path
from typing import Any

PAGES = Path(__file__).resolve().parent / "pages"


def words(text: str) -> Counter[str]:
    return Counter(re.findall(r"\w+", text.lower()))


def precision_recall(found: str, truth: str) -> tuple[float, float]:
    got, want = words(found), words(truth)
    overlap = sum((got & want).values())
    precision = overlap / sum(got.values()) if got else 0.0
    recall = overlap / sum(want.values()) if want else 0.0
    return precision, recall


def _cpu(fn: Any, pages: list[str], rounds: int) -> float:
    started = time.process_time()
    for _ in range(rounds):
        for page in pages:
            fn(page)
    return time.process_time() - started


def run(results_dir: Path, rounds: int = 15) -> dict[str, Any]:
    import trafilatura

    from crawlers.content import extract_article

    names = sorted(path.stem for path in PAGES.glob("*.html"))
    pages = [(PAGES / f"{name}.html").read_text(encoding="utf-8", errors="replace")
             for name in names]
    bodies = [(PAGES / f"{name}.body.txt").read_text(encoding="utf-8") for name in names]

    def plain(page: str) -> str:
        return trafilatura.extract(page) or ""

    def ours(page: str) -> str:
        article = extract_article(page, "https://bench.test/artikel")
        return f"{article.title}\n{article.text}" if article else ""

    for fn in (plain, ours):  # warm up imports and caches before timing
        _cpu(fn, pages, 1)
    # Interleaved rounds, so a busy machine slows both sides alike; the fastest round of
    # each side counts.
    plain_rounds, ours_rounds = [], []
    for _ in range(rounds):
        plain_rounds.append(_cpu(plain, pages, 1))
        ours_rounds.append(_cpu(ours, pages, 1))
    plain_cpu, ours_cpu = min(plain_rounds), min(ours_rounds)
    per_page = {}
    for name, page, body in zip(names, pages, bodies, strict=True):
        p_plain, r_plain = precision_recall(plain(page), body)
        article = extract_article(page, "https://bench.test/artikel")
        p_ours, r_ours = precision_recall(article.text if article else "", body)
        per_page[name] = {"plain_precision": round(p_plain, 3), "plain_recall": round(r_plain, 3),
                          "ours_precision": round(p_ours, 3), "ours_recall": round(r_ours, 3)}

    def mean(key: str) -> float:
        return round(sum(row[key] for row in per_page.values()) / len(per_page), 3)

    result = {
        "pages": len(names),
        "cpu_ratio_extract_article_vs_trafilatura_extract": round(ours_cpu / plain_cpu, 2),
        "precision_plain": mean("plain_precision"), "recall_plain": mean("plain_recall"),
        "precision_ours": mean("ours_precision"), "recall_ours": mean("ours_recall"),
        "per_page": per_page,
    }
    (results_dir / "extraction.json").write_text(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=15)
    print(json.dumps(run(Path("."), parser.parse_args().rounds), indent=2))
