"""Shared by the browser tests: start `newsroom dashboard` on a free local port and wait for
Streamlit to finish rendering. Debian's chromium is driven by Playwright."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from newsroom.demo.ports import free_port as free_port  # for the browser tests that import it here

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
NEWSROOM = Path(sys.executable).parent / "newsroom"
WAIT_MS = 30_000


def wait_until_healthy(url: str, process: subprocess.Popen, timeout: float = 90.0) -> None:
    """Poll Streamlit's health endpoint (bounded), failing early if the server died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the dashboard exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"the dashboard did not answer at {url} within {timeout:.0f} s")


def wait_for_render(page) -> None:  # type: ignore[no-untyped-def]
    """Wait (bounded) until Streamlit has replaced every placeholder and stale element."""
    from playwright.sync_api import expect

    page.wait_for_load_state("networkidle")
    for selector in ('[data-testid="stSkeleton"]', '[data-stale="true"]',
                     '[data-testid="stSpinner"]'):
        expect(page.locator(selector)).to_have_count(0, timeout=WAIT_MS)
    expect(page.locator('[data-testid="stAppViewContainer"]')).to_be_visible()


@contextmanager
def dashboard_server(config_path: Path, folder: Path, port: int | None = None
                     ) -> Iterator[str]:
    """`newsroom dashboard` for `config_path`, run in `folder` (where .streamlit/ may be)."""
    port = port or free_port()
    log = (folder / "streamlit.log").open("w")
    env = {**os.environ, "NEWSROOM_CONFIG": str(config_path)}
    process = subprocess.Popen(
        [str(NEWSROOM), "--config", str(config_path), "dashboard", "--port", str(port)],
        env=env, stdout=log, stderr=subprocess.STDOUT, cwd=folder,
        start_new_session=True,  # its own process group: streamlit (a child) stops with it
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, process)
        yield url
    finally:
        # `newsroom dashboard` runs streamlit as a child; ending only the parent left that
        # server running after every test. Stop the whole group.
        _signal_group(process, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            _signal_group(process, signal.SIGKILL)
            process.wait(timeout=15)
        log.close()


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
