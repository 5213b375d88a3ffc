"""Crash soak: `kill -9` at random moments of crawl, score, export and backup, 20 times.

Against the demo site on 127.0.0.1 (the real spiders, the embedded model, the real CLI in
child processes). After every kill it checks the store; at the end it reports:

- lost: documents or document scores that were stored and then disappeared, plus documents
  a clean crawl of the same site stores that the soaked store lacks after recovering;
- duplicated: documents sharing a URL, score rows sharing (document, sentence);
- stuck runs: crawl runs still 'running' after the next start recovered them;
- orphans: crawl processes still alive after their `newsroom crawl` parent was killed;
- partial backups left behind after the next backup;
- export rows against the snapshot: an export read while another process writes must hold
  exactly the rows of its snapshot, none twice.

Usage: python -m bench.soak [--rounds 20] [--seed 13] [--out bench-results]
(`make soak`). Results in soak.json; exit 1 when any figure is not 0 / not equal.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.records import Document, document_id_for_url, utcnow
from newsroom.demo.config import write_demo_config
from newsroom.demo.site import DemoSite
from storage.backup import integrity_problems
from storage.db import Database, open_db
from storage.documents import count_documents, iter_documents, upsert_document
from storage.soak_checks import (
    count_scored_documents,
    delete_source_documents,
    document_ids,
    duplicate_rows,
    running_crawl_runs,
    scored_document_ids,
)

STEPS = ("crawl", "score", "export", "backup")
ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Figures:
    rounds: list[dict[str, Any]] = field(default_factory=list)
    lost: int = 0
    duplicated: int = 0
    orphans: int = 0
    integrity_problems: int = 0
    stuck_runs: int = 0
    partial_backups: int = 0
    missing_after_recovery: int = 0
    export_rows: int = 0
    export_snapshot: int = 0
    export_duplicates: int = 0

    def clean(self) -> bool:
        return (self.lost == self.duplicated == self.orphans == self.integrity_problems
                == self.stuck_runs == self.partial_backups == self.missing_after_recovery
                == self.export_duplicates == 0 and self.export_rows == self.export_snapshot)


def cli(config_path: Path, *args: str) -> list[str]:
    return [sys.executable, "-c", "from newsroom.cli.main import main; main()",
            "--config", str(config_path), *args]


def step_command(step: str, config_path: Path, workdir: Path) -> list[str]:
    return {
        "crawl": cli(config_path, "crawl", "--no-progress"),
        "score": cli(config_path, "score", "--no-progress", "--batch-size", "8"),
        "export": cli(config_path, "export", "-o", str(workdir / "export.csv")),
        "backup": cli(config_path, "backup", "now"),
    }[step]


def crawl_processes(config_path: Path) -> list[int]:
    """Pids of crawl children (`crawlers.run`) working for this config."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
            state = (entry / "stat").read_text().rsplit(")", 1)[-1].split()[0]
        except (OSError, IndexError):
            continue
        if state != "Z" and b"crawlers.run" in cmdline and str(config_path).encode() in cmdline:
            pids.append(int(entry.name))
    return pids


def store_state(db_path: Path) -> tuple[set[str], set[str]]:
    db = open_db(db_path)
    try:
        return document_ids(db), scored_document_ids(db)
    finally:
        db.conn.close()


def duplicates(db_path: Path) -> int:
    db = open_db(db_path)
    try:
        return duplicate_rows(db)
    finally:
        db.conn.close()


PROGRESS: dict[str, Callable[[Database], int]] = {
    "crawl": count_documents,
    "score": count_scored_documents,
}
MAX_WAIT_SECONDS = 300.0


def kill_mid_way(process: subprocess.Popen[bytes], step: str, rng: random.Random,
                 db_path: Path) -> tuple[bool, float]:
    """SIGKILL `process` at a random moment of its work: for crawl and score once the store
    shows a random amount of progress (so the kill lands mid-way, whatever the machine's
    speed), for export and backup after a random delay. (killed, seconds it ran)."""
    started = time.monotonic()
    progress = PROGRESS.get(step)
    db = open_db(db_path)
    try:
        baseline = progress(db) if progress else 0
        wanted = rng.randint(1, 80)
        delay = rng.uniform(0.2, 4.0)
        while process.poll() is None:
            elapsed = time.monotonic() - started
            if progress is not None:
                done = progress(db) - baseline
                due = done >= wanted or elapsed > MAX_WAIT_SECONDS
            else:
                due = elapsed > delay
            if due:
                process.send_signal(signal.SIGKILL)
                process.wait()
                return True, time.monotonic() - started
            time.sleep(0.05)
    finally:
        db.conn.close()
    return False, time.monotonic() - started


