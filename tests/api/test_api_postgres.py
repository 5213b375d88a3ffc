"""The API on PostgreSQL only: what SQLite has no counterpart of (a server connection that can
be lost while the API runs)."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from tests.pg_support import PgServer

from .conftest import RunningApi, build

pytestmark = pytest.mark.postgres


def test_the_api_heals_after_postgresql_dropped_its_connections(
    tmp_path: Path, pg_server: PgServer, pg_url: str
) -> None:
    """A restart or failover of PostgreSQL drops the API's connections (one per thread)."""
    corpus = build(tmp_path, pg_url)
    headers = {"Authorization": f"Bearer {corpus.tokens['baas']}"}
    name = pg_url.rsplit("/", 1)[1]
    with RunningApi(corpus.config_path) as running:
        before = requests.get(running.base + "/v1/documents", headers=headers, timeout=10)
        assert before.status_code == 200 and len(before.json()["data"]) == 12
        with pg_server.admin() as admin:  # as a server restart or a failover does
            killed = admin.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()", [name]).fetchone()
        assert killed is not None and killed[0] >= 1
        lost, *after = [requests.get(running.base + "/v1/documents", headers=headers,
                                     timeout=10) for _ in range(3)]
    # The request that found its connection gone says "try again" (not a 500 that reads
    # like a bug); the thread's next statement connects again, so the retry is answered.
    assert lost.status_code == 503 and lost.json()["error"]["code"] == "store_unavailable"
    assert lost.headers["Retry-After"] == "2"
    assert [a.status_code for a in after] == [200, 200]
    assert all(len(a.json()["data"]) == 12 for a in after)
