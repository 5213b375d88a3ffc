"""What an AppTest run of the dashboard does step by step, as the page tests share it: start
the app, log in, switch page, click a button, search Berichten and open an item. Every step
reruns the script and fails the test on an exception the page raised."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.dashboard.conftest import PASSWORDS

APP = str(Path(__file__).resolve().parents[2] / "dashboard" / "app.py")


def app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=60)


def login(name: str, password: str | None = None) -> AppTest:
    at = app().run()
    at.text_input(key="login_username").input(name)
    at.text_input(key="login_password").input(password or PASSWORDS[name])
    return click(at, "Inloggen")


def page(at: AppTest, name: str) -> AppTest:
    at.switch_page(f"views/{name}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def click(at: AppTest, label: str, index: int = 0) -> AppTest:
    """Click the `index`-th button with this label and rerun."""
    [b for b in at.button if b.label == label][index].click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def search(at: AppTest, words: str) -> AppTest:
    """Search Berichten (the page must be open) for `words`."""
    at.text_input(key="berichten_query").input(words)
    return click(at, "Zoeken")


def open_found(at: AppTest, words: str, document_id: str) -> AppTest:
    """Search Berichten for `words` and open the found item `document_id` from the list."""
    search(at, words).selectbox(key="berichten_open").select(document_id).run()
    return at
