"""`newsroom run`, `newsroom jobs` and the "Taken" block of `newsroom status`, with the store
on a SQLite file and on a PostgreSQL database (`store_url`; the APScheduler job store is a
SQLite file beside the configured path on both)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import click
import pytest
from click.testing import CliRunner

import scheduler as sched
from core.config import Config
from jobs.store import read_schedule
from newsroom.cli.main import cli
from tests.scheduler.conftest import wait_until, write_config
from tests.scheduler.support import schedule_far_ahead


@pytest.fixture
def config_path(tmp_path: Path, store_url: str) -> Path:
    """The commands below read and write job runs in the store: both engines."""
    return write_config(tmp_path, url=store_url)


def _invoke(config_path: Path, *args: str) -> click.testing.Result:
    return CliRunner().invoke(cli, ["--config", str(config_path), *args])


def test_commands_and_options_have_help_text() -> None:
    for name in ("run", "jobs"):
        command = cli.commands[name]
        assert command.help and len(command.help) > 20
        for param in command.params:
            if isinstance(param, click.Option):
                assert param.help, f"{name} {param.name} has no help"


def test_status_shows_every_job_before_the_scheduler_ran(config_path: Path) -> None:
    result = _invoke(config_path, "status")
    assert "\nTaken\n" in result.output
    for job_id in ("crawl:ad-dordrecht", "crawl:mastodon-dordrecht", "score", "rollup",
                   "alerts", "digest", "purge", "backup"):
        assert job_id in result.output
    assert "crawl:oud" not in result.output
    assert "niet gepland" in result.output and "newsroom run" in result.output


def test_status_shows_last_run_outcome_and_next_run(config_path: Path, config: Config) -> None:
    later = schedule_far_ahead(config)
    assert _invoke(config_path, "run", "--once", "purge").exit_code == 0
    assert _invoke(config_path, "run", "--once", "crawl:oud").exit_code == 2  # disabled
    result = _invoke(config_path, "status")
    lines = {line.split()[0]: line for line in result.output.splitlines()[1:] if line.strip()}
    local_next = later.astimezone(ZoneInfo("Europe/Amsterdam")).strftime("%d-%m-%Y %H:%M")
    assert "gelukt" in lines["purge"] and local_next in lines["purge"]
    assert "nooit" in lines["score"] and local_next in lines["score"]
    assert "(tijden in Europe/Amsterdam)" in result.output

    as_json = json.loads(_invoke(config_path, "status", "--json").output)
    assert any(line.startswith("purge ") for line in as_json["Taken"])


def test_jobs_lists_json_with_history(config_path: Path, config: Config) -> None:
    later = schedule_far_ahead(config)
    assert _invoke(config_path, "run", "--once", "purge").exit_code == 0
    result = _invoke(config_path, "jobs", "--json", "--history", "5")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    jobs = {job["id"]: job for job in payload["jobs"]}
    assert len(jobs) == 8
    assert jobs["purge"]["outcome"] == "ok" and jobs["purge"]["scheduled"] is True
    assert datetime.fromisoformat(jobs["digest"]["next_run"]) == later
    assert jobs["score"]["last_run"] is None
    assert [run["job_id"] for run in payload["history"]] == ["purge"]
    table = _invoke(config_path, "jobs", "--history", "3")
    assert "Laatste 3 runs" in table.output and "gelukt" in table.output


def test_run_once_exit_codes(tmp_path: Path, store_url: str) -> None:
    (tmp_path / "blocker").write_text("x", encoding="utf-8")
    config_path = write_config(tmp_path, backup_dir="blocker", url=store_url)
    ok = _invoke(config_path, "run", "--once", "purge")
    assert ok.exit_code == 0 and "Taak purge: gelukt" in ok.output
    skipped = _invoke(config_path, "run", "--once", "digest")
    assert skipped.exit_code == 0 and "overgeslagen" in skipped.output
    failed = _invoke(config_path, "run", "--once", "backup")
    assert failed.exit_code == 1 and "MISLUKT" in failed.output
    unknown = _invoke(config_path, "run", "--once", "koffie")
    assert unknown.exit_code == 2
    assert "Unknown job 'koffie'" in unknown.output and "crawl:ad-dordrecht" in unknown.output


def test_run_with_an_invalid_config_is_a_usage_error(tmp_path: Path) -> None:
    bad = tmp_path / "newsroom.toml"
    bad.write_text('[schedule]\ndigest_day = "maandag"\n', encoding="utf-8")
    result = _invoke(bad, "run")
    assert result.exit_code == 2 and "schedule.digest_day" in result.output


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_run_in_the_foreground_stops_gracefully_on_sigterm(config_path: Path,
                                                           config: Config) -> None:
    later = schedule_far_ahead(config)
    log = config_path.parent / "run.log"
    with log.open("w", encoding="utf-8") as handle:
        process = subprocess.Popen(
            [sys.executable, "-c", "from newsroom.cli.main import main; main()",
             "-v", "--config", str(config_path), "run"],
            stdout=handle, stderr=subprocess.STDOUT, cwd=config_path.parent,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    try:
        wait_until(lambda: "scheduler running with 8 jobs" in log.read_text(encoding="utf-8"),
                   timeout=60)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0
    finally:
        if process.poll() is None:
            process.kill()
    output = log.read_text(encoding="utf-8")
    assert "Planner gestopt." in output and "Traceback" not in output
    # The schedule survived the restart untouched: nothing due ran, nothing was duplicated.
    assert set(read_schedule(config).values()) == {later}
    assert len(read_schedule(config)) == 8


def test_run_with_a_corrupt_job_store_explains_the_fix(config_path: Path, config: Config) -> None:
    path = sched.jobstore_path(config)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"kapot" * 500)
    result = _invoke(config_path, "run")
    assert result.exit_code == 1
    assert "cannot be read" in result.output and "move it aside" in result.output
