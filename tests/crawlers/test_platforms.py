"""`newsroom crawl` of the API source types against a local stand-in (127.0.0.1) serving
saved answers: officielebekendmakingen (KOOP SRU 2.0), openraadsinformatie (ORI
Elasticsearch), bluesky (AT Protocol XRPC), reddit (OAuth + Listing), youtube (Data API v3).

Where each saved shape comes from:
- SRU: KOOP "Handleiding SRU 2.0" for repository.overheid.nl/sru (searchRetrieveResponse,
  gzd:originalData/owmskern, gzd:enrichedData/preferredUrl, nextRecordPosition, diagnostics).
- ORI: github.com/openstate/open-raadsinformatie API-docs.md and example_requests.http
  (Elasticsearch 7 `_search`: hits.hits[]._id/_source with @type, name, text pages).
- Bluesky: docs.bsky.app API reference, lexicons com.atproto.server.createSession and
  app.bsky.feed.searchPosts (posts[] PostView: uri, author.did/handle, record.text).
- Reddit: reddit.com/dev/api (GET /r/{sub}/new, Listing of t3) and the OAuth2 wiki
  (POST /api/v1/access_token, grant_type=client_credentials).
- YouTube: developers.google.com/youtube/v3/docs search.list and commentThreads.list.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newsroom.cli.main import cli
from storage.crawl_log import recent_crawl_runs
from storage.db import open_db
from storage.documents import list_documents
from tests.crawlers.api_site import ApiSite
from tests.crawlers.helpers import write_config

PRIVATE = ("janjansen", "annabakker", "jan-jansen", "Jan Jansen", "anna-bakker", "Anna Bakker",
           "jan_jansen_dordt",
           "piet-de-vries", "KeesVanDijk", "kees.jpg", "app-pass-1234", "yt-key-secret",
           "test-access", "reddit-secret")
MAIN = ("bekend", "raad", "bsky", "reddit", "youtube")


@pytest.fixture
def api() -> Iterator[Any]:
    with ApiSite() as running:
        yield running


@pytest.fixture(autouse=True)
def credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEST_BSKY_PASSWORD", "app-pass-1234")
    monkeypatch.setenv("TEST_REDDIT_ID", "reddit-client")
    monkeypatch.setenv("TEST_REDDIT_SECRET", "reddit-secret")
    monkeypatch.setenv("TEST_YT_KEY", "yt-key-secret")
    monkeypatch.delenv("TEST_UNSET_PASSWORD", raising=False)


def sources(base: str) -> list[dict[str, Any]]:
    sru = {"kind": "official", "type": "officielebekendmakingen", "url": f"{base}/sru",
           "document_types": ["Bekendmaking"], "delay_seconds": 0, "max_pages": 2}
    bluesky = {"kind": "social", "type": "bluesky", "url": base, "query": "dordrecht",
               "identifier": "gemeente-monitor.bsky.social", "password_env": "TEST_BSKY_PASSWORD"}
    return [
        {"id": "bekend", "name": "Bekendmakingen Dordrecht", "creator": "Dordrecht", **sru},
        {"id": "raad", "name": "Raad Dordrecht", "kind": "official",
         "type": "openraadsinformatie", "url": f"{base}/ori", "index": "ori_dordrecht_*",
         "size": 3, "delay_seconds": 0},
        {"id": "bsky", "name": "Bluesky dordrecht", **bluesky},
        {"id": "reddit", "name": "r/Dordrecht", "kind": "social", "type": "reddit",
         "url": base, "auth_url": f"{base}/reddit/api/v1/access_token",
         "subreddit": "Dordrecht", "client_id_env": "TEST_REDDIT_ID",
         "client_secret_env": "TEST_REDDIT_SECRET"},
        {"id": "youtube", "name": "YouTube gemeente", "kind": "social", "type": "youtube",
         "url": f"{base}/youtube/v3", "channel_id": "UCgemeenteDordrecht0001",
         "key_env": "TEST_YT_KEY", "comment_limit": 20},
        {"id": "bekend-meta", "name": "Bekendmakingen (metadata)", "creator": "Zwijndrecht",
         "fetch_text": False, **sru},
        {"id": "bekend-fout", "name": "Bekendmakingen (fout)", "creator": "Nergens", **sru},
        {"id": "bsky-nokey", "name": "Bluesky zonder wachtwoord", **bluesky,
         "password_env": "TEST_UNSET_PASSWORD"},
        {"id": "json", "name": "JSON Feed", "kind": "news", "type": "jsonfeed",
         "url": f"{base}/feed.json"},
    ]


def crawl(config: Path, *ids: str) -> Any:
    return CliRunner().invoke(cli, ["--config", str(config), "crawl", "--no-progress", *ids])


def latest(db: Any, source_id: str) -> Any:
    return recent_crawl_runs(db, source_id, limit=1)[0]


def reasons(run: Any) -> set[str]:
    return {issue.reason for issue in run.issues}


def test_every_api_type_crawls_stores_right_fields_and_no_handles(
        tmp_path: Path, api: Any) -> None:
    config = write_config(tmp_path, sources(api.base))
    result = crawl(config)
    assert result.exit_code == 1, result.output  # bekend-fout and bsky-nokey fail on purpose
    db = open_db(tmp_path / "newsroom.db")
    status = {sid: latest(db, sid).status for sid in (*MAIN, "bekend-meta", "json")}
    assert status == {"bekend": "partial", "raad": "ok", "bsky": "ok", "reddit": "ok",
                      "youtube": "ok", "bekend-meta": "ok", "json": "ok"}, result.output
    docs = {sid: [d for d in list_documents(db, limit=None) if d["source_id"] == sid]
            for sid in (*MAIN, "bekend-meta", "json")}
    assert {sid: len(rows) for sid, rows in docs.items()} == {
        "bekend": 3, "raad": 2, "bsky": 3, "reddit": 2, "youtube": 2, "bekend-meta": 3,
        "json": 2}
    assert {row["url"].rsplit("/", 1)[1] for row in docs["json"]} == {"boom", "volledig"}

    # Official publications: text from the page, metadata when the page failed (HTTP 500).
    bekend = {row["url"].rsplit("/", 1)[1]: row for row in docs["bekend"]}
    page = bekend["gmb-2026-480123.html"]
    assert page["kind"] == "official" and "bezwaar maken" in page["text"]
    assert page["published"].startswith("2026-11-19")
    assert bekend["gmb-2026-470001.html"]["text"].startswith("De burgemeester wijst")
    run = latest(db, "bekend")
    assert {"http_500", "bad_record"} <= reasons(run) and run.stats.failed == 2
    sru_calls = [path for method, path, _, _ in api.requests if path.startswith("/sru?")]
    assert any("startRecord=4" in path for path in sru_calls)  # paged
    assert all("dt.creator%3D%3D%22" in path and "dt.type" in path for path in sru_calls)

    # Council records: typed titles, pages joined, REST link when there is no original.
    raad = {row["title"]: row for row in docs["raad"]}
    motion = raad["Motie: Motie: gratis parkeren bij het Albert Schweitzer ziekenhuis"]
    assert motion["url"] == "https://id.openraadsinformatie.nl/8812345"
    brief = raad["Document: Raadsinformatiebrief voortgang stadskantoor"]
    assert "Pagina 2" in brief["text"] and brief["url"].endswith(".pdf")
    searches = [json.loads(body) for method, path, _, body in api.requests
                if method == "POST" and path.endswith("/_search")]
    assert [s["from"] for s in searches] == [0, 3]

    # Social: pseudonymous authors, links from post ids, mentions stripped.
    bsky = {row["url"]: row for row in docs["bsky"]}
    post = bsky["https://bsky.app/#cid-bafyreia1"]  # no did: it identifies the author
    assert "@gebruiker" in post["text"] and post["language"] == "nl"
    assert "<eindelijk>" in "".join(row["text"] for row in docs["bsky"])  # text, not markup
    assert {row["url"] for row in docs["reddit"]} == {
        "https://www.reddit.com/comments/1gx0a1b", "https://www.reddit.com/comments/1gx0c2d"}
    assert {row["url"] for row in docs["youtube"]} == {
        "https://www.youtube.com/watch?v=dQw4w9WgXcA",
        "https://www.youtube.com/watch?v=dQw4w9WgXcA&lc=UgzComment1"}
    for sid in ("bsky", "reddit", "youtube"):
        assert all(row["author_pseudonym"] and not row.get("author") for row in docs[sid])
    dump = json.dumps([list(db[t].rows) for t in db.table_names()], default=str)
    leaked = [word for word in PRIVATE if word in dump]
    assert not leaked, leaked
    yt_calls = [headers for _, path, headers, _ in api.requests if path.startswith("/youtube")]
    assert yt_calls and all(h.get("X-Goog-Api-Key") == "yt-key-secret" for h in yt_calls)
    assert not [path for _, path, _, _ in api.requests if "yt-key-secret" in path]

    # robots.txt of the stand-in disallows every API path: API calls do not consult it
    # (they are governed by the API's terms), pages fetched for their text still do.
    assert any(path == "/robots.txt" for _, path, _, _ in api.requests)

    # Clear reasons for the two sources that must fail.
    assert "sru_diagnostic" in reasons(latest(db, "bekend-fout"))
    assert "missing_credentials" in reasons(latest(db, "bsky-nokey"))

    # Conditional request: an ok SRU run keeps its ETag; the next run gets a 304.
    again = crawl(config, "bekend-meta")
    assert again.exit_code == 0, again.output
    assert latest(db, "bekend-meta").stats.not_modified


@pytest.mark.parametrize(("mode", "status", "reason"), [
    ("empty", "ok", None),
    ("malformed", "failed", "malformed"),
    ("429", "failed", "rate_limited"),
    ("401", "failed", "auth_failed"),
])
def test_bad_answers_end_with_a_clear_status(tmp_path: Path, api: Any, mode: str,
                                             status: str, reason: str | None) -> None:
    api.mode = mode
    config = write_config(tmp_path, sources(api.base))
    result = crawl(config, *MAIN)
    assert result.exit_code == (0 if status == "ok" else 1), result.output
    assert "Traceback" not in result.output
    db = open_db(tmp_path / "newsroom.db")
    for sid in MAIN:
        run = latest(db, sid)
        assert run.status == status, (sid, run.issues)
        assert run.stats.new == 0
        if reason is None:
            assert reasons(run) & {"no_records", "empty_timeline"}, (sid, run.issues)
        else:
            assert any(r.startswith(reason) for r in reasons(run)), (sid, run.issues)
    if mode == "429":
        details = [i.detail for i in latest(db, "bsky").issues if i.reason == "rate_limited"]
        assert details and "120 s" in details[0]
