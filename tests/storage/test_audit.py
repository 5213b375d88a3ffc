"""The audit log is append-only: only the retention purge may delete, and only old rows.

On both engines (`any_db`): SQLite triggers and their PL/pgSQL twins refuse the same writes.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import freezegun
import pytest

from storage.audit import (
    AuditError,
    list_events,
    oldest_event_at,
    purge_events_older_than,
    record_event,
)
from storage.dialect import INTEGRITY_ERRORS


def test_record_and_list_newest_first_with_filters(any_db) -> None:
    with freezegun.freeze_time("2026-03-01 10:00:00"):
        record_event(any_db, actor="anna", action="login.success", client="10.0.0.5")
    with freezegun.freeze_time("2026-03-02 10:00:00"):
        record_event(any_db, actor="bert", action="login.failure", client="10.0.0.6")
        record_event(any_db, actor="anna", action="export.csv", target="documents", detail="12")
    events = list_events(any_db)
    assert [e.action for e in events] == ["export.csv", "login.failure", "login.success"]
    assert events[2].client == "10.0.0.5"
    assert events[2].at == datetime(2026, 3, 1, 10, tzinfo=UTC)
    assert [e.actor for e in list_events(any_db, action_prefix="login.")] == ["bert", "anna"]
    assert [e.action for e in list_events(any_db, actor="anna")] == [
        "export.csv",
        "login.success",
    ]
    since = datetime(2026, 3, 2, tzinfo=UTC)
    assert len(list_events(any_db, since=since)) == 2
    assert len(list_events(any_db, until=since)) == 1
    assert len(list_events(any_db, limit=1)) == 1
    assert oldest_event_at(any_db) == datetime(2026, 3, 1, 10, tzinfo=UTC)


def test_actor_and_action_are_required(any_db) -> None:
    with pytest.raises(AuditError, match="actor and an action"):
        record_event(any_db, actor="  ", action="export.csv")
    with pytest.raises(AuditError):
        record_event(any_db, actor="anna", action="")
    assert list_events(any_db) == []


def test_oversized_fields_are_capped(any_db) -> None:
    record_event(any_db, actor="anna", action="rule.update", detail="x" * 50_000)
    assert len(list_events(any_db)[0].detail) == 2_000


def test_update_and_delete_are_refused(any_db) -> None:
    record_event(any_db, actor="anna", action="erase", target="url:https://a.example/1")
    with pytest.raises(INTEGRITY_ERRORS, match="append-only"):
        any_db.execute("UPDATE audit_log SET actor = 'mallory'")
    with pytest.raises(INTEGRITY_ERRORS, match="append-only"):
        any_db.execute("DELETE FROM audit_log")
    assert [e.actor for e in list_events(any_db)] == ["anna"]


def test_purge_removes_only_rows_older_than_cutoff_and_records_itself(any_db) -> None:
    with freezegun.freeze_time("2025-01-01 00:00:00"):
        record_event(any_db, actor="anna", action="login.success")
    with freezegun.freeze_time("2026-06-01 00:00:00"):
        record_event(any_db, actor="bert", action="login.success")
        removed = purge_events_older_than(any_db, datetime(2026, 6, 1, tzinfo=UTC) - timedelta(
            days=365
        ))
    assert removed == 1
    assert [(e.actor, e.action) for e in list_events(any_db)] == [
        ("retention", "audit.purge"),
        ("bert", "login.success"),
    ]
    # The gate is closed again after the purge: plain deletes are refused as before.
    assert any_db.execute("SELECT count(*) FROM audit_purge_gate").fetchone()[0] == 0
    with pytest.raises(INTEGRITY_ERRORS):
        any_db.execute("DELETE FROM audit_log")


def test_purge_with_nothing_old_records_nothing(any_db) -> None:
    record_event(any_db, actor="anna", action="login.success")
    assert purge_events_older_than(any_db, datetime(2000, 1, 1, tzinfo=UTC)) == 0
    assert len(list_events(any_db)) == 1
