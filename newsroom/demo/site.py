"""The fictional demo site, served on 127.0.0.1 by the standard library's HTTP server.

One server holds four "outlets" under path prefixes, so the demo needs a single free port:

| path | what |
| --- | --- |
| `/drechtstad/feed.xml`, `/drechtstad/artikel/<slug>` | Drechtstad Dagblad: RSS + articles |
| `/merwede/sitemap.xml`, `/merwede/artikel/<slug>` | Merwede Courant: sitemap index only |
| `/gemeente/nieuws`, `/gemeente/nieuws/<slug>` | Gemeente Dordrecht (demo): listing page |
| `/api/v1/timelines/tag/<tag>` | a social timeline in Mastodon's API format |
| `/robots.txt` | disallows `/gemeente/nieuws/intern/` |

Every response carries an ETag and (where it has a date) Last-Modified; conditional
requests get 304, so the crawlers' conditional GET can be seen to work.

Example:
    >>> with DemoSite() as site:              # doctest: +SKIP
    ...     print(site.base_url)              # http://127.0.0.1:54321
"""

from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import parse_qs, urlsplit

from newsroom.demo import render
from newsroom.demo.corpus import DemoCorpus, build_corpus

logger = logging.getLogger(__name__)

LOOPBACK = "127.0.0.1"


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    content_type: str
    last_modified: datetime | None = None
    link: str | None = None


@dataclass(frozen=True)
class RequestRecord:
    """One request the site answered, for tests and the demo summary."""

    method: str
    path: str
    status: int
    bytes: int = 0
    """Body bytes sent (0 for 304 and HEAD)."""


class DemoSite:
    """The demo site on a loopback port; `start()` serves it from a background thread."""

    def __init__(self, port: int = 0, corpus: DemoCorpus | None = None, host: str = LOOPBACK):
        if host not in (LOOPBACK, "localhost", "::1"):
            # The demo is fictional news; it has no business on a public interface.
            raise ValueError(f"The demo site only binds to loopback, not {host!r}")
        self.corpus = corpus or build_corpus()
        self._server = ThreadingHTTPServer((host, port), _make_handler(self))
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._requests: list[RequestRecord] = []

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def requests(self) -> list[RequestRecord]:
        with self._lock:
            return list(self._requests)

    def record(self, entry: RequestRecord) -> None:
        with self._lock:
            self._requests.append(entry)

    def start(self) -> DemoSite:
        """Serve in a daemon thread and return at once."""
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="newsroom-demo-site", daemon=True
        )
        self._thread.start()
        logger.info("Demo site serving on %s", self.base_url)
        return self

    def serve_forever(self) -> None:
        """Serve in the foreground until interrupted."""
        self._server.serve_forever()

    def wait_until_interrupted(self) -> None:
        """Block the caller while the background thread serves, until Ctrl-C."""
        try:
            while self._thread is not None and self._thread.is_alive():
                self._thread.join(timeout=0.5)
        except KeyboardInterrupt:
            logger.info("Demo site stopped by the user")

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> DemoSite:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # --- routing ------------------------------------------------------------------------

    def respond(self, target: str) -> Response:
        """The response for a request target (path and query)."""
        parts = urlsplit(target)
        path = parts.path
        base = self.base_url
        corpus = self.corpus
        if path in ("", "/"):
            return _html(render.home_html(base))
        if path == "/robots.txt":
            return Response(200, render.robots_txt(base).encode(), "text/plain; charset=utf-8")
        if path == "/drechtstad/feed.xml":
            return Response(
                200, render.rss_feed(base, corpus).encode(), "application/rss+xml; charset=utf-8",
                corpus.last_modified("drechtstad"),
            )
        if path in ("/drechtstad/", "/merwede/"):
            return _html(render.outlet_home_html(corpus, path.strip("/")))
        if path == "/merwede/sitemap.xml":
            return _xml(render.sitemap_index(base, corpus), corpus.last_modified("merwede"))
        if path.startswith("/merwede/sitemap-nieuws-") and path.endswith(".xml"):
            number = path.removeprefix("/merwede/sitemap-nieuws-").removesuffix(".xml")
            part = render.sitemap_part(base, corpus, int(number)) if number.isdigit() else None
            if part is not None:
                return _xml(part, corpus.last_modified("merwede"))
        if path == "/merwede/over-ons":
            return _html(render.simple_html(
                "merwede", "Over de Merwede Courant",
                "De Merwede Courant is een verzonnen krant voor de demo van newsroom.",
            ))
        if path == "/gemeente/nieuws":
            return _html(render.listing_html(corpus), corpus.last_modified("gemeente"))
        if path in ("/gemeente/contact", "/gemeente/afval"):
            return _html(render.simple_html(
                "gemeente", "Contact", "Bel 14 078 of kom langs in het stadskantoor (demo)."
            ))
        if path.startswith("/api/v1/timelines/tag/"):
            return self._timeline(path.removeprefix("/api/v1/timelines/tag/"), parts.query)
        if path.startswith("/@"):
            return self._status_page(path)
        if path.startswith("/statuses/"):
            # Mastodon's handle-free status route: the link newsroom stores.
            item = corpus.get("social", path.removeprefix("/statuses/"))
            if item is None:
                return _not_found()
            return _html(render.status_html(self.base_url, item), item.published)
        for outlet, prefix in render.ARTICLE_PATHS.items():
            if path.startswith(prefix):
                item = corpus.get(outlet, path.removeprefix(prefix))
                if item is not None and item.broken != "missing_page":
                    return _html(render.article_html(base, item), item.published)
        return _not_found()

    def _timeline(self, tag: str, query: str) -> Response:
        params = {k: v[-1] for k, v in parse_qs(query).items()}
        for key in ("max_id", "since_id", "min_id", "limit"):
            if key in params and not params[key].isdigit():
                return Response(
                    422,
                    f'{{"error": "{key} must be a number"}}'.encode(),
                    "application/json; charset=utf-8",
                )
        body, link = render.tag_timeline(
            self.base_url,
            self.corpus,
            tag,
            limit=int(params.get("limit", render.MASTODON_DEFAULT_LIMIT)),
            max_id=params.get("max_id"),
            since_id=params.get("since_id"),
            min_id=params.get("min_id"),
        )
        return Response(200, body.encode(), "application/json; charset=utf-8", link=link)

    def _status_page(self, path: str) -> Response:
        username, _, post_id = path.removeprefix("/@").partition("/")
        item = self.corpus.get("social", post_id)
        if item is None or item.author != username:
            return _not_found()
        return _html(render.status_html(self.base_url, item), item.published)


