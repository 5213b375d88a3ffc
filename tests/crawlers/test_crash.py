"""A crawl that is killed leaves no orphan and no run stuck at 'running' (issue 13).

Real processes: `newsroom crawl` starts `python -m crawlers.run`; the fixture site holds one
article page open (/broken/slow) so the crawl is mid-way when it is killed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from crawlers.runner import crawl_sources
from storage.crawl_log import get_crawl_run, recent_crawl_runs
from storage.db import open_db
from storage.documents import count_documents

ROOT = Path(__file__).resolve().parents[2]


def feed_with_a_hanging_article(site: Any) -> None:
    from tests.crawlers import site as crawler_test_site

    items = "".join(
        f"<item><title>{slug}</title><link>{site.base}/nieuws/{slug}</link>"
        f"<guid>{slug}</guid></item>"
        for slug in ("brug-oude-maas", "parkeertarieven", "stadskantoor", "jongerencentrum")
    )
    items += f"<item><title>traag</title><link>{site.base}/broken/slow</link></item>"
    body = f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'.encode()
    reply = crawler_test_site.Reply(200, {"Content-Type": "application/rss+xml"}, body)
    site.routes["/hang.xml"] = lambda handler: reply


def wait_for(condition: Callable[[], object], timeout: float = 60.0) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


def crawl_children(config_path: Path) -> list[int]:
    """Pids of `crawlers.run` processes for this config (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"crawlers.run" in cmdline and str(config_path).encode() in cmdline:
            found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "State:\tZ" in status.read_text())


SOURCES = [{"id": "traag", "name": "Traag", "kind": "news", "type": "rss"}]


def test_killing_newsroom_crawl_kills_its_child_and_the_next_start_closes_the_run(
    site: Any, make_config: Any
) -> None:
    feed_with_a_hanging_article(site)
    config = make_config([{**SOURCES[0], "url": f"{site.base}/hang.xml"}], timeout_seconds=60)
    db = open_db(config.storage_path)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get(
        "PYTHONPATH", "")])}
    parent = subprocess.Popen(
        [sys.executable, "-c", "from newsroom.cli.main import main; main()",
         "--config", str(config.path), "crawl", "--no-progress"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: count_documents(db) >= 4)
        children = crawl_children(config.path)
        assert len(children) == 1
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        wait_for(lambda: not alive(children[0]), timeout=15)  # died with its parent
    finally:
        parent.kill()
        for pid in crawl_children(config.path):
            os.kill(pid, signal.SIGKILL)
    stuck = recent_crawl_runs(db, "traag")[0]
    assert stuck.status == "running"  # nobody was left to close it...
    site.release.set()
    crawl_sources(config, timeout=60)  # ...until the next start
    closed = get_crawl_run(db, stuck.id)
    assert closed is not None and closed.status == "interrupted"
    assert closed.stats.new == 4  # its true count, from storage


def test_a_killed_crawl_child_is_failed_with_its_true_counts_and_reason(
    site: Any, make_config: Any
) -> None:
    feed_with_a_hanging_article(site)
    config = make_config([{**SOURCES[0], "url": f"{site.base}/hang.xml"}], timeout_seconds=60)
    db = open_db(config.storage_path)

    def kill_child_when_four_are_stored(event: dict[str, Any]) -> None:
        if event.get("event") == "item" and count_documents(db) >= 4:
            for pid in crawl_children(config.path):
                os.kill(pid, signal.SIGKILL)

    summary = crawl_sources(config, timeout=120, progress=kill_child_when_four_are_stored)[0]
    assert summary.status == "failed"
    assert summary.stats.new == 4
    crash = [issue for issue in summary.issues if issue.reason == "crawler_crashed"]
    assert len(crash) == 1
    assert "killed by signal 9" in crash[0].detail
    assert "Warning" not in crash[0].detail
