"""A small real HTTP site on 127.0.0.1 for crawl tests: feeds, articles, a sitemap site, a
listing page, a Mastodon-format API, and a corner of broken pages.

Files come from tests/files/ with `{BASE}` replaced by the server's own address.
ETag / Last-Modified are honoured on the feed, sitemap and timeline (304 on a match).
"""

from __future__ import annotations

import contextlib
import gzip
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FILES = Path(__file__).resolve().parent.parent / "files"


@dataclass
class Reply:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


Route = Callable[["Handler"], Reply]


class Handler(BaseHTTPRequestHandler):
    site: FixtureSite

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        path = self.path.split("?", 1)[0]
        self.site.hits[path] += 1
        self.site.requests.append((self.path, dict(self.headers)))
        route = self.site.routes.get(path) or self.site.routes.get(self.path)
        reply = route(self) if route else Reply(404, {"Content-Type": "text/plain"}, b"weg")
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if "Content-Length" not in reply.headers:
            self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(reply.body)

    def log_message(self, format: str, *args: object) -> None:
        return


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        # The crawler hangs up on oversized and timed-out responses on purpose.
        return


class FixtureSite:
    """Start with `with FixtureSite() as site:`; `site.base` is http://127.0.0.1:PORT."""

    def __init__(self) -> None:
        handler = type("BoundHandler", (Handler,), {"site": self})
        self.server = QuietServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.hits: Counter[str] = Counter()
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.release = threading.Event()
        self.routes: dict[str, Route] = {}
        self.feed_version = "v1"
        self._install_routes()

    def __enter__(self) -> FixtureSite:
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    # -- content --------------------------------------------------------------------

    def file(self, name: str) -> bytes:
        raw = (FILES / name).read_bytes()
        return raw.replace(b"{BASE}", self.base.encode())

    def static(self, name: str, content_type: str) -> Route:
        def serve(handler: Handler) -> Reply:
            return Reply(200, {"Content-Type": content_type}, self.file(name))

        return serve

    def moved(self, name: str, content_type: str) -> Route:
        """An article file served as the municipality's own page (its own canonical URL)."""

        def serve(handler: Handler) -> Reply:
            body = self.file(name).replace(b"/nieuws/", b"/gemeente/bericht/")
            return Reply(200, {"Content-Type": content_type}, body)

        return serve

    def validated(self, name: str, content_type: str, extra: dict[str, str] | None = None
                  ) -> Route:
        """Serve a file with ETag/Last-Modified; answer 304 when the client has it."""

        def serve(handler: Handler) -> Reply:
            etag = f'"{self.feed_version}-{name}"'
            modified = "Mon, 02 Mar 2026 10:00:00 GMT"
            headers = {"ETag": etag, "Last-Modified": modified, **(extra or {})}
            if handler.headers.get("If-None-Match") == etag:
                return Reply(304, headers)
            return Reply(200, {"Content-Type": content_type, **headers}, self.file(name))

        return serve

    def _install_routes(self) -> None:
        html = "text/html; charset=utf-8"
        r = self.routes
        r["/robots.txt"] = lambda h: Reply(200, {"Content-Type": "text/plain"},
                                           b"User-agent: *\nDisallow: /verboden/\n")
        r["/feed.xml"] = self.validated("feed.xml", "application/rss+xml; charset=utf-8")
        for slug in ("brug-oude-maas", "parkeertarieven", "stadskantoor", "jongerencentrum"):
            name = "article-brug.html" if slug == "brug-oude-maas" else f"article-{slug}.html"
            r[f"/nieuws/{slug}"] = self.static(name, html)
        r["/site2/sitemap-index.xml"] = self.validated("sitemap-index.xml", "application/xml")
        r["/site2/sitemap-regio.xml"] = self.static("sitemap-regio.xml", "application/xml")
        r["/regio/brug-oude-maas"] = self.static("site2-brug.html", html)
        r["/regio/english"] = self.static("site2-english.html", html)
        r["/over-ons"] = self.static("article-stadskantoor.html", html)
        r["/gemeente/nieuws"] = self.static("listing.html", html)
        for slug in ("stadskantoor", "jongerencentrum"):
            r[f"/gemeente/bericht/{slug}"] = self.moved(f"article-{slug}.html", html)
        r["/api/v1/timelines/tag/dordrecht"] = self.timeline
        r["/verboden/feed.xml"] = self.static("feed.xml", "application/rss+xml")
        self._install_broken_routes()

    def timeline(self, handler: Handler) -> Reply:
        if "max_id=90" in handler.path:
            return Reply(200, {"Content-Type": "application/json"},
                         self.file("mastodon-tag-page2.json"))
        link = (f'<{self.base}/api/v1/timelines/tag/dordrecht?limit=40&max_id=90>; rel="next", '
                f'<{self.base}/api/v1/timelines/tag/dordrecht?limit=40&min_id=109>; rel="prev"')
        return Reply(200, {"Content-Type": "application/json", "Link": link},
                     self.file("mastodon-tag.json"))

    def _install_broken_routes(self) -> None:
        r = self.routes
        r["/broken/malformed-feed.xml"] = self.static("malformed-feed.xml", "application/rss+xml")
        r["/broken/500"] = lambda h: Reply(500, {"Content-Type": "text/plain"}, b"kapot")
        r["/broken/slow"] = self.slow
        r["/broken/bomb"] = self.gzip_bomb
        r["/broken/big"] = self.oversized
        r["/broken/latin1"] = self.static("article-latin1.html", "text/html")
        r["/broken/nocharset"] = self.static("article-nocharset.html", "text/html")
        r["/broken/wrong-charset"] = self.wrong_charset
        r["/broken/feed-500.xml"] = lambda h: Reply(503, {"Content-Type": "text/plain"}, b"")
        r["/broken/redirect-private"] = lambda h: Reply(
            302, {"Location": f"http://localhost:{self.port}/nieuws/parkeertarieven"})
        r["/broken/listing"] = self.broken_listing
        r["/broken/feed-with-dead-article.xml"] = self.dead_article_feed

    def wrong_charset(self, handler: Handler) -> Reply:
        # Windows-1252 bytes served as utf-8: the declaration lies.
        body = self.file("article-nocharset.html").replace(b"/nieuws/nocharset",
                                                           b"/nieuws/wrong-charset")
        return Reply(200, {"Content-Type": "text/html; charset=utf-8"}, body)

    def slow(self, handler: Handler) -> Reply:
        # Hold the request until the test ends (or 10 s): the crawler's timeout must fire.
        self.release.wait(10)
        return Reply(200, {"Content-Type": "text/html"}, b"<html>te laat</html>")

    def gzip_bomb(self, handler: Handler) -> Reply:
        body = gzip.compress(b"<html><body>" + b"A" * 20_000_000 + b"</body></html>")
        return Reply(200, {"Content-Type": "text/html", "Content-Encoding": "gzip"}, body)

    def oversized(self, handler: Handler) -> Reply:
        body = b"<html><body><p>" + b"groot " * 200_000 + b"</p></body></html>"
        return Reply(200, {"Content-Type": "text/html"}, body)

    def broken_listing(self, handler: Handler) -> Reply:
        paths = ["/broken/500", "/nieuws/bestaat-niet", "/broken/slow", "/broken/bomb",
                 "/broken/big", "/broken/latin1", "/broken/nocharset", "/broken/wrong-charset",
                 "/broken/redirect-private", "/verboden/pagina", "/nieuws/parkeertarieven"]
        links = "".join(f'<li><a href="{p}">{p}</a></li>' for p in paths)
        body = f"<html><body><ul>{links}</ul></body></html>".encode()
        return Reply(200, {"Content-Type": "text/html; charset=utf-8"}, body)

    def dead_article_feed(self, handler: Handler) -> Reply:
        body = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>t</title>
<item><title>Artikel dat verdwenen is</title><link>{self.base}/nieuws/verdwenen</link>
<guid>x-1</guid><pubDate>Mon, 02 Mar 2026 09:00:00 GMT</pubDate>
<description>De samenvatting blijft bewaard als de pagina weg is: de gemeente
sluit de brug een weekend voor onderhoud.</description></item>
</channel></rss>""".encode()
        return Reply(200, {"Content-Type": "application/rss+xml"}, body)
