"""Labelling rules: "source X and text contains Y -> label Z", for past and future items.

Why rules: an adviser who sees the model misjudge a recurring kind of item (a column, a
weekly announcement) should fix it once. A rule is applied to every stored document when it
is added, and to new documents before each rollup refresh (`effective.apply_pending_rules`).
Each rule lists how many items it touched and can be removed: its labels go, and a document
it had labelled falls back to another matching rule or to the model. An adviser's own
correction always wins over a rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.records import utcnow
from core.timeutil import from_iso, to_iso
from storage.db import Database, transaction
from storage.effective import (
    LabelError,
    apply_pending_rules,
    check_label,
    check_role,
    days_of,
    label_by_rule,
)
from storage.nul import strip_nul
from storage.rollups import refresh_rollup_days

MIN_CONTAINS = 3
"""Shorter texts match almost everything ("de"), which no adviser means."""


@dataclass(frozen=True)
class Rule:
    """One stored rule and what it touched."""

    id: int
    source_id: str | None
    contains: str
    label: str
    author: str
    created: datetime
    hits: int
    """Documents the rule matched."""
    labelled: int
    """Of those, documents whose effective label comes from this rule now."""

    def describe(self) -> str:
        """Dutch, for lists: 'bron X en tekst bevat "Y" -> negatief'."""
        where = f"bron {self.source_id} en " if self.source_id else ""
        return f'{where}tekst bevat "{self.contains}" -> {self.label}'


def add_rule(db: Database, contains: str, label: str, author: str, role: str,
             source_id: str | None = None) -> Rule:
    """Store a rule, apply it to every stored document, and return it with its counts."""
    check_role(role)
    check_label(label)
    contains, author = " ".join(strip_nul(contains).split()), strip_nul(author)
    if len(contains) < MIN_CONTAINS:
        raise LabelError(f"The text to look for needs at least {MIN_CONTAINS} characters")
    if not author.strip():
        raise LabelError("A rule needs an author")
    source_id = (source_id or "").strip() or None
    if source_id is not None and db.execute(
        "SELECT 1 FROM sources WHERE id = ?", [source_id]
    ).fetchone() is None:
        raise LabelError(f"No source with id {source_id!r}")
    with transaction(db) as conn:
        rule_id = int(conn.execute(
            "INSERT INTO label_rules (source_id, contains, label, author, created, checked_num) "
            "VALUES (?, ?, ?, ?, ?, 0) RETURNING id",
            [source_id, contains[:500], label, author, to_iso(utcnow())],
        ).fetchone()[0])
        changed = apply_pending_rules(conn)
    refresh_rollup_days(db, sorted(days_of(db, changed)))
    rule = get_rule(db, rule_id)
    assert rule is not None
    return rule


def list_rules(db: Database) -> list[Rule]:
    """All rules, oldest first, with how many items each matched and labels now."""
    rows = db.execute(
        "SELECT r.id, r.source_id, r.contains, r.label, r.author, r.created, "
        "(SELECT count(*) FROM rule_hits h WHERE h.rule_id = r.id), "
        "(SELECT count(*) FROM label_overrides o WHERE o.origin = 'rule' AND o.rule_id = r.id) "
        "FROM label_rules r ORDER BY r.id"
    ).fetchall()
    return [
        Rule(id=r[0], source_id=r[1], contains=r[2], label=r[3], author=r[4],
             created=from_iso(r[5]) or utcnow(), hits=int(r[6]), labelled=int(r[7]))
        for r in rows
    ]


def get_rule(db: Database, rule_id: int) -> Rule | None:
    """The rule with this id, or None."""
    return next((rule for rule in list_rules(db) if rule.id == rule_id), None)


def remove_rule(db: Database, rule_id: int, role: str) -> int:
    """Remove a rule and undo its labels; returns how many documents lost its label.

    A document the rule had labelled falls back to the newest other rule that matched it,
    else to the model's own verdict. Corrections by an adviser are never touched.
    """
    check_role(role)
    with transaction(db) as conn:
        if conn.execute("SELECT 1 FROM label_rules WHERE id = ?", [rule_id]).fetchone() is None:
            raise LabelError(f"No rule with id {rule_id}")
        ids = [row[0] for row in conn.execute(
            "SELECT document_id FROM label_overrides WHERE origin = 'rule' AND rule_id = ?",
            [rule_id],
        )]
        conn.execute("DELETE FROM label_overrides WHERE origin = 'rule' AND rule_id = ?",
                     [rule_id])
        conn.execute("DELETE FROM rule_hits WHERE rule_id = ?", [rule_id])
        conn.execute("DELETE FROM label_rules WHERE id = ?", [rule_id])
        for document_id in ids:
            other = conn.execute(
                "SELECT r.id, r.label, r.author FROM rule_hits h JOIN label_rules r "
                "ON r.id = h.rule_id WHERE h.document_id = ? ORDER BY r.id DESC LIMIT 1",
                [document_id],
            ).fetchone()
            if other is not None:
                label_by_rule(conn, other[0], other[1], other[2], [document_id])
    refresh_rollup_days(db, sorted(days_of(db, ids)))
    return len(ids)
