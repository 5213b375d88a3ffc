"""A local stand-in for the search and social APIs (127.0.0.1), serving saved answers from
tests/files/apis/ whose shapes follow each platform's documentation (see the module
docstrings in crawlers/social/*.py and crawlers/spiders/{official,council}.py).

`site.mode` switches every data endpoint at once: "ok", "empty" (a valid answer without
records), "malformed" (a cut-off body), "429" (rate limited, Retry-After: 120) or "401"
(credentials refused, also at the login endpoints).
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FILES = Path(__file__).resolve().parent.parent / "files" / "apis"
JSON = "application/json; charset=utf-8"
XML = "application/xml; charset=utf-8"

EMPTY = {
    "bluesky": b'{"posts": []}',
    "reddit": b'{"kind": "Listing", "data": {"after": null, "children": []}}',
    "youtube": b'{"kind": "youtube#searchListResponse", "items": []}',
    "sru": (b'<?xml version="1.0"?><sru:searchRetrieveResponse '
            b'xmlns:sru="http://docs.oasis-open.org/ns/search-ws/sruResponse">'
            b"<sru:version>2.0</sru:version><sru:numberOfRecords>0</sru:numberOfRecords>"
            b"</sru:searchRetrieveResponse>"),
    "ori": b'{"hits": {"total": {"value": 0}, "hits": []}}',
}


class ApiHandler(BaseHTTPRequestHandler):
    site: ApiSite

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self.answer(b"")

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        self.answer(self.rfile.read(length))

    def answer(self, body: bytes) -> None:
        path = self.path.split("?", 1)[0]
        self.site.requests.append((self.command, self.path, dict(self.headers), body))
        route = self.site.routes.get(path)
        status, headers, payload = route(self, body) if route else (404, {}, b"weg")
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(payload)

    def log_message(self, format: str, *args: object) -> None:
        return


Answer = tuple[int, dict[str, str], bytes]


class ApiSite:
    def __init__(self) -> None:
        handler = type("BoundApiHandler", (ApiHandler,), {"site": self})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.mode = "ok"
        self.requests: list[tuple[str, str, dict[str, str], bytes]] = []
        self.routes: dict[str, Callable[[ApiHandler, bytes], Answer]] = {
            "/robots.txt": lambda h, b: (200, {"Content-Type": "text/plain"},
                                         (b"User-agent: *\nDisallow: /xrpc/\nDisallow: /r/\n"
                                          b"Disallow: /youtube/\nDisallow: /sru\n"
                                          b"Disallow: /ori/\nDisallow: /reddit/\n"
                                          b"Disallow: /intern/\n")),
            "/xrpc/com.atproto.server.createSession": self.bluesky_session,
            "/xrpc/app.bsky.feed.searchPosts": self.bluesky_search,
            "/reddit/api/v1/access_token": self.reddit_token,
            "/r/Dordrecht/new": self.data("reddit", "reddit-new.json", JSON),
            "/youtube/v3/search": self.data("youtube", "youtube-search.json", JSON),
            "/youtube/v3/commentThreads": self.data("youtube", "youtube-comments.json", JSON),
            "/sru": self.sru,
            "/ori/ori_dordrecht_*/_search": self.ori,
            "/feed.json": lambda h, b: (200, {"Content-Type": "application/feed+json"},
                                        self.file("../feeds/feed.json")),
            "/json/boom": self.static("publication.html", "text/html; charset=utf-8"),
            "/json/volledig": self.static("publication.html", "text/html; charset=utf-8"),
        }
        for name in ("gmb-2026-480123", "gmb-2026-480456", "gmb-2026-470001"):
            page = "publication.html" if name == "gmb-2026-480123" else None
            self.routes[f"/bekendmakingen/{name}.html"] = (
                self.static(page, "text/html; charset=utf-8") if page
                else (lambda h, b: (500, {}, b"storing")))

    def __enter__(self) -> ApiSite:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def file(self, name: str) -> bytes:
        return (FILES / name).read_bytes().replace(b"{BASE}", self.base.encode())

    def static(self, name: str, content_type: str) -> Callable[[ApiHandler, bytes], Answer]:
        return lambda h, b: (200, {"Content-Type": content_type}, self.file(name))

    def refusal(self) -> Answer | None:
        if self.mode == "429":
            return 429, {"Retry-After": "120", "Content-Type": JSON}, b'{"error": "slow down"}'
        if self.mode == "401":
            return 401, {"Content-Type": JSON}, b'{"error": "AuthenticationRequired"}'
        return None

    def data(self, kind: str, name: str, content_type: str
             ) -> Callable[[ApiHandler, bytes], Answer]:
        def serve(handler: ApiHandler, body: bytes) -> Answer:
            return self.by_mode(kind, self.file(name), content_type)

        return serve

    def by_mode(self, kind: str, payload: bytes, content_type: str) -> Answer:
        refused = self.refusal()
        if refused is not None:
            return refused
        if self.mode == "empty":
            return 200, {"Content-Type": content_type}, EMPTY[kind]
        if self.mode == "malformed":
            return 200, {"Content-Type": content_type}, payload[: len(payload) // 2]
        return 200, {"Content-Type": content_type}, payload

    def bluesky_session(self, handler: ApiHandler, body: bytes) -> Answer:
        sent = json.loads(body or b"{}")
        if self.mode == "401" or sent.get("password") != "app-pass-1234":
            return 401, {"Content-Type": JSON}, b'{"error": "AuthenticationRequired"}'
        return 200, {"Content-Type": JSON}, self.file("bluesky-session.json")

    def bluesky_search(self, handler: ApiHandler, body: bytes) -> Answer:
        if handler.headers.get("Authorization") != "Bearer eyJhbGciOiJIUzI1NiJ9.test-access":
            return 401, {"Content-Type": JSON}, b'{"error": "AuthMissing"}'
        name = "bluesky-search-page2.json" if "cursor=2" in handler.path else "bluesky-search.json"
        return self.by_mode("bluesky", self.file(name), JSON)

    def reddit_token(self, handler: ApiHandler, body: bytes) -> Answer:
        if self.mode == "401" or not str(handler.headers.get("Authorization")).startswith("Basic "):
            return 401, {"Content-Type": JSON}, b'{"message": "Unauthorized", "error": 401}'
        return 200, {"Content-Type": JSON}, self.file("reddit-token.json")

    def sru(self, handler: ApiHandler, body: bytes) -> Answer:
        name = "sru-page2.xml" if "startRecord=4" in handler.path else "sru-page1.xml"
        if "creator%3D%3D%22Nergens" in handler.path:
            name = "sru-diagnostic.xml"
        payload = self.file(name)
        if "Zwijndrecht" in handler.path:  # its own publications, so ids do not overlap
            payload = payload.replace(b"gmb-2026-", b"zwd-2026-")
        answer = self.by_mode("sru", payload, XML)
        if answer[0] == 200 and self.mode == "ok":
            answer[1]["ETag"] = f'"sru-{name}"'
            if handler.headers.get("If-None-Match") == f'"sru-{name}"':
                return 304, {"ETag": f'"sru-{name}"'}, b""
        return answer

    def ori(self, handler: ApiHandler, body: bytes) -> Answer:
        query = json.loads(body or b"{}")
        if query.get("from", 0) > 0:
            return self.by_mode("ori", EMPTY["ori"], JSON)
        return self.by_mode("ori", self.file("ori-search.json"), JSON)
