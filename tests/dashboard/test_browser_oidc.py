"""OIDC login (st.login) in the real dashboard and browser, against a local OpenID provider
started in the test (tests/dashboard/oidc_provider.py): the browser goes to the provider and
back, the ID token is checked against the provider's key, the e-mail maps to a configured
user and role, a reload keeps the login, and a person the config does not know gets no
access."""

from __future__ import annotations

import secrets
from pathlib import Path

import bcrypt
import pytest

from storage.audit import list_events
from storage.db import open_db

from .browser import CHROMIUM, CHROMIUM_ARGS, WAIT_MS, dashboard_server, free_port, wait_for_render
from .conftest import Corpus
from .oidc_provider import CLIENT_ID, CLIENT_SECRET, oidc_provider

pytestmark = pytest.mark.e2e

EMAIL = "adviseur@gemeente.invalid"


def oidc_setup(folder: Path, corpus: Corpus, issuer: str, port: int) -> Path:
    unusable = bcrypt.hashpw(secrets.token_bytes(16), bcrypt.gensalt(rounds=4)).decode()
    config = folder / "oidc.toml"
    config.write_text(
        f'[storage]\npath = "{corpus.db_path}"\n\n[dashboard]\noidc = true\n\n'
        f'[[dashboard.users]]\nusername = "{EMAIL}"\nrole = "adviser"\n'
        f'password_hash = "{unusable}"\n', encoding="utf-8")
    (folder / ".streamlit").mkdir(exist_ok=True)
    (folder / ".streamlit" / "secrets.toml").write_text(
        f'[auth]\nredirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\nclient_id = "{CLIENT_ID}"\n'
        f'client_secret = "{CLIENT_SECRET}"\n'
        f'server_metadata_url = "{issuer}/.well-known/openid-configuration"\n',
        encoding="utf-8")
    return config


@pytest.mark.parametrize("email", [EMAIL, "onbekend@gemeente.invalid"])
def test_oidc_login_through_a_local_provider(corpus: Corpus, tmp_path: Path, email: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=WAIT_MS)  # a loaded CI machine renders slowly
    port = free_port()
    with oidc_provider(email) as provider:
        config = oidc_setup(tmp_path, corpus, provider.issuer, port)
        with dashboard_server(config, tmp_path, port) as server, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(WAIT_MS)
            page.goto(server)
            expect(page.get_by_role("heading", name="Inloggen")).to_be_visible()
            page.get_by_role("button", name="Inloggen").click()
            if email != EMAIL:
                expect(page.get_by_text("geen toegang tot dit dashboard")).to_be_visible()
                assert page.get_by_role("link", name="Berichten").count() == 0
                browser.close()
                assert provider.token_requests == 1
                return
            expect(page.get_by_role("heading", name="Overzicht")).to_be_visible()
            expect(page.get_by_text(f"Ingelogd als {EMAIL} (adviseur)")).to_be_visible()
            page.get_by_role("link", name="Berichten").first.click()
            wait_for_render(page)
            page.reload()
            expect(page.get_by_role("heading", name="Berichten")).to_be_visible()
            assert page.get_by_role("heading", name="Inloggen").count() == 0
            browser.close()
    assert provider.token_requests == 1
    events = list_events(open_db(corpus.db_path), action_prefix="login.")
    assert [(e.action, e.actor) for e in events] == [("login.success", EMAIL)]
