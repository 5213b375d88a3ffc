"""The Labels page (tag report) in AppTest on a real SQLite store: counts and sentiment per
tag, the documents behind a tag (a row opens it in Berichten), plain and formula-safe cells,
a project lead's scope, and a correction that changes the report at once."""

from __future__ import annotations

from core.records import Annotation, utcnow
from storage.adviser import add_annotation
from storage.db import open_db

from .app_steps import click, login, page
from .conftest import SCRIPT_TITLE, Corpus
from .test_adviser_loop import tick


def _tag(corpus: Corpus, document_id: str, tag: str) -> None:
    db = open_db(corpus.db_path)
    add_annotation(db, Annotation(document_id=document_id, kind="tag", value=tag,
                                  author="adviseur", created=utcnow()))
    db.conn.close()


def _outside_document(corpus: Corpus) -> str:
    row = open_db(corpus.db_path).execute(
        "SELECT id FROM documents WHERE id NOT IN (SELECT document_id FROM watch_scores "
        "WHERE watch_id = ?) ORDER BY coalesce(published, first_seen) DESC LIMIT 1",
        [corpus.zwembad_watch_id]).fetchone()
    return str(row[0])


def test_without_tags_the_page_says_how_to_add_one(corpus: Corpus) -> None:
    at = page(login("baas"), "labels")
    assert at.info and "Berichten" in at.info[0].value
    assert not at.dataframe


def test_report_counts_sentiment_and_lists_the_documents(corpus: Corpus) -> None:
    _tag(corpus, corpus.pool_id, "klacht")
    _tag(corpus, corpus.script_id, "klacht")
    _tag(corpus, corpus.script_id, "=SUM(A1)")
    at = page(login("adviseur"), "labels")
    sentiment = at.dataframe[0].value.set_index("label")
    assert sentiment.loc["klacht", "berichten"] == 2
    assert (sentiment.loc["klacht", "negatief"], sentiment.loc["klacht", "positief"]) == (1, 1)
    assert sentiment.loc["klacht", "aandeel negatief"] == "50%"
    # A label that looks like a formula is shown (and downloaded) with an apostrophe.
    assert "'=SUM(A1)" in sentiment.index
    weekly = at.dataframe[1].value
    assert weekly.groupby("label")["berichten"].sum().to_dict() == {"klacht": 2, "'=SUM(A1)": 1}
    assert at.selectbox(key="labels_label").value == "klacht"
    listed = at.dataframe[2].value
    assert sorted(listed["titel"]) == sorted([SCRIPT_TITLE, "Nieuw zwembad in Dubbeldam geopend"])
    assert any(d.key == "labels_berichten_export_csv" for d in at.download_button)
    # A row opens its item in Berichten.
    tick(at, "labels_berichten", [corpus.pool_id])
    assert [t.value for t in at.title] == ["Berichten"]
    assert at.selectbox(key="berichten_open").value == corpus.pool_id


def test_a_correction_changes_the_report_at_once(corpus: Corpus) -> None:
    _tag(corpus, corpus.pool_id, "klacht")
    at = page(login("adviseur"), "labels")
    assert at.dataframe[0].value.set_index("label").loc["klacht", "positief"] == 1
    tick(at, "labels_berichten", [corpus.pool_id])
    # AppTest keeps asking for the page its own switch_page named; stay on Berichten.
    page(at, "berichten")
    assert at.selectbox(key="berichten_open").value == corpus.pool_id
    at.radio(key=f"berichten_correctie_{corpus.pool_id}").set_value("negatief")
    click(at, "Correctie opslaan")
    page(at, "labels")
    row = at.dataframe[0].value.set_index("label").loc["klacht"]
    assert (row["negatief"], row["positief"], row["aandeel negatief"]) == (1, 0, "100%")


def test_project_lead_sees_only_tags_of_their_projects(corpus: Corpus) -> None:
    _tag(corpus, corpus.pool_id, "zwembadzaak")
    _tag(corpus, _outside_document(corpus), "geheim-elders")
    at = page(login("leider"), "labels")
    assert at.dataframe[0].value["label"].tolist() == ["zwembadzaak"]
    assert "geheim-elders" not in at.multiselect(key="labels_keuze").options
    at = page(login("adviseur"), "labels")
    assert set(at.dataframe[0].value["label"]) == {"zwembadzaak", "geheim-elders"}


def test_choosing_labels_limits_the_report(corpus: Corpus) -> None:
    _tag(corpus, corpus.pool_id, "klacht")
    _tag(corpus, corpus.script_id, "compliment")
    at = page(login("adviseur"), "labels")
    at.multiselect(key="labels_keuze").set_value(["compliment"]).run()
    assert at.dataframe[0].value["label"].tolist() == ["compliment"]
    assert set(at.dataframe[1].value["label"]) == {"compliment"}
