"""`newsroom api` and `newsroom api token …` as a user runs them; the OpenAPI description;
the rate limit; and the API's role rules kept equal to the dashboard's."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner
from openapi_spec_validator import validate

from api.access import ApiUser
from api.app import create_app
from core.config import load_config
from core.records import Watch
from dashboard.roles import SessionUser
from newsroom.cli.main import cli
from newsroom.demo.ports import free_port
from storage.api_tokens import list_tokens
from storage.audit import list_events
from storage.db import open_db

from .conftest import ApiCorpus, RunningApi

START = "from newsroom.cli.main import main; main()"


def run_cli(corpus: ApiCorpus, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, ["--config", str(corpus.config_path), *args])


def test_token_create_list_revoke_with_audit(corpus: ApiCorpus, api: str) -> None:
    made = run_cli(corpus, "api", "token", "create", "--user", "leider", "--name", "intranet",
                   "--expires", "30d")
    assert made.exit_code == 0, made.output
    secret = made.stdout.strip().splitlines()[0]
    assert secret.startswith("nrt_") and "niet nog een keer" in made.stderr
    me = requests.get(api + "/v1/me", headers={"Authorization": f"Bearer {secret}"}, timeout=10)
    assert me.json()["username"] == "leider"
    listed = run_cli(corpus, "api", "token", "list", "--user", "leider")
    assert "intranet" in listed.output and "actief" in listed.output
    assert secret not in listed.output
    db = open_db(corpus.store_target)
    token_id = next(t.id for t in list_tokens(db, "leider") if t.name == "intranet")
    revoked = run_cli(corpus, "api", "token", "revoke", str(token_id))
    assert revoked.exit_code == 0 and "ingetrokken" in revoked.output
    again = run_cli(corpus, "api", "token", "revoke", str(token_id))
    assert again.exit_code != 0 and "al ingetrokken" in again.output
    after = requests.get(api + "/v1/me", headers={"Authorization": f"Bearer {secret}"},
                         timeout=10)
    assert after.status_code == 401 and after.json()["error"]["code"] == "token_revoked"
    actions = [(e.action, e.target) for e in list_events(db, action_prefix="api_token")]
    db.conn.close()
    assert ("api_token.create", "leider") in actions and ("api_token.revoke", "leider") in actions


@pytest.mark.parametrize(("args", "message"), [
    (["--user", "niemand"], "geen gebruiker"),
    (["--user", "baas", "--expires", "morgen"], "nooit"),
    (["--user", "baas", "--expires", "2020-01-01"], "verleden"),
    (["--user", "baas", "--name", "x" * 101], "hoogstens 100"),
])
def test_token_create_refuses_bad_input(corpus: ApiCorpus, args: list[str], message: str) -> None:
    result = run_cli(corpus, "api", "token", "create", *args)
    assert result.exit_code != 0 and message in result.output


def test_unknown_token_number(corpus: ApiCorpus) -> None:
    result = run_cli(corpus, "api", "token", "revoke", "9999")
    assert result.exit_code != 0 and "geen token met nummer 9999" in result.output


def test_newsroom_api_serves_and_refuses_a_busy_port(corpus: ApiCorpus, tmp_path: Path) -> None:
    port = free_port()
    command = [sys.executable, "-c", START, "--config", str(corpus.config_path), "api",
               "--port", str(port)]
    process = subprocess.Popen(command, env=dict(os.environ), cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, process.stdout.read() if process.stdout else ""
            try:
                answer = requests.get(f"http://127.0.0.1:{port}/v1/documents", timeout=2,
                                      headers={"Authorization":
                                               f"Bearer {corpus.tokens['baas']}"})
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline, "newsroom api did not start"
                time.sleep(0.2)
        assert answer.status_code == 200 and len(answer.json()["data"]) == 12
        busy = subprocess.run(command, env=dict(os.environ), cwd=tmp_path, capture_output=True,
                              text=True, timeout=60)
        assert busy.returncode != 0 and f"Poort {port} is bezet" in busy.stderr
    finally:
        process.terminate()
        process.wait(timeout=15)


def test_openapi_is_valid_and_lists_every_route(api: str, corpus: ApiCorpus) -> None:
    response = requests.get(api + "/openapi.json", timeout=10)  # no token needed
    assert response.status_code == 200
    document = response.json()
    validate(document)
    described = set(document["paths"])
    app = create_app(load_config(corpus.config_path))
    served = {route.path.replace("{document_id:path}", "{document_id}")  # type: ignore[attr-defined]
              for route in app.routes}
    assert described == served


def test_rate_limit_answers_429_with_retry_after(corpus: ApiCorpus) -> None:
    with RunningApi(corpus.config_path, rate_per_minute=3) as running:
        headers = {"Authorization": f"Bearer {corpus.tokens['adviseur']}"}
        codes = [requests.get(running.base + "/v1/me", headers=headers, timeout=10).status_code
                 for _ in range(3)]
        limited = requests.get(running.base + "/v1/me", headers=headers, timeout=10)
        other = requests.get(running.base + "/v1/me", timeout=10, headers={
            "Authorization": f"Bearer {corpus.tokens['baas']}"})
    assert codes == [200, 200, 200]
    assert limited.status_code == 429 and limited.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(limited.headers["Retry-After"]) <= 20
    assert other.status_code == 200  # the limit is per token


@pytest.mark.parametrize("role", ["adviser", "project_lead", "management"])
def test_role_rules_match_the_dashboard(role: str) -> None:
    watches = [Watch("Zwembad", "zwembad", owner="", id=1),
               Watch("Eigen", "eigen", owner="piet", id=2),
               Watch("Ander", "ander", owner="kees", id=3)]
    api_user = ApiUser("piet", role, ("Zwembad",))
    dashboard_user = SessionUser("piet", role, ("Zwembad",))
    for watch in watches:
        assert api_user.owns(watch) == dashboard_user.owns(watch)
        assert api_user.can_see_watch(watch) == dashboard_user.can_see_watch(watch)

