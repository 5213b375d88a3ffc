"""Champion/challenger retraining on small data: a worse candidate is refused with its reason,
a not-worse one is promoted and then serves; the job waits for enough corrections.

The encoder is the hashing double (bag of words): the real e5 would only add minutes here,
and what is tested is the decision logic around real training, measuring and storage.
"""

from __future__ import annotations

import csv
import dataclasses
import itertools
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from core.config import Config, RetrainSettings
from core.records import Document, document_id_for_url
from nlp.retrain import RetrainSkipped, judge, retrain_if_due, serving_settings
from nlp.sentiment.embedded import EmbeddedSentimentModel
from nlp.training.data import LabelledData
from nlp.training.fit import HeadConfig
from nlp.training.train import train_head
from storage.bulk_labels import correct_documents
from storage.db import open_db
from storage.documents import upsert_document
from storage.model_versions import PROMOTED, REJECTED, active_version, list_versions
from tests.nlp.conftest import HashingEncoder

GRID = (HeadConfig(c=1.0),)


@pytest.fixture
def hashing_encoder() -> HashingEncoder:
    """A smaller hash space than the pipeline tests' (more shared buckets between words)."""
    return HashingEncoder(dim=128)


WORDS = {
    "negatief": ("boos", "schandalig", "klachten", "overlast", "storing", "boetes"),
    "neutraal": ("vergadert", "maandag", "informatie", "agenda", "loket", "openingstijden"),
    "positief": ("blij", "prachtig", "feest", "geweldig", "succes", "trots"),
}
SUBJECTS = ("De buurt", "De gemeente", "Het plein", "De wethouder", "Het stadskantoor",
            "De raad", "Bewoners", "Het park")


def _texts(label: str, offset: int, n: int) -> list[str]:
    words = WORDS[label]
    return [f"{SUBJECTS[(i + offset) % len(SUBJECTS)]} {words[i % len(words)]} "
            f"{words[(i + 2 + offset) % len(words)]}" for i in range(n)]


def _csv(path: Path, offset: int, n: int = 8, flip: bool = False) -> Path:
    labels = list(WORDS)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "label"])
        for label in labels:
            shown = labels[(labels.index(label) + 1) % 3] if flip else label
            for text in _texts(label, offset, n):
                writer.writerow([text, shown])
    return path


def _model(path: Path, csv_path: Path, encoder: Any) -> EmbeddedSentimentModel:
    from nlp.training.data import read_labelled_csv

    train_head(read_labelled_csv(csv_path), path, grid=GRID, folds=2, encoder=encoder)
    return EmbeddedSentimentModel(head_path=path, encoder=encoder)


def _corrections(db: Any, flip: bool, n: int = 5) -> None:
    numbers = itertools.count()
    labels = list(WORDS)
    for label in labels:
        ids = []
        for text in _texts(label, 3, n):
            url = f"https://ad.example/{next(numbers)}"
            doc = Document(id=document_id_for_url(url), source_id="ad", kind="news", url=url,
                           title=text, text=text, published=datetime(2026, 11, 2, tzinfo=UTC),
                           fetched=datetime(2026, 11, 2, tzinfo=UTC))
            upsert_document(db, doc)
            ids.append(doc.id)
        given = labels[(labels.index(label) + 1) % 3] if flip else label
        correct_documents(db, ids, given, author="anna", role="adviser")


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Any, Config]:
    db = open_db(tmp_path / "newsroom.db")
    dev = _csv(tmp_path / "dev.csv", offset=5)
    retrain = RetrainSettings(min_corrections=10, dev_sets=(str(dev),), tolerance=0.0)
    return db, dataclasses.replace(Config(storage_path=tmp_path / "newsroom.db"),
                                   retrain=retrain)


def test_worse_candidate_is_refused_and_says_why(setup: Any, tmp_path: Path,
                                                 hashing_encoder: Any) -> None:
    db, config = setup
    champion = _model(tmp_path / "champion.npz", _csv(tmp_path / "good.csv", 1), hashing_encoder)
    _corrections(db, flip=True)  # advisers' labels that teach the wrong thing
    outcome = retrain_if_due(db, config, champion=champion, encoder=hashing_encoder, grid=GRID,
                             folds=2, models_dir=tmp_path / "models")
    assert outcome.decision == REJECTED
    assert outcome.reason.startswith("Afgewezen: op dev.csv is macro-F1 ")
    assert outcome.figures["dev.csv"]["macro_f1"] < outcome.champion["dev.csv"]["macro_f1"]
    [stored] = list_versions(db)
    assert stored.decision == REJECTED and not stored.active and stored.n_corrections == 15
    assert active_version(db) is None
    assert serving_settings(db, config.model) == config.model


