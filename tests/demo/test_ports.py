"""Demo ports: defaults when free, a reported free port when not, an error for a busy port
the user asked for (real sockets on 127.0.0.1)."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from newsroom.cli.main import cli
from newsroom.demo.ports import PortBusyError, choose_port, free_port, port_is_free


@pytest.fixture
def busy_port() -> Iterator[int]:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        yield taken.getsockname()[1]


def test_free_default_is_used_silently() -> None:
    port = free_port()
    choice = choose_port(None, port, "het dashboard", "--dashboard-port")
    assert choice.port == port and choice.note is None


def test_busy_default_moves_to_a_free_port_and_says_so(busy_port: int) -> None:
    choice = choose_port(None, busy_port, "het dashboard", "--dashboard-port")
    assert choice.port != busy_port and port_is_free(choice.port)
    assert choice.note is not None
    assert f"Poort {busy_port} is bezet" in choice.note and str(choice.port) in choice.note


def test_busy_requested_port_is_an_error(busy_port: int) -> None:
    with pytest.raises(PortBusyError, match=f"Poort {busy_port} voor de demo-mailbox"):
        choose_port(busy_port, 8025, "de demo-mailbox", "--mail-port")


@pytest.mark.parametrize("option", ["--mail-port", "--dashboard-port"])
def test_demo_run_with_a_busy_port_fails_and_writes_nothing(
    tmp_path, busy_port: int, option: str
) -> None:
    workdir = tmp_path / "demo"
    result = CliRunner().invoke(
        cli, ["demo", "run", option, str(busy_port), "--dir", str(workdir)]
    )
    assert result.exit_code == 1, result.output
    assert f"Poort {busy_port}" in result.output and option in result.output
    assert not workdir.exists()


def test_dashboard_on_a_busy_port_is_an_error(tmp_path, busy_port: int) -> None:
    config = tmp_path / "newsroom.toml"
    config.write_text('[storage]\npath = "newsroom.db"\n', encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["--config", str(config), "dashboard", "--port", str(busy_port)]
    )
    assert result.exit_code == 1, result.output
    assert f"Poort {busy_port} is bezet" in result.output and "--port" in result.output


def test_demo_config_uses_the_chosen_ports(tmp_path) -> None:
    from newsroom.demo.config import write_demo_config

    config = write_demo_config(tmp_path, "http://127.0.0.1:45678", mail_port=40125,
                               dashboard_port=40501)
    assert config.mail.port == 40125
    assert config.mail.dashboard_url == "http://localhost:40501"
