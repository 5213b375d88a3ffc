"""Rows for the signal-storage tests on both engines (issue 16), written with plain SQL.

Why not the digest tests' StoreWriter: it leans on modules other PostgreSQL ports own
(sources, annotations); these helpers touch only `documents` (through
`storage.documents.upsert_document`) and the tables the signal modules read.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from core.records import Document, Sentiment, document_id_for_url
from core.timeutil import to_iso
from storage.documents import upsert_document

MONDAY = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
PROBS = {"negatief": (0.7, 0.2, 0.1), "neutraal": (0.1, 0.8, 0.1), "positief": (0.1, 0.2, 0.7)}


def add_doc(db: Any, key: str, *, when: datetime | None = MONDAY, title: str = "Bericht",
            text: str = "Tekst over de stad.", source: str = "ad", kind: str = "news",
            fetched: datetime = MONDAY) -> str:
    """Store one document; returns its id (the URL is made from source and key)."""
    url = f"https://{source}.example/{key}"
    doc = Document(id=document_id_for_url(url), source_id=source, kind=kind,  # type: ignore[arg-type]
                   url=url, title=title, text=text, published=when, fetched=fetched)
    upsert_document(db, doc)
    return doc.id


def add_score(db: Any, doc_id: str, label: str, *, model: str = "m", version: str = "1",
              probs: tuple[float, float, float] | None = None) -> None:
    """The document-level score (sentence_idx -1) as the scorer leaves it."""
    p_neg, p_neu, p_pos = probs or PROBS[label]
    content_hash = db.execute("SELECT content_hash FROM documents WHERE id = ?",
                              [doc_id]).fetchone()[0]
    db.execute(
        "INSERT INTO scores (document_id, sentence_idx, label, p_neg, p_neu, p_pos, model_name, "
        "model_version, content_hash, scored_at) VALUES (?, -1, ?, ?, ?, ?, ?, ?, ?, ?)",
        [doc_id, label, p_neg, p_neu, p_pos, model, version, content_hash, to_iso(MONDAY)])


def add_topic(db: Any, doc_id: str, topic: str, score: float = 0.9) -> None:
    db.execute("INSERT INTO topics (document_id, topic, score, model_name) VALUES (?, ?, ?, 't')",
               [doc_id, topic, score])


def add_place(db: Any, doc_id: str, code: str, name: str, level: str = "wijk") -> None:
    db.execute(
        "INSERT INTO places (document_id, cbs_code, name, level, lat, lon, mentions) "
        "VALUES (?, ?, ?, ?, 51.8, 4.7, 1)", [doc_id, code, name, level])


def add_watch_score(db: Any, watch_id: int, doc_id: str, label: str) -> None:
    p_neg, p_neu, p_pos = PROBS[label]
    db.execute(
        "INSERT INTO watch_scores (watch_id, document_id, mentions, label, p_neg, p_neu, p_pos, "
        "model_name, model_version) VALUES (?, ?, 1, ?, ?, ?, ?, 'm', '1')",
        [watch_id, doc_id, label, p_neg, p_neu, p_pos])


def add_rule(db: Any, contains: str, label: str, source_id: str | None = None) -> int:
    """A label rule as storage.rules stores it (not yet applied: checked_num 0)."""
    row = db.execute(
        "INSERT INTO label_rules (source_id, contains, label, author, created, checked_num) "
        "VALUES (?, ?, ?, 'adviseur', ?, 0) RETURNING id",
        [source_id, contains, label, to_iso(MONDAY)]).fetchall()
    return int(row[0][0])


def add_correction_annotation(db: Any, doc_id: str, label: str) -> int:
    row = db.execute(
        "INSERT INTO annotations (document_id, kind, value, sentence_idx, author, created) "
        "VALUES (?, 'correction', ?, NULL, 'adviseur', ?) RETURNING id",
        [doc_id, label, to_iso(MONDAY)]).fetchall()
    return int(row[0][0])


def overrides(db: Any) -> dict[str, tuple[str, str, int | None]]:
    """document id -> (label, origin, rule id) of every stored override."""
    rows = db.execute("SELECT document_id, label, origin, rule_id FROM label_overrides")
    return {r[0]: (r[1], r[2], r[3]) for r in rows.fetchall()}


def sentiment(label: str, version: str = "1") -> Sentiment:
    """A model verdict of model "m" with clear probabilities for `label`."""
    p = {"negatief": (0.8, 0.1, 0.1), "neutraal": (0.1, 0.8, 0.1), "positief": (0.1, 0.1, 0.8)}
    return Sentiment(label, *p[label], model_name="m", model_version=version)  # type: ignore[arg-type]
