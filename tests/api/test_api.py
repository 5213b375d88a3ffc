"""The API over real HTTP (requests) against the real server on 127.0.0.1 and a real store
(a SQLite file, then a PostgreSQL 15 database: conftest.corpus):
every endpoint, filters, paging, tokens, role scope, corrections, erasure, errors."""

from __future__ import annotations

import json
from pathlib import Path

import requests

from storage.audit import list_events
from storage.db import Database, open_db
from storage.dialect import engine

from .conftest import PSEUDONYM, SCRIPT_TITLE, ApiCorpus


def get(api: str, path: str, token: str | None, **params: object) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.get(api + path, params=params, headers=headers, timeout=10)  # type: ignore[arg-type]


def ids_of(response: requests.Response) -> set[str]:
    return {row["id"] for row in response.json()["data"]}


def test_documents_newest_first_with_effective_scores(api: str, corpus: ApiCorpus) -> None:
    response = get(api, "/v1/documents", corpus.tokens["baas"], limit=200)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    rows = response.json()["data"]
    times = [r["published"] for r in rows]
    assert times == sorted(times, reverse=True)
    by_id = {r["id"]: r for r in rows}
    corrected = by_id[corpus.ids["open"]]
    assert corrected["label"] == "negatief" and corrected["model_label"] == "positief"
    assert corrected["corrected_by"] == "correction" and corrected["p_neg"] == 1.0
    assert by_id[corpus.ids["dicht"]]["corrected_by"] is None
    assert len(rows) == 6 + 6  # seven made, one erased, plus the fillers


def test_untrusted_text_comes_back_as_a_json_string(api: str, corpus: ApiCorpus) -> None:
    response = get(api, f"/v1/documents/{corpus.ids['script']}", corpus.tokens["baas"])
    assert response.status_code == 200
    assert response.json()["data"]["title"] == SCRIPT_TITLE
    assert "text/html" not in response.headers["content-type"]
    assert response.headers["x-content-type-options"] == "nosniff"


def test_no_pseudonyms_and_no_cors(api: str, corpus: ApiCorpus) -> None:
    response = get(api, "/v1/documents", corpus.tokens["baas"], kind="social")
    assert ids_of(response) == {corpus.ids["toot"]}
    assert PSEUDONYM not in response.text
    detail = get(api, f"/v1/documents/{corpus.ids['toot']}", corpus.tokens["baas"])
    assert PSEUDONYM not in detail.text and "author" not in detail.json()["data"]
    cors = requests.get(api + "/v1/documents", timeout=10, headers={
        "Authorization": f"Bearer {corpus.tokens['baas']}", "Origin": "https://evil.invalid"})
    assert "access-control-allow-origin" not in {h.lower() for h in cors.headers}
    preflight = requests.options(api + "/v1/documents", timeout=10, headers={
        "Origin": "https://evil.invalid", "Access-Control-Request-Method": "GET"})
    assert "access-control-allow-origin" not in {h.lower() for h in preflight.headers}


def test_filters(api: str, corpus: ApiCorpus) -> None:
    token = corpus.tokens["adviseur"]
    ids = corpus.ids
    assert ids_of(get(api, "/v1/documents", token, sentiment="negatief")) == {
        ids["dicht"], ids["open"], ids["parkeren"], ids["toot"]}
    assert ids_of(get(api, "/v1/documents", token, sentiment="positief")) == set()
    assert ids_of(get(api, "/v1/documents", token, topic="sport")) == {ids["dicht"], ids["open"]}
    assert ids_of(get(api, "/v1/documents", token, watch="Spoorzone")) == {ids["spoor"]}
    assert ids_of(get(api, "/v1/documents", token, place="WK050500")) == {
        ids["spoor"], ids["parkeren"]}
    assert ids_of(get(api, "/v1/documents", token, tag="raadsvragen")) == {ids["spoor"]}
    assert ids_of(get(api, "/v1/documents", token, q="binnenstad")) == {ids["parkeren"]}
    assert ids_of(get(api, "/v1/documents", token, source="toots")) == {ids["toot"]}
    both = requests.get(api + "/v1/documents?topic=sport&topic=wonen", timeout=10,
                        headers={"Authorization": f"Bearer {token}"})
    assert ids_of(both) == {ids["dicht"], ids["open"], ids["spoor"]}
    recent = get(api, "/v1/documents", token, since=_days_ago(2))
    assert ids["dicht"] in ids_of(recent) and ids["script"] not in ids_of(recent)
    old = get(api, "/v1/documents", token, until=_days_ago(9))
    assert ids_of(old) == {ids[f"vul{n}"] for n in range(6)}


