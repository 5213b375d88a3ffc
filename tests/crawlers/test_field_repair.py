"""Field-level repair and refusal (issue 13): a bad field costs that field, a bad item that
item; the private-address guard matches host and port and refuses what does not resolve."""

from __future__ import annotations

import socket
from datetime import UTC, datetime
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from freezegun import freeze_time

from core.config import MailSettings
from core.records import Source
from crawlers.dates import parse_date
from crawlers.middlewares import refusal
from crawlers.sanitise import clean_chars, repair_markup
from crawlers.spiders.rss import FeedEntry, RssSpider
from crawlers.urls import canonical_url, is_http_url, normalise_url
from outbox.smtp import MailError, send_email
from storage.crawl_log import get_crawl_run
from tests.crawlers.helpers import make_spider, text_response


@pytest.mark.parametrize("value", ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00",
                                   "1989-12-31T23:00:00Z", "2100-01-01T00:00:00Z",
                                   "-99999-01-01", "x" * 10_000])
def test_dates_outside_the_sane_window_are_rejected(value: str) -> None:
    assert parse_date(value) is None


def test_dates_inside_the_window_are_kept() -> None:
    assert parse_date("1990-01-01T00:00:00Z") == datetime(1990, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize("url", ["https://x.nl:99999/a", "https://x.nl:18791x/a", "http://[::1/a"])
def test_urls_with_impossible_ports_or_hosts_are_not_fetchable(url: str) -> None:
    assert not is_http_url(url)


def test_ipv6_urls_keep_their_brackets() -> None:
    assert normalise_url("HTTP://[::1]:8080/a?b=1#x") == "http://[::1]:8080/a?b=1"
    assert normalise_url("http://[2001:db8::1]/") == "http://[2001:db8::1]/"


def test_a_canonical_claim_with_a_bad_port_or_host_is_ignored() -> None:
    page = "https://courant.nl/nieuws/a"
    assert canonical_url(page, ["https://courant.nl:99999/x", "http://[bad/x"]) == page


def test_impossible_character_references_and_control_bytes_are_repaired() -> None:
    body, repairs = repair_markup(b"<t>&#x110000;&#0;&#xD800;&#233;a\x01b</t>")
    assert body == b"<t>&#xFFFD;&#xFFFD;&#xFFFD;&#233;ab</t>" and repairs == 4
    assert clean_chars("a\x00b\x0bc\ud800d\ufffe") == "abcd"
    utf16 = "<t>ok</t>".encode("utf-16")
    assert repair_markup(utf16) == (utf16, 0)  # zero bytes are part of UTF-16


RSS = Source(id="courant", name="Courant", kind="news", type="rss",
             url="https://dordtsecourant.test/feed.xml")


class BuggySpider(RssSpider):
    """An RSS spider with a bug that hits one entry (the item boundary must contain it)."""

    def handle_entry_item(self, entry: FeedEntry, feed_url: str) -> Any:
        if entry.title.startswith("Parkeertarieven"):
            raise KeyError("a bug in one item")
        return super().handle_entry_item(entry, feed_url)


def test_an_exception_in_one_item_costs_that_item_and_makes_the_run_partial(
    recorder: Any,
) -> None:
    spider = make_spider(BuggySpider, recorder, RSS)
    with freeze_time("2026-03-10 12:00:00"):
        outputs = list(spider.parse(text_response("feed.xml", RSS.url)))
    # 4 usable entries in the fixture feed; the buggy one is lost, the 3 after and before
    # it are still requested.
    urls = [output.url for output in outputs]
    assert len(urls) == 3 and not any("parkeertarieven" in url for url in urls)
    run = get_crawl_run(recorder.db, recorder.run_id)
    assert run is not None
    errors = [issue for issue in run.issues if issue.reason == "item_error"]
    assert len(errors) == 1 and "KeyError" in errors[0].detail
    assert errors[0].url.endswith("/nieuws/parkeertarieven")
    assert recorder.status() == "partial"


ALLOWED = frozenset({"127.0.0.1:8765"})


def test_the_allow_list_matches_host_and_port() -> None:
    assert refusal("http://127.0.0.1:8765/feed.xml", ALLOWED) is None
    refused = refusal("http://127.0.0.1:22/", ALLOWED)
    assert refused is not None and refused.reason == "private_address"
    assert refusal("http://127.0.0.1:22/", frozenset({"127.0.0.1"})) is None  # bare host: all


def test_a_host_that_does_not_resolve_is_refused() -> None:
    refused = refusal("http://newsroom-test.invalid/feed.xml", frozenset())
    assert refused is not None and refused.reason == "dns_error"


def test_plaintext_smtp_login_is_refused_before_connecting(monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    received: list[Any] = []

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
            received.append(envelope)
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        monkeypatch.setenv("NEWSROOM_SMTP_USER", "nieuws")
        monkeypatch.setenv("NEWSROOM_SMTP_PASSWORD", "geheim-wachtwoord")
        from email.message import EmailMessage

        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = "a@x.nl", "b@x.nl", "test"
        message.set_content("hallo")
        settings = MailSettings(host="127.0.0.1", port=port, security="none")
        with pytest.raises(MailError, match="allow_plaintext_auth"):
            send_email(settings, message, timeout=5)
        assert received == []
    finally:
        controller.stop()
