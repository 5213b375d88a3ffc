"""Without Redis: the [workers] settings, what the scheduler enqueues, and the CLI's refusals."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from core.config import ConfigError, parse_config
from jobs import tasks
from newsroom.cli.main import cli
from workers import enqueue
from workers.app import celery_settings

SOURCE = {"id": "ad", "name": "AD", "kind": "news", "type": "rss",
          "url": "https://www.ad.nl/dordrecht/rss.xml"}


def test_embedded_default_has_no_queue_and_keeps_every_job_in_process() -> None:
    config = parse_config({"sources": [SOURCE]})
    assert not config.workers.distributed
    assert {spec.func for spec in enqueue.scheduled_specs(config)} >= {
        tasks.crawl_source, tasks.score, tasks.rollup, tasks.alerts, tasks.digest}


def test_distributed_scheduler_enqueues_crawl_score_rollup_alerts_digest_only() -> None:
    config = parse_config({"sources": [SOURCE],
                           "workers": {"broker_url": "redis://10.0.0.5:6379/0"}})
    funcs = {spec.id: spec.func for spec in enqueue.scheduled_specs(config)}
    assert funcs["crawl:ad"] is enqueue.crawl_source
    assert (funcs["score"], funcs["rollup"], funcs["alerts"], funcs["digest"]) == (
        enqueue.score, enqueue.rollup, enqueue.alerts, enqueue.digest)
    # Purge and backup work on the SQLite file itself: they stay beside it.
    assert (funcs["purge"], funcs["backup"]) == (tasks.purge, tasks.backup)


@pytest.mark.parametrize(("section", "message"), [
    ({"broker_url": "amqp://rabbit/"}, "is not a Redis address"),
    ({"broker_url": "redis://r/0", "time_limit_seconds": 600,
      "visibility_timeout_seconds": 600}, "make it longer than workers.time_limit_seconds"),
    ({"max_retries": 101}, "workers.max_retries = 101 kan niet"),
    ({"time_limit_seconds": 0}, "workers.time_limit_seconds = 0 kan niet"),
    ({"score_batch_documents": "veel"}, "workers.score_batch_documents"),
    ({"queue": "x"}, "workers.queue: unknown key"),
])
def test_bad_worker_settings_are_refused_with_the_key_named(section: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_config({"workers": section})


def test_celery_gets_late_acks_one_task_at_a_time_and_the_time_limits() -> None:
    config = parse_config({"workers": {"broker_url": "redis://r:6379/1",
                                       "time_limit_seconds": 300,
                                       "visibility_timeout_seconds": 900}})
    settings = celery_settings(config.workers, Path("/etc/newsroom/newsroom.toml"))
    assert settings["task_acks_late"] is True and settings["task_reject_on_worker_lost"] is True
    assert settings["worker_prefetch_multiplier"] == 1
    assert (settings["task_soft_time_limit"], settings["task_time_limit"]) == (300, 360)
    assert settings["broker_transport_options"] == {
        "visibility_timeout": 900, "unacked_restore_interval": 10,
        "unacked_restore_throttle": 1}
    assert settings["newsroom_config_path"] == "/etc/newsroom/newsroom.toml"


def write(tmp_path: Path, workers: str) -> Path:
    path = tmp_path / "newsroom.toml"
    path.write_text(f'[storage]\npath = "data/newsroom.db"\n\n[workers]\n{workers}\n',
                    encoding="utf-8")
    return path


def test_worker_without_broker_url_says_how_to_configure_it(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--config", str(write(tmp_path, "")), "worker"])
    assert result.exit_code == 2
    assert "broker_url" in result.output


def test_worker_refuses_an_unknown_queue(tmp_path: Path) -> None:
    path = write(tmp_path, 'broker_url = "redis://127.0.0.1:9/0"')
    result = CliRunner().invoke(cli, ["--config", str(path), "worker", "--queues", "crawl,gpu"])
    assert result.exit_code == 2
    assert "onbekende wachtrij gpu" in result.output


def test_enqueue_with_redis_down_is_a_failed_run_not_a_crash(tmp_path: Path) -> None:
    path = write(tmp_path, 'broker_url = "redis://127.0.0.1:9/0"')  # port 9: nobody listens
    assert enqueue.rollup(str(path)) == "failed"


def test_status_says_embedded_without_workers(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--config", str(write(tmp_path, "")), "status"])
    assert result.exit_code == 0, result.output
    assert "Ingebouwd: `newsroom run` voert alle taken zelf uit (geen wachtrij)." in result.output


def test_status_says_when_redis_cannot_be_reached(tmp_path: Path) -> None:
    path = write(tmp_path, 'broker_url = "redis://127.0.0.1:9/0"')
    result = CliRunner().invoke(cli, ["--config", str(path), "status"])
    assert "Wachtrij NIET bereikbaar" in result.output


def test_newsroom_run_in_distributed_mode_stores_enqueueing_jobs(tmp_path: Path) -> None:
    import scheduler

    path = tmp_path / "newsroom.toml"
    path.write_text(
        '[storage]\npath = "data/newsroom.db"\n\n[workers]\nbroker_url = "redis://r:6379/0"\n\n'
        '[[sources]]\nid = "ad"\nname = "AD"\nkind = "news"\ntype = "rss"\n'
        'url = "https://www.ad.nl/dordrecht/rss.xml"\n', encoding="utf-8")
    from core.config import load_config

    config = load_config(path)
    sched = scheduler.create_scheduler(config, f"sqlite:///{tmp_path / 'jobs.db'}")
    sched.start(paused=True)
    try:
        scheduler.sync_jobs(sched, config)
        refs = {job.id: job.func_ref for job in sched.get_jobs()}
    finally:
        sched.shutdown(wait=False)
    assert refs["crawl:ad"] == "workers.enqueue:crawl_source"
    assert refs["score"] == "workers.enqueue:score"
    assert refs["backup"] == "jobs.tasks:backup"
