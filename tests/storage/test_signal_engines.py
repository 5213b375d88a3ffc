"""The signal modules' SQL (effective labels, rules, rollups, scores, baselines) gives the
same answers on SQLite and PostgreSQL (issue 16): every test runs on both engines.

What differs between the engines and is pinned here: PostgreSQL cannot sum a boolean or
multiply one, has no `instr`, its LIKE minds case, and it refuses `WHERE 1` and
`? IS NULL` on an untyped parameter.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import numpy as np
import pytest

from core.records import Sentence
from storage import baselines
from storage.db import transaction
from storage.effective import (
    EFFECTIVE_COLUMNS,
    EFFECTIVE_JOIN,
    MODEL_COLUMNS,
    apply_pending_rules,
    days_of,
    label_by_rule,
    set_correction,
    watch_columns,
    watch_join,
)
from storage.rollups import refresh_daily_rollup, refresh_rollup_days, rollup_is_stale
from storage.scores import (
    DocumentAnalysis,
    count_empty_documents,
    count_waiting,
    documents_to_score,
    models_in_use,
    save_analysis,
    scored_documents,
    stored_sentence_scores,
)
from storage.stories import embedded_documents
from tests.storage.signal_rows import (
    MONDAY,
    add_doc,
    add_place,
    add_rule,
    add_score,
    add_topic,
    add_watch_score,
    overrides,
    sentiment,
)

TUESDAY = MONDAY + timedelta(days=1)
DAY1, DAY2 = MONDAY.date().isoformat(), TUESDAY.date().isoformat()


def _watch(db: Any, name: str = "Brug") -> int:
    row = db.execute(
        "INSERT INTO watches (name, query, owner, active, created, updated) "
        "VALUES (?, ?, '', 1, '2026-11-01', '2026-11-01') RETURNING id", [name, name.lower()])
    return int(row.fetchall()[0][0])


def _apply(db: Any) -> set[str]:
    with transaction(db) as conn:
        return apply_pending_rules(conn)


# --- rules and corrections (storage.effective) -----------------------------------------------


def test_rule_text_matches_literally_and_ignores_ascii_case(any_db: Any) -> None:
    """% _ and \\ in a rule are plain characters (no LIKE wildcards), as instr() had them."""
    hits = {
        "pct": add_doc(any_db, "pct", title="Parkeren 100% duurder"),
        "under": add_doc(any_db, "under", title="Code a_b geldt"),
        "slash": add_doc(any_db, "slash", title="Map C:\\pad\\x"),
        "upper": add_doc(any_db, "upper", title="PARKEREN 100% DUURDER"),
    }
    misses = {
        "pct": add_doc(any_db, "pct-miss", title="Parkeren 100 procent duurder"),
        "under": add_doc(any_db, "under-miss", title="Code axb geldt"),
        "slash": add_doc(any_db, "slash-miss", title="Map C:pad"),
    }
    rules = {
        "pct": add_rule(any_db, "100% duurder", "negatief"),
        "under": add_rule(any_db, "a_b", "positief"),
        "slash": add_rule(any_db, "c:\\pad\\", "neutraal"),
    }
    changed = _apply(any_db)
    assert changed == set(hits.values())
    stored = overrides(any_db)
    assert stored[hits["pct"]] == ("negatief", "rule", rules["pct"])
    assert stored[hits["upper"]] == ("negatief", "rule", rules["pct"])
    assert stored[hits["under"]] == ("positief", "rule", rules["under"])
    assert stored[hits["slash"]] == ("neutraal", "rule", rules["slash"])
    assert not set(misses.values()) & set(stored)
    hit_rows = any_db.execute("SELECT count(*) FROM rule_hits").fetchone()[0]
    assert hit_rows == 4
    # Every rule has now checked every document: a second run changes nothing.
    assert _apply(any_db) == set()
    checked = {r[0] for r in any_db.execute("SELECT checked_num FROM label_rules").fetchall()}
    top = any_db.execute("SELECT max(num) FROM documents").fetchone()[0]
    assert checked == {top}


def test_rule_of_a_source_reaches_only_that_source_and_later_documents(any_db: Any) -> None:
    ours = add_doc(any_db, "1", title="Overlast bij de haven", source="ad")
    theirs = add_doc(any_db, "1", title="Overlast bij de haven", source="nos")
    rule = add_rule(any_db, "overlast", "negatief", source_id="ad")
    assert _apply(any_db) == {ours}
    later = add_doc(any_db, "2", title="Weer overlast", source="ad")
    assert _apply(any_db) == {later}
    assert set(overrides(any_db)) == {ours, later}
    assert theirs not in overrides(any_db)
    assert rule == overrides(any_db)[later][2]


def test_newer_rule_wins_and_a_correction_wins_over_every_rule(any_db: Any) -> None:
    corrected = add_doc(any_db, "c", title="Nieuwe brug")
    plain = add_doc(any_db, "p", title="Nieuwe brug open")
    with transaction(any_db) as conn:
        set_correction(conn, corrected, "positief", "adviseur")
    older = add_rule(any_db, "brug", "neutraal")
    newer = add_rule(any_db, "brug", "negatief")
    assert _apply(any_db) == {plain}
    assert overrides(any_db)[plain] == ("negatief", "rule", newer)
    assert overrides(any_db)[corrected] == ("positief", "correction", None)
    # An older rule applied again does not take the document back from the newer one.
    with transaction(any_db) as conn:
        assert label_by_rule(conn, older, "neutraal", "adviseur", [plain, corrected]) == []
    assert overrides(any_db)[plain][2] == newer
    rows = any_db.execute("SELECT rule_id, document_id FROM rule_hits ORDER BY rule_id").fetchall()
    assert sorted(rows) == sorted([(older, plain), (older, corrected), (newer, plain),
                                   (newer, corrected)])


def test_effective_probabilities_are_one_hot_after_a_correction(any_db: Any) -> None:
    doc_id = add_doc(any_db, "1")
    add_score(any_db, doc_id, "negatief")
    watch_id = _watch(any_db)
    add_watch_score(any_db, watch_id, doc_id, "negatief")
    sql = (f"SELECT {EFFECTIVE_COLUMNS}, {MODEL_COLUMNS} FROM documents d {EFFECTIVE_JOIN} "
           "WHERE d.id = ?")
    (before,) = list(any_db.query(sql, [doc_id]))
    assert (before["label"], before["p_neg"], before["corrected_by"]) == ("negatief", 0.7, None)
    with transaction(any_db) as conn:
        set_correction(conn, doc_id, "positief", "adviseur")
    (after,) = list(any_db.query(sql, [doc_id]))
    assert (after["label"], after["p_neg"], after["p_neu"], after["p_pos"]) == (
        "positief", 0.0, 0.0, 1.0)
    assert all(isinstance(after[k], float) for k in ("p_neg", "p_neu", "p_pos"))
    assert (after["model_label"], after["model_p_neg"], after["corrected_by"]) == (
        "negatief", 0.7, "correction")
    (watch_row,) = list(any_db.query(
        f"SELECT {watch_columns('ws')} FROM watch_scores ws {watch_join('ws')}"))
    assert (watch_row["label"], watch_row["p_neg"], watch_row["p_pos"]) == ("positief", 0.0, 1.0)
    assert days_of(any_db, [doc_id, doc_id]) == {DAY1}


# --- rollups ---------------------------------------------------------------------------------


def _rollup_fixture(db: Any) -> dict[str, str]:
    docs = {
        "neg": add_doc(db, "neg", when=MONDAY),
        "pos": add_doc(db, "pos", when=MONDAY + timedelta(hours=2)),
        "fixed": add_doc(db, "fixed", when=MONDAY + timedelta(hours=3)),
        "unscored": add_doc(db, "unscored", when=MONDAY + timedelta(hours=4)),
        "social": add_doc(db, "social", when=None, fetched=TUESDAY, source="x", kind="social"),
    }
    add_score(db, docs["neg"], "negatief")
    add_score(db, docs["pos"], "positief")
    add_score(db, docs["fixed"], "negatief")
    add_score(db, docs["social"], "neutraal")
    with transaction(db) as conn:
        set_correction(conn, docs["fixed"], "positief", "adviseur")
    for key in ("neg", "pos", "fixed"):
        add_topic(db, docs[key], "verkeer")
    add_place(db, docs["neg"], "WK050501", "Binnenstad")
    add_place(db, docs["fixed"], "WK050501", "Binnenstad")
    watch_id = _watch(db)
    add_watch_score(db, watch_id, docs["neg"], "negatief")
    add_watch_score(db, watch_id, docs["fixed"], "negatief")  # corrected: counts positive
    docs["watch"] = str(watch_id)
    return docs


def test_rollups_count_labels_corrections_watches_topics_and_places(any_db: Any) -> None:
    docs = _rollup_fixture(any_db)
    assert rollup_is_stale(any_db)
    assert refresh_daily_rollup(any_db) == 2
    rows = any_db.execute(
        "SELECT day, source_id, kind, n, n_neg, n_pos, n_neu, n_unscored, polarity_sum "
        "FROM daily_rollup ORDER BY day").fetchall()
    assert [tuple(r[:8]) for r in rows] == [
        (DAY1, "ad", "news", 4, 1, 2, 0, 1), (DAY2, "x", "social", 1, 0, 0, 1, 0)]
    # neg (0.1 - 0.7) + pos (0.7 - 0.1) + corrected positive (1 - 0) = 1.0
    assert rows[0][8] == pytest.approx(1.0)
    assert all(type(v) is int for v in rows[0][3:8]) and type(rows[0][8]) is float
    watch = any_db.execute("SELECT day, watch_id, source_id, n, n_neg, n_neu, n_pos, "
                           "polarity_sum FROM daily_watch_rollup").fetchall()
    assert [tuple(r[:7]) for r in watch] == [(DAY1, int(docs["watch"]), "ad", 2, 1, 0, 1)]
    assert watch[0][7] == pytest.approx(0.4)
    topics = any_db.execute("SELECT day, topic, n, n_neg, n_pos, polarity_sum "
                            "FROM daily_topic_rollup").fetchall()
    assert [tuple(r[:5]) for r in topics] == [(DAY1, "verkeer", 3, 1, 2)]
    places = any_db.execute("SELECT day, cbs_code, name, level, n, n_neg, n_pos "
                            "FROM daily_place_rollup").fetchall()
    assert [tuple(r) for r in places] == [(DAY1, "WK050501", "Binnenstad", "wijk", 2, 1, 1)]
    assert not rollup_is_stale(any_db)


def test_rollup_refresh_since_a_day_and_of_chosen_days(any_db: Any) -> None:
    docs = _rollup_fixture(any_db)
    refresh_daily_rollup(any_db)
    add_doc(any_db, "late", when=TUESDAY)
    assert rollup_is_stale(any_db)
    assert refresh_daily_rollup(any_db, since=TUESDAY) == 2  # (DAY2, x) and (DAY2, ad)
    assert not rollup_is_stale(any_db)
    with transaction(any_db) as conn:
        set_correction(conn, docs["neg"], "neutraal", "adviseur")
    refresh_rollup_days(any_db, [DAY1, DAY1])
    row = any_db.execute("SELECT n_neg, n_neu FROM daily_rollup WHERE day = ? AND "
                         "source_id = 'ad'", [DAY1]).fetchone()
    assert tuple(row) == (0, 1)


def test_a_rule_reaches_earlier_days_when_rollups_refresh_from_a_later_day(any_db: Any) -> None:
    early = add_doc(any_db, "early", when=MONDAY, title="Gat in de weg")
    add_score(any_db, early, "neutraal")
    refresh_daily_rollup(any_db)
    add_rule(any_db, "gat in de weg", "negatief")
    refresh_daily_rollup(any_db, since=TUESDAY)
    row = any_db.execute("SELECT n_neg, n_neu FROM daily_rollup WHERE day = ?",
                         [DAY1]).fetchone()
    assert tuple(row) == (1, 0)


# --- scores ----------------------------------------------------------------------------------


def _analysis(db: Any, doc_id: str, vector: list[float]) -> DocumentAnalysis:
    content_hash = db.execute("SELECT content_hash FROM documents WHERE id = ?",
                              [doc_id]).fetchone()[0]
    return DocumentAnalysis(
        document_id=doc_id, content_hash=content_hash,
        sentences=[Sentence(doc_id, 0, "Tekst.", 0, 6)], sentence_scores=[sentiment("neutraal")],
        document_score=sentiment("neutraal"),
        embedding=np.array(vector, dtype=np.float32), embedding_model="enc:1")


def test_score_queries_kinds_empty_documents_and_embedding_upsert(any_db: Any) -> None:
    news = add_doc(any_db, "n1")
    social = add_doc(any_db, "s1", source="x", kind="social")
    empty = add_doc(any_db, "e1", title=" ", text="")
    assert count_empty_documents(any_db) == 1
    assert [d.id for _, d in documents_to_score(any_db, "m", "1")] == [news, social]
    assert documents_to_score(any_db, "m", "1", kinds=[]) == []
    assert [d.id for _, d in documents_to_score(any_db, "m", "1", kinds=["social"])] == [social]
    assert count_waiting(any_db, "m", "1", kinds=["news"]) == 1
    assert count_waiting(any_db, kinds=[]) == 0
    save_analysis(any_db, _analysis(any_db, news, [1.0, 0.0]))
    save_analysis(any_db, _analysis(any_db, news, [0.0, 2.0]))  # replaces the embedding
    (embedded,) = embedded_documents(any_db, "enc:1")
    assert embedded.vector.tolist() == [0.0, 2.0]
    assert [d.id for _, d in documents_to_score(any_db, "m", "1", rescore_all=True)] == [
        news, social]
    assert models_in_use(any_db) == [("m", "1", 1)]
    assert [row[1] for row in scored_documents(any_db)] == [news]
    stored = stored_sentence_scores(any_db, [news, empty])
    assert [s.text for s in stored[news][0]] == ["Tekst."]
    assert stored[news][1] == sentiment("neutraal")
    assert stored[empty] == ([], None)


def test_models_in_use_most_documents_first(any_db: Any) -> None:
    for i in range(3):
        add_score(any_db, add_doc(any_db, f"a{i}"), "neutraal", model="b-model")
    add_score(any_db, add_doc(any_db, "z"), "neutraal", model="a-model", version="2")
    assert models_in_use(any_db) == [("b-model", "1", 3), ("a-model", "2", 1)]


# --- baselines (make bench's slow reference queries) ---------------------------------------


def test_baseline_queries_count_the_same_on_both_engines(any_db: Any) -> None:
    docs = _rollup_fixture(any_db)
    start, end = date(2026, 11, 1), date(2026, 11, 9)
    series = sorted(tuple(r) for r in baselines.naive_series(any_db, start, end))
    # The model's labels (no corrections): neg, pos, neg, unscored on Monday.
    assert series[0] == (DAY1, 4, 2, 1)
    assert [tuple(r) for r in baselines.naive_topics(any_db, start, end)] == [
        (DAY1, "verkeer", 3)]
    assert [tuple(r) for r in baselines.naive_places(any_db, start)] == [("WK050501", 2, 2)]
    assert [tuple(r) for r in baselines.naive_watch(any_db, int(docs["watch"]), start)] == [
        (DAY1, 2, 2)]
    add_doc(any_db, "g", title="GEMEENTE Dordrecht", when=TUESDAY)
    assert len(baselines.like_search(any_db, "gemeente")) == 1
    assert baselines.like_search(any_db, "gemeente", limit=0) == []
