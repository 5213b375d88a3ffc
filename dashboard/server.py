"""The dashboard as an ASGI app (st.App): Streamlit plus what Streamlit leaves open.

`newsroom dashboard` runs `streamlit run dashboard/server.py`; Streamlit finds `app` below
and serves dashboard/app.py through it, adding:
- `POST /newsroom/session`: turns a fresh login (its one-time token, posted by the page
  right after login) into an HttpOnly, SameSite=Strict session cookie, so a reload (F5)
  keeps the user logged in on the same page; `POST /newsroom/logout` deletes it.
- a guard in front of Streamlit's routes that expose data without a login: downloads under
  /media/, uploads, /_stcore/metrics and the agent API answer 403 without a live session;
- the app shell as a Dutch document (`lang="nl"`, our accessibility styles):
  dashboard/html_document.py.
"""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import urlsplit

import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from core.config import Config, load_config
from dashboard import session_cookie
from dashboard.html_document import DutchDocument
from storage.db import Database, open_db
from storage.sessions import claim_for_cookie, session_user, signing_key

APP_SCRIPT = Path(__file__).resolve().with_name("app.py")
GUARDED_PREFIXES = ("/media/", "/_stcore/metrics", "/_stcore/upload_file", "/_stcore/agent",
                    "/app/static/", "/component/")
"""Paths that serve data or act on a session: only for a logged-in browser."""


def _store() -> tuple[Config, Database]:
    """A short-lived connection to the configured store (`newsroom dashboard` has migrated
    it already); requests run in worker threads, and a connection must not cross them."""
    config = load_config(None)
    return config, open_db(config.store_target, migrate=False)


def live_cookie_user(cookie: str | None) -> str | None:
    """The user behind a session cookie, when it is signed, unexpired and its session live."""
    config, db = _store()
    try:
        token = session_cookie.verify(signing_key(db), cookie)
        if token is None:
            return None
        idle = config.dashboard.idle_timeout_minutes * 60.0
        return session_user(db, token, time.time(), idle)
    finally:
        db.conn.close()


def _cookie_for(token: str) -> tuple[str, int] | None:
    """The signed cookie value and lifetime for a fresh login's token, claimed once."""
    config, db = _store()
    try:
        if not token or not claim_for_cookie(db, token, time.time()):
            return None
        lifetime = config.dashboard.session_hours * 3600
        return session_cookie.sign(signing_key(db), token, time.time() + lifetime), lifetime
    finally:
        db.conn.close()


def same_origin(request: Request) -> bool:
    """The cookie routes only answer the dashboard's own pages (no cross-site form posts)."""
    origin = request.headers.get("origin")
    if origin is None:
        return True  # not sent by every browser for same-origin requests
    return urlsplit(origin).netloc == request.headers.get("host", "")


async def set_session_cookie(request: Request) -> Response:
    if not same_origin(request):
        return PlainTextResponse("Niet toegestaan.", status_code=403)
    token = (await request.body()).decode("utf-8", "replace").strip()[:200]
    made = await run_in_threadpool(_cookie_for, token)
    if made is None:
        return PlainTextResponse("Geen geldige aanmelding.", status_code=403)
    value, lifetime = made
    response = PlainTextResponse("ok")
    response.set_cookie(session_cookie.COOKIE_NAME, value, max_age=lifetime, path="/",
                        httponly=True, samesite="strict", secure=request.url.scheme == "https")
    return response


async def clear_session_cookie(request: Request) -> Response:
    if not same_origin(request):
        return PlainTextResponse("Niet toegestaan.", status_code=403)
    response = PlainTextResponse("ok")
    response.delete_cookie(session_cookie.COOKIE_NAME, path="/", httponly=True,
                           samesite="strict")
    return response


class LoginGuard:
    """Answers 403 on guarded paths unless the request carries a live session cookie."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] == "http" and path.startswith(GUARDED_PREFIXES):
            cookie = Request(scope).cookies.get(session_cookie.COOKIE_NAME)
            if await run_in_threadpool(live_cookie_user, cookie) is None:
                await PlainTextResponse("Log eerst in.", status_code=403)(scope, receive, send)
                return
        await self.app(scope, receive, send)


app = st.App(
    APP_SCRIPT,
    routes=[Route("/newsroom/session", set_session_cookie, methods=["POST"]),
            Route("/newsroom/logout", clear_session_cookie, methods=["POST"])],
    middleware=[Middleware(DutchDocument), Middleware(LoginGuard)],
)
