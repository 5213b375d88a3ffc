"""Downloader middlewares: keep crawls off the internal network, and back off on retries.

Source URLs come from a config file and links come from scraped pages, so both are
untrusted. Every request — including robots.txt fetches and each hop of a redirect, which
Scrapy re-schedules as a new request — passes `PrivateAddressMiddleware`: only http(s),
and no host that resolves to a private, loopback, link-local or reserved address unless
the host is on `crawl.allow_private_hosts` (the demo and the tests use 127.0.0.1).

Known limit: the address is checked at request time; a DNS answer that changes between
the check and the connection (DNS rebinding) is not caught. Run the crawler where it
cannot reach sensitive services if that matters to you.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response

logger = logging.getLogger(__name__)

Resolver = Callable[..., list[tuple[Any, ...]]]


class RefusedURL(IgnoreRequest):
    """A URL the crawler will not fetch: not http(s), or an internal-network address."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def _is_internal(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
        or not ip.is_global  # shared (CGNAT), documentation and other non-public ranges
    )


def allow_listed(host: str, port: int, allowed_hosts: frozenset[str]) -> bool:
    """True when `crawl.allow_private_hosts` admits this host and port.

    >>> allow_listed("127.0.0.1", 8765, frozenset({"127.0.0.1:8765"}))
    True
    >>> allow_listed("127.0.0.1", 22, frozenset({"127.0.0.1:8765"}))
    False
    >>> allow_listed("::1", 8765, frozenset({"[::1]:8765"}))
    True
    """
    shown = f"[{host}]" if ":" in host else host
    return host in allowed_hosts or shown in allowed_hosts or f"{shown}:{port}" in allowed_hosts


def refusal(url: str, allowed_hosts: frozenset[str], resolve: Resolver = socket.getaddrinfo
            ) -> RefusedURL | None:
    """Why `url` must not be fetched, or None when it may.

    An allow-list entry `host:port` admits that port only; a bare `host` admits every port
    of it. A host that does not resolve is refused too: without an address there is
    nothing to check, and a resolver that answers differently a moment later (at connect
    time) must not slip an internal address through.
    """
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError as exc:
        return RefusedURL("bad_url", str(exc))
    if parts.scheme.lower() not in ("http", "https"):
        return RefusedURL("scheme_not_allowed", f"only http(s) is fetched, not {parts.scheme!r}")
    host = (parts.hostname or "").lower().rstrip(".")
    if not host:
        return RefusedURL("bad_url", "no host in URL")
    if allow_listed(host, port, allowed_hosts):
        return None
    try:
        infos = resolve(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, OSError) as exc:
        return RefusedURL("dns_error", f"{host} could not be resolved: {exc}")
    for info in infos:
        address = str(info[4][0])
        if _is_internal(address):
            return RefusedURL(
                "private_address",
                f"{host} resolves to {address}; add it to crawl.allow_private_hosts "
                "only if this internal host is meant to be crawled",
            )
    return None


class PrivateAddressMiddleware:
    """Refuse non-http(s) URLs and hosts on internal networks (see the module docstring)."""

    def __init__(self, allowed_hosts: list[str], resolve: Resolver = socket.getaddrinfo) -> None:
        self.allowed_hosts = frozenset(host.lower() for host in allowed_hosts)
        self.resolve = resolve
        self._verdicts: dict[tuple[str, str], RefusedURL | None] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PrivateAddressMiddleware:
        return cls(crawler.settings.getlist("NEWSROOM_ALLOW_PRIVATE_HOSTS"))

    def process_request(self, request: Request) -> None:
        parts = urlsplit(request.url)
        key = (parts.scheme.lower(), parts.netloc.lower())
        if key not in self._verdicts:
            self._verdicts[key] = refusal(request.url, self.allowed_hosts, self.resolve)
        refused = self._verdicts[key]
        if refused is not None:
            logger.warning("refused %s: %s", request.url, refused)
            raise RefusedURL(refused.reason, refused.detail)


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retry, but waiting `base * 2**attempt` seconds (capped) before each retry,
    so a struggling server gets room instead of an immediate second hit."""

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self.base = settings.getfloat("NEWSROOM_RETRY_BACKOFF_BASE", 1.0)
        self.cap = settings.getfloat("NEWSROOM_RETRY_BACKOFF_MAX", 30.0)

    async def _pause(self, retry: Request | Response | None) -> None:
        if isinstance(retry, Request):
            attempt = int(retry.meta.get("retry_times", 1))
            delay = min(self.cap, self.base * 2 ** (attempt - 1))
            if delay > 0:
                await asyncio.sleep(delay)

    async def process_response(  # type: ignore[override]
        self, request: Request, response: Response
    ) -> Request | Response:
        result = super().process_response(request, response)
        await self._pause(result)
        return result

    async def process_exception(  # type: ignore[override]
        self, request: Request, exception: Exception
    ) -> Request | Response | None:
        result = super().process_exception(request, exception)
        await self._pause(result)
        return result
