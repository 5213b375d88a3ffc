"""The demo's local mailbox: mail sent by the real SMTP client lands as .eml files."""

from __future__ import annotations

import socket
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest

from core.config import MailSettings
from newsroom.demo.mailbox import DemoMailbox, DemoMailboxError
from newsroom.demo.ports import free_port
from outbox.smtp import send_email


def test_a_sent_mail_is_saved_as_an_eml_file(tmp_path: Path) -> None:
    port = free_port()
    mailbox = DemoMailbox(tmp_path / "mail", port).start()
    try:
        message = EmailMessage()
        message["From"] = "newsroom-demo@example.org"
        message["To"] = "management@example.org"
        message["Subject"] = "Weekoverzicht: 12 berichten"
        message.set_content("Deze week 12 berichten.")
        send_email(MailSettings(host="127.0.0.1", port=port, security="none"), message)
    finally:
        mailbox.stop()
    (saved,) = mailbox.received
    assert "management@example.org" in saved.name
    parsed = BytesParser(policy=policy.default).parsebytes(saved.read_bytes())
    assert parsed["Subject"] == "Weekoverzicht: 12 berichten"
    assert parsed.get_content().strip() == "Deze week 12 berichten."


def test_a_taken_port_is_a_clear_error(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(DemoMailboxError, match=f"127.0.0.1:{port}"):
            DemoMailbox(tmp_path / "mail", port).start()
