"""Fixtures for the dashboard tests: a real SQLite file with a small scored corpus, a config
with one user per role, and the `--screenshots=DIR` option of the browser test."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import timedelta
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
    """A dashboard fixture: config file, database file and the ids tests look for."""

    config_path: Path
    db_path: Path
    script_id: str
    pool_id: str
    zwembad_watch_id: int
    own_watch: str
    other_watch: str


def _hash(password: str) -> str:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=4)).decode()


def write_config(folder: Path, db_path: Path) -> Path:
    users = "\n".join(
        f'[[dashboard.users]]\nusername = "{name}"\nrole = "{ROLES[name]}"\n'
        f'password_hash = "{_hash(password)}"\n'
        + ('watches = ["Zwembad"]\n' if ROLES[name] == "project_lead" else "")
        for name, password in PASSWORDS.items()
    )
    config = folder / "newsroom.toml"
    config.write_text(
        f'[storage]\npath = "{db_path}"\n\n[dashboard]\ncache_ttl_seconds = 1\n\n{users}',
        encoding="utf-8",
    )
    return config


def build_corpus(folder: Path) -> Corpus:
    """A store with synthetic documents plus hand-made ones (one with a <script> title)."""
    folder.mkdir(parents=True, exist_ok=True)
    db_path = folder / "newsroom.db"
    db = open_db(db_path)
    generate_corpus(db, SYNTHETIC_DOCUMENTS, days=60, seed=3)
    upsert_source(db, Source(id="dordtcentraal", name="Dordt Centraal", kind="news", type="rss",
                             url="https://dordtcentraal.invalid/feed"))
    zwembad = save_watch(db, Watch(name="Zwembad", query="zwembad NOT wedstrijd"))
    now = utcnow()
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
    config_path = write_config(folder, db_path)
    # The scheduler's rollup job stores the Digest page's previews; do what it does.
    refresh_previews(db, load_config(config_path))
    db.conn.close()
    return Corpus(
        config_path=config_path, db_path=db_path, script_id=made["script"],
        pool_id=made["pool"], zwembad_watch_id=zwembad, own_watch="Zwembad",
        other_watch="Spoorzone",
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
    return Corpus(**{**corpus_template.__dict__, "config_path": config, "db_path": db_path})


@pytest.fixture
def screenshot_dir(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    option = request.config.getoption("--screenshots", default=None)
    folder = Path(option) if option else tmp_path / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
