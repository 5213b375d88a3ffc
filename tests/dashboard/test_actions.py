"""Every role × every dashboard write, at the service layer (dashboard.actions) on a real
SQLite file: what is allowed happens (and is audited), what is not is refused and leaves
the store unchanged."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlite_utils

from core.records import Document, Watch, document_id_for_url, utcnow
from dashboard import actions
from dashboard.roles import SessionUser
from storage.adviser import list_annotations, list_watches
from storage.audit import list_events
from storage.documents import upsert_document
from storage.watch_edits import WatchNameTaken, create_watch, find_watch

USERS = {
    "adviser": SessionUser("ann", "adviser"),
    "project_lead": SessionUser("lead", "project_lead", ("Zwembad",)),
    "management": SessionUser("baas", "management"),
}
URL = "https://dordtcentraal.invalid/a"
DOC = document_id_for_url(URL)


@pytest.fixture
def store(file_db: sqlite_utils.Database) -> sqlite_utils.Database:
    now = utcnow()
    upsert_document(file_db, Document(id=DOC, source_id="dc", kind="news", url=URL,
                                      title="Zwembad dicht", text="Het zwembad gaat dicht.",
                                      published=now, fetched=now))
    create_watch(file_db, Watch(name="Zwembad", query="zwembad"))  # the lead's, by config
    create_watch(file_db, Watch(name="Markt", query="markt", owner="lead"))  # by owner
    create_watch(file_db, Watch(name="Spoorzone", query="spoorzone", owner="piet"))
    return file_db


def _watch(db: sqlite_utils.Database, watch_id: int) -> Watch:
    found = find_watch(db, watch_id)
    assert found is not None
    return found


def _id(db: sqlite_utils.Database, name: str) -> int:
    return next(w.id for w in list_watches(db) if w.name == name and w.id is not None)


def create(db, user):  # type: ignore[no-untyped-def]
    return actions.save_watch_as(db, user, Watch(name="Brug", query="brug"))


def edit_own_by_config(db, user):  # type: ignore[no-untyped-def]
    return actions.save_watch_as(db, user, Watch(name="Zwembad", query="zwembad OR bad",
                                                 id=_id(db, "Zwembad")))


def edit_own_by_owner(db, user):  # type: ignore[no-untyped-def]
    return actions.save_watch_as(db, user, Watch(name="Markt", query="markt OR kramen",
                                                 owner="lead", id=_id(db, "Markt")))


def edit_other(db, user):  # type: ignore[no-untyped-def]
    return actions.save_watch_as(db, user, Watch(name="Spoorzone", query="overgenomen",
                                                 owner=user.username, id=_id(db, "Spoorzone")))


def rename_onto_other(db, user):  # type: ignore[no-untyped-def]
    return actions.save_watch_as(db, user, Watch(name="Spoorzone", query="overgenomen",
                                                 owner="lead", id=_id(db, "Markt")))


def correction(db, user):  # type: ignore[no-untyped-def]
    return actions.annotate_as(db, user, DOC, "correction", "positief")


def tag(db, user):  # type: ignore[no-untyped-def]
    return actions.annotate_as(db, user, DOC, "tag", "raad")


def note(db, user):  # type: ignore[no-untyped-def]
    return actions.annotate_as(db, user, DOC, "note", "Speelt al weken.")


ACTIONS: dict[str, Callable] = {
    "create": create, "edit_own_by_config": edit_own_by_config,
    "edit_own_by_owner": edit_own_by_owner, "edit_other": edit_other,
    "rename_onto_other": rename_onto_other, "correction": correction, "tag": tag, "note": note,
}
ALLOWED = {
    "adviser": {"create", "edit_own_by_config", "edit_own_by_owner", "edit_other", "correction",
                "tag", "note"},
    "project_lead": {"create", "edit_own_by_config", "edit_own_by_owner", "tag", "note"},
    "management": set(),
}


def _snapshot(db: sqlite_utils.Database) -> tuple:
    return (sorted((w.id, w.name, w.query, w.owner) for w in list_watches(db)),
            len(list_annotations(db)))


@pytest.mark.parametrize("role", list(USERS))
@pytest.mark.parametrize("action", list(ACTIONS))
def test_role_by_action(store: sqlite_utils.Database, role: str, action: str) -> None:
    user = USERS[role]
    before = _snapshot(store)
    if action in ALLOWED[role]:
        ACTIONS[action](store, user)
        assert _snapshot(store) != before
        assert list_events(store)[0].actor == user.username
    else:
        expected = WatchNameTaken if (action == "rename_onto_other"
                                      and role != "management") else actions.NotAllowed
        with pytest.raises(expected):
            ACTIONS[action](store, user)
        assert _snapshot(store) == before
        assert list_events(store) == []


def test_a_project_lead_always_owns_what_they_save(store: sqlite_utils.Database) -> None:
    lead = USERS["project_lead"]
    new_id = actions.save_watch_as(store, lead, Watch(name="Haven", query="haven",
                                                      owner="piet"))
    assert _watch(store, new_id).owner == "lead"
    markt = _id(store, "Markt")
    actions.save_watch_as(store, lead, Watch(name="Markt", query="markt", owner="piet",
                                             id=markt))
    assert _watch(store, markt).owner == "lead"  # cannot give it away either
    zwembad = _id(store, "Zwembad")
    actions.save_watch_as(store, lead, Watch(name="Zwembad Noord", query="zwembad", id=zwembad))
    renamed = _watch(store, zwembad)
    assert renamed.name == "Zwembad Noord" and lead.owns(renamed)  # still theirs after rename


def test_an_adviser_may_hand_a_watch_to_an_owner(store: sqlite_utils.Database) -> None:
    spoor = _id(store, "Spoorzone")
    actions.save_watch_as(store, USERS["adviser"],
                          Watch(name="Spoorzone", query="spoorzone", owner="lead", id=spoor))
    assert _watch(store, spoor).owner == "lead"
    assert [e.action for e in list_events(store)] == ["watch.update"]


def test_a_removed_watch_cannot_be_edited(store: sqlite_utils.Database) -> None:
    with pytest.raises(actions.NotAllowed):
        actions.save_watch_as(store, USERS["adviser"], Watch(name="Weg", query="x", id=9999))
