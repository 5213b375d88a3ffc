"""Incident benchmark: seeded synthetic stores with known incidents, through the real alerts.

Each scenario is a real SQLite store: a few topics with Poisson daily volumes for two weeks
and a few days, one watch on one topic, and 1–2 planted incidents (a burst of mostly negative
items on one topic, spread over six hours; two may overlap in time). `alerts.detect.run_alerts`
runs every `step_hours` over the simulated days, as the scheduler would. Then:

- an incident found is *true* when it holds at least half of one planted burst's items;
- precision = true incidents / incidents found; recall = bursts found / bursts planted;
- alerts per incident = alerts (incidents) per burst found — the goal is exactly 1.0.

Used by `make bench` (figures in incidents.json / incidents.md) and by a test with a floor.

Usage: python -m bench.incidents [--scenarios 30] [--out bench-results]
"""

from __future__ import annotations

import argparse
import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from alerts.detect import run_alerts
from bench.results import write_results
from core.config import Config
from core.records import Document, Watch, document_id_for_url
from newsroom.demo.synthetic import attach_analysis
from storage.adviser import save_watch
from storage.db import open_db
from storage.documents import upsert_document
from storage.incidents import list_incidents

TOPICS = ("verkeer-en-parkeren", "wonen", "veiligheid", "bestuur-en-politiek")
WATCHED_TOPIC = "verkeer-en-parkeren"
START = datetime(2026, 10, 1, tzinfo=UTC)
BURST_HOURS = 6


@dataclass(frozen=True)
class IncidentEvaluation:
    scenarios: int
    planted: int
    found: int
    true_incidents: int
    bursts_found: int
    alerts_per_burst: float

    @property
    def precision(self) -> float:
        return self.true_incidents / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.bursts_found / self.planted if self.planted else 1.0


def _add(db: Any, number: int, when: datetime, topic: str, label: str, watch_id: int,
         source: str) -> str:
    url = f"https://{source}.example/artikel/{number}"
    doc = Document(id=document_id_for_url(url), source_id=source, kind="news", url=url,
                   title=f"Bericht {number} over {topic}", text=f"Tekst {number}.",
                   published=when, fetched=when)
    upsert_document(db, doc)
    watches = (watch_id,) if topic == WATCHED_TOPIC and number % 2 == 0 else ()
    attach_analysis(db, doc.id, label, topics=(topic,), watch_ids=watches)
    return doc.id


def _scenario(seed: int, days: int, step_hours: int, strength: float,
              config: Config) -> tuple[list[set[str]], list[frozenset[str]]]:
    """Plant bursts in a fresh store, run the alerts, return (bursts, incident evidence)."""
    rng = np.random.default_rng(seed)
    db = open_db(":memory:")
    watch_id = save_watch(db, Watch(name="Binnenstad", query="binnenstad"))
    baseline_days = config.alerts.baseline_days
    sim_start = START + timedelta(days=baseline_days + 1)
    number = 0
    rates = {topic: float(rng.uniform(2.0, 10.0)) for topic in TOPICS}
    for day in range(baseline_days + 1 + days):
        for topic, rate in rates.items():
            for _ in range(int(rng.poisson(rate))):
                number += 1
                when = START + timedelta(days=day, hours=float(rng.uniform(0, 24)))
                label = "negatief" if rng.random() < 0.15 else "neutraal"
                _add(db, number, when, topic, label, watch_id, "bron")
    bursts: list[set[str]] = []
    for topic in rng.choice(TOPICS, size=int(rng.integers(1, 3)), replace=False):
        rate = rates[str(topic)]
        size = int(math.ceil(rate + strength * math.sqrt(rate)))
        begin = sim_start + timedelta(hours=int(rng.integers(6, max(7, days * 24 - 30))))
        burst = set()
        for _ in range(size):
            number += 1
            when = begin + timedelta(hours=float(rng.uniform(0, BURST_HOURS)))
            label = "negatief" if rng.random() < 0.7 else "neutraal"
            burst.add(_add(db, number, when, str(topic), label, watch_id, "burst"))
        bursts.append(burst)
    for hour in range(0, days * 24 + 1, step_hours):
        run_alerts(db, config, now=sim_start + timedelta(hours=hour, minutes=5), notify=False)
    evidence = [incident.evidence for incident in list_incidents(db, limit=1000)]
    db.conn.close()
    return bursts, evidence


def evaluate_incidents(seed: int = 5, scenarios: int = 20, days: int = 3, step_hours: int = 1,
                       strength: float = 4.0, config: Config | None = None) -> IncidentEvaluation:
    """Run `scenarios` seeded scenarios and score the incidents against the planted bursts."""
    config = config or Config()
    planted = found = true_incidents = bursts_found = matched_alerts = 0
    for index in range(scenarios):
        bursts, incidents = _scenario(seed * 1000 + index, days, step_hours, strength, config)
        planted += len(bursts)
        found += len(incidents)
        hits = [[len(burst & evidence) * 2 >= len(burst) for burst in bursts]
                for evidence in incidents]
        true_incidents += sum(any(row) for row in hits)
        for b in range(len(bursts)):
            matching = sum(row[b] for row in hits)
            if matching:
                bursts_found += 1
                matched_alerts += matching
    return IncidentEvaluation(
        scenarios=scenarios, planted=planted, found=found, true_incidents=true_incidents,
        bursts_found=bursts_found,
        alerts_per_burst=round(matched_alerts / bursts_found, 3) if bursts_found else 0.0,
    )


def run(results_dir: Path, scenarios: int = 30) -> dict[str, Any]:
    """Run the benchmark, write incidents.json and incidents.md, and return the summary."""
    result = evaluate_incidents(scenarios=scenarios)
    summary = {"incident_precision": round(result.precision, 3),
               "incident_recall": round(result.recall, 3),
               "alerts_per_incident": result.alerts_per_burst}
    details = {**result.__dict__, **summary}
    lines = [
        "# Incident benchmark", "",
        f"{result.scenarios} synthetic stores, {result.planted} planted bursts, "
        f"{result.found} incidents found.", "",
        "| precision | recall | alerts per incident (goal 1.0) |", "| --- | --- | --- |",
        f"| {summary['incident_precision']} | {summary['incident_recall']} | "
        f"{summary['alerts_per_incident']} |",
    ]
    write_results(results_dir, "incidents", details, "\n".join(lines) + "\n")
    return summary


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scenarios", type=int, default=30, help="How many seeded stores.")
    parser.add_argument("--out", default="bench-results", help="Folder for the results files.")
    args = parser.parse_args()
    print(json.dumps(run(Path(args.out), args.scenarios), indent=2))
