"""Accessibility in a real browser: axe-core (from the npm registry, see tests/dashboard/
axe/) runs on the login page and on every page of every role, and finds nothing serious or
critical; the document says lang="nl"; each page's text says "je" and keeps to the B1 word
list (docs/woordenlijst.md). The same visit photographs each page (`make screenshots` keeps them in
screenshots/<role>/), plus the map and the Overzicht summary of this week.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from core.plain_language import check
from dashboard.roles import ROLE_NAMES
from storage.db import open_db

from .a11y import axe_violations, describe, file_name, log_in, open_page, page_titles
from .browser import CHROMIUM, CHROMIUM_ARGS, WAIT_MS, wait_for_render
from .conftest import PASSWORDS, ROLES, Corpus

pytestmark = pytest.mark.e2e

MAP_SELECTOR = ('[data-testid="stVegaLiteChart"], [data-testid="stDeckGlJsonChart"], '
                '[data-testid="stIFrame"], [data-testid="stImage"]')


def _summary_card(page, folder: Path) -> None:  # type: ignore[no-untyped-def]
    """The top of Overzicht (this week against last), cut out as its own picture."""
    heading = page.get_by_role("heading", name="Deze week").first
    box = heading.bounding_box() if heading.count() else None
    assert box is not None, "Overzicht has no 'Deze week' summary"
    left = max(box["x"] - 20, 0)  # from the main column's edge: no sidebar in the picture
    page.screenshot(path=str(folder / "samenvatting-deze-week.png"), full_page=True,
                    clip={"x": left, "y": max(box["y"] - 10, 0), "width": 1400 - left,
                          "height": 420})


def _scraped(corpus: Corpus) -> list[str]:
    """Titles and texts of the stored documents: the outlets' words, not ours."""
    db = open_db(corpus.db_path)
    found = {value for row in db["documents"].rows for value in (row["title"], row["text"])
             if value}
    db.conn.close()
    return sorted(found, key=len, reverse=True)


def wording_problems(text: str, scraped: list[str]) -> list[str]:
    """Our own words on screen that break the form of address or the word list."""
    for value in scraped:
        text = text.replace(value, " ")
    return [f"{f.word} -> {f.instead}: …{f.context}…" for f in check(text)]


def test_axe_finds_nothing_serious_on_any_page_for_any_role(
    server: str, corpus: Corpus, screenshot_dir: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is missing: run `make browser`"
    expect.set_options(timeout=WAIT_MS)  # a loaded CI machine renders slowly
    problems: dict[str, str] = {}
    wording: dict[str, list[str]] = {}
    seen: dict[str, list[str]] = {}
    scraped = _scraped(corpus)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for role in PASSWORDS:
            folder = screenshot_dir / ROLE_NAMES[ROLES[role]]  # adviseur, projectleider, …
            folder.mkdir(parents=True, exist_ok=True)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(WAIT_MS)
            page.goto(server)
            expect(page.get_by_role("heading", name="Inloggen")).to_be_visible()
            wait_for_render(page)
            assert page.evaluate("document.documentElement.lang") == "nl"
            if found := axe_violations(page):
                problems[f"{role}/Inloggen"] = describe(found)
            page.screenshot(path=str(folder / "00-inloggen.png"), full_page=True)
            log_in(page, role)
            seen[role] = page_titles(page)
            if found_words := wording_problems(" · ".join(seen[role]), scraped):
                wording[f"{role}/navigatie"] = found_words
            for index, title in enumerate(seen[role], start=1):
                open_page(page, title)
                assert page.get_by_text("Traceback").count() == 0, f"{title} shows an error"
                assert page.evaluate("document.documentElement.lang") == "nl"
                if found := axe_violations(page):
                    problems[f"{role}/{title}"] = describe(found)
                # Under load the page text can still be empty here: wait for the title first.
                expect(page.locator('[data-testid="stMain"]')).to_contain_text(
                    title, timeout=WAIT_MS)
                shown = page.locator('[data-testid="stMain"]').inner_text()
                assert title in shown  # the check reads the page itself
                if found_words := wording_problems(shown, scraped):
                    wording[f"{role}/{title}"] = found_words
                page.screenshot(path=str(folder / file_name(index, title)), full_page=True)
                if title == "Overzicht":
                    _summary_card(page, folder)
                if title == "Kaart":
                    # Wait for the chart itself: under load it draws after the page text.
                    chart = page.locator(MAP_SELECTOR).first
                    chart.wait_for(state="visible", timeout=WAIT_MS)
                    chart.screenshot(path=str(folder / "kaart.png"))
            page.close()
        browser.close()
    assert "Auditlog" in seen["baas"] and "Auditlog" not in seen["adviseur"]
    assert all(len(titles) >= 8 for titles in seen.values()), seen
    assert not problems, "\n\n".join(f"== {where}\n{text}" for where, text in problems.items())
    assert not wording, wording
    for role_folder in ("adviseur", "projectleider", "management"):
        assert (screenshot_dir / role_folder / "kaart.png").exists()
        assert (screenshot_dir / role_folder / "samenvatting-deze-week.png").exists()
        assert (screenshot_dir / role_folder / "01-overzicht.png").exists()
