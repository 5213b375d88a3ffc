"""The app shell leaves the server as a Dutch document (dashboard/html_document.py)."""

from __future__ import annotations

from pathlib import Path

import streamlit
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

from dashboard.a11y_styles import MUTED_TEXT
from dashboard.html_document import DutchDocument, make_dutch

STREAMLIT_INDEX = Path(streamlit.__file__).parent / "static" / "index.html"


def test_streamlits_own_shell_becomes_dutch_with_our_styles() -> None:
    original = STREAMLIT_INDEX.read_bytes()
    assert b'<html lang="en">' in original  # what Streamlit ships and we correct
    patched = make_dutch(original).decode()
    assert '<html lang="nl">' in patched and 'lang="en"' not in patched
    assert patched.count('<style id="newsroom-a11y">') == 1
    assert patched.index("newsroom-a11y") < patched.index("</head>")
    assert MUTED_TEXT in patched


def test_other_shapes_of_the_html_tag() -> None:
    assert make_dutch(b"<HTML class='x' LANG='de'><head></head>").startswith(
        b"<html lang=\"nl\" class='x'>")
    assert make_dutch(b"<html><head></head>").startswith(b'<html lang="nl">')
    assert make_dutch(b"<p>no html tag</p>").startswith(b'<html lang="nl"><p>')


def _client() -> TestClient:
    async def shell(_request):  # type: ignore[no-untyped-def]
        return FileResponse(STREAMLIT_INDEX)

    async def script(_request):  # type: ignore[no-untyped-def]
        return Response(b'var html = "<html lang=\\"en\\">";', media_type="text/javascript")

    async def missing(_request):  # type: ignore[no-untyped-def]
        return PlainTextResponse("<html lang='en'>", status_code=404,
                                 headers={"content-type": "text/html"})

    app = Starlette(routes=[Route("/", shell), Route("/berichten", shell),
                            Route("/static/app.js", script), Route("/gone", missing)],
                    middleware=[Middleware(DutchDocument)])
    return TestClient(app)


def test_middleware_rewrites_html_answers_only() -> None:
    client = _client()
    for path in ("/", "/berichten"):
        answer = client.get(path, headers={"accept-encoding": "gzip"})
        assert answer.status_code == 200
        assert '<html lang="nl">' in answer.text
        assert int(answer.headers["content-length"]) == len(answer.content)
    head = client.head("/")
    assert head.status_code == 200 and head.content == b""
    assert int(head.headers["content-length"]) == STREAMLIT_INDEX.stat().st_size  # untouched
    script = client.get("/static/app.js")
    assert script.content == b'var html = "<html lang=\\"en\\">";'  # not HTML: untouched
    assert "lang='en'" in client.get("/gone").text  # error pages pass as they are
