"""A local SMTP mailbox for the demo: digest and alert mails land as .eml files on disk.

The demo config sends mail to 127.0.0.1:8025 without TLS. Without a server there, every
alert and digest the scheduler sends during `make run` would fail with "connection
refused"; with this mailbox the team can open what management would receive (any mail
program opens .eml files). It only listens on the loopback address and only for the demo.
"""

from __future__ import annotations

import logging
import re
import socket
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = 10 * 1024 * 1024
"""The digest with its inline charts is well below this; anything larger is refused."""


class DemoMailboxError(Exception):
    """The mailbox cannot listen (port taken, aiosmtpd missing); the message says what."""


class _SaveToFolder:
    """aiosmtpd handler: write every accepted message to its own file in `folder`."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.count = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        content = envelope.original_content or envelope.content or b""
        if isinstance(content, str):
            content = content.encode("utf-8")
        self.count += 1
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        recipient = re.sub(r"[^A-Za-z0-9.@-]", "_", (envelope.rcpt_tos or ["onbekend"])[0])
        path = self.folder / f"{stamp}-{self.count:04d}-{recipient}.eml"
        path.write_bytes(content)
        logger.info("demo mailbox: saved a mail for %s as %s", recipient, path)
        return "250 Message accepted for delivery"


def _check_port_free(host: str, port: int) -> None:
    """Fail at once on a taken port (aiosmtpd would only notice after its ready time-out)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise DemoMailboxError(
                f"cannot listen on {host}:{port} ({exc.strerror}); another program uses it"
            ) from exc


class DemoMailbox:
    """An SMTP server on 127.0.0.1:`port` that stores mail under `folder`."""

    def __init__(self, folder: Path, port: int, host: str = "127.0.0.1") -> None:
        self.folder = folder
        self.host = host
        self.port = port
        self.handler = _SaveToFolder(folder)
        self._controller: Any = None

    def start(self) -> DemoMailbox:
        try:
            from aiosmtpd.controller import Controller
        except ImportError as exc:
            raise DemoMailboxError(f"aiosmtpd is not installed ({exc})") from exc
        _check_port_free(self.host, self.port)
        self.folder.mkdir(parents=True, exist_ok=True)
        controller = Controller(
            self.handler, hostname=self.host, port=self.port,
            data_size_limit=MAX_MESSAGE_BYTES, ready_timeout=10,
        )
        try:
            controller.start()
        except (OSError, TimeoutError, RuntimeError) as exc:
            raise DemoMailboxError(
                f"cannot listen on {self.host}:{self.port} ({exc}); another program uses it"
            ) from exc
        self._controller = controller
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def received(self) -> list[Path]:
        """The stored messages, oldest first."""
        return sorted(self.folder.glob("*.eml"))
