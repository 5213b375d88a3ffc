"""Whether a configured URL can be crawled at all (scheme, host, port), in Dutch."""

from __future__ import annotations

from urllib.parse import urlsplit


def url_problem(url: str) -> str | None:
    """None for a usable http(s) URL, else what is wrong with it (Dutch, for config errors).

    >>> url_problem("https://example.nl:99999/feed")
    'de poort moet een getal van 1 tot en met 65535 zijn'
    >>> url_problem("https://[::1]:8080/feed") is None
    True
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return "de poort moet een getal van 1 tot en met 65535 zijn"
    if parts.scheme.lower() not in ("http", "https"):
        return "alleen http:// en https:// kunnen worden opgehaald"
    if not parts.hostname:
        return "er staat geen computernaam (host) in"
    if port == 0:
        return "de poort moet een getal van 1 tot en met 65535 zijn"
    if any(ch.isspace() or ord(ch) < 32 for ch in url.strip()):
        return "er staan spaties of stuurtekens in"
    return None
