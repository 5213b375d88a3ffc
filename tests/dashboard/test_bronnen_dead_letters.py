"""The Bronnen page lists queued tasks that failed for good (issue 16), as plain text."""

from __future__ import annotations

from storage.db import open_db
from storage.dead_letters import record_dead_letter

from .app_steps import login, page
from .conftest import Corpus


def test_bronnen_shows_no_dead_letter_block_without_workers(corpus: Corpus) -> None:
    at = page(login("adviseur"), "bronnen")
    assert "Taken die bleven mislukken (wachtrij)" not in [s.value for s in at.subheader]


def test_bronnen_lists_a_dead_lettered_crawl_with_its_error(corpus: Corpus) -> None:
    db = open_db(corpus.store)
    record_dead_letter(db, task="crawl_source", task_id="t-1", args=["ad-dordrecht"],
                       attempts=4, error="crawl failed: <b>HTTP 500</b>",
                       source_id="ad-dordrecht")
    db.conn.close()
    at = page(login("adviseur"), "bronnen")
    assert "Taken die bleven mislukken (wachtrij)" in [s.value for s in at.subheader]
    assert any("1 taken zijn na alle nieuwe pogingen opgegeven" in e.value for e in at.error)
    table = next(t.value for t in at.dataframe if "fout" in t.value.columns)
    row = table.iloc[0]
    assert (row["taak"], row["bron"], row["pogingen"]) == ("bron ophalen", "ad-dordrecht", 4)
    assert row["fout"] == "crawl failed: <b>HTTP 500</b>"  # kept as text, never rendered
