"""The adviser's loop in a real browser (Debian chromium, Playwright, `newsroom dashboard`):
click a row of the Berichten table, correct the item, see the new label at once in the
table and the item view, then click the next row and find its forms fresh (no sentiment or
unsaved text carried over), and reach an item by keyboard. Waits are conditions with a
generous timeout, never sleeps.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from storage.adviser import list_annotations
from storage.db import open_db

from .browser import CHROMIUM, CHROMIUM_ARGS, WAIT_MS, wait_for_render
from .conftest import SCRIPT_TITLE, Corpus
from .test_browser_access import log_in

pytestmark = pytest.mark.e2e

POOL_TITLE = "Nieuw zwembad in Dubbeldam geopend"
ROW_HEIGHT = 35
"""Streamlit's default dataframe row (and header) height in pixels."""
SENTIMENT_COLUMN = 5
"""Column of `sentiment` in the grid's cell ids (0 is the row marker, 1 tijd, 2 titel…)."""


def row_of(page, title: str) -> int:  # type: ignore[no-untyped-def]
    """The grid row showing `title`, read from the grid's accessible table (the canvas
    draws the same rows)."""
    cell = page.get_by_test_id("stDataFrame").first.locator("td", has_text=title).first
    cell_id = cell.get_attribute("id", timeout=WAIT_MS)  # glide-cell-<column>-<row>
    assert cell_id and cell_id.startswith("glide-cell-2-"), cell_id
    return int(cell_id.rsplit("-", 1)[1])


def click_row(page, title: str) -> None:  # type: ignore[no-untyped-def]
    """Tick the row showing `title` by clicking its row marker on the canvas."""
    row = row_of(page, title)
    canvas = page.get_by_test_id("stDataFrame").first.locator("canvas").first
    canvas.scroll_into_view_if_needed()
    box = canvas.bounding_box()
    assert box is not None
    y = box["y"] + ROW_HEIGHT * (row + 1) + ROW_HEIGHT / 2
    assert y < box["y"] + box["height"], f"row {row} is below the visible part of the table"
    page.mouse.click(box["x"] + 15, y)


def correct_pool_item_to_negatief(page):  # type: ignore[no-untyped-def]
    """Open the pool item from the listed rows and correct its model label (positief) to
    negatief in the item view, as an adviser does; waits until the page has redrawn.
    Returns the item view's sentiment choice."""
    from playwright.sync_api import expect

    click_row(page, POOL_TITLE)
    expect(page.get_by_role("heading", name=POOL_TITLE)).to_be_visible()
    wait_for_render(page)
    sentiment = page.get_by_test_id("stRadio").filter(has_text="Juiste sentiment")
    expect(sentiment.get_by_role("radio", name="positief")).to_be_checked()
    sentiment.get_by_text("negatief", exact=True).click()
    page.get_by_role("button", name="Correctie opslaan").click()
    expect(page.get_by_text("Correctie opgeslagen.")).to_be_visible()
    wait_for_render(page)
    return sentiment


def test_click_row_correct_and_the_next_item_starts_fresh(
    server: str, corpus: Corpus, screenshot_dir: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is missing: run `make browser`"
    expect.set_options(timeout=WAIT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(WAIT_MS)
        page.goto(server)
        log_in(page, "adviseur")
        page.get_by_role("link", name="Berichten").first.click()
        # Only the two hand-made items: with the plain word "zwembad" the synthetic corpus
        # (spread over the last 60 days at fixed hours) can push them below the table's
        # visible rows, depending on the time of day the test runs.
        page.get_by_role("textbox", name="Zoek in titel en tekst").fill(
            '"nieuw zwembad in dubbeldam" OR "raad praat over zwembad"')
        page.get_by_role("button", name="Zoeken").click()
        wait_for_render(page)

        sentiment = correct_pool_item_to_negatief(page)
        # At once, without a reload: the item view and the table row say negatief.
        expect(page.get_by_text("Sentiment van het bericht: negatief")).to_be_visible()
        row = row_of(page, POOL_TITLE)
        expect(page.locator(f"#glide-cell-{SENTIMENT_COLUMN}-{row}")).to_have_text("negatief")
        page.screenshot(path=str(screenshot_dir / "adviseur-correctie-in-tabel.png"),
                        full_page=True)

        # Unsaved input on this item: a sentiment choice and tag text, never submitted.
        sentiment.get_by_text("neutraal", exact=True).click()
        page.get_by_role("textbox", name="Label toevoegen", exact=True).fill("half getypt")
        click_row(page, SCRIPT_TITLE)
        expect(page.get_by_role("heading", name=SCRIPT_TITLE)).to_be_visible()
        wait_for_render(page)
        sentiment = page.get_by_test_id("stRadio").filter(has_text="Juiste sentiment")
        expect(sentiment.get_by_role("radio", name="negatief")).to_be_checked()
        expect(sentiment.get_by_role("radio", name="neutraal")).not_to_be_checked()
        expect(page.get_by_role("textbox", name="Label toevoegen", exact=True)).to_have_value("")
        page.screenshot(path=str(screenshot_dir / "adviseur-volgend-bericht.png"),
                        full_page=True)

        # The keyboard route to an item: type in "Open bericht" and press Enter.
        chooser = page.get_by_test_id("stSelectbox").filter(has_text="Open bericht")
        chooser.locator("input").focus()
        page.keyboard.type("Nieuw zwembad in Dubbeldam")
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name=POOL_TITLE)).to_be_visible()
        wait_for_render(page)
        sentiment = page.get_by_test_id("stRadio").filter(has_text="Juiste sentiment")
        expect(sentiment.get_by_role("radio", name="negatief")).to_be_checked()
        browser.close()

    db = open_db(corpus.db_path)
    assert [(a.value, a.author) for a in list_annotations(db, corpus.pool_id, "correction")] \
        == [("negatief", "adviseur")]
    assert list_annotations(db, kind="tag") == [] and list_annotations(db, corpus.script_id) == []
