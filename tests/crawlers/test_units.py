"""Unit tests of the crawler's small modules: URLs, privacy, dates, text, fingerprints,
the private-address guard and failure reasons."""

from __future__ import annotations

import gzip
import socket
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request
from twisted.python.failure import Failure

from crawlers.content import clean_text, decode_body, html_to_text
from crawlers.dates import clamp_future, parse_date
from crawlers.failures import classify_failure
from crawlers.fingerprint import (
    band_keys,
    jaccard,
    lead_shingles,
    same_story,
    title_containment,
)
from crawlers.language import detect_language
from crawlers.middlewares import PrivateAddressMiddleware, RefusedURL, refusal
from crawlers.privacy import pseudonymise, strip_mentions
from crawlers.urls import canonical_url, is_http_url, normalise_url

# -- URLs ------------------------------------------------------------------------------------


def test_normalise_drops_tracking_fragment_default_port_and_sorts_query() -> None:
    url = "HTTPS://News.Example.NL:443/a?utm_source=x&b=2&fbclid=1&a=1&gclid=2#comments"
    assert normalise_url(url) == "https://news.example.nl/a?a=1&b=2"


def test_normalise_keeps_non_default_port_and_meaningful_params() -> None:
    assert normalise_url("http://127.0.0.1:8080/nieuws?id=5") == "http://127.0.0.1:8080/nieuws?id=5"


@given(st.sampled_from(["utm_medium", "utm_campaign", "fbclid", "gclid", "mc_cid"]),
       st.text(alphabet="abc123", min_size=1, max_size=5))
def test_any_tracking_param_does_not_change_the_id(param: str, value: str) -> None:
    base = "https://krant.test/nieuws/brug"
    assert normalise_url(f"{base}?{param}={value}") == normalise_url(base)


def test_canonical_same_site_is_used_offsite_ignored() -> None:
    page = "https://www.krant.test/x?utm_source=rss"
    assert canonical_url(page, ["https://krant.test/artikel/1"]) == "https://krant.test/artikel/1"
    assert canonical_url(page, ["https://evil.test/artikel/1"]) == "https://www.krant.test/x"
    assert canonical_url(page, ["/relatief"]) == "https://www.krant.test/relatief"


def test_only_http_urls() -> None:
    assert is_http_url("https://a.nl/x")
    assert not is_http_url("file:///etc/passwd")
    assert not is_http_url("javascript:alert(1)")
    assert not is_http_url("ftp://a.nl/x")


# -- privacy ---------------------------------------------------------------------------------


def test_pseudonym_is_stable_keyed_and_short() -> None:
    first = pseudonymise(b"key-1", "mastodon", "42")
    assert first == pseudonymise(b"key-1", "mastodon", "42")
    assert first != pseudonymise(b"key-2", "mastodon", "42")
    assert first != pseudonymise(b"key-1", "bluesky", "42")
    assert len(first) == 16 and "42" not in first


def test_pseudonym_needs_a_key() -> None:
    with pytest.raises(ValueError):
        pseudonymise(b"", "mastodon", "42")


def test_mentions_replaced_but_email_kept() -> None:
    text = "@jan kijk: @piet@mastodon.social zegt het. Mail naar info@dordrecht.nl"
    assert strip_mentions(text) == (
        "@gebruiker kijk: @gebruiker zegt het. Mail naar info@dordrecht.nl"
    )


# -- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-03-02T10:15:00+01:00", datetime(2026, 3, 2, 9, 15, tzinfo=UTC)),
        ("2026-03-02T09:15:00Z", datetime(2026, 3, 2, 9, 15, tzinfo=UTC)),
        ("Mon, 02 Mar 2026 09:15:00 GMT", datetime(2026, 3, 2, 9, 15, tzinfo=UTC)),
        ("2026-03-02", datetime(2026, 3, 2, tzinfo=UTC)),
        ("gisteren", None),
        ("", None),
        ("1970-01-01T00:00:00Z", None),
    ],
)
def test_parse_date(raw: str, expected: datetime | None) -> None:
    assert parse_date(raw) == expected


