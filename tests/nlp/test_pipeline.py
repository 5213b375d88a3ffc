"""The scoring pipeline on a real SQLite file: incremental runs, crash resume, model and content
changes, watch targeting and back-fill, skips, and the item view."""

from __future__ import annotations

import re

import pytest
import sqlite_utils

from core.config import Config
from core.records import Sentiment, Watch
from nlp.pipeline import document_units, score_pending
from storage.adviser import delete_watch, save_watch
from storage.documents import upsert_document
from storage.scores import count_waiting, document_analysis, models_in_use
from storage.watch_scores import WatchScore, save_watch_scores
from tests.nlp.conftest import (
    HashingEncoder,
    LexiconDouble,
    ModelCrashed,
    add_documents,
    make_document,
)


def corpus(n: int) -> list:
    return [
        make_document(
            f"https://ad.example/{i}",
            f"Bericht {i} over Dordrecht",
            f"Dit is zin een van bericht {i}. Het nieuws is goed. Nog een zin over nummer {i}.",
            day=i / 10,
        )
        for i in range(n)
    ]


def doc_scores(db: sqlite_utils.Database) -> dict[str, tuple[str, str, str, str]]:
    return {
        row[0]: (row[1], row[2], row[3], row[4])
        for row in db.execute(
            "SELECT document_id, label, model_name, model_version, content_hash FROM scores "
            "WHERE sentence_idx = -1"
        )
    }


def test_scores_and_stores_sentences_scores_places(
    file_db: sqlite_utils.Database,
    config: Config,
    double: LexiconDouble,
    hashing_encoder: HashingEncoder,
) -> None:
    doc = make_document(
        "https://ad.example/zwembad",
        "Prachtig nieuw zwembad in Dordrecht",
        "Het zwembad in Sterrenburg is geweldig. De bouw duurde twee jaar.\nBewoners zijn blij.",
    )
    add_documents(file_db, [doc])
    report = score_pending(file_db, config, model=double, encoder=hashing_encoder)
    assert (report.documents, report.sentences, report.skipped) == (1, 4, 0)
    assert (report.model_name, report.model_version) == ("lexicon-double", "1")
    sentences = list(
        file_db.query(
            'SELECT idx, text, start, "end" FROM sentences WHERE document_id = ? ORDER BY idx',
            [doc.id],
        )
    )
    assert [s["text"] for s in sentences] == [
        "Prachtig nieuw zwembad in Dordrecht",
        "Het zwembad in Sterrenburg is geweldig.",
        "De bouw duurde twee jaar.",
        "Bewoners zijn blij.",
    ]
    assert (sentences[0]["start"], sentences[0]["end"]) == (-1, -1)  # the headline
    for s in sentences[1:]:
        assert doc.text[s["start"] : s["end"]] == s["text"]
    score = doc_scores(file_db)[doc.id]
    assert score == ("positief", "lexicon-double", "1", doc.content_hash)
    n_scores = file_db.execute("SELECT count(*) FROM scores WHERE document_id = ?", [doc.id])
    assert n_scores.fetchone()[0] == 5  # four sentences and the document
    places = {row["name"]: row for row in file_db.query("SELECT * FROM places")}
    assert set(places) == {"Dordrecht", "Sterrenburg"}
    assert places["Dordrecht"]["cbs_code"] == "GM0505"
    assert places["Sterrenburg"]["level"] == "wijk"
    assert report.by_model == {"lexicon-double 1": 1}


def test_second_run_scores_nothing(
    file_db: sqlite_utils.Database, config: Config, hashing_encoder: HashingEncoder
) -> None:
    add_documents(file_db, corpus(5))
    score_pending(file_db, config, model=LexiconDouble(), encoder=hashing_encoder)
    again = LexiconDouble()
    report = score_pending(file_db, config, model=again, encoder=hashing_encoder)
    assert report.documents == 0
    assert again.calls == 0
    assert report.waiting == 0