def test_not_worse_candidate_is_promoted_and_serves(setup: Any, tmp_path: Path,
                                                    hashing_encoder: Any) -> None:
    db, config = setup
    champion = _model(tmp_path / "champion.npz", _csv(tmp_path / "bad.csv", 1, flip=True),
                      hashing_encoder)
    _corrections(db, flip=False)
    outcome = retrain_if_due(db, config, champion=champion, encoder=hashing_encoder, grid=GRID,
                             folds=2, models_dir=tmp_path / "models")
    assert outcome.decision == PROMOTED and outcome.path.exists()
    assert outcome.figures["dev.csv"]["macro_f1"] >= outcome.champion["dev.csv"]["macro_f1"]
    active = active_version(db)
    assert active is not None and active.path == str(outcome.path)
    serving = serving_settings(db, config.model)
    assert (serving.backend, serving.head_path) == ("embedded", str(outcome.path))
    # The corrections are used up: the next run waits for new ones.
    with pytest.raises(RetrainSkipped, match="0 new corrections, 10 needed"):
        retrain_if_due(db, config, champion=champion, encoder=hashing_encoder, grid=GRID)


def test_job_waits_for_enough_corrections_and_dev_sets(setup: Any, hashing_encoder: Any,
                                                       tmp_path: Path) -> None:
    db, config = setup
    champion = _model(tmp_path / "c.npz", _csv(tmp_path / "good.csv", 1), hashing_encoder)
    with pytest.raises(RetrainSkipped, match="0 new corrections, 10 needed"):
        retrain_if_due(db, config, champion=champion, encoder=hashing_encoder)
    no_dev = dataclasses.replace(config, retrain=RetrainSettings())
    with pytest.raises(RetrainSkipped, match="no \\[retrain\\] dev_sets"):
        retrain_if_due(db, no_dev, champion=champion, encoder=hashing_encoder, force=True)
    assert list_versions(db) == []


def test_judge_uses_tolerance_and_negative_recall() -> None:
    champ = {"news.csv": {"macro_f1": 0.80, "neg_recall": 0.80, "n": 100}}
    close = {"news.csv": {"macro_f1": 0.797, "neg_recall": 0.81, "n": 100}}
    assert judge(close, champ, tolerance=0.005)[0] == PROMOTED
    assert judge(close, champ, tolerance=0.0)[0] == REJECTED
    blind = {"news.csv": {"macro_f1": 0.85, "neg_recall": 0.60, "n": 100}}
    decision, reason = judge(blind, champ, tolerance=0.005)
    assert decision == REJECTED and "herkenning van negatieve teksten 0.600" in reason


def test_labelled_data_of_corrections_keeps_text(setup: Any) -> None:
    db, _config = setup
    _corrections(db, flip=False, n=1)
    from nlp.training.data import corrections_data
    from storage.adviser import latest_corrections

    data: LabelledData = corrections_data(latest_corrections(db))
    assert sorted(data.labels) == ["negatief", "neutraal", "positief"]


def test_status_and_cli_show_versions(setup: Any, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from newsroom.cli.main import cli
    from storage.model_versions import record_version

    db, _config = setup
    record_version(db, path=str(tmp_path / "m.npz"), name="newsroom-e5-sentiment",
                   version="v9", method="head", n_train=30, n_corrections=12,
                   corrections_upto=3, figures={"dev.csv": {"macro_f1": 0.9, "neg_recall": 0.9,
                                                            "n": 24}},
                   champion={"dev.csv": {"macro_f1": 0.5, "neg_recall": 0.4, "n": 24}},
                   decision=PROMOTED, reason="In gebruik genomen.")
    config = tmp_path / "newsroom.toml"
    config.write_text(f'[storage]\npath = "{tmp_path / "newsroom.db"}"\n', encoding="utf-8")
    status = CliRunner().invoke(cli, ["--config", str(config), "status"])
    assert "in gebruik: newsroom-e5-sentiment versie v9" in status.output
    assert "dev.csv: macro-F1 0.900 (was 0.500)" in status.output
    assert "bijleren staat uit" in status.output
    nothing = CliRunner().invoke(cli, ["--config", str(config), "retrain"])
    assert nothing.exit_code == 0 and "Niets te doen: no [retrain] dev_sets" in nothing.output


def test_retrain_config_job_and_bad_values(tmp_path: Path) -> None:
    from core.config import ConfigError, load_config, parse_config
    from jobs.specs import job_specs
    from jobs.tasks import retrain

    config_path = tmp_path / "newsroom.toml"
    config_path.write_text(
        '[storage]\npath = "newsroom.db"\n\n[retrain]\nmin_corrections = 20\n'
        'dev_sets = ["dev/news.csv"]\ninterval_hours = 6\n', encoding="utf-8")
    config = load_config(config_path)
    assert config.retrain.dev_sets == (str(tmp_path / "dev" / "news.csv"),)
    [spec] = [s for s in job_specs(config) if s.id == "retrain"]
    assert "elke 6 uur" in spec.label and "20 nieuwe" in spec.label
    assert "retrain" not in {s.id for s in job_specs(Config())}
    assert retrain(str(config_path)) == "skipped"  # no corrections yet
    # Numeric ranges are checked by core.limits first, with a Dutch message naming the key.
    for bad, message in (({"min_corrections": 0}, "retrain.min_corrections = 0 kan niet"),
                         ({"tolerance": 0.5}, "retrain.tolerance = 0.5 kan niet"),
                         ({"dev_sets": "news.csv"}, "list of strings")):
        with pytest.raises(ConfigError, match=message):
            parse_config({"retrain": bad})
