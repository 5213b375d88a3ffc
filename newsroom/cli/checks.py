"""Checks the CLI runs before it changes anything, so mistakes in newsroom.toml surface early.

The config loader (floor) cannot parse watch queries (that grammar lives in `nlp`), so
`init` and `score` ask here: a broken query should stop `init` with where it is, instead
of passing and silently matching nothing later.
"""

from __future__ import annotations

import re
from pathlib import Path

from core.config import Config
from nlp.watch_query import WatchQueryError, parse_query


def invalid_watch_queries(config: Config) -> list[str]:
    """One Dutch line per configured watch whose query does not parse: where, and why."""
    lines = _watch_query_lines(config.path)
    problems = []
    for index, watch in enumerate(config.watches):
        try:
            parse_query(watch.query)
        except WatchQueryError as exc:
            where = f"[[watches]] nr. {index + 1} ('{watch.name}')"
            line = lines[index] if index < len(lines) else None
            if config.path is not None:
                where = f"{config.path}" + (f", regel {line}" if line else "") + f", {where}"
            problems.append(f"  {where}: {exc}")
    return problems


_QUERY_LINE = re.compile(r"^\s*query\s*=")
_WATCH_TABLE = re.compile(r"^\s*\[\[\s*watches\s*\]\]")


def _watch_query_lines(path: Path | None) -> list[int | None]:
    """Per [[watches]] table in file order, the 1-based line of its `query =` key."""
    if path is None or not path.exists():
        return []
    found: list[int | None] = []
    in_watch = False
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if _WATCH_TABLE.match(text):
            found.append(None)
            in_watch = True
        elif text.lstrip().startswith("["):
            in_watch = False
        elif in_watch and _QUERY_LINE.match(text) and found[-1] is None:
            found[-1] = number
    return found