def _days_ago(days: int) -> str:
    from datetime import timedelta

    from core.records import utcnow
    return (utcnow() - timedelta(days=days)).date().isoformat()


def test_paging_with_cursor_and_link_header(api: str, corpus: ApiCorpus) -> None:
    token = corpus.tokens["baas"]
    everything = [r["id"] for r in get(api, "/v1/documents", token, limit=200).json()["data"]]
    seen: list[str] = []
    response = get(api, "/v1/documents", token, limit=5)
    pages = 0
    while True:
        pages += 1
        body = response.json()
        assert len(body["data"]) <= 5
        seen += [r["id"] for r in body["data"]]
        if body["next"] is None:
            assert "link" not in {h.lower() for h in response.headers}
            break
        assert response.headers["Link"] == f'<{body["next"]}>; rel="next"'
        response = requests.get(api + body["next"], timeout=10,
                                headers={"Authorization": f"Bearer {token}"})
    assert seen == everything and pages == 3


def test_bad_parameters_are_400_with_code_and_dutch_message(api: str, corpus: ApiCorpus) -> None:
    token = corpus.tokens["baas"]
    for params, code in (
        ({"limit": 0}, "invalid_limit"), ({"limit": 201}, "invalid_limit"),
        ({"limit": "veel"}, "invalid_limit"), ({"cursor": "kapot"}, "invalid_cursor"),
        ({"sentiment": "boos"}, "invalid_value"), ({"kind": "blog"}, "invalid_value"),
        ({"since": "gisteren"}, "invalid_date"), ({"bron": "x"}, "unknown_parameter"),
        ({"since": "2026-05-02", "until": "2026-05-01"}, "invalid_period"),
        ({"watch": "Bestaat niet"}, "unknown_watch"), ({"q": "x" * 501}, "value_too_long"),
    ):
        response = get(api, "/v1/documents", token, **params)
        assert response.status_code == 400, params
        error = response.json()["error"]
        assert error["code"] == code and error["message"], params
    long_query = "&".join(f"topic=t{n}" for n in range(60))
    many = requests.get(f"{api}/v1/documents?{long_query}", timeout=10,
                        headers={"Authorization": f"Bearer {token}"})
    assert many.status_code == 400 and many.json()["error"]["code"] == "too_many_values"
    huge = requests.get(f"{api}/v1/documents?q={'a' * 4100}", timeout=10,
                        headers={"Authorization": f"Bearer {token}"})
    assert huge.json()["error"]["code"] == "query_too_long"
    period = get(api, "/v1/aggregates/day", token, since="2025-01-01", until="2026-12-31")
    assert period.json()["error"]["code"] == "period_too_long"
    nowhere = get(api, "/v1/bestaat-niet", token)
    assert nowhere.status_code == 404 and nowhere.json()["error"]["code"] == "not_found"
    post = requests.post(api + "/v1/documents", timeout=10,
                         headers={"Authorization": f"Bearer {token}"})
    assert post.status_code == 405 and post.json()["error"]["code"] == "method_not_allowed"


