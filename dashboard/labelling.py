"""The dashboard's sentiment writes: bulk corrections and tags, rules; and what they did.

Why apart from `dashboard.data`: these writes change the effective label of many documents
at once (storage.effective), so every cached read may be stale afterwards; they clear all
cached reads, not just one page's. Each write passes the user's role to storage, which
refuses what the role may not do.
"""

from __future__ import annotations

import logging

import streamlit as st

from dashboard.data import cached, client_address, connection
from storage.audit import record_event
from storage.bulk_labels import correct_documents, tag_documents
from storage.model_versions import ModelVersion, list_versions
from storage.rules import Rule, add_rule, list_rules, remove_rule

logger = logging.getLogger(__name__)


def forget_cached_reads() -> None:
    """After a sentiment change every chart, list and count may differ: drop all caches."""
    st.cache_data.clear()


def correct_many(path: str, document_ids: list[str], label: str, author: str,
                 role: str) -> int:
    """Set the sentiment of the selected documents (raises storage's LabelError)."""
    done = correct_documents(connection(path), document_ids, label, author=author, role=role)
    logger.info("bulk correction of %d documents to %s by %s", done, label, author)
    record_event(connection(path), actor=author, action="annotation.bulk_correction",
                 target=f"{done} berichten", detail=label, client=client_address())
    forget_cached_reads()
    return done


def tag_many(path: str, document_ids: list[str], tag: str, author: str, role: str) -> int:
    """Add one tag to the selected documents (raises storage's LabelError)."""
    done = tag_documents(connection(path), document_ids, tag, author=author, role=role)
    logger.info("bulk tag %r on %d documents by %s", tag, done, author)
    record_event(connection(path), actor=author, action="annotation.bulk_tag",
                 target=f"{done} berichten", detail=tag.strip()[:100], client=client_address())
    forget_cached_reads()  # the tag filter, the tag report and the table's labels column
    return done


@cached
def rules(path: str) -> list[Rule]:
    return list_rules(connection(path))


def new_rule(path: str, contains: str, label: str, author: str, role: str,
             source_id: str | None) -> Rule:
    """Store a rule and apply it to everything stored (raises storage's LabelError)."""
    rule = add_rule(connection(path), contains, label, author=author, role=role,
                    source_id=source_id)
    logger.info("rule %s added by %s: %d hits", rule.id, author, rule.hits)
    record_event(connection(path), actor=author, action="rule.add", target=str(rule.id),
                 detail=rule.describe(), client=client_address())
    forget_cached_reads()
    return rule


def drop_rule(path: str, rule_id: int, role: str, actor: str) -> int:
    """Remove a rule and undo its labels (raises storage's LabelError)."""
    undone = remove_rule(connection(path), rule_id, role=role)
    record_event(connection(path), actor=actor, action="rule.remove", target=str(rule_id),
                 detail=f"{undone} berichten terug", client=client_address())
    forget_cached_reads()
    return undone


@cached
def model_versions(path: str) -> list[ModelVersion]:
    """Retrained candidates, newest first, with figures and the promotion decision."""
    return list_versions(connection(path), limit=20)