def test_crash_resumes_without_rescoring(
    file_db: sqlite_utils.Database, config: Config, hashing_encoder: HashingEncoder
) -> None:
    docs = corpus(10)
    add_documents(file_db, docs)
    crashing = LexiconDouble()
    crashing.fail_on_call = 4  # three batches of two documents commit, the fourth crashes
    with pytest.raises(ModelCrashed):
        score_pending(file_db, config, batch_size=2, model=crashing, encoder=hashing_encoder)
    done = set(doc_scores(file_db))
    assert done == {d.id for d in docs[:6]}
    assert count_waiting(file_db, "lexicon-double", "1") == 4
    # Nothing of the crashed batch was half-written.
    orphans = file_db.execute(
        "SELECT count(*) FROM sentences WHERE document_id NOT IN "
        "(SELECT document_id FROM scores WHERE sentence_idx = -1)"
    ).fetchone()[0]
    assert orphans == 0

    resumed = LexiconDouble()
    report = score_pending(file_db, config, batch_size=2, model=resumed, encoder=hashing_encoder)
    assert report.documents == 4
    assert set(doc_scores(file_db)) == {d.id for d in docs}
    first_run = seen_documents(crashing)
    second_run = seen_documents(resumed)
    assert first_run == {0, 1, 2, 3, 4, 5}
    assert second_run == {6, 7, 8, 9}  # no document was scored twice


def seen_documents(model: LexiconDouble) -> set[int]:
    """Which corpus documents a model was asked to score (their unique first sentence)."""
    return {
        int(m.group(1))
        for t in model.seen
        if (m := re.match(r"Dit is zin een van bericht (\d+)\.", t))
    }


def test_new_model_version_rescores_everything(
    file_db: sqlite_utils.Database, config: Config, hashing_encoder: HashingEncoder
) -> None:
    add_documents(file_db, corpus(4))
    score_pending(file_db, config, model=LexiconDouble(version="1"), encoder=hashing_encoder)
    assert models_in_use(file_db) == [("lexicon-double", "1", 4)]
    assert count_waiting(file_db, "lexicon-double", "2") == 4
    report = score_pending(
        file_db, config, model=LexiconDouble(version="2"), encoder=hashing_encoder
    )
    assert report.documents == 4
    assert models_in_use(file_db) == [("lexicon-double", "2", 4)]
    versions = {row[0] for row in file_db.execute("SELECT DISTINCT model_version FROM scores")}
    assert versions == {"2"}  # sentence rows were replaced too


def test_edited_document_is_rescored_alone(
    file_db: sqlite_utils.Database, config: Config, hashing_encoder: HashingEncoder
) -> None:
    docs = corpus(3)
    add_documents(file_db, docs)
    score_pending(file_db, config, model=LexiconDouble(), encoder=hashing_encoder)
    edited = make_document(docs[1].url, "Slecht bericht", "Het nieuws is nu slecht. Echt een ramp.")
    assert upsert_document(file_db, edited) == "updated"
    assert count_waiting(file_db) == 1
    model = LexiconDouble()
    report = score_pending(file_db, config, model=model, encoder=hashing_encoder)
    assert report.documents == 1
    assert "Het nieuws is nu slecht." in model.seen
    assert doc_scores(file_db)[docs[1].id] == (
        "negatief",
        "lexicon-double",
        "1",
        edited.content_hash,
    )
    stored = [
        r[0]
        for r in file_db.execute(
            "SELECT text FROM sentences WHERE document_id = ? ORDER BY idx", [docs[1].id]
        )
    ]
    assert "Echt een ramp." in stored and not any("goed" in s for s in stored)


def test_limit_and_rescore_all(
    file_db: sqlite_utils.Database, config: Config, hashing_encoder: HashingEncoder
) -> None:
    add_documents(file_db, corpus(5))
    report = score_pending(
        file_db, config, limit=3, batch_size=2, model=LexiconDouble(), encoder=hashing_encoder
    )
    assert (report.documents, report.waiting) == (3, 2)
    score_pending(file_db, config, model=LexiconDouble(), encoder=hashing_encoder)
    model = LexiconDouble()
    report = score_pending(
        file_db, config, rescore_all=True, batch_size=2, model=model, encoder=hashing_encoder
    )
    assert report.documents == 5
    assert report.batches == 3


def watch_rows(db: sqlite_utils.Database) -> dict[tuple[str, str], tuple[str, int]]:
    return {
        (row["name"], row["document_id"]): (row["label"], row["mentions"])
        for row in db.query(
            "SELECT w.name, ws.document_id, ws.label, ws.mentions FROM watch_scores ws "
            "JOIN watches w ON w.id = ws.watch_id"
        )
    }


