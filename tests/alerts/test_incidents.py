"""One alert per incident: grouping by shared evidence, growth updates, separate bursts stay
separate, plain Dutch with local time, a dry run that respects open incidents and cooldowns,
and a floor on the synthetic incident benchmark."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from alerts.detect import detect_alerts, run_alerts
from alerts.incidents import plan_incidents
from bench.incidents import evaluate_incidents
from core.config import Config
from newsroom.cli.main import cli
from storage.alerts import list_alerts
from storage.incidents import list_incidents

NOW = datetime(2026, 11, 20, 10, 30, tzinfo=UTC)
END = NOW.replace(minute=0)


def _quiet(writer: Any) -> None:
    writer.source("ad", "AD Dordrecht")
    for day in range(1, 15):
        for i in range(4):
            topic = ("verkeer-en-parkeren", "wonen", "veiligheid", "cultuur")[i]
            writer.doc(f"Rustig {day}-{i}", END - timedelta(days=day, hours=i + 1), "neutraal",
                       topics=(topic,))


def _burst(writer: Any, topic: str, n: int, at: datetime, word: str) -> list[str]:
    return [writer.doc(f"{word} {i}", at - timedelta(minutes=20 * i), "negatief",
                       topics=(topic,), watches={"Binnenstad": "negatief"}
                       if topic == "verkeer-en-parkeren" else None)
            for i in range(n)]


def test_shared_evidence_is_one_incident_with_a_plain_dutch_message(db: Any,
                                                                    writer: Any) -> None:
    _quiet(writer)
    _burst(writer, "verkeer-en-parkeren", 14, END - timedelta(hours=1), "Boete parkeren")
    raw = detect_alerts(db, Config(), NOW)
    assert len([a for a in raw if a.kind.endswith("spike")]) >= 4  # overall, topic, watch
    [alert] = run_alerts(db, Config(), now=NOW, notify=False)
    assert (alert.scope_type, alert.scope_key, alert.kind) == ("watch", "Binnenstad",
                                                               "negative_spike")
    # 11:00 in Amsterdam (UTC+1) is 10:00 UTC, the window's start a day earlier.
    assert alert.message.startswith(
        '14 berichten over het project "Binnenstad" sinds gisteren 11:00; normaal zijn dat er '
        "bijna geen. 14 daarvan zijn negatief (normaal bijna geen).")
    assert "verkeer en parkeren" in alert.message and "alle berichten samen" in alert.message
    assert "verkeer-en-parkeren" not in alert.message and "%" not in alert.message
    assert len({item["id"] for item in alert.items}) == len(alert.items) == 10
    [incident] = list_incidents(db)
    assert incident.alert_id == alert.id and len(incident.evidence) == 14
    assert set(incident.scopes) == {"overall:alles", "topic:verkeer-en-parkeren",
                                    "watch:Binnenstad"}


def test_growth_updates_the_incident_instead_of_alerting_again(db: Any, writer: Any) -> None:
    _quiet(writer)
    _burst(writer, "verkeer-en-parkeren", 8, END - timedelta(hours=1), "Boete parkeren")
    [first] = run_alerts(db, Config(), now=NOW, notify=False)
    _burst(writer, "verkeer-en-parkeren", 20, END + timedelta(hours=2), "Nog meer boetes")
    assert run_alerts(db, Config(), now=NOW + timedelta(hours=3), notify=False) == []
    [stored] = list_alerts(db)
    assert stored.id == first.id and stored.figures["count"] == 28
    assert stored.message.startswith('28 berichten over het project "Binnenstad"')
    [incident] = list_incidents(db)
    assert incident.updates == 1 and incident.peak_count == 28 and len(incident.evidence) == 28


def test_two_different_bursts_are_two_incidents(db: Any, writer: Any) -> None:
    _quiet(writer)
    parking = set(_burst(writer, "verkeer-en-parkeren", 12, END - timedelta(hours=1), "Boete"))
    housing = set(_burst(writer, "wonen", 12, END - timedelta(hours=2), "Huurprotest"))
    new = run_alerts(db, Config(), now=NOW, notify=False)
    assert len(new) == 2
    incidents = list_incidents(db)
    assert sorted(len(i.evidence & parking) for i in incidents) == [0, 12]
    assert sorted(len(i.evidence & housing) for i in incidents) == [0, 12]
    subjects = sorted(a.scope_key for a in new)
    assert subjects == ["Binnenstad", "wonen"]


def test_dry_run_respects_open_incidents_and_writes_nothing(db: Any, writer: Any,
                                                            tmp_path: Path) -> None:
    _quiet(writer)
    _burst(writer, "verkeer-en-parkeren", 10, END - timedelta(hours=1), "Boete parkeren")
    plan = plan_incidents(db, Config(), NOW)
    assert len(plan.new) == 1 and plan.updates == [] and list_alerts(db) == []
    run_alerts(db, Config(), now=NOW, notify=False)
    later = plan_incidents(db, Config(), NOW + timedelta(hours=2))
    assert later.new == [] and len(later.updates) == 1
    config = tmp_path / "newsroom.toml"
    config.write_text(f'[storage]\npath = "{tmp_path / "newsroom.db"}"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["--config", str(config), "alerts"])
    assert result.exit_code == 0, result.output
    # The burst is in the past for the real clock, so the plan may be empty; what matters is
    # that the dry run stores nothing and counts with open incidents, not raw spikes.
    assert re.search(r"Proefdraaien: \d+ nieuwe melding\(en\); \d+ lopend", result.output)
    assert len(list_alerts(db)) == 1


def test_incident_benchmark_floor() -> None:
    result = evaluate_incidents(seed=9, scenarios=6, days=2, step_hours=2)
    # Measured: 7 bursts, 10 incidents, precision 0.7, recall 1.0, 1.0 alert per burst.
    # The false incidents are Poisson noise spikes the z >= 3 rule lets through.
    assert result.planted == 7
    assert result.recall >= 0.9
    assert result.alerts_per_burst == 1.0
    assert result.precision >= 0.6
