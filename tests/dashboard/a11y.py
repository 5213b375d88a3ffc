"""Shared by the accessibility and screenshot tests: axe-core in the page, the dashboard's
own page list (read from its navigation, so a page added to the app is covered without
touching the tests), and logging in as a role.

axe-core comes from the npm registry, pinned in tests/dashboard/axe/package-lock.json and
installed by `make browser` (`npm ci`); the test reads the file from disk and never fetches.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .browser import wait_for_render
from .conftest import PASSWORDS

AXE_JS = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")
BLOCKING_RULES = ("heading-order",)
"""Besides every serious or critical finding: a page's sections must follow its h1."""
NAV_LINKS = '[data-testid="stSidebarNav"] a'

_RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => ({target: n.target.join(' '),
                                         summary: n.failureSummary}))
  }));
}"""


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations (and bad heading order) on the page now."""
    assert AXE_JS.exists(), "axe-core is missing: run `make browser` (npm ci)"
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    found = page.evaluate(_RUN_AXE)
    return [v for v in found if v["impact"] in BLOCKING_IMPACTS or v["id"] in BLOCKING_RULES]


def describe(violations: list[dict[str, Any]]) -> str:
    """One readable block per violation, for the assertion message."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        lines.extend(f"    {n['target']}: {n['summary']}" for n in violation["nodes"])
    return "\n".join(lines)


def log_in(page: Any, name: str) -> None:
    """The password login; afterwards the Overzicht page is shown and rendered."""
    from playwright.sync_api import expect

    page.get_by_label("Gebruikersnaam").fill(name)
    page.get_by_label("Wachtwoord", exact=True).fill(PASSWORDS[name])
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", name="Overzicht")).to_be_visible()
    wait_for_render(page)


def page_titles(page: Any) -> list[str]:
    """The pages this user may open, as the sidebar navigation lists them."""
    links = page.locator(NAV_LINKS)
    links.first.wait_for()
    return [text.strip() for text in links.all_inner_texts() if text.strip()]


def open_page(page: Any, title: str) -> None:
    """Click a page in the navigation and wait until Streamlit has drawn it."""
    from playwright.sync_api import expect

    page.locator(NAV_LINKS).filter(has_text=title).first.click()
    wait_for_render(page)
    expect(page.locator("h1").first).to_be_visible()
    wait_for_render(page)


def file_name(index: int, title: str) -> str:
    """A screenshot's file name: order, then the page title in lower case without spaces."""
    slug = "".join(c if c.isalnum() else "-" for c in title.lower()).strip("-")
    return f"{index:02d}-{slug}.png"
