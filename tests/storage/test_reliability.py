"""Nothing lost in silence, in storage: snapshot exports, dead crawl runs closed with true
counts, scoring claims that split work and expire, and documents that keep their first
source (issue 13). Crawl-run recovery and claims run on SQLite and PostgreSQL (`any_db`)."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from core.records import Document, document_id_for_url
from storage.crawl_log import get_crawl_run, start_crawl_run
from storage.db import open_db, transaction
from storage.documents import DERIVED_TABLES, iter_documents, purge_older_than, upsert_document
from storage.leases import claim, release
from storage.recovery import close_interrupted_crawl_runs
from tests.pg_support import reconnect

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def doc(n: int, source: str = "courant", when: datetime = T0) -> Document:
    url = f"https://courant.example.nl/nieuws/{n}"
    return Document(id=document_id_for_url(url), source_id=source, kind="news", url=url,
                    title=f"Bericht {n}", text=f"Tekst van bericht {n}.", published=when,
                    fetched=when, language="nl")


def fill(db: Any, count: int, start: int = 0) -> None:
    with transaction(db):
        for n in range(start, start + count):
            upsert_document(db, doc(n, when=T0 + timedelta(minutes=n)))


# -- exports are snapshots ----------------------------------------------------------------

def test_export_is_a_snapshot_while_a_crawl_and_a_purge_commit(tmp_path: Path) -> None:
    path = tmp_path / "newsroom.db"
    exporter = open_db(path)
    fill(exporter, 3000)
    snapshot = {row[0] for row in exporter.execute("SELECT id FROM documents")}
    writer = open_db(path)

    exported: list[str] = []
    rows = iter_documents(exporter)
    for row in rows:
        exported.append(row["id"])
        if len(exported) == 100:
            # A crawl adds newer documents (they sort first) and a purge drops old ones,
            # both committed while the export is half-way.
            for n in range(5000, 5600):
                upsert_document(writer, doc(n, when=T0 + timedelta(days=30, minutes=n)))
            assert purge_older_than(writer, "news", T0 + timedelta(minutes=500)) == 500
    assert len(exported) == len(set(exported)), "duplicated rows"
    assert set(exported) == snapshot, "dropped or foreign rows"
    assert writer.execute("SELECT count(*) FROM documents").fetchone()[0] == 3100


def test_an_export_stopped_early_releases_its_snapshot(tmp_path: Path) -> None:
    db = open_db(tmp_path / "newsroom.db")
    fill(db, 10)
    rows = iter_documents(db)
    next(rows)
    rows.close()  # type: ignore[attr-defined]
    assert not db.conn.in_transaction


# -- crawl runs of dead processes -----------------------------------------------------------

def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_runs_of_a_dead_process_are_closed_with_counts_from_storage(any_db: Any) -> None:
    db = any_db
    fill(db, 3)  # stored before the run started: neither new nor updated
    started = T0 + timedelta(hours=1)
    run_id = start_crawl_run(db, "courant", started=started)
    db.execute("UPDATE crawl_runs SET pid = ? WHERE id = ?", [dead_pid(), run_id])
    for n in range(10, 14):  # four new documents written by the crawl before it was killed
        upsert_document(db, doc(n, when=started + timedelta(minutes=n)))
    upsert_document(db, doc(0, when=started + timedelta(minutes=1)))  # one fetched again
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        live_run = start_crawl_run(db, "courant", started=started)
        db.execute("UPDATE crawl_runs SET pid = ? WHERE id = ?", [alive.pid, live_run])
        assert close_interrupted_crawl_runs(db) == 1
        still = get_crawl_run(db, live_run)
        assert still is not None and still.status == "running"
    finally:
        alive.kill()
        alive.wait()
    run = get_crawl_run(db, run_id)
    assert run is not None and run.status == "interrupted" and run.ended is not None
    assert (run.stats.new, run.stats.updated) == (4, 1)
    assert [issue.reason for issue in run.issues] == ["interrupted"]


# -- claimed work ---------------------------------------------------------------------------

def test_a_claim_is_exclusive_until_released_or_expired(any_db: Any) -> None:
    first, second = any_db, reconnect(any_db)
    ids = [f"d{n}" for n in range(10)]
    assert claim(first, ids[:6], "scorer-a", now=T0) == ids[:6]
    assert claim(second, ids, "scorer-b", now=T0) == ids[6:]
    release(first, "scorer-a")
    assert claim(second, ids[:3], "scorer-b", now=T0) == ids[:3]


def test_a_dead_local_claimers_lease_is_freed_at_once(any_db: Any) -> None:
    import socket

    db = any_db
    dead = f"{socket.gethostname()}:{dead_pid()}:abcd1234"
    claim(db, ["d1"], dead, now=T0)
    assert claim(db, ["d1"], "next", now=T0 + timedelta(seconds=1)) == ["d1"]


def test_a_crashed_claimers_lease_expires(any_db: Any) -> None:
    db = any_db
    claim(db, ["d1", "d2"], "crashed", ttl=timedelta(minutes=15), now=T0)
    assert claim(db, ["d1", "d2"], "next", now=T0 + timedelta(minutes=14)) == []
    assert claim(db, ["d1", "d2"], "next", now=T0 + timedelta(minutes=16)) == ["d1", "d2"]


# -- a document keeps the source that published it first -------------------------------------

def test_a_later_linking_source_is_a_mention_not_the_owner(tmp_path: Path) -> None:
    db = open_db(tmp_path / "newsroom.db")
    assert upsert_document(db, doc(1, source="courant")) == "new"
    upsert_document(db, doc(1, source="aggregator", when=T0 + timedelta(hours=1)))
    upsert_document(db, doc(1, source="gemeente", when=T0 + timedelta(hours=2)))
    owner = db.execute("SELECT source_id FROM documents").fetchall()
    assert owner == [("courant",)]
    mentions = db.execute("SELECT source_id FROM document_mentions ORDER BY source_id")
    assert [row[0] for row in mentions] == ["aggregator", "gemeente"]
    assert ("document_mentions", "document_id") in DERIVED_TABLES
    assert ("score_leases", "document_id") in DERIVED_TABLES
