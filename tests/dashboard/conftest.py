"""Fixtures for the dashboard tests: a small scored corpus in a real SQLite file (or, for the
`postgres` tests, in a real PostgreSQL 15 database), a config with one user per role, and the
`--screenshots=DIR` option of the browser test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import bcrypt
import pytest

from core.config import load_config
from core.records import Document, Source, Watch, document_id_for_url, utcnow
from digest.preview import refresh_previews
from newsroom.demo.synthetic import attach_analysis, generate_corpus
from storage.adviser import save_watch
from storage.crawl_log import upsert_source
from storage.db import open_db
from storage.documents import upsert_document
from storage.rollups import refresh_daily_rollup
from tests.pg_support import TEMPLATE, PgServer

from .browser import dashboard_server

PASSWORDS = {"adviseur": "adviseur-geheim", "leider": "leider-geheim", "baas": "baas-geheim"}
ROLES = {"adviseur": "adviser", "leider": "project_lead", "baas": "management"}
SCRIPT_TITLE = "<script>window.__pwned = 1</script> Raad praat over zwembad"
SYNTHETIC_DOCUMENTS = 400


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--screenshots", action="store", default=None,
        help="Folder for the browser test's page screenshots (default: a temporary folder).",
    )


@dataclass(frozen=True)
class Corpus:
    """A dashboard fixture: config file, store and the ids tests look for.

    `store` is what `storage.db.open_db` opens: the SQLite file, or a PostgreSQL URL (kept a
    string: `Path` would fold its "//"). `built_at` is the clock the corpus was built at, so
    a second corpus built for the same moment holds the same items (tests that compare what
    the dashboard shows on both engines).
    """

    config_path: Path
    store: Path | str
    script_id: str
    pool_id: str
    zwembad_watch_id: int
    own_watch: str
    other_watch: str
    built_at: datetime

    @property
    def db_path(self) -> Path:
        """The SQLite file (the tests written for the embedded default read it directly)."""
        if not isinstance(self.store, Path):
            raise TypeError("this corpus lives in PostgreSQL; open corpus.store instead")
        return self.store


def _hash(password: str) -> str:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=4)).decode()


def write_config(folder: Path, store: Path | str) -> Path:
    """newsroom.toml with one user per role; `[storage]` names the SQLite file, or the
    PostgreSQL URL when `store` is one."""
    users = "\n".join(
        f'[[dashboard.users]]\nusername = "{name}"\nrole = "{ROLES[name]}"\n'
        f'password_hash = "{_hash(password)}"\n'
        + ('watches = ["Zwembad"]\n' if ROLES[name] == "project_lead" else "")
        for name, password in PASSWORDS.items()
    )
    storage = f'url = "{store}"' if isinstance(store, str) else f'path = "{store}"'
    config = folder / "newsroom.toml"
    config.write_text(
        f'[storage]\n{storage}\n\n[dashboard]\ncache_ttl_seconds = 1\n\n{users}',
        encoding="utf-8",
    )
    return config


def build_corpus(folder: Path, url: str | None = None, now: datetime | None = None) -> Corpus:
    """A store with synthetic documents plus hand-made ones (one with a <script> title).

    In the SQLite file `folder/newsroom.db`, or in the (migrated, empty) PostgreSQL database
    at `url`. `now` fixes the clock the items are dated from (default: the current time).
    """
    folder.mkdir(parents=True, exist_ok=True)
    store: Path | str = url if url is not None else folder / "newsroom.db"
    now = now or utcnow()
    db = open_db(store)
    generate_corpus(db, SYNTHETIC_DOCUMENTS, days=60, seed=3, now=now)
    upsert_source(db, Source(id="dordtcentraal", name="Dordt Centraal", kind="news", type="rss",
                             url="https://dordtcentraal.invalid/feed"))
    zwembad = save_watch(db, Watch(name="Zwembad", query="zwembad NOT wedstrijd"))
    made: dict[str, str] = {}
    for key, title, text, label, hours in (
        ("script", SCRIPT_TITLE, "Het zwembad gaat dicht. Bewoners zijn boos.", "negatief", 5),
        ("pool", "Nieuw zwembad in Dubbeldam geopend",
         "Het nieuwe zwembad is open. Iedereen is blij met het zwembad.", "positief", 30),
    ):
        url = f"https://dordtcentraal.invalid/{key}"
        doc = Document(id=document_id_for_url(url), source_id="dordtcentraal", kind="news",
                       url=url, title=title, text=text, published=now - timedelta(hours=hours),
                       fetched=now)
        upsert_document(db, doc)
        sentences = tuple(
            (sentence.strip() + ".", "negatief" if "boos" in sentence or "dicht" in sentence
             else "positief")
            for sentence in text.split(".") if sentence.strip()
        )
        attach_analysis(db, doc.id, label, sentences=sentences, topics=("sport",),
                        places=("WK050506",), watch_ids=(zwembad,))
        made[key] = doc.id
    refresh_daily_rollup(db)
    config_path = write_config(folder, store)
    # The scheduler's rollup job stores the Digest page's previews; do what it does.
    refresh_previews(db, load_config(config_path))
    db.conn.close()
    return Corpus(
        config_path=config_path, store=store, script_id=made["script"],
        pool_id=made["pool"], zwembad_watch_id=zwembad, own_watch="Zwembad",
        other_watch="Spoorzone", built_at=now,
    )


@pytest.fixture(scope="session")
def corpus_template(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return build_corpus(tmp_path_factory.mktemp("dashboard-corpus"))


@pytest.fixture
def corpus(corpus_template: Corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Corpus:
    """A private copy of the fixture store (tests write annotations), named in the env."""
    db_path = tmp_path / "newsroom.db"
    shutil.copy(corpus_template.db_path, db_path)
    config = write_config(tmp_path, db_path)
    monkeypatch.setenv("NEWSROOM_CONFIG", str(config))
    return Corpus(**{**corpus_template.__dict__, "config_path": config, "store": db_path})


@pytest.fixture
def screenshot_dir(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    option = request.config.getoption("--screenshots", default=None)
    folder = Path(option) if option else tmp_path / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def server(corpus: Corpus, tmp_path: Path) -> Iterator[str]:
    """The real dashboard (`newsroom dashboard`) on a free local port, for the browser tests."""
    with dashboard_server(corpus.config_path, tmp_path) as url:
        yield url


# -- PostgreSQL (issue 16): the same corpus in a real PostgreSQL 15 database ----------------

@pytest.fixture(scope="module")
def pg_corpus_template(
    pg_server: PgServer, corpus_template: Corpus, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Corpus]:
    """A PostgreSQL database holding the dashboard corpus, built once per module through the
    same storage code as the SQLite one and for the same moment (`built_at`), so both hold
    the same items. Tests copy it (`pg_corpus`); nothing stays connected to it."""
    name = pg_server.create_database(template=TEMPLATE)
    yield build_corpus(tmp_path_factory.mktemp("dashboard-pg-corpus"), url=pg_server.url(name),
                       now=corpus_template.built_at)
    pg_server.drop_database(name)


@pytest.fixture
def pg_corpus(
    pg_server: PgServer, pg_corpus_template: Corpus, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Corpus]:
    """A private PostgreSQL copy of the fixture store (tests write), named in the env.

    `CREATE DATABASE … TEMPLATE` copies the module's corpus in milliseconds; the copy is
    dropped after the test (WITH FORCE: the app's cached connections may still be open).
    """
    template = str(pg_corpus_template.store).rsplit("/", 1)[1]
    name = pg_server.create_database(template=template)
    url = pg_server.url(name)
    folder = tmp_path / "postgres"  # not tmp_path itself: `corpus` writes its config there
    folder.mkdir()
    config = write_config(folder, url)
    monkeypatch.setenv("NEWSROOM_CONFIG", str(config))
    yield Corpus(**{**pg_corpus_template.__dict__, "config_path": config, "store": url})
    pg_server.drop_database(name)
