"""End to end in a real headless browser: `newsroom dashboard` on a free local port, Debian's
chromium driven by Playwright. Log in, visit (and photograph) every page, search, open an
item, correct its sentiment, and find the correction in SQLite. A <script> title stays text.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from storage.adviser import list_annotations
from storage.db import open_db

from .browser import CHROMIUM, CHROMIUM_ARGS, WAIT_MS, wait_for_render
from .conftest import PASSWORDS, SCRIPT_TITLE, Corpus

PAGES = ("Overzicht", "Projecten", "Onderwerpen", "Berichten", "Kaart", "Bronnen", "Weekoverzicht")

pytestmark = pytest.mark.e2e


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
