"""Alerts, incidents, watches, stories, story keys and model versions: the same ids,
upserts and lookups on SQLite and PostgreSQL (issue 16); every test runs on both engines.

What these pin: ids come from `RETURNING id` (PostgreSQL has no lastrowid), a duplicate is
skipped by `ON CONFLICT DO NOTHING`, a replace is `ON CONFLICT … DO UPDATE` (one row, new
values), and an empty filter is `1 = 0`, never a bare `0`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import numpy as np
import pytest

from core.records import Watch
from core.timeutil import to_iso
from storage.alerts import (
    Alert,
    count_alerts_since,
    get_alert,
    insert_alert,
    last_alert_time,
    list_alerts,
    observations,
    record_delivery,
    undelivered_alerts,
)
from storage.incidents import create_incident, list_incidents, open_incidents, update_incident
from storage.model_versions import (
    PROMOTED,
    REJECTED,
    active_version,
    corrections_since,
    last_corrections_upto,
    list_versions,
    record_version,
)
from storage.stories import (
    Story,
    delete_orphan_embeddings,
    embedded_documents,
    has_stories,
    list_stories,
    newest_embedded_time,
    replace_stories,
    stories_of_documents,
    story_documents,
)
from storage.syndication import save_story_keys, story_candidates
from storage.watch_config import config_state, remember_config_state
from storage.watch_edits import (
    WatchNameTaken,
    WatchOwnerChanged,
    create_watch,
    find_watch,
    update_watch,
)
from storage.watch_scores import (
    WatchScore,
    clear_watch_scores,
    forget_removed_watches,
    mark_watch_backfilled,
    save_watch_scores,
    watch_document_counts,
    watch_versions,
    watches_needing_backfill,
)
from tests.storage.signal_rows import (
    MONDAY,
    add_correction_annotation,
    add_doc,
    add_place,
    add_score,
    add_topic,
    add_watch_score,
    sentiment,
)


def _alert(key: str, hours: int = 0, scope_key: str = "verkeer") -> Alert:
    created = MONDAY + timedelta(hours=hours)
    return Alert(kind="volume_spike", scope_type="topic", scope_key=scope_key,
                 window_start=created - timedelta(days=1), window_end=created,
                 figures={"count": 12}, message="Veel berichten over verkeer.", dedupe_key=key,
                 created=created, items=[{"title": "Bericht"}])


# --- alerts and incidents --------------------------------------------------------------------


def test_alert_is_stored_once_with_its_id_and_found_by_every_filter(any_db: Any) -> None:
    first = insert_alert(any_db, _alert("a", 0))
    second = insert_alert(any_db, _alert("b", 2, scope_key="wonen"))
    assert first is not None and second is not None
    assert isinstance(first.id, int) and second.id == first.id + 1
    assert insert_alert(any_db, _alert("a", 5)) is None  # same dedupe key
    assert [a.id for a in list_alerts(any_db)] == [second.id, first.id]
    assert [a.id for a in list_alerts(any_db, since=MONDAY + timedelta(hours=1))] == [second.id]
    assert [a.id for a in list_alerts(any_db, until=MONDAY + timedelta(hours=1))] == [first.id]
    assert [a.id for a in list_alerts(any_db, scope_type="topic", scope_keys=("wonen",))] == [
        second.id]
    assert list_alerts(any_db, scope_keys=()) == []
    assert list_alerts(any_db, limit=1)[0].id == second.id
    stored = get_alert(any_db, first.id)
    assert stored is not None and stored.figures == {"count": 12}
    assert stored.items == [{"title": "Bericht"}] and stored.created == MONDAY
    assert get_alert(any_db, 999) is None
    assert count_alerts_since(any_db, MONDAY) == 2
    assert last_alert_time(any_db, "volume_spike", "topic", "verkeer") == MONDAY
    assert last_alert_time(any_db, "volume_spike", "topic", "nergens") is None


def test_failed_deliveries_are_found_whatever_the_case_of_error(any_db: Any) -> None:
    ids = [insert_alert(any_db, _alert(key)).id for key in "abc"]  # type: ignore[union-attr]
    record_delivery(any_db, ids[0], "email", "error: 550 mailbox unavailable")
    record_delivery(any_db, ids[1], "email", "ERROR: timeout")
    record_delivery(any_db, ids[2], "email", "ok 2 recipients")
    record_delivery(any_db, ids[2], "webhook", "error: 500")
    assert [a.id for a in undelivered_alerts(any_db, MONDAY, "email")] == ids[:2]
    assert [a.id for a in undelivered_alerts(any_db, MONDAY, "webhook")] == [ids[2]]
    with pytest.raises(ValueError, match="Unknown delivery channel"):
        undelivered_alerts(any_db, MONDAY, "sms")


def test_observations_carry_effective_labels_topics_watches_and_places(any_db: Any) -> None:
    first = add_doc(any_db, "1", when=MONDAY, title="Gat in de weg")
    second = add_doc(any_db, "2", when=MONDAY + timedelta(hours=1), title=" ",
                     text="Alleen tekst " * 20)
    outside = add_doc(any_db, "3", when=MONDAY + timedelta(days=3))
    add_score(any_db, first, "negatief")
    add_topic(any_db, first, "verkeer")
    add_topic(any_db, first, "wonen")
    add_topic(any_db, outside, "verkeer")
    add_place(any_db, first, "WK01", "Binnenstad")
    add_place(any_db, first, "GM0505", "Dordrecht", level="gemeente")
    watch_id = create_watch(any_db, Watch(name="Brug", query="brug"))
    add_watch_score(any_db, watch_id, first, "positief")
    got = observations(any_db, MONDAY, MONDAY + timedelta(days=1))
    assert [o.document_id for o in got] == [first, second]
    assert (got[0].label, got[0].p_neg, got[0].topics) == ("negatief", 0.7, ("verkeer", "wonen"))
    assert (got[0].watches, got[0].places) == ((("Brug", "positief"),), ("Binnenstad",))
    assert (got[1].label, got[1].p_neg) == (None, 0.0)
    assert got[1].title == ("Alleen tekst " * 20)[:140]
    assert observations(any_db, MONDAY - timedelta(days=9), MONDAY) == []


def test_incident_gets_its_id_and_grows_in_place(any_db: Any) -> None:
    alert = _alert("inc-1")
    incident = create_incident(any_db, alert, ("topic:verkeer",), frozenset({"d1"}), 5)
    assert incident is not None and incident.id >= 1
    stored_alert = get_alert(any_db, incident.alert_id)
    assert stored_alert is not None and stored_alert.figures["incident_id"] == incident.id
    assert create_incident(any_db, _alert("inc-1"), ("topic:x",), frozenset(), 1) is None
    later = MONDAY + timedelta(hours=3)
    grown = update_incident(any_db, incident, alert, ("watch:Brug",), frozenset({"d2"}), 3,
                            now=later)
    (stored,) = open_incidents(any_db, MONDAY + timedelta(hours=1))
    assert stored == grown
    assert stored.scopes == ("topic:verkeer", "watch:Brug") and stored.peak_count == 5
    assert stored.evidence == {"d1", "d2"} and stored.updates == 1 and stored.updated == later
    second = create_incident(any_db, _alert("inc-2", 1), ("topic:wonen",), frozenset(), 2)
    assert second is not None and second.id > incident.id
    assert [i.id for i in list_incidents(any_db)] == [second.id, incident.id]
    assert open_incidents(any_db, later + timedelta(seconds=1)) == []


# --- watches ---------------------------------------------------------------------------------


def test_watch_edits_by_id_with_names_and_owners_checked(any_db: Any) -> None:
    brug = create_watch(any_db, Watch(name="Brug", query="brug", owner="sam"))
    haven = create_watch(any_db, Watch(name="Haven", query="haven"))
    assert haven == brug + 1
    with pytest.raises(WatchNameTaken):
        create_watch(any_db, Watch(name="Brug", query="x"))
    doc_id = add_doc(any_db, "1")
    add_watch_score(any_db, brug, doc_id, "negatief")
    with pytest.raises(WatchOwnerChanged):
        update_watch(any_db, Watch(id=brug, name="Brug", query="brug"), expected_owner="kim")
    with pytest.raises(WatchNameTaken):
        update_watch(any_db, Watch(id=brug, name="Haven", query="brug"))
    update_watch(any_db, Watch(id=brug, name="Fietsbrug", query="fietsbrug", owner="sam",
                               active=False), expected_owner="sam")
    assert find_watch(any_db, brug) == Watch(id=brug, name="Fietsbrug", query="fietsbrug",
                                             owner="sam", active=False)
    assert watch_document_counts(any_db) == {}  # its scores went with the change
    assert find_watch(any_db, 999) is None


def test_watch_scores_replace_and_backfill_progress(any_db: Any) -> None:
    watch_id = create_watch(any_db, Watch(name="Brug", query="brug"))
    docs = [add_doc(any_db, str(i)) for i in range(2)]
    save_watch_scores(any_db, [WatchScore(watch_id, d, 1, sentiment("negatief")) for d in docs])
    save_watch_scores(any_db, [WatchScore(watch_id, docs[0], 3, sentiment("positief"))])
    rows = any_db.execute("SELECT document_id, mentions, label FROM watch_scores "
                          "ORDER BY mentions").fetchall()
    assert [tuple(r) for r in rows] == [(docs[1], 1, "negatief"), (docs[0], 3, "positief")]
    assert watch_document_counts(any_db) == {watch_id: 2}
    assert watches_needing_backfill(any_db) == [watch_id]
    query, updated = watch_versions(any_db)[watch_id]
    mark_watch_backfilled(any_db, watch_id, "oud", updated)
    assert watches_needing_backfill(any_db) == [watch_id]  # another query was applied
    mark_watch_backfilled(any_db, watch_id, query, updated)
    assert watches_needing_backfill(any_db) == []
    assert any_db.execute("SELECT count(*) FROM watch_progress").fetchone()[0] == 1
    clear_watch_scores(any_db, watch_id)
    assert watch_document_counts(any_db) == {}
    any_db.execute("DELETE FROM watches WHERE id = ?", [watch_id])
    assert forget_removed_watches(any_db) == 1
    assert forget_removed_watches(any_db) == 0


def test_config_state_is_replaced_per_watch_name(any_db: Any) -> None:
    remember_config_state(any_db, "Brug", "brug", None)
    remember_config_state(any_db, "Haven", "haven", "sam")
    remember_config_state(any_db, "Brug", "brug OR fietsbrug", "kim")
    assert config_state(any_db) == {"Brug": ("brug OR fietsbrug", "kim"),
                                    "Haven": ("haven", "sam")}


# --- stories, embeddings and story keys ------------------------------------------------------


def _story(story_id: str, label: str, size: int = 1) -> Story:
    return Story(story_id, label, MONDAY, MONDAY + timedelta(hours=size), size)


def _embed(db: Any, doc_id: str, vector: list[float], model: str = "enc:1") -> None:
    blob = np.array(vector, dtype=np.float32).tobytes()
    db.execute("INSERT INTO document_embeddings (document_id, model, dim, vector) "
               "VALUES (?, ?, ?, ?)", [doc_id, model, len(vector), blob])


def test_stories_are_replaced_counted_and_listed(any_db: Any) -> None:
    docs = [add_doc(any_db, str(i), when=MONDAY + timedelta(hours=i)) for i in range(3)]
    assert not has_stories(any_db)
    replace_stories(any_db, docs, [_story("s1", "Brug"), _story("s2", "Haven")],
                    {docs[0]: "s1", docs[1]: "s1", docs[2]: "s2"})
    assert {s.id: s.size for s in list_stories(any_db)} == {"s1": 2, "s2": 1}
    # A new clustering of the window: s2 loses its document and goes, s1 is relabelled.
    replace_stories(any_db, docs, [_story("s1", "Nieuwe brug", 3)],
                    {docs[0]: "s1", docs[1]: "s1", docs[2]: "s1"})
    (story,) = list_stories(any_db)
    assert (story.id, story.label, story.size) == ("s1", "Nieuwe brug", 3)
    assert story_documents(any_db, "s1") == docs
    assert stories_of_documents(any_db, [docs[0], "nope"]) == {docs[0]: "s1"}
    assert list_stories(any_db, since=MONDAY + timedelta(days=1)) == []
    assert has_stories(any_db)


def test_embeddings_by_model_and_orphans_removed(any_db: Any) -> None:
    first = add_doc(any_db, "1", when=MONDAY)
    second = add_doc(any_db, "2", when=MONDAY + timedelta(hours=5))
    _embed(any_db, first, [1.0, 0.5])
    _embed(any_db, second, [0.0, 1.0], model="enc:2")
    _embed(any_db, "gone", [1.0, 1.0])
    (embedded,) = embedded_documents(any_db, "enc:1")
    assert (embedded.document_id, embedded.vector.tolist()) == (first, [1.0, 0.5])
    assert embedded_documents(any_db, "enc:1", since=MONDAY + timedelta(hours=1)) == []
    assert newest_embedded_time(any_db, "enc:2") == MONDAY + timedelta(hours=5)
    assert newest_embedded_time(any_db, "enc:9") is None
    assert delete_orphan_embeddings(any_db) == 1
    assert delete_orphan_embeddings(any_db) == 0


def test_story_keys_are_replaced_and_found_across_sources(any_db: Any) -> None:
    ours = add_doc(any_db, "1", source="ad")
    theirs = add_doc(any_db, "1", source="nos")
    big = 2**62 + 7  # band keys use the whole signed 64-bit range
    save_story_keys(any_db, theirs, "nos", (1, 2, 3, 4))
    save_story_keys(any_db, theirs, "nos", (big, 20, 30, 40))  # after an edit
    save_story_keys(any_db, ours, "ad", (big, 0, 0, 0))
    assert story_candidates(any_db, (1, 2, 3, 4), "ad") == []
    (found,) = story_candidates(any_db, (9, 9, 9, 40), "ad")
    assert (found.document_id, found.source_id) == (theirs, "nos")
    assert [c.document_id for c in story_candidates(any_db, (big, 0, 0, 0), "x")] == [
        ours, theirs]
    assert story_candidates(any_db, (big, 0, 0, 0), "x", limit=1)[0].document_id == ours
    assert any_db.execute("SELECT count(*) FROM story_fingerprints").fetchone()[0] == 2


# --- model versions --------------------------------------------------------------------------


def _version(db: Any, decision: str, upto: int, minute: int) -> int:
    return record_version(
        db, path=f"/models/{minute}", name="embedded", version=f"v{minute}", method="ridge",
        n_train=100, n_corrections=5, corrections_upto=upto,
        figures={"dev": {"macro_f1": 0.7}}, champion={"dev": {"macro_f1": 0.6}},
        decision=decision, reason="beter", when=MONDAY + timedelta(minutes=minute))


def test_model_versions_ids_promotion_and_corrections_since(any_db: Any) -> None:
    assert active_version(any_db) is None and last_corrections_upto(any_db) == 0
    first = _version(any_db, PROMOTED, 3, 1)
    second = _version(any_db, REJECTED, 7, 2)
    assert second == first + 1
    active = active_version(any_db)
    assert active is not None and (active.id, active.active) == (first, True)
    third = _version(any_db, PROMOTED, 9, 3)
    assert [v.id for v in list_versions(any_db)] == [third, second, first]
    assert [v.active for v in list_versions(any_db)] == [True, False, False]
    assert list_versions(any_db)[0].figures == {"dev": {"macro_f1": 0.7}}
    assert last_corrections_upto(any_db) == 9
    with pytest.raises(ValueError, match="decision must be"):
        _version(any_db, "maybe", 0, 4)
    doc_id = add_doc(any_db, "1")
    ids = [add_correction_annotation(any_db, doc_id, "negatief") for _ in range(3)]
    assert corrections_since(any_db, ids[0]) == (2, ids[2])
    assert corrections_since(any_db, ids[2]) == (0, ids[2])
    assert to_iso(list_versions(any_db, limit=1)[0].created) == to_iso(
        MONDAY + timedelta(minutes=3))
