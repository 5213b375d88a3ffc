"""Answers of an API that refuse us (bad credentials, rate limit), as a clear run reason.

A JSON/XML API says "no" with a status code rather than an error page: 401/403 mean the key
or token is wrong or lacks rights, 429 means we asked too often. Each becomes one stable
reason word for the crawl-run record, with a detail that tells the operator what to do;
the run fails cleanly instead of the spider crashing on an unexpected body.
"""

from __future__ import annotations

from scrapy.http import Response

REFUSAL_STATUSES = [401, 403, 429]
"""Statuses an API request lets through to its callback (see `api_meta`)."""


def api_meta(entry: bool) -> dict[str, object]:
    """Request meta for an API call: refusals reach the callback, and a 429 is not retried
    at once (the next scheduled run asks again, which is what Retry-After asks of us).

    robots.txt is not consulted for a documented API endpoint: robots.txt speaks to
    crawlers of web pages (API hosts often disallow everything there), while an API's use
    is governed by its terms and keys. Pages fetched for their text (an official
    publication) are ordinary requests and do obey robots.txt.
    """
    statuses = [304, *REFUSAL_STATUSES] if entry else list(REFUSAL_STATUSES)
    return {"handle_httpstatus_list": statuses, "dont_retry": True, "entry": entry,
            "dont_obey_robotstxt": True}


def api_refusal(response: Response) -> tuple[str, str] | None:
    """(reason, detail) when the API refused the request; None for any other answer."""
    status = response.status
    if status in (401, 403):
        return ("auth_failed", f"HTTP {status}: the API refused the credentials; check the "
                "key or token in the environment variable named by the source")
    if status == 429:
        raw = response.headers.get("Retry-After")
        wait = raw.decode("latin-1").strip() if raw else "?"
        return "rate_limited", f"HTTP 429: rate limit reached; the API asks to wait {wait} s"
    return None
