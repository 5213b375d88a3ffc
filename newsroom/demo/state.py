"""What one demo folder remembers between runs: the site's port and the corpus's end.

Document ids come from canonical URLs (which hold the port), and documents keep the dates
they were first stored with. So a rerun serves the *same* corpus on the *same* port: the
crawl then adds nothing and unchanged feeds answer 304. `newsroom demo run --fresh` starts
over with a corpus that ends now.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

logger = logging.getLogger(__name__)

STATE_NAME = "demo-state.json"
DEMO_FILES = ("newsroom.toml", "newsroom.db", "newsroom.db-wal", "newsroom.db-shm",
              "scheduler.db", STATE_NAME)
"""Files a demo run creates in its folder; `--fresh` removes only these."""


@dataclass(frozen=True)
class DemoState:
    port: int | None = None
    anchor: datetime | None = None


def load_state(workdir: Path) -> DemoState:
    """The remembered state, or an empty one (an unreadable file is logged and ignored)."""
    path = workdir / STATE_NAME
    if not path.exists():
        return DemoState()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        port = data.get("port")
        anchor = data.get("anchor")
        return DemoState(
            port=int(port) if isinstance(port, int) and 0 < port < 65536 else None,
            anchor=datetime.fromisoformat(anchor).astimezone(UTC) if anchor else None,
        )
    except (ValueError, TypeError, AttributeError, OSError) as exc:
        logger.warning("Ignoring unreadable demo state %s: %s", path, exc)
        return DemoState()


def save_state(workdir: Path, state: DemoState) -> None:
    workdir.mkdir(parents=True, exist_ok=True)
    payload = {
        "port": state.port,
        "anchor": state.anchor.isoformat() if state.anchor else None,
    }
    (workdir / STATE_NAME).write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")


def reset(workdir: Path) -> list[Path]:
    """Remove the files an earlier demo run made in `workdir` (nothing else); what went."""
    removed = []
    for name in DEMO_FILES:
        path = workdir / name
        if path.is_file():
            path.unlink()
            removed.append(path)
    return removed
