"""Which local ports the demo's dashboard and mailbox use.

Several demos on one machine (or a dashboard already running on 8501) must not collide:
without a port from the user we take the default when it is free, else any free port, and
say which. A port the user asked for is a promise, so a busy one is an error, not a
silent move.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass

DEFAULT_DASHBOARD_PORT = 8501
DEFAULT_MAIL_PORT = 8025


class PortBusyError(Exception):
    """A port the user asked for is in use; the (Dutch) message says what to do."""


@dataclass(frozen=True)
class PortChoice:
    port: int
    note: str | None
    """A Dutch line to show when the default was busy and another port was taken."""


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    """Whether a TCP server could listen on host:port right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def free_port(host: str = "127.0.0.1") -> int:
    """A port the operating system reports as free."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def choose_port(
    requested: int | None, default: int, what: str, option: str, host: str = "127.0.0.1"
) -> PortChoice:
    """The port for `what` (Dutch, e.g. "het dashboard"): requested, else default, else free.

    Checked just before use; another program could still take it in between, which the
    starting server then reports itself.
    """
    if requested is not None:
        if not port_is_free(requested, host):
            raise PortBusyError(
                f"Poort {requested} voor {what} is bezet. Stop het programma dat die poort "
                f"gebruikt, of kies een andere met {option} (of laat {option} weg: dan "
                "kiest de demo zelf een vrije poort)."
            )
        return PortChoice(requested, None)
    if port_is_free(default, host):
        return PortChoice(default, None)
    port = free_port(host)
    return PortChoice(
        port, f"Poort {default} is bezet; {what} gebruikt nu poort {port} (kies zelf met {option})."
    )