def _html(text: str, last_modified: datetime | None = None) -> Response:
    return Response(200, text.encode(), "text/html; charset=utf-8", last_modified)


def _xml(text: str, last_modified: datetime | None = None) -> Response:
    return Response(200, text.encode(), "application/xml; charset=utf-8", last_modified)


def _not_found() -> Response:
    return Response(404, b"<h1>404 Niet gevonden</h1>", "text/html; charset=utf-8")


def etag_for(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:20] + '"'


def is_not_modified(
    if_none_match: str | None,
    if_modified_since: str | None,
    etag: str,
    last_modified: datetime | None,
) -> bool:
    """RFC 9110: If-None-Match wins when present; else compare If-Modified-Since."""
    if if_none_match:
        candidates = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in candidates or etag in candidates
    if if_modified_since and last_modified is not None:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            return False
        return last_modified.replace(microsecond=0) <= since
    return False


def _make_handler(site: DemoSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "newsroom-demo/1.0"
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 - the stdlib's naming
            self._answer(send_body=True)

        def do_HEAD(self) -> None:  # noqa: N802
            self._answer(send_body=False)

        def _answer(self, send_body: bool) -> None:
            response = site.respond(self.path)
            etag = etag_for(response.body)
            status = response.status
            if status == 200 and is_not_modified(
                self.headers.get("If-None-Match"),
                self.headers.get("If-Modified-Since"),
                etag,
                response.last_modified,
            ):
                status = HTTPStatus.NOT_MODIFIED
            sent = len(response.body) if send_body and status != 304 else 0
            # Recorded before answering, so a client that got its answer sees the record.
            site.record(RequestRecord(self.command, self.path, int(status), sent))
            self.send_response(status)
            if status in (200, 304):
                self.send_header("ETag", etag)
                if response.last_modified is not None:
                    self.send_header(
                        "Last-Modified", format_datetime(response.last_modified, usegmt=True)
                    )
            if response.link and status == 200:
                self.send_header("Link", response.link)
            if status == 304:
                self.end_headers()  # a 304 never has a body
            else:
                self.send_header("Content-Type", response.content_type)
                self.send_header("Content-Length", str(len(response.body)))
                self.end_headers()
                if send_body:
                    self.wfile.write(response.body)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            logger.debug("demo site: " + format, *args)

    return Handler