def test_aggregates(api: str, corpus: ApiCorpus) -> None:
    token = corpus.tokens["baas"]
    per_topic = {r["topic"]: r for r in get(api, "/v1/aggregates/topic", token).json()["data"]}
    assert per_topic["sport"] == {"topic": "sport", "documents": 2, "negatief": 2,
                                  "neutraal": 0, "positief": 0}  # the correction counts
    assert per_topic["overig"]["documents"] == 6
    per_watch = {r["watch"]: r["documents"]
                 for r in get(api, "/v1/aggregates/watch", token).json()["data"]}
    assert per_watch == {"Zwembad": 2, "Spoorzone": 1}  # the erased item is gone
    per_place = {r["cbs_code"]: r["documents"]
                 for r in get(api, "/v1/aggregates/place", token).json()["data"]}
    assert per_place == {"WK050500": 2, "WK050502": 1}
    days = get(api, "/v1/aggregates/day", token, since=_days_ago(20)).json()
    assert days["by"] == "day" and sum(r["documents"] for r in days["data"]) == 12
    assert all(r["documents"] == r["negatief"] + r["neutraal"] + r["positief"]
               for r in days["data"])
    negative_days = get(api, "/v1/aggregates/day", token, sentiment="negatief",
                        since=_days_ago(20)).json()["data"]
    assert sum(r["documents"] for r in negative_days) == 4
    assert get(api, "/v1/aggregates/week", token).status_code == 404


def test_incidents_list_only_existing_documents(api: str, corpus: ApiCorpus) -> None:
    body = get(api, "/v1/incidents", corpus.tokens["baas"]).json()["data"]
    by_id = {i["id"]: i for i in body}
    zwembad = by_id[corpus.incident_ids["zwembad"]]
    assert set(zwembad["documents"]) == {corpus.ids["dicht"], corpus.ids["parkeren"]}
    assert corpus.ids["gewist"] not in json.dumps(body)
    assert zwembad["message"] == "Piek: zwembad" and zwembad["kind"] == "negative_spike"
    assert len(get(api, "/v1/incidents", corpus.tokens["baas"], limit=1).json()["data"]) == 1


def test_erased_document_is_gone(api: str, corpus: ApiCorpus) -> None:
    token = corpus.tokens["baas"]
    assert get(api, f"/v1/documents/{corpus.ids['gewist']}", token).status_code == 404
    assert corpus.ids["gewist"] not in ids_of(get(api, "/v1/documents", token, limit=200))
    assert corpus.ids["gewist"] not in get(api, "/v1/documents", token, q="gewist").text


def test_tokens_missing_wrong_expired_revoked(api: str, corpus: ApiCorpus) -> None:
    from storage.api_tokens import create_token, list_tokens, revoke_token

    cases = {
        "token_missing": requests.get(api + "/v1/documents", timeout=10),
        "token_malformed": requests.get(api + "/v1/documents", timeout=10,
                                        headers={"Authorization": "Basic YmFhczpnZWhlaW0="}),
        "token_invalid": get(api, "/v1/documents", "nrt_verzonnen"),
        "token_expired": get(api, "/v1/documents", corpus.tokens["expired"]),
    }
    db = open_db(corpus.store_target)
    stored, secret = create_token(db, "adviseur", "even")
    assert get(api, "/v1/me", secret).status_code == 200
    revoke_token(db, stored.id)
    cases["token_revoked"] = get(api, "/v1/documents", secret)
    _, orphan = create_token(db, "vertrokken", "van iemand die weg is")  # no such user
    cases["token_user_unknown"] = get(api, "/v1/documents", orphan)
    for code, response in cases.items():
        assert response.status_code == 401, code
        assert response.json()["error"]["code"] == code
        assert response.headers["www-authenticate"].startswith("Bearer")
    _assert_secret_not_stored(db, corpus, secret)
    assert get(api, "/v1/me", corpus.tokens["baas"]).status_code == 200
    assert all(t.last_used is not None for t in list_tokens(db, "baas") if t.name == "test")
    db.conn.close()


