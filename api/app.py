"""The API's routes (Starlette): every read authenticated, rate-limited, scoped and audited.

Each request opens no new connection: every worker thread keeps one store connection (one
per thread, as `storage.db` requires; on PostgreSQL it connects again after a lost one).
Endpoints are plain functions, so Starlette runs them in its thread pool and a slow query
never blocks the event loop.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from api import params as p
from api.access import ApiUser, authenticate, scope_watch_ids
from api.errors import SECURITY_HEADERS, ApiError, error_response
from api.openapi import openapi_document
from api.ratelimit import RateLimiter
from core.config import Config
from core.records import utcnow
from storage import api_queries
from storage.adviser import list_watches
from storage.api_tokens import mark_used
from storage.audit import record_event
from storage.db import Database, open_db
from storage.dialect import OPERATIONAL_ERRORS

logger = logging.getLogger(__name__)

DEFAULT_RATE_PER_MINUTE = 120
STORE_RETRY_SECONDS = 2
"""Retry-After of a 503: the per-thread connection is opened again on the next request."""
MAX_INCIDENTS = 200


class Reader:
    """One authenticated request: its store, user, scope and checked parameters."""

    def __init__(self, db: Database, user: ApiUser,
                 scope: tuple[int, ...] | None, values: dict[str, list[str]]) -> None:
        self.db, self.user, self.scope, self.values = db, user, scope, values


class ApiApp:
    """Holds the config, the per-thread connections and the rate limiter of one server."""

    def __init__(self, config: Config, rate_per_minute: int = DEFAULT_RATE_PER_MINUTE) -> None:
        self.config = config
        self.limiter = RateLimiter(rate_per_minute)
        self._local = threading.local()
        open_db(config.store_target).conn.close()  # create or migrate once, before serving

    def db(self) -> Database:
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = open_db(self.config.store_target, migrate=False)
        return db

    def begin(self, request: Request, allowed: tuple[str, ...]) -> Reader:
        """Authenticate, rate-limit and check the query of one request (or raise ApiError)."""
        db = self.db()
        now = utcnow()
        token, user = authenticate(self.config, db, request.headers.get("authorization"), now)
        wait = self.limiter.allow(token.id, time.monotonic())
        if wait:
            raise ApiError(429, "rate_limited", f"Te veel verzoeken met dit token; probeer "
                           f"het over {wait} seconden opnieuw.", {"Retry-After": str(wait)})
        mark_used(db, token, now)
        pairs = list(request.query_params.multi_items())
        p.check_query(request.url.query, pairs, allowed)
        values: dict[str, list[str]] = {}
        for name, value in pairs:
            values.setdefault(name, []).append(value)
        return Reader(db, user, scope_watch_ids(db, user), values)

    def audit(self, request: Request, reader: Reader, rows: int) -> None:
        """An API read is written to the audit log like a dashboard export."""
        record_event(reader.db, actor=reader.user.username, action="api.read",
                     target=request.url.path, detail=f"{rows} rows; {request.url.query}"[:500],
                     client=request.client.host if request.client else "")

    # --- endpoints -------------------------------------------------------------------

    def documents(self, request: Request) -> Response:
        reader = self.begin(request, (*p.FILTER_PARAMS, "limit", "cursor"))
        flt = p.build_filter(reader.values, list_watches(reader.db), reader.scope,
                             utcnow().date(), bounded=False)
        limit = p.page_size(reader.values)
        after = p.decode_cursor(reader.values["cursor"][-1]) if "cursor" in reader.values else None
        rows, cursor = api_queries.documents_page(reader.db, flt, limit, after)
        self.audit(request, reader, len(rows))
        body: dict[str, Any] = {"data": rows, "limit": limit, "next": None}
        headers: dict[str, str] = {}
        if cursor is not None:
            query = [(k, v) for k, v in request.query_params.multi_items() if k != "cursor"]
            query.append(("cursor", p.encode_cursor(cursor)))
            body["next"] = f"{request.url.path}?{urlencode(query)}"
            headers["Link"] = f'<{body["next"]}>; rel="next"'
        return json_response(body, headers)

    def document(self, request: Request) -> Response:
        reader = self.begin(request, ())
        document_id = str(request.path_params["document_id"])
        item = (api_queries.document_detail(reader.db, document_id, reader.scope)
                if len(document_id) <= p.MAX_VALUE_CHARS else None)
        if item is None:
            raise ApiError(404, "not_found", "Dit bericht bestaat niet (meer), of je mag het "
                           "niet lezen.")
        self.audit(request, reader, 1)
        return json_response({"data": item})

    def aggregates(self, request: Request) -> Response:
        by = str(request.path_params["by"])
        if by not in api_queries.AGGREGATE_KEYS:
            raise ApiError(404, "not_found", "Tellingen zijn er per "
                           f"{', '.join(api_queries.AGGREGATE_KEYS)}.")
        reader = self.begin(request, p.FILTER_PARAMS)
        flt = p.build_filter(reader.values, list_watches(reader.db), reader.scope,
                             utcnow().date(), bounded=True)
        rows = api_queries.aggregate(reader.db, flt, by)
        self.audit(request, reader, len(rows))
        since, until = flt.documents.since, flt.documents.until
        return json_response({"by": by, "since": since.date().isoformat() if since else None,
                              "until": _last_day(until), "data": rows})

    def incidents(self, request: Request) -> Response:
        reader = self.begin(request, ("limit",))
        raw = reader.values.get("limit", ["50"])[-1]
        if not raw.isdigit() or not 1 <= int(raw) <= MAX_INCIDENTS:
            raise p.bad("invalid_limit", f"limit is een heel getal van 1 tot en met "
                        f"{MAX_INCIDENTS}.")
        rows = api_queries.incidents(reader.db, int(raw), reader.scope)
        self.audit(request, reader, len(rows))
        return json_response({"data": rows})

    def me(self, request: Request) -> Response:
        reader = self.begin(request, ())
        watches = [w.name for w in list_watches(reader.db) if reader.user.can_see_watch(w)]
        return json_response({"username": reader.user.username, "role": reader.user.role,
                              "watches": watches})

    def openapi(self, request: Request) -> Response:
        return json_response(openapi_document())


def _last_day(until: datetime | None) -> str | None:
    return (until - timedelta(days=1)).date().isoformat() if until else None


def json_response(body: Any, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body, headers={**SECURITY_HEADERS, **(headers or {})})


def _guarded(endpoint: Callable[[Request], Response]) -> Callable[[Request], Response]:
    def run(request: Request) -> Response:
        try:
            return endpoint(request)
        except ApiError as exc:
            return exc.response()
        except OPERATIONAL_ERRORS:
            # PostgreSQL restarted or dropped the connection (the next request connects
            # again, storage.pg), or SQLite stayed locked past its busy timeout: the client
            # may simply retry, so say so instead of a 500 that reads like a bug.
            logger.exception("store unavailable for %s", request.url.path)
            return error_response(503, "store_unavailable", "De database is even niet "
                                  "bereikbaar; probeer het over een paar seconden opnieuw.",
                                  {"Retry-After": str(STORE_RETRY_SECONDS)})
    run.__name__ = endpoint.__name__
    return run


async def _http_error(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    if status == 404:
        return error_response(404, "not_found", "Dit adres bestaat niet; zie /openapi.json.")
    if status == 405:
        return error_response(405, "method_not_allowed", "De API kan alleen lezen (GET).")
    return error_response(status, "error", "Er ging iets mis in de API.")


async def _server_error(request: Request, exc: Exception) -> Response:
    return error_response(500, "internal_error", "Er ging iets mis in de API; kijk in het "
                          "log van de server.")


def create_app(config: Config, rate_per_minute: int = DEFAULT_RATE_PER_MINUTE) -> Starlette:
    """The ASGI app; `api.server.serve` runs it with uvicorn."""
    api = ApiApp(config, rate_per_minute)
    routes = [
        Route("/openapi.json", _guarded(api.openapi), methods=["GET"]),
        Route("/v1/me", _guarded(api.me), methods=["GET"]),
        Route("/v1/documents", _guarded(api.documents), methods=["GET"]),
        Route("/v1/documents/{document_id:path}", _guarded(api.document), methods=["GET"]),
        Route("/v1/aggregates/{by}", _guarded(api.aggregates), methods=["GET"]),
        Route("/v1/incidents", _guarded(api.incidents), methods=["GET"]),
    ]
    return Starlette(routes=routes, exception_handlers={HTTPException: _http_error,
                                                        Exception: _server_error})
