"""`newsroom train` and `newsroom eval`: fit and measure the sentiment model.

Thin layer over `nlp.training`: library errors become `click.ClickException`s with the fix.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import TYPE_CHECKING

import click
import sqlite_utils

from core.config import Config
from newsroom.cli.context import AppContext, pass_app

if TYPE_CHECKING:
    from nlp.training.data import LabelledData

LEXICON_BACKEND = "lexicon"


def register(group: click.Group) -> None:
    from newsroom.cli.core import add_status_section

    group.add_command(train)
    group.add_command(eval_command)
    add_status_section("Sentimentmodel", model_status_lines)


def model_status_lines(db: sqlite_utils.Database, config: Config) -> list[str]:
    """For `newsroom status`: the configured backend and the embedded head, without loading
    torch or the model (status must stay fast)."""
    from nlp.sentiment.adapter_file import describe_model_file
    from nlp.sentiment.base import ModelLoadError
    from nlp.sentiment.loader import head_path_for

    settings = config.model
    lines = [f"backend: {settings.backend}"]
    if settings.backend in ("auto", "transformers"):
        lines.append(
            f"transformers-model: {settings.name} (apparaat: {settings.device}, "
            f"onnx_int8: {'ja' if settings.onnx_int8 else 'nee'})"
        )
    path = head_path_for(settings)
    try:
        name, version, cv = describe_model_file(path)
    except ModelLoadError as exc:
        lines.append(f"ingebed model: niet bruikbaar ({exc})")
        return lines
    score = f", macro-F1 (CV) {cv['macro_f1_mean']:.3f}" if "macro_f1_mean" in cv else ""
    lines.append(f"ingebed model: {name} ({path.name}) versie {version}{score}")
    return lines


@click.command()
@click.option(
    "--data",
    "data_files",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="Labelled CSV with columns text,label (repeatable). Labels: positief/negatief/"
    "neutraal or positive/negative/neutral.",
)
@click.option(
    "--no-corrections",
    is_flag=True,
    help="Do not add the advisers' corrections stored in the database.",
)
@click.option(
    "--method",
    type=click.Choice(["lora", "head"]),
    default="lora",
    show_default=True,
    help="lora: fine-tune e5 (the shipped default; a few minutes per 1000 texts on a CPU). "
    "head: logistic regression on frozen e5 embeddings (seconds, about 0.02 macro-F1 lower).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    help="Where to write the model (default: models/sentiment_<method>.npz next to the "
    "database).",
)
@click.option(
    "--lexicon/--no-lexicon",
    default=True,
    show_default=True,
    help="Add Pattern lexicon scores to the features.",
)
@click.option(
    "--folds",
    default=None,
    type=click.IntRange(0, 20),
    help="Cross-validation folds for the reported scores (0: none). With --method lora "
    "each fold is one more training run, so the default there is 0.",
)
@pass_app
def train(
    app: AppContext,
    data_files: tuple[str, ...],
    no_corrections: bool,
    method: str,
    out: str | None,
    lexicon: bool,
    folds: int | None,
) -> None:
    """Train the embedded sentiment model from labelled CSVs and advisers' corrections."""
    from nlp.training.data import DataError, LabelledData, corrections_data, read_labelled_csv
    from nlp.training.train import train_head

    if folds == 1 or (method == "head" and folds == 0):
        raise click.UsageError(
            "--folds must be at least 2 (or 0 with --method lora: no cross-validation)"
        )

    data = LabelledData()
    try:
        for name in data_files:
            data.extend(read_labelled_csv(Path(name)))
    except DataError as exc:
        raise click.ClickException(str(exc)) from exc
    corrections = 0
    if not no_corrections:
        from storage.adviser import latest_corrections

        extra = corrections_data(latest_corrections(app.db()))
        corrections = len(extra)
        data.extend(extra)
    if not len(data):
        raise click.UsageError(
            "Geen trainingsdata: geef --data FILE.csv, of sla eerst correcties op in het dashboard."
        )
    models = app.config.storage_path.parent / "models"
    target = Path(out) if out else models / f"sentiment_{method}.npz"
    if method == "lora":
        _train_lora(data, target, folds or 0, corrections)
        return
    try:
        result = train_head(data, target, lexicon=lexicon, folds=folds or 5)
    except DataError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Getraind op {result.n} teksten ({corrections} correcties): {result.counts}")
    click.echo(
        f"Kruisvalidatie ({result.cv['folds']} folds): macro-F1 {result.cv['macro_f1_mean']:.3f} "
        f"± {result.cv['macro_f1_std']:.3f}, accuracy {result.cv['accuracy_mean']:.3f} "
        f"± {result.cv['accuracy_std']:.3f}"
    )
    click.echo(
        f"Model: {result.path} (versie {result.version}, {result.config.kind} C={result.config.c})"
    )
    _how_to_use(result.path)


