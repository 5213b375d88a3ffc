"""URL hygiene: normalised URLs for document ids, and canonical links taken from a page.

A story reached through a feed link with `?utm_source=rss` and the same story reached from
a listing page must get the same document id, so ids are derived from a normalised URL:
lower-case scheme and host, no default port, no fragment, no tracking parameters, and the
query sorted.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "mc_cid", "mc_eid",
        "igshid", "yclid", "_ga", "_gl", "ref_src", "ocid", "cmpid", "at_medium",
        "at_campaign", "xtor",
    }
)
"""Query parameters that identify a click or campaign, not the page (plus every `utm_*`)."""

ALLOWED_SCHEMES = ("http", "https")


def is_http_url(url: str) -> bool:
    """True for absolute http(s) URLs with a host; everything else is never fetched."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError for ports like 99999 or 18791x
    except ValueError:
        return False
    return parts.scheme.lower() in ALLOWED_SCHEMES and bool(parts.hostname)


def _is_tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered.startswith("utm_") or lowered in TRACKING_PARAMS


def normalise_url(url: str) -> str:
    """The form of a URL that document ids are derived from.

    >>> normalise_url("HTTPS://WWW.Example.nl:443/a/b?utm_source=rss&z=1&a=2#top")
    'https://www.example.nl/a/b?a=2&z=1'
    >>> normalise_url("http://[::1]:8080/x")
    'http://[::1]:8080/x'

    Raises ValueError for a URL whose port is not a number from 0 to 65535 (check with
    `is_http_url` first).
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if ":" in host:
        host = f"[{host}]"  # an IPv6 literal keeps its brackets
    port = parts.port
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    query = sorted(
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not _is_tracking(key)
    )
    path = parts.path or "/"
    return urlunsplit((scheme, host, path, urlencode(query), ""))


def same_site(url_a: str, url_b: str) -> bool:
    """True when two URLs are on the same host, ignoring a leading `www.` and the port."""

    def bare(url: str) -> str:
        host = (urlsplit(url).hostname or "").lower()
        return host.removeprefix("www.")

    return bool(bare(url_a)) and bare(url_a) == bare(url_b)


def canonical_url(page_url: str, declared: list[str]) -> str:
    """The normalised canonical URL of a page.

    `declared` holds what the page itself claims (`<link rel=canonical>`, then `og:url`).
    A claim is only trusted when it points to the same site: a scraped page must not be
    able to overwrite another outlet's documents by naming their URL.
    """
    for candidate in declared:
        if not candidate or not candidate.strip():
            continue
        try:
            absolute = urljoin(page_url, candidate.strip())
        except ValueError:  # "Invalid IPv6 URL": the claim is unusable, the page is not
            continue
        if is_http_url(absolute) and same_site(absolute, page_url):
            return normalise_url(absolute)
    return normalise_url(page_url)
