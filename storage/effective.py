"""A document's effective sentiment: an adviser's correction, else a rule, else the model.

Why one module: a correction must change every view at once (item view, tables, charts,
rollups, filters, exports, digest, alerts). Each reader joins `EFFECTIVE_JOIN` and selects
`EFFECTIVE_LABEL` / `EFFECTIVE_P_*` instead of the model's score, so no reader can forget
the correction. The model's own verdict stays readable as `MODEL_COLUMNS` ("model zei …").

`label_overrides` holds at most one row per document, written only here and by
`storage.rules`: origin 'correction' (an adviser, wins over everything) or 'rule'.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import datetime

from core.records import LABELS, utcnow
from core.timeutil import to_iso
from storage.db import Database
from storage.nul import strip_nul

EFFECTIVE_JOIN = (
    "LEFT JOIN scores s ON s.document_id = d.id AND s.sentence_idx = -1 "
    "LEFT JOIN label_overrides o ON o.document_id = d.id"
)
"""Joins a document `d` to its model score `s` and its override `o`."""

EFFECTIVE_LABEL = "coalesce(o.label, s.label)"


def _p(label: str) -> str:
    # A corrected document is certain: its probabilities become one-hot, so polarity sums
    # and "most negative" orderings follow the correction too.
    short = {"negatief": "neg", "neutraal": "neu", "positief": "pos"}[label]
    return (f"(CASE WHEN o.label IS NULL THEN s.p_{short} "
            f"WHEN o.label = '{label}' THEN 1.0 ELSE 0.0 END)")


EFFECTIVE_P_NEG = _p("negatief")
EFFECTIVE_P_NEU = _p("neutraal")
EFFECTIVE_P_POS = _p("positief")
EFFECTIVE_POLARITY = f"({EFFECTIVE_P_POS} - {EFFECTIVE_P_NEG})"

EFFECTIVE_COLUMNS = (
    f"{EFFECTIVE_LABEL} AS label, {EFFECTIVE_P_NEG} AS p_neg, {EFFECTIVE_P_NEU} AS p_neu, "
    f"{EFFECTIVE_P_POS} AS p_pos"
)
MODEL_COLUMNS = (
    "s.label AS model_label, s.p_neg AS model_p_neg, s.p_neu AS model_p_neu, "
    "s.p_pos AS model_p_pos, o.origin AS corrected_by, o.rule_id AS corrected_rule_id"
)
"""What the model said, and where the effective label came from (NULL: the model)."""

def watch_join(alias: str) -> str:
    """Joins a `watch_scores` row `alias` to its document's override `wo`.

    Why: a watch's figures (rollups, Projecten, digest, alerts, the item view) read the
    sentiment toward the watch's subject, which the model computed from the sentences that
    mention it. An adviser's correction (or a rule) is the truth for the whole item, so it
    replaces that model label too; otherwise a corrected item keeps counting as negative
    for the project while every document view says positive.
    """
    return f"LEFT JOIN label_overrides wo ON wo.document_id = {alias}.document_id"


def watch_label(alias: str) -> str:
    """The effective label of a watch score `alias` (needs `watch_join(alias)`)."""
    return f"coalesce(wo.label, {alias}.label)"


def watch_p(alias: str, label: str) -> str:
    """The effective probability of `label` for a watch score (one-hot when overridden)."""
    short = {"negatief": "neg", "neutraal": "neu", "positief": "pos"}[label]
    return (f"(CASE WHEN wo.label IS NULL THEN {alias}.p_{short} "
            f"WHEN wo.label = '{label}' THEN 1.0 ELSE 0.0 END)")


def watch_columns(alias: str) -> str:
    """`label, p_neg, p_neu, p_pos` of a watch score as they count (needs `watch_join`)."""
    return (f"{watch_label(alias)} AS label, {watch_p(alias, 'negatief')} AS p_neg, "
            f"{watch_p(alias, 'neutraal')} AS p_neu, {watch_p(alias, 'positief')} AS p_pos")


DOC_DAY = "substr(coalesce(d.published, d.first_seen), 1, 10)"


def like_escape(text: str) -> str:
    """`text` for a `LIKE … ESCAPE '\\'` pattern that matches it literally (% and _ too)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class LabelError(ValueError):
    """A label or role was not accepted; the message says what is."""


