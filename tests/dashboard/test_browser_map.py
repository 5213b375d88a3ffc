"""In a real browser: the Kaart draws CBS outlines, and a click on an area opens Berichten
filtered to that area. Also photographs the map and Overzicht's "Deze week" card."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard import map_chart
from nlp.geometry import label_point, polygons_of
from nlp.outlines import builtin_outlines
from storage.db import open_db

from .browser import CHROMIUM, CHROMIUM_ARGS, WAIT_MS, wait_for_render
from .conftest import PASSWORDS, Corpus

pytestmark = pytest.mark.e2e

AREA = "WK050506"  # the wijk the fixture's hand-made documents are about


def _area_pixel() -> tuple[float, float, str]:
    """Where AREA's label point lands in the chart (the page uses the same projection)."""
    wijken = [o for o in builtin_outlines() if o.level == "wijk"]
    projection = map_chart.Projection.fit(map_chart.bbox_of(wijken), 760, 560)
    area = next(o for o in wijken if o.cbs_code == AREA)
    x, y = projection.pixel(*label_point(polygons_of(area.geometry)))
    return x, y, area.name


def test_map_has_outlines_and_a_click_opens_berichten(
    server: str, corpus: Corpus, screenshot_dir: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is missing: run `make browser`"
    x, y, name = _area_pixel()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1100})
        page.set_default_timeout(WAIT_MS)
        expect.set_options(timeout=WAIT_MS)  # a loaded CI machine renders slowly
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        page.goto(server)
        page.get_by_label("Gebruikersnaam").fill("adviseur")
        page.get_by_label("Wachtwoord", exact=True).fill(PASSWORDS["adviseur"])
        page.get_by_role("button", name="Inloggen").click()
        expect(page.get_by_role("heading", name="Overzicht")).to_be_visible()
        wait_for_render(page)

        page.get_by_role("link", name="Kaart").first.click()
        expect(page.get_by_role("heading", name="Kaart")).to_be_visible()
        wait_for_render(page)
        chart = page.get_by_test_id("stVegaLiteChart").first
        shapes = 'path[aria-roledescription="geoshape"]'
        area = chart.locator(f'{shapes}[aria-label*="Gebied: {name};"]')
        expect(area).to_have_count(1)
        outlines = chart.locator(shapes).count()
        assert outlines >= 30, f"only {outlines} outlines drawn"
        # The wijk with messages is filled from the blue scale, not the grey of "no messages".
        fill = area.get_attribute("fill") or ""
        assert fill.startswith(("#", "rgb")) and fill.upper() != map_chart.EMPTY_FILL, fill
        chart.scroll_into_view_if_needed()
        page.screenshot(path=str(screenshot_dir / "kaart.png"), full_page=True)
        # No tile server was contacted: the default config has no base map.
        assert not [u for u in requested if not u.startswith(server)], requested

        box = chart.locator("svg.marks").bounding_box()
        assert box is not None
        page.mouse.click(box["x"] + 5 + x, box["y"] + 5 + y)
        expect(page.get_by_role("heading", name="Berichten")).to_be_visible()
        wait_for_render(page)
        assert f"gebied={AREA}" in page.url
        chosen = page.get_by_test_id("stMultiSelect").filter(has_text="Wijk of buurt")
        stored_name = open_db(corpus.db_path).execute(
            "SELECT max(name) FROM daily_place_rollup WHERE cbs_code = ?", [AREA]).fetchone()[0]
        expect(chosen).to_contain_text(f"{stored_name} (wijk)")
        expect(page.get_by_text("berichten", exact=False).first).to_be_visible()
        page.screenshot(path=str(screenshot_dir / "kaart-klik-berichten.png"), full_page=True)

        page.get_by_role("link", name="Overzicht").first.click()
        expect(page.get_by_role("heading", name="Overzicht")).to_be_visible()
        wait_for_render(page)
        card = page.locator(".st-key-deze_week")
        expect(card).to_contain_text("Deze week in het kort")
        expect(card).to_contain_text("berichten")
        card.screenshot(path=str(screenshot_dir / "overzicht-deze-week.png"))
        browser.close()
