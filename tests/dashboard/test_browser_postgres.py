"""The real dashboard on PostgreSQL in a real browser (issue 16): `newsroom dashboard` with
`[storage] url` on a real PostgreSQL 15 database, Debian's chromium driven by Playwright.
Log in, Berichten lists the corpus newest first, correct an item's sentiment, and find the
correction after a reload (F5: the session, kept in PostgreSQL too, stays) and in the store.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from storage import dashboard_queries as q
from storage.adviser import list_annotations
from storage.db import open_db
from storage.dialect import engine
from storage.documents import DocumentFilter

from .browser import CHROMIUM, CHROMIUM_ARGS, WAIT_MS, dashboard_server, wait_for_render
from .conftest import Corpus
from .test_browser_access import log_in
from .test_browser_adviser_loop import (
    POOL_TITLE,
    SENTIMENT_COLUMN,
    click_row,
    correct_pool_item_to_negatief,
    row_of,
)

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

TITLE_COLUMN = 2
"""Column of `titel` in the grid's cell ids (0 is the row marker, 1 tijd)."""
HAND_MADE = '"nieuw zwembad in dubbeldam" OR "raad praat over zwembad"'
"""A search that finds only the two hand-made items (see test_browser_adviser_loop)."""


@pytest.fixture
def pg_server_url(pg_corpus: Corpus, tmp_path: Path) -> Iterator[str]:
    with dashboard_server(pg_corpus.config_path, tmp_path) as url:
        yield url


def test_berichten_lists_the_corpus_and_a_correction_survives_a_reload(
    pg_server_url: str, pg_corpus: Corpus, screenshot_dir: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    db = open_db(pg_corpus.store, migrate=False)
    assert engine(db) == "postgresql"
    newest = [row["title"] for row in q.search_documents(db, DocumentFilter(), 3)]
    db.conn.close()
    assert Path(CHROMIUM).exists(), "Debian's chromium is missing: run `make browser`"
    expect.set_options(timeout=WAIT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(WAIT_MS)
        page.goto(pg_server_url)
        log_in(page, "adviseur")
        page.get_by_role("link", name="Berichten").first.click()
        expect(page.get_by_role("heading", name="Berichten")).to_be_visible()
        wait_for_render(page)
        # The table's first rows are the store's newest items, in the store's order.
        for row, title in enumerate(newest):
            expect(page.locator(f"#glide-cell-{TITLE_COLUMN}-{row}")).to_have_text(title)
        page.screenshot(path=str(screenshot_dir / "postgres-berichten.png"), full_page=True)

        page.get_by_role("textbox", name="Zoek in titel en tekst").fill(HAND_MADE)
        page.get_by_role("button", name="Zoeken").click()
        wait_for_render(page)
        correct_pool_item_to_negatief(page)

        page.reload()  # F5: still logged in, on Berichten; the correction comes from PG
        expect(page.get_by_role("heading", name="Berichten")).to_be_visible()
        wait_for_render(page)
        assert page.get_by_role("heading", name="Inloggen").count() == 0
        page.get_by_role("textbox", name="Zoek in titel en tekst").fill(HAND_MADE)
        page.get_by_role("button", name="Zoeken").click()
        wait_for_render(page)
        row = row_of(page, POOL_TITLE)
        expect(page.locator(f"#glide-cell-{SENTIMENT_COLUMN}-{row}")).to_have_text("negatief")
        click_row(page, POOL_TITLE)
        expect(page.get_by_role("heading", name=POOL_TITLE)).to_be_visible()
        wait_for_render(page)
        expect(page.get_by_text("Sentiment van het bericht: negatief")).to_be_visible()
        sentiment = page.get_by_test_id("stRadio").filter(has_text="Juiste sentiment")
        expect(sentiment.get_by_role("radio", name="negatief")).to_be_checked()
        page.screenshot(path=str(screenshot_dir / "postgres-na-herladen.png"), full_page=True)
        browser.close()

    db = open_db(pg_corpus.store, migrate=False)
    corrections = list_annotations(db, pg_corpus.pool_id, "correction")
    db.conn.close()
    assert [(a.value, a.author) for a in corrections] == [("negatief", "adviseur")]
