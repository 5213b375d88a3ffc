"""Where a benchmark's results go: `<name>.json` with every figure (what `bench/run.py`
and later comparisons read) and `<name>.md` with the table a person reads, side by side in
the results folder (created when missing), UTF-8 whatever the machine's locale."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def write_results(results_dir: Path, name: str, figures: Any, markdown: str) -> None:
    """Write `figures` as `<name>.json` and `markdown` as `<name>.md` into `results_dir`."""
    results_dir = Path(results_dir)
    results_dir.mkdir(parents=True, exist_ok=True)
    (results_dir / f"{name}.json").write_text(json.dumps(figures, indent=2), encoding="utf-8")
    (results_dir / f"{name}.md").write_text(markdown, encoding="utf-8")
