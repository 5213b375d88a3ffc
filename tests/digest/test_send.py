"""Sending the digest through a real SMTP server on 127.0.0.1, and the archive's send state."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.smtp import AuthResult

from digest.send import send_weekly_digests
from storage.digests import get_digest, list_digests
from tests.digest.support import (
    LEAD,
    MANAGER,
    NOW,
    PASSWORD_ENV,
    USER_ENV,
    WEEK,
    WEEK_START,
    WeekData,
    count_docs,
    free_port,
    make_config,
    running_smtp_server,
)


def parts(message: Any) -> tuple[str, str, list[Any]]:
    """(text, html, images) after checking the multipart structure."""
    assert message.get_content_type() == "multipart/alternative"
    text_part, related = message.get_payload()
    assert text_part.get_content_type() == "text/plain"
    assert related.get_content_type() == "multipart/related"
    html_part, *images = related.get_payload()
    assert html_part.get_content_type() == "text/html"
    assert images and all(i.get_content_type() == "image/png" for i in images)
    return text_part.get_content(), html_part.get_content(), images


def test_digest_arrives_as_multipart_with_inline_charts(
    db: Any, week_data: WeekData, smtp_server: Any, tmp_path: Path
) -> None:
    config = make_config(tmp_path, port=smtp_server.port)
    results = send_weekly_digests(db, config, WEEK, now=NOW)
    assert [(r.recipient, r.status) for r in results] == [(MANAGER.email, "sent"),
                                                          (LEAD.email, "sent")]
    [message] = smtp_server.collector.to(MANAGER.email)
    assert message["From"] == "newsroom@dordrecht.example"
    assert message["Subject"].startswith(f"Weekoverzicht mediamonitor {WEEK}: 14 berichten")
    text, html, images = parts(message)
    for image in images:
        cid = image["Content-ID"].strip("<>")
        assert f'src="cid:{cid}"' in html
        assert image.get_content().startswith(b"\x89PNG")
    # Figures counted independently from storage, not through digest_queries.
    start = WEEK_START
    this = count_docs(db, start, start + dt.timedelta(days=7))
    prev = count_docs(db, start - dt.timedelta(days=7), start)
    negative = count_docs(db, start, start + dt.timedelta(days=7), "negatief")
    change = round((this - prev) / prev * 100)
    expected = f"Er waren deze week {this} berichten, {change}% meer dan vorige week ({prev})."
    assert expected in text and expected in html
    assert f"negatief ({negative} van de {this - 1})" in text
    assert 'href="https://ad.example/brand?a=1&amp;b=2"' in html
    assert "https://ad.example/brand?a=1&b=2" in text
    assert "<script>" not in html
    archived = get_digest(db, WEEK, MANAGER.email)
    assert archived is not None and archived.sent_at is not None
    assert archived.html == html.replace("\r\n", "\n") and archived.subject == message["Subject"]


def test_send_is_idempotent_and_force_resends(
    db: Any, week_data: WeekData, smtp_server: Any, tmp_path: Path
) -> None:
    config = make_config(tmp_path, port=smtp_server.port)
    send_weekly_digests(db, config, WEEK, now=NOW)
    assert len(smtp_server.collector.messages) == 2
    again = send_weekly_digests(db, config, WEEK, now=NOW)
    assert [r.status for r in again] == ["skipped", "skipped"]
    assert len(smtp_server.collector.messages) == 2
    forced = send_weekly_digests(db, config, WEEK, force=True, now=NOW)
    assert [r.status for r in forced] == ["sent", "sent"]
    assert len(smtp_server.collector.messages) == 4
    assert len(list_digests(db)) == 2  # archived once per week and recipient


def test_default_week_is_last_complete_week(db: Any, smtp_server: Any, tmp_path: Path) -> None:
    config = make_config(tmp_path, port=smtp_server.port, recipients=(MANAGER,))
    [result] = send_weekly_digests(db, config, None, now=NOW)
    assert result.week == WEEK and result.status == "sent"


def test_project_lead_mail_has_only_their_watches(
    db: Any, week_data: WeekData, smtp_server: Any, tmp_path: Path
) -> None:
    send_weekly_digests(db, make_config(tmp_path, port=smtp_server.port), WEEK, now=NOW)
    [message] = smtp_server.collector.to(LEAD.email)
    text, html, _ = parts(message)
    assert "3 berichten over je projecten" in text
    for title in week_data.other_titles:
        assert title not in text and title not in html
    for title in week_data.spui_titles[:1]:
        assert title in text


def test_unreachable_server_is_recorded_and_retried(
    db: Any, week_data: WeekData, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    port = free_port()  # nothing listens here
    config = make_config(tmp_path, port=port, recipients=(MANAGER,))
    [result] = send_weekly_digests(db, config, WEEK, now=NOW)
    assert result.status == "failed" and "Could not send mail via 127.0.0.1" in result.detail
    archived = get_digest(db, WEEK, MANAGER.email)
    assert archived is not None and archived.sent_at is None
    assert archived.attempts == 1 and "Could not send" in (archived.last_error or "")
    assert "failed" in caplog.text
    with running_smtp_server(port) as server:
        [retry] = send_weekly_digests(db, config, WEEK, now=NOW)
    assert retry.status == "sent" and len(server.collector.messages) == 1
    archived = get_digest(db, WEEK, MANAGER.email)
    assert archived is not None and archived.sent_at is not None and archived.last_error is None


def test_missing_password_env_is_a_clear_error(
    db: Any, smtp_server: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(USER_ENV, "newsroom")
    config = make_config(tmp_path, port=smtp_server.port, recipients=(MANAGER,))
    [result] = send_weekly_digests(db, config, WEEK, now=NOW)
    assert result.status == "failed"
    assert f"set the environment variable {PASSWORD_ENV}" in result.detail
    assert smtp_server.collector.messages == []
    assert get_digest(db, WEEK, MANAGER.email).sent_at is None  # type: ignore[union-attr]


def test_no_recipients_sends_nothing(db: Any, tmp_path: Path,
                                     caplog: pytest.LogCaptureFixture) -> None:
    assert send_weekly_digests(db, make_config(tmp_path, recipients=()), WEEK, now=NOW) == []
    assert "no [[mail.recipients]] configured" in caplog.text
    assert list_digests(db) == []


def make_cert(tmp_path: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (cryptography)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName(
            [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_tls_with_login(db: Any, week_data: WeekData, tmp_path: Path,
                        monkeypatch: pytest.MonkeyPatch, security: str) -> None:
    cert, key = make_cert(tmp_path)
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(cert, key)
    logins: list[tuple[str, str]] = []

    def authenticate(server: Any, session: Any, envelope: Any, mechanism: str,
                     auth_data: Any) -> AuthResult:
        logins.append((auth_data.login.decode(), auth_data.password.decode()))
        return AuthResult(success=auth_data.password == b"geheim")

    # aiosmtpd only counts STARTTLS as TLS for AUTH; implicit TLS is encrypted too.
    tls: dict[str, Any] = (
        {"tls_context": server_context, "require_starttls": True} if security == "starttls"
        else {"ssl_context": server_context, "auth_require_tls": False})
    # The client verifies the server's certificate through the default trust store.
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    monkeypatch.setenv(USER_ENV, "newsroom")
    monkeypatch.setenv(PASSWORD_ENV, "geheim")
    with running_smtp_server(authenticator=authenticate, auth_required=True, **tls) as server:
        config = make_config(tmp_path, port=server.port, security=security,
                             recipients=(MANAGER,))
        [result] = send_weekly_digests(db, config, WEEK, now=NOW)
    assert result.status == "sent", result.detail
    assert logins[0] == ("newsroom", "geheim")
    assert len(server.collector.to(MANAGER.email)) == 1
    text, _html, _images = parts(server.collector.to(MANAGER.email)[0])
    assert "14 berichten" in text


def test_scheduled_run_retries_last_weeks_failure(db: Any, week_data: WeekData,
                                                  tmp_path: Path) -> None:
    port = free_port()
    config = make_config(tmp_path, port=port, recipients=(MANAGER,))
    [failed] = send_weekly_digests(db, config, None, now=NOW)
    assert (failed.week, failed.status) == (WEEK, "failed")
    with running_smtp_server(port) as server:
        a_week_later = send_weekly_digests(db, config, None, now=NOW + dt.timedelta(days=7))
        much_later = send_weekly_digests(db, config, None, now=NOW + dt.timedelta(days=8))
    assert [(r.week, r.status) for r in a_week_later] == [(WEEK, "sent"), ("2026-W47", "sent")]
    assert [(r.week, r.status) for r in much_later] == [("2026-W47", "skipped")]
    assert len(server.collector.messages) == 2
