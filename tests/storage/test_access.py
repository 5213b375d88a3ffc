"""Access-control storage: login throttling, sessions, stored users and watch edits by id.

Each test runs on a real SQLite file and on a real PostgreSQL database (`any_db`); "a
restart" is a second connection to the same store. Times are passed in, so lockouts and idle
timeouts are checked without waiting.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from core.records import Watch
from storage import login_throttle as throttle
from storage.accounts import (
    AccountError,
    StoredUser,
    add_user,
    list_users,
    remove_user,
    set_password,
)
from storage.adviser import list_watches, save_watch
from storage.db import open_db
from storage.dialect import is_postgres
from storage.sessions import (
    HANDOFF_SECONDS,
    claim_for_cookie,
    create_session,
    purge_sessions,
    revoke_session,
    revoke_user_sessions,
    session_user,
    signing_key,
)
from storage.watch_edits import (
    WatchNameTaken,
    WatchNotFound,
    WatchOwnerChanged,
    create_watch,
    find_watch,
    update_watch,
)
from tests.pg_support import TEMPLATE, reconnect

T0 = 1_800_000_000.0


def test_user_lockout_after_limit_survives_restart_and_expires(any_db) -> None:
    db = any_db
    for attempt in range(throttle.USER_LIMIT - 1):
        assert throttle.record_failure(db, "Anna", f"10.0.0.{attempt}", T0 + attempt) is None
    assert throttle.current_lockout(db, "anna", "10.0.0.99", T0 + 5) is None
    lock = throttle.record_failure(db, " anna ", "10.0.0.50", T0 + 10)
    assert lock is not None and lock.scope == "user"
    assert lock.until == T0 + 10 + throttle.LOCK_SECONDS
    restarted = reconnect(db)  # a new process: the lock is still there
    db.conn.close()
    found = throttle.current_lockout(restarted, "ANNA", "10.9.9.9", T0 + 11)
    assert found == lock
    assert throttle.current_lockout(restarted, "bert", "10.9.9.9", T0 + 11) is None
    assert throttle.current_lockout(restarted, "anna", "x", lock.until + 1) is None  # expired


def test_client_lockout_covers_every_user_name(any_db) -> None:
    lock = None
    for attempt in range(throttle.CLIENT_LIMIT):
        lock = throttle.record_failure(any_db, f"name{attempt}", "192.0.2.7", T0 + attempt)
    assert lock is not None and lock.scope == "client"
    found = throttle.current_lockout(any_db, "somebody", "192.0.2.7", T0 + 30)
    assert found is not None and found.scope == "client"
    assert throttle.current_lockout(any_db, "somebody", "192.0.2.8", T0 + 30) is None


def test_success_resets_the_name_and_old_failures_fall_out_of_the_window(any_db) -> None:
    for attempt in range(throttle.USER_LIMIT - 1):
        throttle.record_failure(any_db, "anna", "10.0.0.1", T0 + attempt)
    throttle.record_success(any_db, "anna")
    assert throttle.record_failure(any_db, "anna", "10.0.0.1", T0 + 10) is None
    for attempt in range(throttle.USER_LIMIT - 2):
        throttle.record_failure(any_db, "bert", "10.0.0.2", T0 + attempt)
    later = T0 + throttle.WINDOW_SECONDS + 100  # the earlier failures no longer count
    assert throttle.record_failure(any_db, "bert", "10.0.0.2", later) is None
    assert throttle.record_failure(any_db, "bert", "10.0.0.2", later + 1) is None


def test_very_long_user_names_are_capped(any_db) -> None:
    throttle.record_failure(any_db, "x" * 10_000, "10.0.0.1", T0)
    keys = [row[0] for row in any_db.execute("SELECT key FROM login_throttle")]
    assert max(len(k) for k in keys) == throttle.MAX_KEY_CHARS


def test_session_lifecycle_idle_expiry_and_revocation(any_db) -> None:
    token = create_session(any_db, "anna", T0, lifetime_seconds=3600)
    assert session_user(any_db, token, T0 + 10, idle_seconds=600) == "anna"
    assert session_user(any_db, "not-a-token", T0 + 10, idle_seconds=600) is None
    assert session_user(any_db, token, T0 + 500, idle_seconds=600) == "anna"  # touched
    assert session_user(any_db, token, T0 + 1000, idle_seconds=600) == "anna"
    assert session_user(any_db, token, T0 + 3700, idle_seconds=10_000) is None  # expired
    idle = create_session(any_db, "anna", T0, lifetime_seconds=3600)
    assert session_user(any_db, idle, T0 + 601, idle_seconds=600) is None  # idle too long
    assert session_user(any_db, idle, T0 + 602, idle_seconds=10_000) is None  # and stays ended
    stored = [row[0] for row in any_db.execute("SELECT token_hash FROM dashboard_sessions")]
    assert token not in stored and idle not in stored  # only hashes are kept


def test_logout_and_user_wide_revocation(any_db) -> None:
    one = create_session(any_db, "anna", T0, 3600)
    two = create_session(any_db, "anna", T0, 3600)
    other = create_session(any_db, "bert", T0, 3600)
    revoke_session(any_db, one, T0 + 1)
    assert session_user(any_db, one, T0 + 2, 600) is None
    assert session_user(any_db, two, T0 + 2, 600) == "anna"
    assert revoke_user_sessions(any_db, "anna", T0 + 3) == 1
    assert session_user(any_db, two, T0 + 4, 600) is None
    assert session_user(any_db, other, T0 + 4, 600) == "bert"
    assert purge_sessions(any_db, T0 + 2 * 86_400) == 3


def test_a_session_becomes_a_cookie_once_and_only_soon_after_login(any_db) -> None:
    token = create_session(any_db, "anna", T0, 3600)
    assert claim_for_cookie(any_db, token, T0 + 1)
    assert not claim_for_cookie(any_db, token, T0 + 2)  # a replayed token gets no cookie
    late = create_session(any_db, "anna", T0, 3600)
    assert not claim_for_cookie(any_db, late, T0 + HANDOFF_SECONDS + 1)
    revoked = create_session(any_db, "anna", T0, 3600)
    revoke_session(any_db, revoked, T0)
    assert not claim_for_cookie(any_db, revoked, T0 + 1)


def test_signing_key_is_made_once_per_store(any_db, request, tmp_path: Path) -> None:
    key = signing_key(any_db)
    assert len(key) == 32 and signing_key(any_db) == key
    assert signing_key(reconnect(any_db)) == key  # another dashboard process, same store
    if not is_postgres(any_db):
        assert signing_key(open_db(tmp_path / "b.db")) != key
        return
    server = request.getfixturevalue("pg_server")
    name = server.create_database(template=TEMPLATE)
    other = open_db(server.url(name), migrate=False)
    try:
        assert signing_key(other) != key
    finally:
        other.conn.close()
        server.drop_database(name)


def test_stored_users(any_db) -> None:
    add_user(any_db, StoredUser("anna", "adviser", "$2b$hash", ("Zwembad",)))
    with pytest.raises(AccountError, match="already exists"):
        add_user(any_db, StoredUser("anna", "management", "$2b$other"))
    with pytest.raises(AccountError, match="Unknown role"):
        add_user(any_db, StoredUser("bert", "admin", "$2b$hash"))
    with pytest.raises(AccountError, match="1 to 100"):
        add_user(any_db, StoredUser(" ", "adviser", "$2b$hash"))
    set_password(any_db, "anna", "$2b$new")
    assert list_users(any_db) == [StoredUser("anna", "adviser", "$2b$new", ("Zwembad",))]
    with pytest.raises(AccountError):
        set_password(any_db, "nobody", "$2b$new")
    remove_user(any_db, "anna")
    assert list_users(any_db) == []
    with pytest.raises(AccountError):
        remove_user(any_db, "anna")


def test_watch_edits_go_by_id_and_never_overwrite_another_project(any_db) -> None:
    zwembad = create_watch(any_db, Watch(name="Zwembad", query="zwembad", owner="lead"))
    spoor = create_watch(any_db, Watch(name="Spoorzone", query="spoorzone", owner="piet"))
    with pytest.raises(WatchNameTaken):
        create_watch(any_db, Watch(name="Spoorzone", query="iets anders"))
    with pytest.raises(WatchNameTaken):  # the old take-over: rename onto another's name
        update_watch(any_db, Watch(name="Spoorzone", query="x", owner="lead", id=zwembad))
    assert find_watch(any_db, spoor) == Watch(name="Spoorzone", query="spoorzone",
                                               owner="piet", id=spoor)
    update_watch(any_db, Watch(name="Zwembad Noord", query="zwembad noord", owner="lead",
                                id=zwembad), expected_owner="lead")
    assert find_watch(any_db, zwembad) == Watch(name="Zwembad Noord", query="zwembad noord",
                                                 owner="lead", id=zwembad)
    with pytest.raises(WatchOwnerChanged):
        update_watch(any_db, Watch(name="Spoor", query="x", owner="lead", id=spoor),
                     expected_owner="lead")
    with pytest.raises(WatchNotFound):
        update_watch(any_db, Watch(name="Weg", query="x", id=9999))
    with pytest.raises(WatchNotFound):
        update_watch(any_db, Watch(name="Weg", query="x"))
    assert {w.name for w in list_watches(any_db)} == {"Zwembad Noord", "Spoorzone"}
    # Config sync still saves by name (storage.adviser.save_watch), untouched by this.
    assert save_watch(any_db, Watch(name="Spoorzone", query="spoor", owner="piet")) == spoor