def test_clamp_future_only_beyond_a_day() -> None:
    now = datetime(2026, 3, 10, 12, tzinfo=UTC)
    soon = datetime(2026, 3, 11, 6, tzinfo=UTC)
    later = datetime(2026, 3, 12, 6, tzinfo=UTC)
    assert clamp_future(soon, now) == (soon, False)
    assert clamp_future(later, now) == (now, True)
    assert clamp_future(None, now) == (None, False)


# -- text ------------------------------------------------------------------------------------


def test_decode_prefers_utf8_then_declared_then_windows_1252() -> None:
    assert decode_body("één".encode(), "iso-8859-1") == ("één", "utf-8")
    assert decode_body("één".encode("latin-1"), "iso-8859-1") == ("één", "iso-8859-1")
    assert decode_body("één €".encode("cp1252"), None) == ("één €", "cp1252")
    assert decode_body("één".encode("cp1252"), "utf-8")[0] == "één"  # wrong declaration


def test_decode_never_raises_and_keeps_bom() -> None:
    text, _ = decode_body("\ufeffhallo".encode("utf-16-le"), None)
    assert text.endswith("hallo")
    garbage, _ = decode_body(bytes(range(256)), "no-such-charset")
    assert isinstance(garbage, str)


def test_html_to_text_keeps_paragraphs_drops_scripts() -> None:
    markup = "<p>Eerste &amp; alinea</p><script>alert(1)</script><p>Tweede<br>regel</p>"
    assert html_to_text(markup) == "Eerste & alinea\n\nTweede\nregel"


def test_clean_text_caps_and_strips_control_characters() -> None:
    assert clean_text("a\x00b\x07   c\r\n\n\n\nd") == "ab c\n\nd"
    assert len(clean_text("x" * 1000, limit=10)) == 10


# -- language --------------------------------------------------------------------------------


def test_language_detection_dutch_english_and_short_hint() -> None:
    assert detect_language("De wethouder opent vandaag het nieuwe zwembad in Dordrecht.") == "nl"
    assert detect_language("The alderman opens the new swimming pool in Dordrecht today.") == "en"
    assert detect_language("Top!", declared="en") == "en"
    assert detect_language("Top!") == "nl"


# -- fingerprints ----------------------------------------------------------------------------

LEAD = ("De gemeenteraad van Dordrecht heeft dinsdagavond ingestemd met de bouw van een nieuwe "
        "brug over de Oude Maas. De brug moet de verkeersdrukte verminderen en fietsers een "
        "veilige route naar het centrum geven. Wethouder Jansen is tevreden met het besluit.")
OTHER = ("Vanaf april betalen automobilisten in de binnenstad meer voor een plek; ondernemers "
         "in de Voorstraat zijn boos en vrezen dat klanten wegblijven uit het centrum.")


def lead(text: str) -> frozenset[int]:
    shingles = lead_shingles(text)
    assert shingles is not None
    return shingles


def test_identical_lead_is_same_story_whatever_the_headline() -> None:
    assert same_story("Nieuwe brug", lead(LEAD), "Groen licht voor oeververbinding", lead(LEAD))


def test_edited_lead_with_same_headline_is_same_story() -> None:
    edited = LEAD.replace("Wethouder Jansen is tevreden met het besluit.",
                          "Dit bericht verscheen eerder bij het Dagblad.")
    assert 0.45 <= jaccard(lead(LEAD), lead(edited)) < 0.9
    assert same_story("Nieuwe brug over de Oude Maas", lead(LEAD),
                      "Dordrecht: Nieuwe brug over de Oude Maas", lead(edited))
    assert not same_story("Nieuwe brug over de Oude Maas", lead(LEAD),
                          "Raad kiest voor tunnel", lead(edited))