def test_two_watches_in_one_document_get_their_own_sentiment(
    file_db: sqlite_utils.Database, config: Config, hashing_encoder: HashingEncoder
) -> None:
    save_watch(file_db, Watch(name="Zwembad", query="zwembad"))
    save_watch(file_db, Watch(name="Parkeren", query="parkeer* OR parkeren"))
    save_watch(file_db, Watch(name="Bibliotheek", query="bibliotheek"))
    doc = make_document(
        "https://ad.example/w",
        "Nieuws uit de wijk",
        "Het nieuwe zwembad is prachtig. De gemeente opende het gisteren. "
        "De parkeerplaats ernaast is een ramp. Parkeren is er slecht geregeld.",
    )
    add_documents(file_db, [doc])
    score_pending(file_db, config, model=LexiconDouble(), encoder=hashing_encoder)
    rows = watch_rows(file_db)
    assert rows[("Zwembad", doc.id)] == ("positief", 1)
    assert rows[("Parkeren", doc.id)] == ("negatief", 2)
    assert ("Bibliotheek", doc.id) not in rows


def test_watch_matching_across_sentences_falls_back_to_document(
    file_db: sqlite_utils.Database, config: Config, hashing_encoder: HashingEncoder
) -> None:
    save_watch(file_db, Watch(name="Brug en fiets", query="brug AND fiets"))
    doc = make_document(
        "https://ad.example/b",
        "Werk aan de weg",
        "De brug is prachtig geworden. Het is een mooi ontwerp. Neem vooral de fiets.",
    )
    add_documents(file_db, [doc])
    score_pending(file_db, config, model=LexiconDouble(), encoder=hashing_encoder)
    (row,) = list(file_db.query("SELECT * FROM watch_scores"))
    (doc_row,) = list(file_db.query("SELECT * FROM scores WHERE sentence_idx = -1"))
    assert (row["p_neg"], row["p_neu"], row["p_pos"]) == (
        doc_row["p_neg"],
        doc_row["p_neu"],
        doc_row["p_pos"],
    )
    assert row["mentions"] == 2


def test_new_and_changed_watches_are_backfilled_without_the_model(
    file_db: sqlite_utils.Database, config: Config, hashing_encoder: HashingEncoder
) -> None:
    bridge = make_document("https://ad.example/1", "Nieuws een", "De nieuwe brug is prachtig.")
    tunnel = make_document("https://ad.example/2", "Nieuws twee", "De tunnel is een ramp.")
    add_documents(file_db, [bridge, tunnel])
    score_pending(file_db, config, model=LexiconDouble(), encoder=hashing_encoder)
    assert watch_rows(file_db) == {}

    watch_id = save_watch(file_db, Watch(name="Infra", query="brug"))
    no_model = LexiconDouble()
    no_model.fail_on_call = 1  # any model call would raise
    report = score_pending(file_db, config, model=no_model, encoder=hashing_encoder)
    assert report.watch_backfills == 1
    assert watch_rows(file_db) == {("Infra", bridge.id): ("positief", 1)}

    # Nothing changed: the next run does not back-fill again.
    report = score_pending(file_db, config, model=no_model, encoder=hashing_encoder)
    assert report.watch_backfills == 0

    save_watch(file_db, Watch(id=watch_id, name="Infra", query="tunnel"))
    assert watch_rows(file_db) == {}  # save_watch cleared the rows
    report = score_pending(file_db, config, model=no_model, encoder=hashing_encoder)
    assert report.watch_backfills == 1
    assert watch_rows(file_db) == {("Infra", tunnel.id): ("negatief", 1)}

    delete_watch(file_db, watch_id)
    score_pending(file_db, config, model=no_model, encoder=hashing_encoder)
    assert file_db.execute("SELECT count(*) FROM watch_progress").fetchone()[0] == 0


def test_invalid_watch_is_reported_and_others_still_work(
    file_db: sqlite_utils.Database, config: Config, hashing_encoder: HashingEncoder
) -> None:
    save_watch(file_db, Watch(name="Kapot", query="(brug OR tunnel"))
    save_watch(file_db, Watch(name="Goed", query="brug"))
    add_documents(file_db, [make_document("https://ad.example/1", "Brug", "Een brug.")])
    report = score_pending(file_db, config, model=LexiconDouble(), encoder=hashing_encoder)
    assert [name for name, _ in report.invalid_watches] == ["Kapot"]
    assert "haakje" in report.invalid_watches[0][1]
    assert set(watch_rows(file_db)) == {("Goed", make_document("https://ad.example/1", "", "").id)}
    assert any("Kapot" in line for line in report.lines())


