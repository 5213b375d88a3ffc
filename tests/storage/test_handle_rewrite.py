"""Migration 0026 rewrites social documents stored with a handle in link, post id and id."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

import storage.db as db_module
from core.records import Document, document_id_for_post
from storage.documents import get_document, upsert_document

BASE = "https://social.example"
OLD_URI = f"{BASE}/users/vera_v/statuses/109"
OLD_URL = f"{BASE}/@vera_v/109"
WHEN = datetime(2026, 3, 4, 10, tzinfo=UTC)


def old_post(post_uri: str, url: str, text: str) -> Document:
    return Document(
        id=document_id_for_post("mastodon", post_uri), source_id="masto", kind="social",
        url=url, title=text[:40], text=text, published=WHEN, fetched=WHEN,
        author_pseudonym="abc", platform="mastodon", post_id=post_uri,
    )


def test_old_rows_and_their_copies_lose_the_handle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    full = list(db_module.MIGRATIONS)
    names = [name for name, _ in full]
    before = full[: names.index("0026_privacy_handle_free_social_links")]
    monkeypatch.setattr(db_module, "MIGRATIONS", before)
    db = db_module.open_db(tmp_path / "old.db")
    doc = old_post(OLD_URI, OLD_URL, "Dank @vera_v@other.example en @Vera_V, tot zaterdag")
    upsert_document(db, doc)
    # The same status reached through a second instance: stored twice before, once after.
    twin = old_post(f"{BASE}/users/vera_v/statuses/109/", f"{BASE}/@vera_v/109/", "Zelfde")
    upsert_document(db, twin)
    news = Document(id="unews", source_id="ad", kind="news", url="https://ad.example/@home/1",
                    title="Nieuws", text="Nieuws over @vera_v", published=WHEN, fetched=WHEN)
    upsert_document(db, news)
    db["scores"].insert({"document_id": doc.id, "sentence_idx": -1, "label": "neutraal",  # type: ignore[union-attr]
                         "p_neg": 0.1, "p_neu": 0.8, "p_pos": 0.1, "model_name": "m",
                         "model_version": "1", "content_hash": "x", "scored_at": "2026-03-04"})
    db["alerts"].insert({"kind": "volume_spike", "scope_type": "overall", "scope_key": "",  # type: ignore[union-attr]
                         "window_start": "a", "window_end": "b", "figures_json": "{}",
                         "items_json": json.dumps([{"id": doc.id, "url": OLD_URL}]),
                         "dedupe_key": "k", "created": "2026-03-04"})
    db["digests"].insert({"week": "2026-W10", "recipient": "a@b.example", "subject": "s",  # type: ignore[union-attr]
                          "html": f'<a href="{OLD_URL}">x</a>', "text": f"x {OLD_URL}",
                          "created": "2026-03-09"})
    db.conn.close()

    monkeypatch.setattr(db_module, "MIGRATIONS", full)
    db = db_module.open_db(tmp_path / "old.db")
    new_id = document_id_for_post("mastodon", "social.example/109")
    stored = get_document(db, new_id)
    assert stored is not None
    assert stored.url == f"{BASE}/statuses/109" and stored.post_id == "social.example/109"
    assert stored.text == "Dank @gebruiker en @gebruiker, tot zaterdag"
    assert get_document(db, doc.id) is None and get_document(db, twin.id) is None
    assert db.execute("SELECT document_id FROM scores").fetchone()[0] == new_id
    items = json.loads(db.execute("SELECT items_json FROM alerts").fetchone()[0])
    assert items == [{"id": new_id, "url": f"{BASE}/statuses/109"}]
    dump = "\n".join(db.conn.iterdump())
    assert "vera_v" not in dump.replace("Nieuws over @vera_v", "")  # news text is untouched
    fts = db.execute("SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'vera_v'")
    assert fts.fetchone()[0] == 1  # only the news item, whose text is not a social post
    assert get_document(db, "unews").url == "https://ad.example/@home/1"  # type: ignore[union-attr]
