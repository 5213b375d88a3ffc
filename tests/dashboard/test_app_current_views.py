"""The pages use the chart rules (AppTest, real SQLite file): rising topics selected on
Onderwerpen, peaks newest first on Overzicht, zero days in the series table."""

from __future__ import annotations

import re
from datetime import datetime

from core.wording import topic_label
from storage.dashboard_queries import emerging_topics
from storage.db import open_db

from .app_steps import login, page
from .conftest import Corpus


def test_onderwerpen_selects_the_rising_topics(corpus: Corpus) -> None:
    at = page(login("adviseur"), "onderwerpen")
    chosen = at.multiselect(key="onderwerpen_topics").value
    db = open_db(corpus.db_path)
    last = db.execute("SELECT max(day) FROM daily_topic_rollup").fetchone()[0]
    rows = emerging_topics(db, datetime.fromisoformat(last).date())
    rising = [r["topic"] for r in rows if r["recent"] and (r["growth"] is None or r["growth"] > 1)]
    assert chosen and rising, (chosen, rising)
    assert chosen[: min(len(rising), 5)] == rising[:5]
    options = at.multiselect(key="onderwerpen_topics").options
    # The options show each topic's name ("Verkeer en parkeren"), never its key.
    assert {topic_label(t) for t in chosen} <= set(options)


def test_overzicht_lists_peaks_newest_first(corpus: Corpus) -> None:
    at = login("baas")
    warnings = [w.value for w in at.warning if w.value.startswith("Pieken")]
    if warnings:  # the synthetic corpus has spikes; when it does, order must be newest first
        days = [datetime.strptime(d, "%d-%m-%Y") for d in re.findall(r"\d\d-\d\d-\d{4}",
                                                                      warnings[0])]
        assert days == sorted(days, reverse=True)
    assert warnings, "the fixture corpus should show at least one peak"
