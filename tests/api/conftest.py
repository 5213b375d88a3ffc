"""Fixtures for the API tests: a real store with a small scored corpus (corrections, tags, an
incident, an erased item), a config with one user per role, and the real API server (uvicorn)
on a free 127.0.0.1 port in a thread.

Every test module runs on both engines: the module-scoped corpus is built once on a SQLite
file (id `sqlite`) and once in its own PostgreSQL 15 database (id `postgres`, marked
`postgres`), each from nothing, so the writing tests (tokens, audit) start from the same state
on both."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import bcrypt
import pytest

from api.server import make_server
from core.config import load_config
from core.records import Annotation, Document, Source, Watch, document_id_for_url, utcnow
from core.timeutil import to_iso
from newsroom.demo.ports import free_port
from newsroom.demo.synthetic import attach_analysis
from storage.adviser import add_annotation, save_watch
from storage.alerts import Alert
from storage.api_tokens import create_token
from storage.crawl_log import upsert_source
from storage.db import open_db
from storage.dialect import engine
from storage.documents import upsert_document
from storage.erasure import ErasureRequest, erase
from storage.incidents import create_incident
from tests.pg_support import TEMPLATE, PgServer

USERS = {"adviseur": "adviser", "leider": "project_lead", "baas": "management"}
SCRIPT_TITLE = '<script>alert("x")</script> Raad praat over "zwembad"'
FILLER = 6
PSEUDONYM = "a1b2c3d4e5f60718"
HASH = bcrypt.hashpw(b"niet-gebruikt-wachtwoord", bcrypt.gensalt(rounds=4)).decode()


@dataclass
class ApiCorpus:
    config_path: Path
    store_target: str | Path
    """What `storage.db.open_db` opens: the SQLite file or the PostgreSQL URL."""
    ids: dict[str, str]
    watch_ids: dict[str, int]
    tokens: dict[str, str] = field(default_factory=dict)
    incident_ids: dict[str, int] = field(default_factory=dict)


def write_config(folder: Path, db_path: Path, url: str = "") -> Path:
    users = "\n".join(
        f'[[dashboard.users]]\nusername = "{name}"\nrole = "{role}"\n'
        f'password_hash = "{HASH}"\n'
        + ('watches = ["Zwembad"]\n' if role == "project_lead" else "")
        for name, role in USERS.items()
    )
    path = folder / "newsroom.toml"
    store = f'[storage]\npath = "{db_path}"\n' + (f'url = "{url}"\n' if url else "")
    path.write_text(f"{store}\n{users}", encoding="utf-8")
    return path


def _doc(db, key: str, title: str, text: str, hours: float, kind: str = "news",
         pseudonym: str | None = None) -> str:
    url = f"https://dordtcentraal.invalid/{key}"
    doc = Document(id=document_id_for_url(url), source_id="dordtcentraal" if kind == "news"
                   else "toots", kind=kind, url=url, title=title, text=text,  # type: ignore[arg-type]
                   published=utcnow() - timedelta(hours=hours), fetched=utcnow(),
                   author_pseudonym=pseudonym, platform="mastodon" if kind == "social" else None)
    upsert_document(db, doc)
    return doc.id


def build(folder: Path, url: str = "") -> ApiCorpus:
    """The corpus in a SQLite file in `folder`, or in the PostgreSQL database at `url`."""
    db_path = folder / "newsroom.db"
    config_path = write_config(folder, db_path, url)
    store_target = load_config(config_path).store_target
    db = open_db(store_target)
    assert engine(db) == ("postgresql" if url else "sqlite")
    upsert_source(db, Source(id="dordtcentraal", name="Dordt Centraal", kind="news",
                             type="rss", url="https://dordtcentraal.invalid/feed"))
    upsert_source(db, Source(id="toots", name="Toots", kind="social", type="mastodon",
                             url="https://toots.invalid"))
    zwembad = save_watch(db, Watch(name="Zwembad", query="zwembad"))
    spoor = save_watch(db, Watch(name="Spoorzone", query="spoorzone"))
    ids: dict[str, str] = {}
    for key, title, label, hours, topic, place, watch, kind in (
        ("dicht", "Zwembad gaat dicht", "negatief", 5, "sport", "WK050502", zwembad, "news"),
        ("open", "Nieuw zwembad open", "positief", 30, "sport", None, zwembad, "news"),
        ("spoor", "Plannen voor de Spoorzone", "neutraal", 50, "wonen", "WK050500", spoor,
         "news"),
        ("parkeren", "Parkeren in de Binnenstad duurder", "negatief", 70, "verkeer",
         "WK050500", None, "news"),
        ("toot", "Wat een drukte bij het station", "negatief", 20, "verkeer", None, None,
         "social"),
        ("script", SCRIPT_TITLE, "neutraal", 90, "bestuur", None, None, "news"),
        ("gewist", "Bericht dat gewist wordt", "negatief", 10, "verkeer", None, zwembad, "news"),
    ):
        doc_id = _doc(db, key, title, f"{title}. Meer tekst over {key}.", hours, kind,
                      PSEUDONYM if kind == "social" else None)
        attach_analysis(db, doc_id, label, topics=(topic,), places=(place,) if place else (),
                        watch_ids=(watch,) if watch else ())
        ids[key] = doc_id
    for n in range(FILLER):
        doc_id = _doc(db, f"vul{n}", f"Gewoon nieuws {n}", "Niets bijzonders.", 240 + n)
        attach_analysis(db, doc_id, "neutraal", topics=("overig",))
        ids[f"vul{n}"] = doc_id
    now = utcnow()
    add_annotation(db, Annotation(ids["open"], "correction", "negatief", "adviseur", now))
    add_annotation(db, Annotation(ids["spoor"], "tag", "raadsvragen", "adviseur", now))
    corpus = ApiCorpus(config_path, store_target, ids,
                       {"Zwembad": zwembad, "Spoorzone": spoor})
    for name, evidence in (("zwembad", {ids["dicht"], ids["gewist"], ids["parkeren"]}),
                           ("parkeren", {ids["parkeren"]})):
        alert = Alert(kind="negative_spike", scope_type="overall", scope_key="alles",
                      window_start=now - timedelta(days=1), window_end=now, figures={},
                      message=f"Piek: {name}", dedupe_key=f"test-{name}", created=now)
        incident = create_incident(db, alert, ("overall:alles",), frozenset(evidence), 3)
        assert incident is not None
        corpus.incident_ids[name] = incident.id
    erase(db, ErasureRequest("url", "https://dordtcentraal.invalid/gewist"), actor="test",
          reason="verzoek")
    for user in USERS:
        corpus.tokens[user] = create_token(db, user, "test")[1]
    expired, corpus.tokens["expired"] = create_token(db, "baas", "oud",
                                                     datetime.now(UTC) + timedelta(days=1))
    # create_token refuses a date in the past; age the stored expiry instead of waiting.
    db.execute("UPDATE api_tokens SET expires = ? WHERE id = ?",
               [to_iso(datetime.now(UTC) - timedelta(seconds=1)), expired.id])
    db.conn.close()
    assert db_path.exists() != bool(url)  # on PostgreSQL nothing went to a SQLite file
    return corpus


@pytest.fixture(scope="module",
                params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def corpus(request: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiCorpus]:
    """One corpus per module and engine; the PostgreSQL database is dropped afterwards."""
    folder = tmp_path_factory.mktemp(f"api-corpus-{request.param}")
    if request.param == "sqlite":
        yield build(folder)
        return
    server: PgServer = request.getfixturevalue("pg_server")
    name = server.create_database(template=TEMPLATE)
    try:
        yield build(folder, server.url(name))
    finally:
        server.drop_database(name)


class RunningApi:
    """The real API server (uvicorn) serving one store on 127.0.0.1 in a thread."""

    def __init__(self, config_path: Path, rate_per_minute: int = 10_000) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.server = make_server(load_config(config_path), "127.0.0.1", self.port,
                                  rate_per_minute)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> RunningApi:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("API server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def api(corpus: ApiCorpus) -> Iterator[str]:
    with RunningApi(corpus.config_path) as running:
        yield running.base
    if not isinstance(corpus.store_target, Path):  # served from PostgreSQL alone
        assert not (corpus.config_path.parent / "newsroom.db").exists()
