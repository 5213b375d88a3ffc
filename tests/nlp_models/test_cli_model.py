"""`newsroom train` and `newsroom eval` through click, on small CSVs and a real SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from core.records import Annotation, Document, document_id_for_url, utcnow
from newsroom.cli.main import cli
from nlp.sentiment.adapter_file import DEFAULT_ADAPTER_PATH
from nlp.sentiment.head import load_head
from nlp.sentiment.loader import DEFAULT_NEWS_HEAD_PATH
from storage.adviser import add_annotation
from storage.db import open_db
from storage.documents import upsert_document

ROWS = [
    ("Wat een prachtig nieuw park, echt een aanwinst voor de wijk!", "positief"),
    ("Geweldig nieuws: de bibliotheek blijft open.", "Positive"),
    ("Bewoners zijn heel blij met de nieuwe speeltuin.", "POSITIEF"),
    ("Het festival was een groot succes, iedereen genoot.", "positive"),
    ("Schandalig hoe de gemeente omgaat met de klachten.", "negatief"),
    ("Bewoners zijn woedend over de overlast.", "Negative"),
    ("Wat een waardeloze en gevaarlijke situatie.", "NEGATIEF"),
    ("De buurt is boos over de sluiting van het zwembad.", "negative"),
    ("De gemeenteraad vergadert dinsdag over de begroting.", "neutraal"),
    ("Het loket is maandag geopend van negen tot vijf.", "Neutral"),
    ("De wethouder presenteert donderdag het plan.", "NEUTRAAL"),
    ("De vergadering begint om acht uur in het stadhuis.", "neutral"),
]


def write_csv(path: Path, rows: list[tuple[str, str]], header: str = "text,label") -> Path:
    lines = [header] + [f'"{text}",{label}' for text, label in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "newsroom.toml"
    path.write_text(f'[storage]\npath = "{tmp_path / "store.db"}"\n[model]\nbackend = "embedded"\n')
    return path


def run(config_file: Path, *args: str):
    return CliRunner().invoke(cli, ["--config", str(config_file), *args], catch_exceptions=False)


def train_head(config_file: Path, data: Path, out: Path, *options: str):
    """`newsroom train --method head` on the CSV `data` into `out`, measured on 3 folds."""
    return run(config_file, "train", "--method", "head", "--data", str(data), *options,
               "--out", str(out), "--folds", "3")


def test_train_writes_a_new_head_and_reports_cv(tmp_path, config_file):
    data = write_csv(tmp_path / "train.csv", ROWS)
    out = tmp_path / "head.npz"
    result = train_head(config_file, data, out, "--no-corrections")
    assert result.exit_code == 0, result.output
    assert "Kruisvalidatie" in result.output and "macro-F1" in result.output
    head = load_head(out)
    assert head.version in result.output
    assert head.version != load_head().version
    assert head.meta["n"] == len(ROWS)
    assert head.meta["counts"] == {"negatief": 4, "neutraal": 4, "positief": 4}


def test_train_adds_advisers_corrections(tmp_path, config_file):
    db = open_db(tmp_path / "store.db")
    for index, (text, _label) in enumerate(ROWS[:3]):
        url = f"https://example.nl/{index}"
        upsert_document(
            db,
            Document(
                id=document_id_for_url(url),
                source_id="test",
                kind="news",
                url=url,
                title="Titel",
                text=text,
                published=None,
                fetched=utcnow(),
            ),
        )
        add_annotation(
            db,
            Annotation(
                document_id=document_id_for_url(url),
                kind="correction",
                value="negatief",
                author="adviseur",
                created=utcnow(),
            ),
        )
    db.close()
    data = write_csv(tmp_path / "train.csv", ROWS)
    out = tmp_path / "head.npz"
    result = train_head(config_file, data, out)
    assert result.exit_code == 0, result.output
    assert "3 correcties" in result.output
    assert load_head(out).meta["counts"]["negatief"] == 4 + 3


def test_train_without_any_data_is_a_usage_error(tmp_path, config_file):
    result = run(config_file, "train", "--no-corrections", "--out", str(tmp_path / "h.npz"))
    assert result.exit_code == 2
    assert "Geen trainingsdata" in result.output


def test_train_with_too_few_of_a_label_is_a_clear_error(tmp_path, config_file):
    data = write_csv(tmp_path / "few.csv", ROWS[:9] + [("Het loket is open.", "neutraal")])
    result = run(
        config_file,
        "train",
        "--data",
        str(data),
        "--no-corrections",
        "--out",
        str(tmp_path / "h.npz"),
    )
    assert result.exit_code == 1
    assert "Too few examples of neutraal" in result.output


def test_eval_json_reports_metrics(tmp_path, config_file):
    data = write_csv(tmp_path / "eval.csv", ROWS)
    result = run(config_file, "eval", "--data", str(data), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["n"] == len(ROWS)
    assert 0.0 <= report["accuracy"] <= 1.0 and 0.0 <= report["macro_f1"] <= 1.0
    assert sum(map(sum, report["confusion_matrix"])) == len(ROWS)
    assert set(report["per_class"]) == {"negatief", "neutraal", "positief"}
    assert report["model_name"] == "newsroom-e5-lora-sentiment"  # the embedded default
    assert report["accuracy"] >= 0.5  # clear-cut sentences: far above chance (0.33)


def test_eval_table_and_lexicon_backend(tmp_path, config_file):
    data = write_csv(tmp_path / "eval.csv", ROWS)
    result = run(config_file, "eval", "--data", str(data), "--backend", "lexicon")
    assert result.exit_code == 0, result.output
    assert "pattern-nl-lexicon" in result.output
    assert "macro-F1" in result.output and "confusion" in result.output


def test_eval_a_trained_head_file(tmp_path, config_file):
    data = write_csv(tmp_path / "train.csv", ROWS)
    out = tmp_path / "head.npz"
    train_head(config_file, data, out, "--no-corrections")
    result = run(config_file, "eval", "--data", str(data), "--json", "--head", str(out))
    report = json.loads(result.output)
    assert report["model_version"] == load_head(out).version
    assert report["accuracy"] >= 0.9  # it was trained on these rows


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty file"),
        (b"tekst,oordeel\nhallo,positief\n", "missing column(s) text, label"),
        (b"text,label\n", "no labelled rows"),
        ("text,label\ncaf\u00e9 is mooi,positief\n".encode("latin-1"), "not UTF-8"),
        (b"text,label\nmooi,positief\nlelijk,heel slecht\n", "row 3: unknown label 'heel slecht'"),
        (b"text,label\n,positief\n", "row 2: empty text"),
    ],
)
def test_bad_csvs_are_clear_errors(tmp_path, config_file, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    for command in (
        ["eval", "--data", str(path)],
        ["train", "--data", str(path), "--no-corrections", "--out", str(tmp_path / "h.npz")],
    ):
        result = run(config_file, *command)
        assert result.exit_code == 1, result.output
        assert message in result.output
    assert not (tmp_path / "h.npz").exists()


def test_missing_csv_file(tmp_path, config_file):
    result = run(config_file, "eval", "--data", str(tmp_path / "nope.csv"))
    assert result.exit_code == 1
    assert "file not found" in result.output


def test_every_command_and_option_has_help():
    for name in ("train", "eval"):
        command = cli.commands[name]
        assert command.help
        for param in command.params:
            if param.param_type_name == "option":
                assert getattr(param, "help", None), f"{name} {param.name} lacks help"


def test_status_shows_the_model(tmp_path, config_file):
    result = run(config_file, "status")
    from nlp.sentiment.adapter_file import FINETUNED_NAME, describe_model_file

    _, version, cv = describe_model_file(DEFAULT_ADAPTER_PATH)
    assert "Sentimentmodel" in result.output
    assert f"ingebed model: {FINETUNED_NAME} (sentiment_lora_v2.npz) versie {version}" in (
        result.output
    )
    assert f"macro-F1 (CV) {cv['macro_f1_mean']:.3f}" in result.output


def test_status_shows_both_models_with_their_figures_per_domain(tmp_path, config_file):
    status = run(config_file, "status").output
    assert "ingebed model: newsroom-e5-lora-sentiment (sentiment_lora_v2.npz)" in status
    assert (
        "nieuwsmodel (nieuws en officieel): newsroom-e5-lora-sentiment "
        "(sentiment_news_lora_v5.npz) versie d81200e35908"
    ) in status
    assert "  news (kruisvalidatie): macro-F1 0.680, recall negatief 0.814" in status
    off = tmp_path / "off.toml"
    off.write_text(config_file.read_text() + 'news_head_path = ""\n', encoding="utf-8")
    status = run(off, "status").output
    assert "nieuwsmodel" not in status
    assert "nieuws en officieel: zelfde model (news_head_path is leeg)" in status


def test_eval_news_file_uses_the_main_model_when_news_head_path_is_empty(tmp_path, config_file):
    off = tmp_path / "off.toml"
    off.write_text(config_file.read_text() + 'news_head_path = ""\n', encoding="utf-8")
    data = write_news(tmp_path / "news.csv")
    report = json.loads(run(off, "eval", "--data", str(data), "--json").output)
    assert report["model_name"] == "newsroom-e5-lora-sentiment"


def test_train_lora_writes_an_adapter_that_eval_uses(tmp_path, config_file):
    from nlp.sentiment.adapter_file import read_adapter

    data = write_csv(tmp_path / "train.csv", ROWS)
    out = tmp_path / "adapter.npz"
    result = run(config_file, "train", "--data", str(data), "--no-corrections", "--out", str(out))
    assert result.exit_code == 0, result.output
    _, _, meta = read_adapter(out)
    assert meta["version"] in result.output and "LoRA" in result.output
    assert meta["counts"] == {"negatief": 4, "neutraal": 4, "positief": 4}
    assert "Kruisvalidatie" not in result.output  # no CV unless --folds asks for it
    report = json.loads(
        run(config_file, "eval", "--data", str(data), "--json", "--head", str(out)).output
    )
    assert report["model_name"] == "newsroom-e5-lora-sentiment"
    assert report["model_version"] == meta["version"]
    for method, folds in (("lora", "1"), ("head", "0")):
        result = run(
            config_file, "train", "--method", method, "--data", str(data), "--folds", folds
        )
        assert result.exit_code == 2 and "--folds must be at least 2" in result.output


NEWS_ROWS = [
    ("n1", "Brand verwoest woning", "De brandweer kon niets meer doen.", "negatief"),
    ("n2", "Bewoners woedend over overlast", "De klachten stapelen zich op.", "negatief"),
    ("n3", "Prachtig nieuw park geopend", "Omwonenden zijn erg blij.", "positief"),
    ("n4", "Festival groot succes", "Iedereen genoot van het mooie weer.", "positief"),
    ("n5", "Raad vergadert dinsdag", "Op de agenda staat de begroting.", "neutraal"),
    ("n6", "Loket maandag open", "Van negen tot vijf uur.", "neutraal"),
]


def write_news(path: Path) -> Path:
    lines = ["id,headline,lead,label,outlet,source,path"]
    lines += [f'{i},"{h}","{lead}",{label},x.nl,o/r@abc,p.md' for i, h, lead, label in NEWS_ROWS]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_eval_news_file_scores_items_from_headline_and_lead(tmp_path, config_file):
    from nlp.aggregate import score_news_items
    from nlp.sentiment.lexicon import LexiconSentimentModel
    from nlp.training.metrics import evaluate

    data = write_news(tmp_path / "news.csv")
    result = run(config_file, "eval", "--data", str(data), "--json", "--backend", "lexicon")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["kind"] == "news" and report["n"] == len(NEWS_ROWS)
    expected = evaluate(
        [row[3] for row in NEWS_ROWS],
        [s.label for s in score_news_items(LexiconSentimentModel(), [r[1:3] for r in NEWS_ROWS])],
    )
    assert report["macro_f1"] == pytest.approx(expected.macro_f1, abs=1e-4)
    assert report["confusion_matrix"] == expected.confusion
    for label in ("negatief", "neutraal", "positief"):
        assert set(report["per_class"][label]) >= {"precision", "recall", "f1", "support"}
    table = run(config_file, "eval", "--data", str(data), "--backend", "lexicon")
    assert "nieuwsitems (kop + intro)" in table.output


def test_eval_figures_are_kept_and_shown_in_status(tmp_path, config_file):
    from nlp.sentiment.adapter_file import describe_model_file

    status = run(config_file, "status").output
    assert "news_sentiment.csv (2081 items, 2026-12-03): macro-F1 0.354" in status  # shipped
    data = write_news(tmp_path / "news.csv")
    report = json.loads(run(config_file, "eval", "--data", str(data), "--json").output)
    figures = json.loads((tmp_path / "models" / "model_figures.json").read_text(encoding="utf-8"))
    # A news file is measured with the news model (the one that scores news in the pipeline).
    _, version, _ = describe_model_file(DEFAULT_NEWS_HEAD_PATH)
    assert report["model_version"] == version
    assert [(f["model_version"], f["data"], f["kind"]) for f in figures] == [
        (version, "news.csv", "news")
    ]
    assert figures[0]["macro_f1"] == pytest.approx(report["macro_f1"], abs=1e-4)
    status = run(config_file, "status").output
    assert f"news.csv ({len(NEWS_ROWS)} items" in status
    assert f"macro-F1 {report['macro_f1']:.3f}" in status
    # Measuring again replaces the entry instead of piling up copies.
    run(config_file, "eval", "--data", str(data), "--json")
    again = json.loads((tmp_path / "models" / "model_figures.json").read_text(encoding="utf-8"))
    assert len(again) == 1


def test_eval_bad_news_file_is_a_clear_error(tmp_path, config_file):
    path = tmp_path / "news.csv"
    path.write_text("id,headline,lead,label\nn1,Kop,Intro,boos\n", encoding="utf-8")
    result = run(config_file, "eval", "--data", str(path), "--backend", "lexicon")
    assert result.exit_code == 1
    assert "row 2: unknown label 'boos'" in result.output


def test_damaged_figures_file_is_ignored(tmp_path):
    from nlp.evaluation import figures_for

    path = tmp_path / "model_figures.json"
    path.write_text("{not json", encoding="utf-8")
    assert figures_for(path, "m") == []
    path.write_text('{"a": 1}', encoding="utf-8")
    assert figures_for(path, "m") == []


def test_train_accepts_a_news_file(tmp_path, config_file):
    news = write_news(tmp_path / "news.csv")
    out = tmp_path / "head.npz"
    result = run(
        config_file, "train", "--method", "head", "--data", str(news), "--data",
        str(write_csv(tmp_path / "rows.csv", ROWS)), "--no-corrections", "--out", str(out),
        "--folds", "3",
    )
    assert result.exit_code == 0, result.output
    head = load_head(out)
    assert head.meta["n"] == len(ROWS) + len(NEWS_ROWS)
    assert head.meta["sources"] == ["news", "rows.csv"]


def test_shipped_figures_belong_to_the_shipped_model_and_data():
    """nlp/models/model_figures.json must be re-measured (`newsroom eval`) whenever the news
    set or the default model changes; this catches a stale file."""
    import hashlib

    from nlp.evaluation import SHIPPED_FIGURES, figures_for
    from nlp.sentiment.adapter_file import FINETUNED_NAME, describe_model_file
    from nlp.training.news_data import NEWS_DATA_PATH

    _, version, _ = describe_model_file(DEFAULT_ADAPTER_PATH)
    (entry,) = figures_for(SHIPPED_FIGURES, FINETUNED_NAME, version)
    assert entry["data_digest"] == hashlib.sha256(NEWS_DATA_PATH.read_bytes()).hexdigest()[:12]
    assert entry["n"] == 2081 and entry["kind"] == "news"


def test_a_named_transformers_model_without_figures_says_so(tmp_path):
    config = tmp_path / "newsroom.toml"
    config.write_text(
        f'[storage]\npath = "{tmp_path / "s.db"}"\n[model]\nname = "org/unmeasured"\n',
        encoding="utf-8",
    )
    status = run(config, "status").output
    assert "transformers-model: org/unmeasured" in status
    assert "nog niet gemeten" in status