WRITER_ROLES = ("adviser",)
"""Roles that may change sentiment (corrections train the model, so project leads may not)."""


def check_role(role: str) -> None:
    """Raise `LabelError` unless `role` may change a document's sentiment."""
    if role not in WRITER_ROLES:
        raise LabelError(f"Role {role!r} may not change sentiment: only an adviser may")


def check_label(label: str) -> str:
    """The label itself, or `LabelError` naming the three accepted ones."""
    if label not in LABELS:
        raise LabelError(f"Use one of {', '.join(LABELS)}, not {label!r}")
    return label


def set_correction(conn: sqlite3.Connection, document_id: str, label: str,
                   author: str, when: datetime | None = None) -> None:
    """Make an adviser's correction the document's effective label (inside a transaction)."""
    conn.execute(
        "INSERT INTO label_overrides (document_id, label, origin, rule_id, author, updated) "
        "VALUES (?, ?, 'correction', NULL, ?, ?) ON CONFLICT(document_id) DO UPDATE SET "
        "label = excluded.label, origin = 'correction', rule_id = NULL, "
        "author = excluded.author, updated = excluded.updated",
        [document_id, label, strip_nul(author), to_iso(when or utcnow())],
    )


def days_of(db: Database, document_ids: Iterable[str]) -> set[str]:
    """The UTC days (YYYY-MM-DD) the rollups count these documents on."""
    ids = list(dict.fromkeys(document_ids))
    days: set[str] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        marks = ", ".join("?" for _ in chunk)
        days.update(
            row[0] for row in db.execute(
                f"SELECT DISTINCT {DOC_DAY} FROM documents d WHERE d.id IN ({marks})", chunk
            )
        )
    return days


def apply_pending_rules(conn: sqlite3.Connection) -> set[str]:
    """Apply every rule to the documents it has not checked yet; return the changed ids.

    Each rule remembers the highest document number it has checked (`checked_num`), so
    this is cheap to call before every rollup refresh: that is how a rule reaches future
    items before any chart, digest or alert counts them. A newer rule wins over an older
    one on the same document; an adviser's correction wins over every rule.
    """
    changed: set[str] = set()
    rules = conn.execute(
        "SELECT id, source_id, contains, label, author, checked_num FROM label_rules ORDER BY id"
    ).fetchall()
    top = conn.execute("SELECT coalesce(max(num), 0) FROM documents").fetchone()[0]
    for rule_id, source_id, contains, label, author, checked in rules:
        if checked >= top:
            continue
        # A substring test both engines run alike (no instr/strpos): LIKE with an escaped
        # pattern, both sides lowered in SQL as before.
        source_sql = "" if source_id is None else "AND d.source_id = ? "
        matches = [row[0] for row in conn.execute(
            f"SELECT d.id FROM documents d WHERE d.num > ? AND d.num <= ? {source_sql}"
            "AND lower(d.title || ' ' || d.text) LIKE '%' || lower(?) || '%' ESCAPE '\\'",
            [checked, top, *([] if source_id is None else [source_id]), like_escape(contains)],
        )]
        changed.update(label_by_rule(conn, rule_id, label, author, matches))
        conn.execute("UPDATE label_rules SET checked_num = ? WHERE id = ?", [top, rule_id])
    return changed


def label_by_rule(conn: sqlite3.Connection, rule_id: int, label: str, author: str,
                  document_ids: list[str]) -> list[str]:
    """Record the rule's hits and make it the effective label where nothing stronger is."""
    changed = []
    now = to_iso(utcnow())
    for document_id in document_ids:
        conn.execute("INSERT INTO rule_hits (rule_id, document_id) VALUES (?, ?) "
                     "ON CONFLICT DO NOTHING", [rule_id, document_id])
        cursor = conn.execute(
            "INSERT INTO label_overrides (document_id, label, origin, rule_id, author, updated) "
            "VALUES (?, ?, 'rule', ?, ?, ?) ON CONFLICT(document_id) DO UPDATE SET "
            "label = excluded.label, origin = 'rule', rule_id = excluded.rule_id, "
            "author = excluded.author, updated = excluded.updated "
            "WHERE label_overrides.origin = 'rule' AND label_overrides.rule_id <= excluded.rule_id",
            [document_id, label, rule_id, author, now],
        )
        if cursor.rowcount:
            changed.append(document_id)
    return changed
