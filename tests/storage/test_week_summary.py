"""The "Deze week" figures on a real store (SQLite and PostgreSQL), and their Dutch wording."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.records import Document, Source, document_id_for_url
from dashboard.week_card import sentences
from newsroom.demo.synthetic import attach_analysis
from storage.alerts import Alert
from storage.crawl_log import upsert_source
from storage.incidents import create_incident
from storage.stories import Story, replace_stories
from storage.week_summary import week_figures, week_windows

TZ = ZoneInfo("Europe/Amsterdam")
TODAY = date(2026, 12, 3)  # a Thursday; the week started on Monday 30 November


def _doc(db, key: str, when: datetime, label: str | None, topic: str = "verkeer",
         source: str = "krant") -> str:
    url = f"https://{source}.invalid/{key}"
    doc = Document(id=document_id_for_url(url), source_id=source, kind="news", url=url,
                   title=f"Titel {key}", text=f"Tekst over {key}.", published=when, fetched=when)
    from storage.documents import upsert_document

    upsert_document(db, doc)
    if label:
        attach_analysis(db, doc.id, label, topics=(topic,))
    return doc.id


@pytest.fixture
def store(any_db):
    db = any_db
    for source in ("krant", "omroep", "blad"):
        upsert_source(db, Source(id=source, name=source.title(), kind="news", type="rss",
                                 url=f"https://{source}.invalid/feed"))
    return db


def test_week_windows_are_local_days_in_utc() -> None:
    now, before = week_windows(TODAY, TZ)
    # Monday 30 November 00:00 in Amsterdam (CET, UTC+1) is Sunday 23:00 UTC.
    assert (now.start, now.end) == ("2026-11-29T23:00:00+00:00", "2026-12-03T23:00:00+00:00")
    assert (before.start, before.end) == ("2026-11-22T23:00:00+00:00",
                                          "2026-11-26T23:00:00+00:00")


def test_figures_compare_the_same_days_of_last_week(store) -> None:
    db = store
    monday = datetime(2026, 11, 29, 23, 30, tzinfo=UTC)  # Monday 00:30 local
    ids_now = [_doc(db, f"nu{i}", monday + timedelta(hours=10 * i),
                    "negatief" if i < 3 else "positief") for i in range(6)]
    _doc(db, "ongescoord", monday + timedelta(hours=5), None)
    _doc(db, "zondag-laat", datetime(2026, 11, 29, 22, 30, tzinfo=UTC), "negatief")  # last week
    for i in range(4):  # last week, Monday to Thursday
        _doc(db, f"oud{i}", monday - timedelta(days=7) + timedelta(hours=20 * i),
             "negatief" if i == 0 else "neutraal", topic="zorg")
    _doc(db, "oud-vrijdag", datetime(2026, 11, 27, 12, 0, tzinfo=UTC), "negatief")  # not same days
    fig = week_figures(db, TODAY, TZ)
    assert (fig.n_now, fig.scored_now, fig.neg_now) == (7, 6, 3)
    assert (fig.n_before, fig.scored_before, fig.neg_before) == (4, 4, 1)
    assert fig.share_now == 0.5 and fig.share_before == 0.25
    assert fig.topics[0] == {"topic": "verkeer", "n_now": 6, "n_before": 0}
    assert {"topic": "zorg", "n_now": 0, "n_before": 4} in fig.topics
    assert fig.incident is None and fig.story is None
    del ids_now


def test_biggest_incident_and_the_story_that_moved(store) -> None:
    db = store
    start = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    grow = [_doc(db, f"brug{i}", start + timedelta(hours=i), "negatief",
                 source=("krant", "omroep", "blad")[i % 3]) for i in range(5)]
    steady_old = [_doc(db, f"markt-oud{i}", start - timedelta(days=7, hours=-i), "neutraal")
                  for i in range(3)]
    steady_new = [_doc(db, f"markt{i}", start + timedelta(hours=i), "neutraal") for i in range(4)]
    window = grow + steady_old + steady_new
    stories = [Story("s-brug", "brug", start, start, 5), Story("s-markt", "markt", start, start, 7)]
    membership = {**{d: "s-brug" for d in grow}, **{d: "s-markt" for d in steady_old + steady_new}}
    replace_stories(db, window, stories, membership)
    for peak, key, created in ((12, "klein", start), (40, "groot", start + timedelta(hours=2)),
                               (99, "oud", start - timedelta(days=20))):
        alert = Alert(kind="negative_spike", scope_type="overall", scope_key="alles",
                      window_start=created, window_end=created, figures={},
                      message=f"Melding {key}", dedupe_key=key, created=created)
        create_incident(db, alert, ("overall:alles",), frozenset(grow), peak)
    fig = week_figures(db, TODAY, TZ)
    assert fig.incident is not None and fig.incident["peak_count"] == 40
    assert fig.incident["message"].startswith("Melding groot")
    assert fig.story == {"story_id": "s-brug", "n_now": 5, "n_before": 0, "outlets": 3,
                         "title": "Titel brug0"}

    lines = sentences(fig, TZ)
    text = "\n".join(lines)
    assert lines[0].startswith("Deze week (maandag 30 november tot en met do 3 december): "
                               "9 berichten.")
    assert "vorige week in dezelfde dagen waren er nog geen" not in lines[0]
    assert "6 meer dan in dezelfde dagen vorige week (3); dat is 200% meer" in lines[0]
    assert "56% van de beoordeelde berichten is negatief (5 van 9)" in text
    assert "56 procentpunt hoger dan vorige week (0%" in text
    # Local time: created 10:00 UTC is 11:00 in Amsterdam.
    assert ("Grootste melding: veel meer negatieve berichten dan normaal, met op het hoogste "
            "punt 40 berichten (begonnen ma 30 november om 11:00)") in text
    assert "\u201cTitel brug0\u201d, met 5 berichten bij 3 bronnen" in text
    assert "meer over verkeer (3 \u2192 9)" in text
    assert "negative_spike" not in text and "None" not in text


def test_an_empty_week_still_reads_well(store) -> None:
    lines = sentences(week_figures(store, TODAY, TZ), TZ)
    assert lines[0].endswith("0 berichten. Dat is net als vorige week.")
    assert "nog geen bericht op sentiment beoordeeld" in lines[1]
    assert lines[2] == "Deze week waren er geen meldingen."
