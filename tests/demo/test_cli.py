"""`newsroom demo` commands: help texts and clear errors."""

from __future__ import annotations

import socket

import click
from click.testing import CliRunner

from newsroom.cli.main import cli


def test_demo_commands_and_options_have_help() -> None:
    group = cli.commands["demo"]
    assert isinstance(group, click.Group) and group.help
    for name in ("serve", "run"):
        command = group.commands[name]
        assert command.help, name
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, f"{name} {param.name}"
        result = CliRunner().invoke(cli, ["demo", name, "--help"])
        assert result.exit_code == 0 and "--port" in result.output


def test_serve_on_a_busy_port_is_a_clear_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["demo", "serve", "--port", str(port)])
    assert result.exit_code == 1
    assert f"poort {port}" in result.output and "--port" in result.output


def test_run_on_a_busy_port_is_a_clear_error(tmp_path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(
            cli, ["demo", "run", "--no-dashboard", "--port", str(port), "--dir", str(tmp_path)]
        )
    assert result.exit_code == 1
    assert "bezet" in result.output
    assert not (tmp_path / "newsroom.toml").exists()


def test_python_dash_m_newsroom_demo_runs_the_demo_command() -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "newsroom.demo", "--help"],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "--no-dashboard" in result.stdout and "--fresh" in result.stdout


def test_demo_serve_serves_until_stopped() -> None:
    import subprocess
    import sys
    import urllib.request

    process = subprocess.Popen(
        [sys.executable, "-c", "from newsroom.cli.main import main; main()",
         "demo", "serve", "--port", "0"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert process.stdout is not None
        first_line = process.stdout.readline()  # blocks until the server is bound
        assert first_line.startswith("Demosite op http://127.0.0.1:")
        base = first_line.split()[2].rstrip("/")
        with urllib.request.urlopen(f"{base}/robots.txt", timeout=10) as response:
            assert b"Disallow: /gemeente/nieuws/intern/" in response.read()
    finally:
        process.terminate()
        process.wait(timeout=10)
