"""Access control in the real dashboard and a real browser (Debian chromium, Playwright).

One adviser visit covers: nothing served without login (/_stcore/metrics, downloads under
/media/), the HttpOnly session cookie, F5 staying logged in on the same page, a project name
that is Markdown image syntax shown as text without the browser fetching it, every request
staying on the dashboard's own address, and logout ending the session on the server.
A project lead then tries to take over another project by renaming their own.
"""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from core.records import Watch
from storage.adviser import list_watches
from storage.db import open_db
from storage.watch_edits import create_watch

from .browser import CHROMIUM, CHROMIUM_ARGS, WAIT_MS, wait_for_render
from .conftest import PASSWORDS, Corpus

pytestmark = pytest.mark.e2e

IMAGE_NAME = "![t](http://127.0.0.1:9/p.png)"


def status_without_login(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def log_in(page, name: str) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    page.get_by_label("Gebruikersnaam").fill(name)
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORDS[name])
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", name="Overzicht")).to_be_visible()
    wait_for_render(page)


@pytest.fixture
def image_named_project(corpus: Corpus) -> Corpus:
    create_watch(open_db(corpus.db_path), Watch(name=IMAGE_NAME, query="zwembad"))
    return corpus


def test_session_reload_downloads_markdown_names_and_logout(
    image_named_project: Corpus, server: str
) -> None:
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=WAIT_MS)  # a loaded CI machine renders slowly
    for path in ("/_stcore/metrics", "/media/0123456789abcdef.csv", "/_stcore/agent/mcp"):
        assert status_without_login(server + path) == 403, path
    requests: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        context.on("request", lambda request: requests.append(request.url))
        page = context.new_page()
        page.set_default_timeout(WAIT_MS)
        page.goto(server)
        log_in(page, "adviseur")
        page.wait_for_load_state("networkidle")  # the cookie request has finished
        cookies = {c["name"]: c for c in context.cookies()}
        assert cookies["newsroom_session"]["httpOnly"]
        assert cookies["newsroom_session"]["sameSite"] == "Strict"

        for name in ("Onderwerpen", "Kaart", "Bronnen", "Weekoverzicht", "Projecten"):
            page.get_by_role("link", name=name).first.click()
            expect(page.get_by_role("heading", name=name).first).to_be_visible()
            wait_for_render(page)
        page.get_by_test_id("stSelectbox").filter(has_text="Project").first.click()
        page.get_by_role("option", name=IMAGE_NAME).click()
        wait_for_render(page)
        expect(page.get_by_text(f"Berichten en sentiment over {IMAGE_NAME}")).to_be_visible()

        page.get_by_role("link", name="Berichten").first.click()
        wait_for_render(page)
        with page.expect_download() as download_info:
            page.get_by_role("button", name="Download CSV").first.click()
        media_url = download_info.value.url
        assert "/media/" in media_url
        assert status_without_login(media_url) == 403  # not without the session cookie
        assert page.request.get(media_url).status == 200  # but fine for the logged-in user

        page.reload()  # F5: still logged in, still on Berichten
        expect(page.get_by_role("heading", name="Berichten")).to_be_visible()
        wait_for_render(page)
        assert page.get_by_role("heading", name="Inloggen").count() == 0
        assert page.url.rstrip("/").endswith("/berichten")

        page.get_by_role("button", name="Uitloggen").click()
        expect(page.get_by_role("heading", name="Inloggen")).to_be_visible()
        wait_for_render(page)
        assert page.request.get(media_url).status == 403  # the session ended on the server
        page.reload()
        expect(page.get_by_role("heading", name="Inloggen")).to_be_visible()
        browser.close()

    own_origin = server + "/"
    foreign = [u for u in requests if not u.startswith((own_origin, "data:", "blob:"))]
    assert not foreign, foreign[:10]  # no fonts, images or beacons from anywhere else
    assert not [u for u in requests if u.startswith("http://127.0.0.1:9/")]


def test_project_lead_cannot_take_over_a_project_by_renaming(corpus: Corpus,
                                                              server: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=WAIT_MS)  # a loaded CI machine renders slowly
    before = {w.name: w for w in list_watches(open_db(corpus.db_path))}
    assert corpus.other_watch in before
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(WAIT_MS)
        page.goto(server)
        log_in(page, "leider")
        page.get_by_role("link", name="Projecten").first.click()
        wait_for_render(page)
        edit = page.get_by_test_id("stExpander").filter(has_text="Project bewerken")
        edit.get_by_text("Project bewerken").click()
        edit.get_by_label("Naam").fill(corpus.other_watch)
        edit.get_by_role("button", name="Opslaan").click()
        expect(page.get_by_text("Er is al een project met deze naam")).to_be_visible()
        browser.close()
    after = {w.name: w for w in list_watches(open_db(corpus.db_path))}
    assert after == before  # Spoorzone keeps its query and owner; Zwembad is unchanged