def test_non_dutch_documents_are_scored_and_flagged(
    file_db: sqlite_utils.Database, config: Config, hashing_encoder: HashingEncoder
) -> None:
    english = make_document("https://ad.example/en", "Good news", "This is good.", language="en")
    add_documents(file_db, [english, *corpus(1)])
    report = score_pending(file_db, config, model=LexiconDouble(), encoder=hashing_encoder)
    assert report.documents == 2
    assert report.non_dutch == 1
    assert english.id in doc_scores(file_db)


def test_documents_without_text_are_skipped_with_a_reason(
    file_db: sqlite_utils.Database, config: Config, hashing_encoder: HashingEncoder
) -> None:
    empty = make_document("https://ad.example/empty", "", "")
    bullets = make_document("https://ad.example/bullets", "", "-\n•\n  \n")
    add_documents(file_db, [empty, bullets, *corpus(1)])
    report = score_pending(file_db, config, model=LexiconDouble(), encoder=hashing_encoder)
    assert report.documents == 1
    assert report.skipped == 1
    assert report.skipped_reasons == [(bullets.id, "geen tekst om te scoren")]
    assert empty.id not in doc_scores(file_db)


def test_social_post_without_separate_title(
    file_db: sqlite_utils.Database, config: Config, hashing_encoder: HashingEncoder
) -> None:
    post = make_document(
        "https://social.example/1",
        "Wat een mooie markt vandaag!",
        "Wat een mooie markt vandaag! Echt geweldig 🎉",
    )
    units = document_units(post)
    assert [u.text for u in units] == ["Wat een mooie markt vandaag!", "Echt geweldig 🎉"]
    assert all(u.start >= 0 for u in units)  # the title is not scored twice


def test_document_analysis_view(
    file_db: sqlite_utils.Database, config: Config, hashing_encoder: HashingEncoder
) -> None:
    save_watch(file_db, Watch(name="Zwembad", query="zwembad"))
    doc = make_document(
        "https://ad.example/v",
        "Nieuws uit Dordrecht",
        "Het zwembad is prachtig. Parkeren is een ramp.",
    )
    add_documents(file_db, [doc])
    score_pending(file_db, config, model=LexiconDouble(), encoder=hashing_encoder)
    view = document_analysis(file_db, doc.id)
    assert view.score is not None and view.score.model_name == "lexicon-double"
    assert view.scored_content_hash == doc.content_hash
    assert [s.is_title for s in view.sentences] == [True, False, False]
    assert [s.sentiment.label for s in view.sentences if s.sentiment] == [
        "neutraal",
        "positief",
        "negatief",
    ]
    assert [p.name for p in view.places] == ["Dordrecht"]
    assert [(h.name, h.sentiment.label) for h in view.watch_hits] == [("Zwembad", "positief")]
    empty = document_analysis(file_db, "does-not-exist")
    assert empty.score is None and empty.sentences == []


def test_progress_bar(
    file_db: sqlite_utils.Database,
    config: Config,
    hashing_encoder: HashingEncoder,
    capsys: pytest.CaptureFixture[str],
) -> None:
    add_documents(file_db, corpus(3))
    score_pending(file_db, config, progress=True, model=LexiconDouble(), encoder=hashing_encoder)
    assert "Scoren" in capsys.readouterr().err


def test_bad_batch_size(file_db: sqlite_utils.Database, config: Config) -> None:
    with pytest.raises(ValueError, match="batch_size"):
        score_pending(file_db, config, batch_size=0, model=LexiconDouble())


def test_backfill_removes_rows_written_with_an_older_query(
    file_db: sqlite_utils.Database, config: Config, hashing_encoder: HashingEncoder
) -> None:
    bridge = make_document("https://ad.example/1", "Nieuws een", "De nieuwe brug is prachtig.")
    tunnel = make_document("https://ad.example/2", "Nieuws twee", "De tunnel is een ramp.")
    add_documents(file_db, [bridge, tunnel])
    watch_id = save_watch(file_db, Watch(name="Infra", query="brug"))
    score_pending(file_db, config, model=LexiconDouble(), encoder=hashing_encoder)
    save_watch(file_db, Watch(id=watch_id, name="Infra", query="tunnel"))
    # A batch that was still running with the old query writes after the edit:
    stale = Sentiment("positief", 0.1, 0.1, 0.8, "lexicon-double", "1")
    save_watch_scores(file_db, [WatchScore(watch_id, bridge.id, 1, stale)])
    score_pending(file_db, config, model=LexiconDouble(), encoder=hashing_encoder)
    assert watch_rows(file_db) == {("Infra", tunnel.id): ("negatief", 1)}
