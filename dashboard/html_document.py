"""The page Streamlit serves, made Dutch: `<html lang="nl">` and our accessibility styles.

Streamlit ships one index.html with `lang="en"` and has no option to change it; its
JavaScript never touches the attribute afterwards. Screen readers pick their voice from it,
so a Dutch page announced as English is read with English pronunciation. Patching the
package's file on disk would be undone by every upgrade and needs write access to the venv,
so this ASGI middleware rewrites the HTML document on its way out instead: every answer
with `Content-Type: text/html` (the app shell, served for `/` and for every page path) gets
`lang="nl"` and a `<style>` block (`dashboard.a11y_styles`). Scripts, images, the
websocket and downloads pass through untouched. `tests/dashboard/test_browser_a11y.py`
checks the result in a real browser, so a Streamlit upgrade that changes the shell fails
a test instead of silently going back to English.
"""

from __future__ import annotations

import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dashboard.a11y_styles import STYLE

_HTML_TAG = re.compile(rb"<html(\s[^>]*)?>", re.IGNORECASE)
_LANG = re.compile(rb"""\slang\s*=\s*(["'])[^"']*\1""", re.IGNORECASE)
_HEAD_END = re.compile(rb"</head>", re.IGNORECASE)


def make_dutch(document: bytes) -> bytes:
    """The HTML `document` with `lang="nl"` on its root and our styles in its head.

    >>> make_dutch(b'<html lang="en"><head></head></html>')[:22]
    b'<html lang="nl"><head>'
    """
    def retag(match: re.Match[bytes]) -> bytes:
        attributes = _LANG.sub(b"", match.group(1) or b"")
        return b'<html lang="nl"' + attributes + b">"

    patched, count = _HTML_TAG.subn(retag, document, count=1)
    if count == 0:
        patched = b'<html lang="nl">' + document
    style = f"<style id=\"newsroom-a11y\">{STYLE}</style>".encode()
    with_style, count = _HEAD_END.subn(style + b"</head>", patched, count=1)
    return with_style if count else patched


class DutchDocument:
    """ASGI middleware: HTML answers leave as Dutch documents (see the module docstring)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # HEAD passes untouched: without the body its new length cannot be known.
        if scope["type"] != "http" or scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return
        # Ask for the plain body: a compressed one could not be rewritten.
        headers = [(k, v) for k, v in scope.get("headers", []) if k.lower() != b"accept-encoding"]
        scope = {**scope, "headers": headers}
        start: Message | None = None
        body: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                if _is_plain_html(message):
                    start = message
                    return
                await send(message)
            elif message["type"] == "http.response.body" and start is not None:
                body.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                patched = make_dutch(b"".join(body))
                kept = [(k, v) for k, v in start.get("headers", [])
                        if k.lower() != b"content-length"]
                kept.append((b"content-length", str(len(patched)).encode()))
                await send({**start, "headers": kept})
                await send({"type": "http.response.body", "body": patched})
            else:
                await send(message)

        await self.app(scope, receive, capture)


def _is_plain_html(start: Message) -> bool:
    """An uncompressed, successful text/html answer (the app shell)."""
    if start.get("status") != 200:
        return False
    headers = {k.lower(): v for k, v in start.get("headers", [])}
    return (headers.get(b"content-type", b"").startswith(b"text/html")
            and b"content-encoding" not in headers)