def one_round(index: int, rng: random.Random, config_path: Path, db_path: Path,
              workdir: Path, figures: Figures, env: dict[str, str]) -> None:
    step = STEPS[index % len(STEPS)]  # each step killed rounds/4 times, at random moments
    before_ids, before_scored = store_state(db_path)
    process = subprocess.Popen(step_command(step, config_path, workdir), cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    killed, delay = kill_mid_way(process, step, rng, db_path)
    orphans = crawl_processes(config_path)
    deadline = time.monotonic() + 10
    while orphans and time.monotonic() < deadline:
        time.sleep(0.2)
        orphans = crawl_processes(config_path)
    for pid in orphans:  # count them, then clear them so the next round starts clean
        os.kill(pid, signal.SIGKILL)
    after_ids, after_scored = store_state(db_path)
    problems = integrity_problems(db_path)
    lost = len(before_ids - after_ids) + len((before_scored & after_ids) - after_scored)
    dup = duplicates(db_path)
    figures.lost += lost
    figures.duplicated += dup
    figures.orphans += len(orphans)
    figures.integrity_problems += len(problems)
    figures.rounds.append({"round": index + 1, "step": step, "killed_after_s": round(delay, 2),
                           "killed": killed, "documents": len(after_ids),
                           "scored": len(after_scored), "lost": lost, "duplicated": dup,
                           "orphans": len(orphans)})
    print(f"round {index + 1:2}: {step:6} {'killed' if killed else 'ended '} after "
          f"{delay:5.2f}s  documents {len(after_ids):4}  scored {len(after_scored):4}  "
          f"lost {lost}  duplicated {dup}  orphans {len(orphans)}", flush=True)


def recover_and_check(config_path: Path, db_path: Path, reference: set[str], workdir: Path,
                      figures: Figures, env: dict[str, str]) -> None:
    """The next normal start: a crawl (closes dead runs) and a backup (removes partials)."""
    subprocess.run(cli(config_path, "crawl", "--no-progress"), cwd=ROOT, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    subprocess.run(cli(config_path, "backup", "now"), cwd=ROOT, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    db = open_db(db_path)
    try:
        figures.stuck_runs = running_crawl_runs(db)
        ids = document_ids(db)
    finally:
        db.conn.close()
    figures.missing_after_recovery = len(reference - ids)
    figures.partial_backups = len(list((workdir / "backups").glob("*.partial")))


def export_against_snapshot(db_path: Path, figures: Figures) -> None:
    """Export while another connection adds newer documents and deletes old ones."""
    reader, writer = open_db(db_path), open_db(db_path)
    try:
        rows = iter_documents(reader)
        exported = [next(rows)["id"]]
        figures.export_snapshot = count_documents(reader)  # inside the export's snapshot
        now = utcnow()
        for n in range(200):
            url = f"https://soak.example.nl/nieuw/{n}"
            upsert_document(writer, Document(
                id=document_id_for_url(url), source_id="soak", kind="news", url=url,
                title=f"Nieuw {n}", text="Tijdens de export toegevoegd.", published=now,
                fetched=now))
        exported += [row["id"] for row in rows]
        figures.export_rows = len(exported)
        figures.export_duplicates = len(exported) - len(set(exported))
        delete_source_documents(writer, "soak")
    finally:
        reader.conn.close()
        writer.conn.close()


def run(results_dir: Path, rounds: int = 20, seed: int = 13) -> dict[str, Any]:
    """Run the soak; writes soak.json in `results_dir` and returns its figures."""
    rng = random.Random(seed)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT), os.environ.get("PYTHONPATH", "")]),
        "NEWSROOM_PSEUDONYM_KEY": os.environ.get("NEWSROOM_PSEUDONYM_KEY",
                                                 "soak-only-pseudonym-key-0123456789")}
    os.environ["NEWSROOM_PSEUDONYM_KEY"] = env["NEWSROOM_PSEUDONYM_KEY"]
    figures = Figures()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="newsroom-soak-") as tmp:
        site = DemoSite(port=0).start()
        try:
            reference_dir, workdir = Path(tmp) / "reference", Path(tmp) / "soak"
            reference = write_demo_config(reference_dir, site.base_url)
            assert reference.path is not None
            subprocess.run(cli(reference.path, "crawl", "--no-progress"), cwd=ROOT, env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            reference_ids, _ = store_state(reference.storage_path)
            config = write_demo_config(workdir, site.base_url)
            assert config.path is not None
            for index in range(rounds):
                one_round(index, rng, config.path, config.storage_path, workdir, figures, env)
            recover_and_check(config.path, config.storage_path, reference_ids, workdir,
                              figures, env)
            export_against_snapshot(config.storage_path, figures)
        finally:
            site.stop()
    summary = {
        "rounds": rounds, "seed": seed, "seconds": round(time.monotonic() - started, 1),
        "reference_documents": len(reference_ids), "lost": figures.lost,
        "duplicated": figures.duplicated, "stuck_runs": figures.stuck_runs,
        "orphans": figures.orphans, "integrity_problems": figures.integrity_problems,
        "partial_backups": figures.partial_backups,
        "missing_after_recovery": figures.missing_after_recovery,
        "export_rows": figures.export_rows, "export_snapshot": figures.export_snapshot,
        "export_duplicates": figures.export_duplicates, "clean": figures.clean(),
    }
    results_dir.mkdir(parents=True, exist_ok=True)
    (results_dir / "soak.json").write_text(
        json.dumps({**summary, "per_round": figures.rounds}, indent=2), encoding="utf-8")
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--out", default="bench-results")
    args = parser.parse_args(argv)
    summary = run(Path(args.out), args.rounds, args.seed)
    print(json.dumps(summary, indent=2))
    return 0 if summary["clean"] else 1


if __name__ == "__main__":
    sys.exit(main())
