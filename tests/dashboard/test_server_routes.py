"""The routes dashboard/server.py adds to Streamlit, called as a real ASGI app (Starlette,
our routes and LoginGuard in front of a stand-in for Streamlit's /media/ route) against the
fixture's SQLite store: the one-time cookie hand-off, its cookie flags, the origin check,
and that guarded paths need a live, correctly signed session."""

from __future__ import annotations

import asyncio
import time
from collections.abc import MutableMapping
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from dashboard import server
from storage.db import open_db
from storage.sessions import create_session, revoke_session

from .conftest import Corpus


async def _media(request: Request) -> PlainTextResponse:
    return PlainTextResponse("titel,n\nRaad,1\n")


APP = Starlette(
    routes=[Route("/newsroom/session", server.set_session_cookie, methods=["POST"]),
            Route("/newsroom/logout", server.clear_session_cookie, methods=["POST"]),
            Route("/media/{name}", _media), Route("/_stcore/metrics", _media)],
    middleware=[Middleware(server.LoginGuard)],
)


def call(method: str, path: str, body: bytes = b"",
         headers: dict[str, str] | None = None) -> tuple[int, dict[str, str]]:
    """One HTTP request through the ASGI app; the status and the response headers."""
    sent: list[MutableMapping[str, Any]] = []
    raw = [(k.lower().encode(), v.encode())
           for k, v in {"host": "127.0.0.1:8501", **(headers or {})}.items()]
    scope = {"type": "http", "method": method, "path": path, "raw_path": path.encode(),
             "query_string": b"", "headers": raw, "scheme": "http", "http_version": "1.1",
             "server": ("127.0.0.1", 8501), "client": ("127.0.0.1", 5000), "root_path": ""}

    async def receive() -> dict:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    asyncio.run(APP(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    return start["status"], {k.decode(): v.decode() for k, v in start["headers"]}


def test_cookie_hand_off_guard_and_revocation(corpus: Corpus) -> None:
    db = open_db(corpus.db_path)
    token = create_session(db, "adviseur", time.time(), 3600)
    assert call("GET", "/media/abc.csv")[0] == 403
    assert call("GET", "/_stcore/metrics")[0] == 403
    assert call("POST", "/newsroom/session", token.encode(),
                {"origin": "http://evil.invalid"})[0] == 403
    status, headers = call("POST", "/newsroom/session", token.encode(),
                           {"origin": "http://127.0.0.1:8501"})
    assert status == 200
    cookie = headers["set-cookie"]
    assert cookie.startswith("newsroom_session=") and "HttpOnly" in cookie
    assert "SameSite=strict" in cookie and "Max-Age=43200" in cookie
    assert call("POST", "/newsroom/session", token.encode())[0] == 403  # once only
    value = cookie.split(";")[0]
    assert call("GET", "/media/abc.csv", headers={"cookie": value})[0] == 200
    assert call("GET", "/_stcore/metrics", headers={"cookie": value})[0] == 200
    tampered = value[:-1] + ("0" if value[-1] != "0" else "1")
    assert call("GET", "/media/abc.csv", headers={"cookie": tampered})[0] == 403
    revoke_session(db, token, time.time())
    assert call("GET", "/media/abc.csv", headers={"cookie": value})[0] == 403
    status, headers = call("POST", "/newsroom/logout")
    assert status == 200 and 'newsroom_session=""' in headers["set-cookie"]


def test_a_forged_token_gets_no_cookie(corpus: Corpus) -> None:
    assert call("POST", "/newsroom/session", b"made-up-token")[0] == 403
    assert call("POST", "/newsroom/session", b"")[0] == 403
