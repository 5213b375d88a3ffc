"""`newsroom train` and `newsroom eval`: fit and measure the sentiment model.

Thin layer over `nlp.training`: library errors become `click.ClickException`s with the fix.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from core.config import Config
from newsroom.cli.context import AppContext, pass_app
from storage.db import Database

if TYPE_CHECKING:
    from nlp.training.data import LabelledData

LEXICON_BACKEND = "lexicon"


def register(group: click.Group) -> None:
    from newsroom.cli.core import add_status_section

    group.add_command(train)
    group.add_command(eval_command)
    add_status_section("Sentimentmodel", model_status_lines)


def model_status_lines(db: Database, config: Config) -> list[str]:
    """For `newsroom status`: the configured backend, the embedded model and the figures
    `newsroom eval` measured for them, without loading torch or the model (status must stay
    fast)."""
    from nlp.evaluation import figures_for
    from nlp.sentiment.loader import head_path_for, news_head_path_for

    settings = config.model
    figures = figures_path(config)
    lines = [f"backend: {settings.backend}"]
    if settings.name.strip() and settings.backend in ("auto", "transformers"):
        lines.append(
            f"transformers-model: {settings.name} (apparaat: {settings.device}, "
            f"onnx_int8: {'ja' if settings.onnx_int8 else 'nee'}, neutrale band "
            f"{settings.neutral_band:g} bij twee klassen)"
        )
        lines += _figure_lines(figures_for(figures, settings.name), settings.name)
    lines += _model_file_lines("ingebed model", head_path_for(settings), figures)
    news_path = news_head_path_for(settings)
    if news_path is None:
        lines.append("nieuws en officieel: zelfde model (news_head_path is leeg)")
    else:
        lines += _model_file_lines("nieuwsmodel (nieuws en officieel)", news_path, figures)
    return lines


def _model_file_lines(label: str, path: Path, figures: Path) -> list[str]:
    """Name, version, cross-validated figures per domain and measured figures of one embedded
    model file — read from the small file, never loading the model."""
    from nlp.evaluation import SHIPPED_FIGURES, figures_for
    from nlp.sentiment.adapter_file import describe_model_file
    from nlp.sentiment.base import ModelLoadError

    try:
        name, version, cv = describe_model_file(path)
    except ModelLoadError as exc:
        return [f"{label}: niet bruikbaar ({exc})"]
    score = f", macro-F1 (CV) {cv['macro_f1_mean']:.3f}" if "macro_f1_mean" in cv else ""
    lines = [f"{label}: {name} ({path.name}) versie {version}{score}"]
    for domain, figures_cv in sorted((cv.get("domains") or {}).items()):
        lines.append(
            f"  {domain} (kruisvalidatie): macro-F1 {figures_cv['macro_f1_mean']:.3f}, "
            f"recall negatief {figures_cv['recall_negatief_mean']:.3f}"
        )
    measured = figures_for(SHIPPED_FIGURES, name, version) + figures_for(figures, name, version)
    return lines + _figure_lines(measured, name, indent="  ")


def figures_path(config: Config) -> Path:
    """Where `newsroom eval` keeps its measured figures: beside the trained models."""
    from nlp.evaluation import FIGURES_FILE

    return config.storage_path.parent / "models" / FIGURES_FILE


def _figure_lines(entries: list[dict], name: str, indent: str = "  ") -> list[str]:
    if not entries:
        return [
            f"{indent}nog niet gemeten: `newsroom eval --data nlp/data/news/news_sentiment.csv`"
            " met dit model"
        ]
    latest: dict[str, dict] = {}
    for entry in entries:
        latest[entry["data"]] = entry
    return [
        f"{indent}{e['data']} ({e['n']} items, {e['measured'][:10]}): macro-F1 "
        f"{e['macro_f1']:.3f}, recall negatief {e['recall_negatief']:.3f}"
        for e in latest.values()
    ]


@click.command()
@click.option(
    "--data",
    "data_files",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="Labelled CSV with columns text,label, or a news file (id,headline,lead,label; each "
    "item trains as 'headline. lead'), repeatable. Labels: positief/negatief/neutraal or "
    "positive/negative/neutral.",
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

    from nlp.training.news_data import is_news_csv, news_labelled, read_news_csv

    data = LabelledData()
    try:
        for name in data_files:
            if is_news_csv(Path(name)):
                data.extend(news_labelled(read_news_csv(Path(name))))
            else:
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
    help="Labelled CSV: text,label (one prediction per row) or a news file with "
    "id,headline,lead,label (each item scored from headline and lead, as the pipeline does), "
    "e.g. nlp/data/news/news_sentiment.csv.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a table.")
@click.option(
    "--backend",
    type=click.Choice(["config", "auto", "transformers", "embedded", LEXICON_BACKEND]),
    default="config",
    show_default=True,
    help="Which model to evaluate; 'config' uses [model] from newsroom.toml: the news model "
    "(news_head_path) for a news file, the main model otherwise.",
)
@click.option(
    "--head",
    type=click.Path(dir_okay=False, exists=True),
    help="Evaluate this model file (adapter or head) with the embedded backend.",
)
@pass_app
def eval_command(
    app: AppContext, data_file: str, as_json: bool, backend: str, head: str | None
) -> None:
    """Evaluate a sentiment model on a labelled CSV: macro-F1, per-class precision and recall,
    confusion matrix. The figures are kept for `newsroom status`."""
    from nlp.evaluation import evaluate_file, record_figures
    from nlp.sentiment import ModelLoadError, SentimentModel, load_sentiment_model
    from nlp.sentiment.lexicon import LexiconSentimentModel
    from nlp.sentiment.loader import load_news_model
    from nlp.training.data import DataError
    from nlp.training.news_data import is_news_csv

    settings = app.config.model
    if backend not in ("config", LEXICON_BACKEND):
        settings = dataclasses.replace(settings, backend=backend)
    model: SentimentModel
    whole_item = False  # news items read as one text: the news model's rule (nlp.news_item)
    try:
        if backend == LEXICON_BACKEND:
            model = LexiconSentimentModel()
        elif head:
            from nlp.sentiment.loader import load_embedded_file

            model = load_embedded_file(Path(head))
        elif backend == "config" and is_news_csv(Path(data_file)):
            # News is measured with the model that scores news in the pipeline.
            news_model = load_news_model(settings)
            whole_item = news_model is not None
            model = news_model or load_sentiment_model(settings)
        else:
            model = load_sentiment_model(settings)
        result = evaluate_file(model, Path(data_file), whole_item=whole_item)
    except (ModelLoadError, DataError) as exc:
        raise click.ClickException(str(exc)) from exc
    record_figures(figures_path(app.config), model.name, model.version, result)
    report = result.report
    if as_json:
        payload = {
            **report.to_dict(),
            "kind": result.kind,
            "model_name": model.name,
            "model_version": model.version,
            "data": str(data_file),
        }
        click.echo(json.dumps(payload, ensure_ascii=False))
        return
    what = "nieuwsitems (kop + intro)" if result.kind == "news" else "teksten"
    click.echo(f"Model {model.name} (versie {model.version}) op {data_file}: {report.n} {what}")
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