def _train_lora(data: LabelledData, target: Path, folds: int, corrections: int) -> None:
    from nlp.training.data import DataError
    from nlp.training.finetune import train_adapter

    with click.progressbar(length=1, label="Fijnafstemmen", file=None) as bar:

        def advance(step: int, total: int) -> None:
            bar.length = total
            bar.update(1)

        try:
            result = train_adapter(data, target, folds=folds, progress=advance)
        except DataError as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(f"Getraind op {result.n} teksten ({corrections} correcties): {result.counts}")
    if result.cv:
        click.echo(
            f"Kruisvalidatie ({result.cv['folds']} folds): macro-F1 "
            f"{result.cv['macro_f1_mean']:.3f} ± {result.cv['macro_f1_std']:.3f}, accuracy "
            f"{result.cv['accuracy_mean']:.3f} ± {result.cv['accuracy_std']:.3f}"
        )
    click.echo(f"Model: {result.path} (versie {result.version}, LoRA op e5)")
    _how_to_use(result.path)


def _how_to_use(path: Path) -> None:
    from nlp.sentiment.loader import HEAD_ENV

    click.echo(
        f"Gebruik het: zet head_path = \"{path}\" onder [model] in newsroom.toml "
        f"(of export {HEAD_ENV}={path}) en scoor opnieuw met `newsroom score`."
    )


@click.command("eval")
@click.option(
    "--data",
    "data_file",
    required=True,
    type=click.Path(dir_okay=False),
    help="Labelled CSV with columns text,label.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a table.")
@click.option(
    "--backend",
    type=click.Choice(["config", "auto", "transformers", "embedded", LEXICON_BACKEND]),
    default="config",
    show_default=True,
    help="Which model to evaluate; 'config' uses [model] backend from newsroom.toml.",
)
@click.option(
    "--head",
    type=click.Path(dir_okay=False, exists=True),
    help="Evaluate this head file with the embedded backend.",
)
@pass_app
def eval_command(
    app: AppContext, data_file: str, as_json: bool, backend: str, head: str | None
) -> None:
    """Evaluate a sentiment model on a labelled CSV: accuracy, macro-F1, per class, confusion."""
    from nlp.sentiment import ModelLoadError, SentimentModel, load_sentiment_model
    from nlp.sentiment.lexicon import LexiconSentimentModel
    from nlp.training.data import DataError, read_labelled_csv
    from nlp.training.metrics import evaluate

    try:
        data = read_labelled_csv(Path(data_file))
    except DataError as exc:
        raise click.ClickException(str(exc)) from exc
    settings = app.config.model
    if backend not in ("config", LEXICON_BACKEND):
        settings = dataclasses.replace(settings, backend=backend)
    model: SentimentModel
    try:
        if backend == LEXICON_BACKEND:
            model = LexiconSentimentModel()
        elif head:
            from nlp.sentiment.loader import load_embedded_file

            model = load_embedded_file(Path(head))
        else:
            model = load_sentiment_model(settings)
        predictions = model.predict(data.texts)
    except ModelLoadError as exc:
        raise click.ClickException(str(exc)) from exc
    report = evaluate(data.labels, [p.label for p in predictions])
    if as_json:
        payload = {
            **report.to_dict(),
            "model_name": model.name,
            "model_version": model.version,
            "data": str(data_file),
        }
        click.echo(json.dumps(payload, ensure_ascii=False))
        return
    click.echo(f"Model {model.name} (versie {model.version}) op {data_file}: {report.n} teksten")
    click.echo(f"accuracy  {report.accuracy:.3f}")
    click.echo(f"macro-F1  {report.macro_f1:.3f}")
    click.echo(f"{'label':<10} {'precision':>9} {'recall':>7} {'F1':>6} {'n':>5}")
    for label, scores in report.per_class.items():
        click.echo(
            f"{label:<10} {scores['precision']:>9.3f} {scores['recall']:>7.3f} "
            f"{scores['f1']:>6.3f} {int(scores['support']):>5}"
        )
    click.echo("confusion (rij = echt, kolom = voorspeld): " + ", ".join(report.labels))
    for label, row in zip(report.labels, report.confusion, strict=True):
        click.echo(f"{label:<10} " + " ".join(f"{v:>6}" for v in row))