def _assert_secret_not_stored(db: Database, corpus: ApiCorpus, secret: str) -> None:
    """Only the token's hash is kept: on SQLite no byte of the file (or its WAL) holds the
    secret; on PostgreSQL, whose files the test cannot read, no stored token or audit row."""
    if isinstance(corpus.store_target, Path):
        for db_file in corpus.store_target.parent.glob("newsroom.db*"):
            assert secret.encode() not in db_file.read_bytes()
        return
    assert engine(db) == "postgresql"
    for table in ("api_tokens", "audit_log"):
        rows = db.execute(f"SELECT * FROM {table}").fetchall()
        assert rows and not any(secret in str(value) for row in rows for value in row), table


def test_project_lead_reads_only_own_projects(api: str, corpus: ApiCorpus) -> None:
    token = corpus.tokens["leider"]
    me = get(api, "/v1/me", token).json()
    assert me == {"username": "leider", "role": "project_lead", "watches": ["Zwembad"]}
    assert ids_of(get(api, "/v1/documents", token, limit=200)) == {
        corpus.ids["dicht"], corpus.ids["open"]}
    forbidden = get(api, "/v1/documents", token, watch="Spoorzone")
    assert forbidden.status_code == 403
    assert forbidden.json()["error"]["code"] == "watch_forbidden"
    assert get(api, f"/v1/documents/{corpus.ids['spoor']}", token).status_code == 404
    own = get(api, f"/v1/documents/{corpus.ids['dicht']}", token).json()["data"]
    assert [w["name"] for w in own["watches"]] == ["Zwembad"]
    assert {r["watch"] for r in get(api, "/v1/aggregates/watch", token).json()["data"]} == {
        "Zwembad"}
    topics = {r["topic"]: r["documents"]
              for r in get(api, "/v1/aggregates/topic", token).json()["data"]}
    assert topics == {"sport": 2}
    incidents = get(api, "/v1/incidents", token).json()["data"]
    assert [i["id"] for i in incidents] == [corpus.incident_ids["zwembad"]]
    assert incidents[0]["documents"] == [corpus.ids["dicht"]]
    assert incidents[0]["message"] is None
    adviser = get(api, "/v1/me", corpus.tokens["adviseur"]).json()
    assert adviser["watches"] == ["Spoorzone", "Zwembad"]


def test_reads_are_audited(api: str, corpus: ApiCorpus) -> None:
    get(api, "/v1/documents", corpus.tokens["adviseur"], topic="wonen")
    db = open_db(corpus.store_target)
    events = list_events(db, action_prefix="api.read")
    db.conn.close()
    mine = [e for e in events if e.actor == "adviseur" and e.detail == "1 rows; topic=wonen"]
    assert len(mine) == 1 and mine[0].target == "/v1/documents"
    assert mine[0].client == "127.0.0.1"


def test_search_syntax_on_both_engines(api: str, corpus: ApiCorpus) -> None:
    """Phrases, prefixes and OR find the same items on SQLite (FTS5) and PostgreSQL (tsquery);
    what would be query syntax to either engine is only text: never a 500."""
    token, ids = corpus.tokens["adviseur"], corpus.ids
    assert ids_of(get(api, "/v1/documents", token, q='"zwembad gaat dicht"')) == {ids["dicht"]}
    assert ids_of(get(api, "/v1/documents", token, q='"dicht zwembad"')) == set()
    assert ids_of(get(api, "/v1/documents", token, q="spoorz*")) == {ids["spoor"]}
    assert ids_of(get(api, "/v1/documents", token, q="spoorzone OR binnenstad")) == {
        ids["spoor"], ids["parkeren"]}
    assert ids_of(get(api, "/v1/documents", token, q="zwembad NOT dicht")) == {
        ids["open"], ids["script"]}
    for text in ("it's", "a:b & !c | d", "((", "NOT", '"', "*", "<->", "zwembad:*", "\\"):
        response = get(api, "/v1/documents", token, q=text)
        assert response.status_code == 200, (text, response.text)
        assert isinstance(response.json()["data"], list)
