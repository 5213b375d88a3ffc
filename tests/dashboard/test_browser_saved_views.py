"""A shared saved-view link in the real dashboard and a real browser (Debian chromium,
Playwright): a colleague who is logged in opens `/berichten?view=<id>` and sees the
saver's filters and only matching items; the view's name shows as plain text."""

from __future__ import annotations

import pytest

from storage.db import open_db
from storage.saved_views import save_view

from .browser import CHROMIUM, CHROMIUM_ARGS, WAIT_MS, wait_for_render
from .conftest import Corpus
from .test_browser_access import log_in

pytestmark = pytest.mark.e2e

NAME = "<i>Boos</i> over het zwembad"


def test_colleague_opens_a_shared_view_link(corpus: Corpus, server: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    db = open_db(corpus.db_path)
    view = save_view(db, "adviseur", "adviser", "berichten", NAME,
                     {"berichten_labels": ["negatief"], "berichten_watches": ["Zwembad"]})
    db.conn.close()
    expect.set_options(timeout=WAIT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        page.set_default_timeout(WAIT_MS)
        page.goto(server)
        log_in(page, "baas")
        page.wait_for_load_state("networkidle")  # the session cookie is set
        page.goto(f"{server}/berichten?view={view.id}")
        expect(page.get_by_role("heading", name="Berichten")).to_be_visible()
        wait_for_render(page)
        form = page.get_by_test_id("stForm").first
        expect(form.get_by_test_id("stMultiSelect").filter(has_text="Sentiment")
               ).to_contain_text("negatief")
        expect(form.get_by_test_id("stMultiSelect").filter(has_text="Project")
               ).to_contain_text("Zwembad")
        expect(page.get_by_text(f"Geopend: weergave '{NAME}' van adviseur.")).to_be_visible()
        assert page.locator("i", has_text="Boos").count() == 0  # not rendered as HTML
        assert "?view=" in page.url
        browser.close()
