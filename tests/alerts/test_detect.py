"""Spike and silent-source detection over a real SQLite store, with dedupe and cooldown."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from alerts.detect import detect_alerts, run_alerts
from core.config import AlertSettings, Config
from storage.alerts import list_alerts

EXPECTED = {
    ("volume_spike", "overall", "alles"),
    ("negative_spike", "overall", "alles"),
    ("volume_spike", "topic", "verkeer"),
    ("negative_spike", "topic", "verkeer"),
    ("volume_spike", "watch", "Spuiboulevard"),
    ("negative_spike", "watch", "Spuiboulevard"),
}


def table_count(db: Any) -> int:
    return int(db.execute("SELECT count(*) FROM alerts").fetchone()[0])


def test_spikes_overall_per_topic_and_per_watch(db: Any, spike_scenario: Any) -> None:
    alerts = detect_alerts(db, Config(), spike_scenario.now)
    assert {(a.kind, a.scope_type, a.scope_key) for a in alerts} == EXPECTED
    watch = next(a for a in alerts if a.kind == "negative_spike" and a.scope_type == "watch")
    end = spike_scenario.now.replace(minute=0)
    assert (watch.window_start, watch.window_end) == (end - timedelta(hours=24), end)
    assert watch.figures["count"] == 12  # the future-dated item is not counted
    assert watch.figures["baseline_median"] == 0.0 and watch.figures["baseline_days"] == 14
    assert [item["id"] for item in watch.items] == list(reversed(spike_scenario.spike_ids))[:10]
    assert spike_scenario.future_id not in {i["id"] for a in alerts for i in a.items}
    assert watch.message.startswith(
        'Veel meer negatieve berichten over het project "Spuiboulevard" dan normaal: '
        "12 in de laatste 24 uur.")
    overall = next(a for a in alerts if a.kind == "volume_spike" and a.scope_type == "overall")
    assert overall.figures["count"] == 12 and overall.figures["baseline_median"] == 3.0
    # Stored, the six spikes on the same twelve posts are one incident with one alert.
    [stored] = run_alerts(db, Config(), now=spike_scenario.now)
    assert list_alerts(db)[0].items == stored.items
    assert [item["id"] for item in stored.items] == [item["id"] for item in watch.items]
    assert len(stored.figures["members"]) == 6


def test_running_twice_stores_nothing_twice(db: Any, spike_scenario: Any) -> None:
    now = spike_scenario.now
    assert len(run_alerts(db, Config(), now=now)) == 1
    assert run_alerts(db, Config(), now=now) == []
    assert run_alerts(db, Config(), now=now + timedelta(minutes=20)) == []
    assert table_count(db) == 1


def test_an_ongoing_spike_updates_its_incident(db: Any, spike_scenario: Any) -> None:
    now = spike_scenario.now
    run_alerts(db, Config(), now=now)
    assert run_alerts(db, Config(), now=now + timedelta(hours=5)) == []  # open incident
    assert run_alerts(db, Config(), now=now + timedelta(hours=13)) == []  # still the same one
    assert table_count(db) == 1
    updates = db.execute("SELECT updates FROM incidents").fetchone()[0]
    assert updates == 2
    # With a 1-hour cooldown an incident closes after an hour without spikes; the next
    # run that still sees the burst in its window opens a new one.
    short = Config(alerts=AlertSettings(cooldown_hours=1))
    assert run_alerts(db, short, now=now + timedelta(hours=15)) != []


def test_quiet_data_raises_nothing(db: Any, writer: Any) -> None:
    end = datetime(2026, 11, 20, 10, tzinfo=UTC)
    for day in range(0, 15):
        for i in range(4):
            writer.doc(f"Bericht {day}-{i}", end - timedelta(days=day, hours=i + 1), "neutraal")
    assert run_alerts(db, Config(), now=end) == []


def test_dry_detection_writes_nothing(db: Any, spike_scenario: Any) -> None:
    found = detect_alerts(db, Config(), spike_scenario.now)
    assert {(a.kind, a.scope_type, a.scope_key) for a in found} == EXPECTED
    assert table_count(db) == 0


def test_silent_and_failing_sources(db: Any, writer: Any) -> None:
    now = datetime(2026, 11, 20, 10, 30, tzinfo=UTC)
    for source_id, name in (("stil", "Stille Krant"), ("kapot", "Kapotte Site"),
                            ("gezond", "Gezonde Bron")):
        writer.source(source_id, name)
    writer.doc("Oud bericht", now - timedelta(hours=60), source="stil")
    writer.crawl_run("stil", now - timedelta(hours=1), ok=True)
    writer.doc("Vers bericht", now - timedelta(hours=1), source="gezond")
    writer.crawl_run("gezond", now - timedelta(hours=1), ok=True)
    writer.doc("Kapot maar recent", now - timedelta(hours=2), source="kapot")
    for hours in (3, 2, 1):
        writer.crawl_run("kapot", now - timedelta(hours=hours), ok=False)
    alerts = run_alerts(db, Config(), now=now)
    found = {(a.kind, a.scope_key) for a in alerts}
    assert found == {("silent_source", "stil"), ("failing_source", "kapot")}
    silent = next(a for a in alerts if a.kind == "silent_source")
    assert silent.figures["silent_hours"] == 60.0 and silent.figures["limit_hours"] == 48
    assert 'De bron "Stille Krant" heeft al 60 uur geen nieuwe berichten' in silent.message
    failing = next(a for a in alerts if a.kind == "failing_source")
    assert failing.figures["consecutive_failures"] == 3
    # A configured but disabled source is not watched.
    from core.records import Source

    disabled = Source(id="stil", name="Stille Krant", kind="news", type="rss",
                      url="https://stil.example/feed", enabled=False)
    enabled = Source(id="kapot", name="Kapotte Site", kind="news", type="rss",
                     url="https://kapot.example/feed")
    config = replace(Config(), sources=(disabled, enabled))
    assert {a.scope_key for a in detect_alerts(db, config, now + timedelta(days=1))} == {"kapot"}


def test_empty_store_raises_nothing(db: Any) -> None:
    assert run_alerts(db, Config(), now=datetime(2026, 11, 20, tzinfo=UTC)) == []


def test_documents_without_a_date_count_when_first_seen(db: Any) -> None:
    from core.records import Document
    from storage.documents import upsert_document

    now = datetime(2026, 11, 20, 10, 30, tzinfo=UTC)
    for i in range(6):
        upsert_document(db, Document(id=f"nodate{i}", source_id="ad", kind="news",
                                     url=f"https://ad.example/{i}", title=f"Zonder datum {i}",
                                     text="tekst", published=None,
                                     fetched=now - timedelta(hours=2)))
    [alert] = run_alerts(db, Config(), now=now)
    assert (alert.kind, alert.scope_type, alert.figures["count"]) == ("volume_spike", "overall", 6)
