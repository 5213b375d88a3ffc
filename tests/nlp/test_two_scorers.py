"""Two scorer processes split the work instead of both doing all of it (issue 13)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from storage.db import open_db
from tests.nlp.conftest import add_documents, make_document

ROOT = Path(__file__).resolve().parents[2]


def test_two_scoring_processes_split_the_documents(tmp_path: Path) -> None:
    path = tmp_path / "newsroom.db"
    db = open_db(path)
    add_documents(db, [
        make_document(f"https://courant.example.nl/{n}", f"Bericht {n}",
                      "De nieuwe brug is mooi. Bewoners zijn boos over de overlast.", day=n / 50)
        for n in range(200)
    ])
    start = tmp_path / "start"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get(
        "PYTHONPATH", "")])}
    scorers = [
        subprocess.Popen([sys.executable, str(ROOT / "tests" / "nlp" / "scorer_child.py"),
                          str(path), str(start)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, env=env, cwd=ROOT)
        for _ in range(2)
    ]
    start.touch()
    reports = []
    for scorer in scorers:
        out, err = scorer.communicate(timeout=300)
        assert scorer.returncode == 0, err[-2000:]
        reports.append(json.loads(out.strip().splitlines()[-1]))
    counts = [report["documents"] for report in reports]
    assert sum(counts) == 200, counts  # each document scored once, by one of them
    assert all(count > 0 for count in counts), counts  # and both did part of the work
    scored = db.execute("SELECT count(DISTINCT document_id) FROM scores "
                        "WHERE sentence_idx = -1").fetchone()[0]
    assert scored == 200
    assert db.execute("SELECT count(*) FROM score_leases").fetchone()[0] == 0
