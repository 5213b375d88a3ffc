"""Turning a failed download into a short reason for the crawl-run record."""

from __future__ import annotations

from twisted.internet import defer
from twisted.internet import error as net_error
from twisted.python.failure import Failure

from crawlers.middlewares import RefusedURL


def classify_failure(failure: Failure) -> tuple[str, str]:
    """(reason, detail) for a request errback's failure.

    Reasons are stable words that the Bronnen page and tests can rely on:
    http_<status>, timeout, connection_error, dns_error, too_large, robots_disallowed,
    private_address, scheme_not_allowed, download_error.
    """
    from scrapy.exceptions import (
        CannotResolveHostError,
        DownloadCancelledError,
        DownloadConnectionRefusedError,
        DownloadTimeoutError,
        IgnoreRequest,
    )
    from scrapy.spidermiddlewares.httperror import HttpError

    value = failure.value
    detail = str(value)[:300]
    if isinstance(value, HttpError):
        return f"http_{value.response.status}", detail
    if isinstance(value, RefusedURL):
        return value.reason, value.detail
    if isinstance(value, IgnoreRequest):
        text = str(value)
        if "robots.txt" in text:
            return "robots_disallowed", detail
        if "DOWNLOAD_MAXSIZE" in text or "max size" in text:
            return "too_large", detail
        return "ignored", detail
    if isinstance(value, DownloadCancelledError) or (
        isinstance(value, defer.CancelledError) and "max size" in str(value)
    ):
        return "too_large", detail
    if isinstance(value, CannotResolveHostError | net_error.DNSLookupError):
        return "dns_error", detail
    if isinstance(
        value,
        DownloadTimeoutError | net_error.TimeoutError | net_error.TCPTimedOutError | TimeoutError,
    ):
        return "timeout", detail
    if isinstance(value, defer.CancelledError):
        # Scrapy cancels a download whose received size passes the cap.
        return "too_large", detail
    if isinstance(
        value,
        DownloadConnectionRefusedError
        | net_error.ConnectError
        | net_error.ConnectionLost
        | ConnectionError,
    ):
        return "connection_error", detail
    return "download_error", f"{type(value).__name__}: {detail}"
