"""The demo's planted parking burst is exactly one incident.

The demo corpus is stored as the crawl would store it, with the corpus' own labels, topics
and places standing in for the model (scoring the whole demo takes minutes on a small CPU;
on a fully crawled and scored demo the same run gives one incident too — see the report of
issue 11). Then the real alert run: one incident, one alert, holding the burst.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from alerts.detect import run_alerts
from core.config import Config
from core.records import Document, Watch, document_id_for_url
from newsroom.demo.corpus import build_corpus, iter_valid
from newsroom.demo.synthetic import attach_analysis
from newsroom.demo.synthetic_words import PLACES
from storage.adviser import save_watch
from storage.documents import upsert_document
from storage.incidents import list_incidents

NOW = datetime(2026, 11, 20, 9, 15, tzinfo=UTC)
PLACE_CODES = {name: code for code, name, _level, _lat, _lon in PLACES}


def test_demo_parking_burst_is_one_incident(db: Any) -> None:
    corpus = build_corpus(now=NOW)
    watch_id = save_watch(db, Watch(name="Parkeren binnenstad", query="parkeren binnenstad"))
    burst: set[str] = set()
    for item in iter_valid(corpus):
        if item.published > corpus.anchor:
            continue
        url = f"http://127.0.0.1:8765/{item.outlet}/artikel/{item.slug}"
        doc_id = document_id_for_url(url)
        upsert_document(db, Document(
            id=doc_id, source_id=f"demo-{item.outlet}", kind="news", url=url, title=item.title,
            text=item.text, published=item.published, fetched=corpus.anchor, fictional=True))
        about_parking = item.topic == "parkeren" and item.place == "Binnenstad"
        attach_analysis(db, doc_id, item.polarity, topics=(item.topic,),
                        places=(PLACE_CODES[item.place],) if item.place in PLACE_CODES else (),
                        watch_ids=(watch_id,) if about_parking else ())
        if item.spike and item.published >= corpus.anchor - timedelta(hours=24):
            burst.add(doc_id)
    assert len(burst) >= 8
    new = run_alerts(db, Config(), now=corpus.anchor + timedelta(minutes=5), notify=False)
    assert len(new) == 1, [a.message for a in new]
    [incident] = list_incidents(db)
    assert burst <= incident.evidence
    assert "parkeren" in new[0].message and "%" not in new[0].message
    # An hour later the burst has grown no further: the incident is updated, not repeated.
    assert run_alerts(db, Config(), now=corpus.anchor + timedelta(hours=1, minutes=5),
                      notify=False) == []
