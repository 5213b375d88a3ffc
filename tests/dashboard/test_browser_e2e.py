"""End to end in a real headless browser: `newsroom dashboard` on a free local port, Debian's
chromium driven by Playwright. Log in, visit (and photograph) every page, search, open an
item, correct its sentiment, and find the correction in SQLite. A <script> title stays text.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage.adviser import list_annotations
from storage.db import open_db

from .conftest import PASSWORDS, SCRIPT_TITLE, Corpus

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
NEWSROOM = Path(sys.executable).parent / "newsroom"
PAGES = ("Overzicht", "Projecten", "Onderwerpen", "Berichten", "Kaart", "Bronnen", "Digest")
WAIT_MS = 30_000

pytestmark = pytest.mark.e2e


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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


@pytest.fixture
def server(corpus: Corpus, tmp_path: Path) -> Iterator[str]:
    port = free_port()
    log = (tmp_path / "streamlit.log").open("w")
    env = {**os.environ, "NEWSROOM_CONFIG": str(corpus.config_path)}
    process = subprocess.Popen(
        [str(NEWSROOM), "--config", str(corpus.config_path), "dashboard", "--port", str(port)],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def test_login_search_open_correct_and_screenshots(
    server: str, corpus: Corpus, screenshot_dir: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is missing: run `make browser`"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(WAIT_MS)
        page.goto(server)
        expect(page.get_by_role("heading", name="Inloggen")).to_be_visible()
        page.screenshot(path=str(screenshot_dir / "0-inloggen.png"), full_page=True)
        assert page.get_by_role("link", name="Berichten").count() == 0  # nothing before login

        page.get_by_label("Gebruikersnaam").fill("adviseur")
        page.get_by_label("Wachtwoord", exact=True).fill(PASSWORDS["adviseur"])
        page.get_by_role("button", name="Inloggen").click()
        expect(page.get_by_role("heading", name="Overzicht")).to_be_visible()

        for index, name in enumerate(PAGES, start=1):
            page.get_by_role("link", name=name).first.click()
            expect(page.get_by_role("heading", name=name).first).to_be_visible()
            wait_for_render(page)
            assert page.get_by_text("Traceback").count() == 0, f"{name} shows an error"
            page.screenshot(path=str(screenshot_dir / f"{index}-{name.lower()}.png"),
                            full_page=True)

        page.get_by_role("link", name="Berichten").first.click()
        query = page.get_by_role("textbox", name="Zoek in titel en tekst")
        query.fill("zwembad dicht")
        page.get_by_role("button", name="Zoeken").click()
        # The first result opens in the item view: the <script> title, shown as text.
        expect(page.get_by_role("heading", name=SCRIPT_TITLE)).to_be_visible()
        assert page.evaluate("window.__pwned === undefined")
        wait_for_render(page)
        page.get_by_role("button", name="Correctie opslaan").scroll_into_view_if_needed()
        page.screenshot(path=str(screenshot_dir / "8-bericht.png"), full_page=True)

        page.get_by_text("positief", exact=True).last.click()
        page.get_by_role("button", name="Correctie opslaan").click()
        expect(page.get_by_text("Correctie opgeslagen.")).to_be_visible()
        wait_for_render(page)
        page.screenshot(path=str(screenshot_dir / "9-correctie.png"), full_page=True)
        browser.close()

    corrections = list_annotations(open_db(corpus.db_path), corpus.script_id, "correction")
    assert [(a.value, a.author) for a in corrections] == [("positief", "adviseur")]