def test_other_story_is_not_the_same() -> None:
    assert not same_story("Nieuwe brug", lead(LEAD), "Nieuwe brug", lead(OTHER))
    assert title_containment("Dordrecht: politie houdt spreekuur", "Politie houdt spreekuur") == 1


def test_band_keys_are_stable_and_fit_sqlite() -> None:
    keys = band_keys(lead(LEAD))
    assert keys == band_keys(lead(LEAD))
    assert all(0 <= key < 2**63 for key in keys)
    assert keys != band_keys(lead(OTHER))


def test_short_texts_get_no_fingerprint() -> None:
    assert lead_shingles("Heel kort bericht.") is None


# -- private-address guard -------------------------------------------------------------------


def fake_resolver(address: str) -> Any:
    def resolve(host: str, port: int, **kwargs: Any) -> list[tuple[Any, ...]]:
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    return resolve


@pytest.mark.parametrize(
    "address", ["127.0.0.1", "10.1.2.3", "192.168.1.10", "172.16.0.5", "169.254.169.254",
                "0.0.0.0", "::1", "fe80::1", "::ffff:10.0.0.1", "100.64.0.1"]
)
def test_internal_addresses_are_refused(address: str) -> None:
    refused = refusal("http://intern.example/", frozenset(), fake_resolver(address))
    assert refused is not None and refused.reason == "private_address"


def test_public_address_and_allow_listed_host_pass() -> None:
    assert refusal("https://nieuws.example/", frozenset(), fake_resolver("93.184.216.34")) is None
    assert refusal("http://127.0.0.1:8000/", frozenset({"127.0.0.1"}),
                   fake_resolver("127.0.0.1")) is None


def test_non_http_scheme_is_refused() -> None:
    refused = refusal("file:///etc/passwd", frozenset(), fake_resolver("93.184.216.34"))
    assert refused is not None and refused.reason == "scheme_not_allowed"


def test_middleware_checks_every_request_including_redirect_targets() -> None:
    middleware = PrivateAddressMiddleware(["127.0.0.1"])
    middleware.process_request(Request("http://127.0.0.1:9/feed.xml"))  # allowed: no raise
    with pytest.raises(RefusedURL):
        middleware.process_request(Request("http://localhost:9/feed.xml"))


# -- failure reasons -------------------------------------------------------------------------


def test_failure_reasons() -> None:
    from scrapy.exceptions import DownloadTimeoutError
    from scrapy.http import Response
    from scrapy.spidermiddlewares.httperror import HttpError

    response = Response("http://a.test/x", status=503, request=Request("http://a.test/x"))
    assert classify_failure(Failure(HttpError(response)))[0] == "http_503"
    assert classify_failure(Failure(DownloadTimeoutError("slow")))[0] == "timeout"
    assert classify_failure(Failure(IgnoreRequest("Forbidden by robots.txt")))[0] == (
        "robots_disallowed"
    )
    assert classify_failure(Failure(RefusedURL("private_address", "x")))[0] == "private_address"
    assert classify_failure(Failure(ValueError("?")))[0] == "download_error"


def test_gzip_bomb_is_stopped_by_decompression_cap() -> None:
    """Scrapy's HttpCompressionMiddleware applies DOWNLOAD_MAXSIZE to the decompressed size."""
    from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
    from scrapy.http import Response
    from scrapy.utils.test import get_crawler

    from core.config import CrawlSettings
    from crawlers.settings import scrapy_settings

    crawler = get_crawler(settings_dict=scrapy_settings(CrawlSettings(download_max_bytes=100_000)))
    middleware = HttpCompressionMiddleware.from_crawler(crawler)
    body = gzip.compress(b"A" * 5_000_000)
    assert len(body) < 100_000
    request = Request("http://a.test/bom")
    response = Response("http://a.test/bom", body=body, request=request,
                        headers={"Content-Encoding": "gzip", "Content-Type": "text/html"})
    with pytest.raises(IgnoreRequest, match="DOWNLOAD_MAXSIZE"):
        middleware.process_response(request, response)
