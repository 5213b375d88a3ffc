"""The adviser's loop (issue 14), in AppTest on a real SQLite store: a selected table row
opens its item (Berichten, Overzicht, Projecten, story members); the item's forms start fresh
per item and after a save; ticked rows are corrected or tagged in bulk; the tag filter and
its export; a correction shows at once in the table of the same page."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import export
from storage.adviser import list_annotations
from storage.audit import list_events
from storage.db import open_db

from .app_steps import click, login, page, search
from .conftest import SCRIPT_TITLE, Corpus

POOL_TITLE = "Nieuw zwembad in Dubbeldam geopend"


def tick(at: AppTest, key: str, ids: list[str]) -> AppTest:
    """Select the rows of table `key` that hold `ids` (as a click in the browser does)."""
    listed = at.session_state[f"{key}__ids"]
    rows = [listed.index(i) for i in ids]
    at.session_state[key] = {"selection": {"rows": rows, "columns": [], "cells": []}}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def opened_heading(at: AppTest) -> str:
    """The item view's heading (an escaped <h2>)."""
    return next(h.proto.body for h in at.get("html") if h.proto.body.startswith("<h2"))


def test_selecting_a_row_opens_that_item(corpus: Corpus) -> None:
    at = search(page(login("adviseur"), "berichten"), "zwembad")
    assert at.selectbox(key="berichten_open").value != corpus.pool_id
    tick(at, "berichten_tabel", [corpus.pool_id])
    assert at.selectbox(key="berichten_open").value == corpus.pool_id
    assert POOL_TITLE in opened_heading(at)
    # Ticking a second row opens the one just ticked; unticking it opens nothing new.
    tick(at, "berichten_tabel", [corpus.pool_id, corpus.script_id])
    assert at.selectbox(key="berichten_open").value == corpus.script_id
    tick(at, "berichten_tabel", [corpus.pool_id])
    assert at.selectbox(key="berichten_open").value == corpus.script_id


def test_a_new_search_drops_the_old_selection(corpus: Corpus) -> None:
    at = search(page(login("adviseur"), "berichten"), "zwembad")
    tick(at, "berichten_tabel", [corpus.pool_id])
    search(at, "zwembad dicht")
    assert at.session_state["berichten_tabel"]["selection"]["rows"] == []
    assert at.selectbox(key="berichten_open").value != corpus.pool_id


def test_form_state_does_not_carry_over_to_the_next_item(corpus: Corpus) -> None:
    at = search(page(login("adviseur"), "berichten"), "zwembad")
    tick(at, "berichten_tabel", [corpus.pool_id])
    at.radio(key=f"berichten_correctie_{corpus.pool_id}").set_value("neutraal")
    at.text_input(key=f"berichten_tag_{corpus.pool_id}").input("half getypt")
    at.text_area(key=f"berichten_note_{corpus.pool_id}").input("nog niet klaar")
    at.run()
    tick(at, "berichten_tabel", [corpus.script_id])
    assert SCRIPT_TITLE.split(">")[-1].strip() in opened_heading(at)
    # The next item's forms show its own label and empty text; the old keys are gone.
    assert at.radio(key=f"berichten_correctie_{corpus.script_id}").value == "negatief"
    assert at.text_input(key=f"berichten_tag_{corpus.script_id}").value == ""
    assert at.text_area(key=f"berichten_note_{corpus.script_id}").value == ""
    assert not [r for r in at.radio if r.key == f"berichten_correctie_{corpus.pool_id}"]
    assert list_annotations(open_db(corpus.store)) == []


def test_saved_text_is_cleared_and_the_tag_shows_at_once(corpus: Corpus) -> None:
    at = search(page(login("adviseur"), "berichten"), "zwembad")
    tick(at, "berichten_tabel", [corpus.pool_id])
    at.text_input(key=f"berichten_tag_{corpus.pool_id}").input("bewonersavond")
    click(at, "Label opslaan")
    assert any(s.value == "Label opgeslagen." for s in at.success)
    assert at.text_input(key=f"berichten_tag_{corpus.pool_id}").value == ""
    # The tag is at once a filter choice and in the table's labels column (no stale cache).
    assert "bewonersavond" in at.multiselect(key="berichten_tags").options
    table = at.dataframe[0].value
    assert table.loc[table["titel"] == POOL_TITLE, "labels"].tolist() == ["bewonersavond"]


def test_a_correction_shows_at_once_in_the_table_and_the_item(corpus: Corpus) -> None:
    at = search(page(login("adviseur"), "berichten"), "zwembad")
    tick(at, "berichten_tabel", [corpus.pool_id])
    table = at.dataframe[0].value
    assert table.loc[table["titel"] == POOL_TITLE, "sentiment"].tolist() == ["positief"]
    at.radio(key=f"berichten_correctie_{corpus.pool_id}").set_value("negatief")
    click(at, "Correctie opslaan")
    table = at.dataframe[0].value
    row = table[table["titel"] == POOL_TITLE]
    assert row["sentiment"].tolist() == ["negatief"] and row["model zei"].tolist() == ["positief"]
    assert any("**Sentiment van het bericht:** negatief" in m.value for m in at.markdown)
    assert at.radio(key=f"berichten_correctie_{corpus.pool_id}").value == "negatief"
    # Filtering on the new label finds it at once too.
    at.multiselect(key="berichten_labels").set_value(["negatief"])
    click(at, "Zoeken")
    assert POOL_TITLE in at.dataframe[0].value["titel"].tolist()


def test_ticked_rows_are_corrected_and_tagged_together(corpus: Corpus) -> None:
    at = search(page(login("adviseur"), "berichten"), "zwembad")
    ids = [corpus.script_id, corpus.pool_id]
    tick(at, "berichten_tabel", ids)
    assert any("Aangevinkt in de tabel: 2 berichten" in c.value for c in at.caption)
    at.radio(key="bulk_sentiment").set_value("neutraal")
    at.text_input(key="bulk_tag").input("zwembadzaak")
    click(at, "Toepassen op de gekozen berichten")
    assert any("2 berichten staan nu op neutraal" in s.value for s in at.success)
    table = at.dataframe[0].value
    tagged = table[table["labels"] == "zwembadzaak"]
    assert sorted(tagged["sentiment"]) == ["neutraal", "neutraal"]
    assert at.session_state["berichten_tabel"]["selection"]["rows"] == []  # untick after save
    actions = [e.action for e in list_events(open_db(corpus.store))]
    assert "annotation.bulk_correction" in actions and "annotation.bulk_tag" in actions


def test_tag_filter_limits_the_table_and_its_export(
    corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    exported: list[pd.DataFrame] = []
    real = export.to_csv_bytes

    def spy(frame: pd.DataFrame) -> bytes:
        """The real CSV writer, remembering which rows the page exported."""
        exported.append(frame.copy())
        return real(frame)

    monkeypatch.setattr(export, "to_csv_bytes", spy)
    at = search(page(login("adviseur"), "berichten"), "zwembad")
    tick(at, "berichten_tabel", [corpus.script_id])
    at.text_input(key=f"berichten_tag_{corpus.script_id}").input("=HYPERLINK(\"x\")")
    click(at, "Label opslaan")
    at.text_input(key="berichten_query").input("")
    at.multiselect(key="berichten_tags").set_value(['=HYPERLINK("x")'])
    click(at, "Zoeken")
    assert at.dataframe[0].value["titel"].tolist() == [SCRIPT_TITLE]
    # On screen and in the CSV the formula-like tag is neutralised with an apostrophe.
    assert at.dataframe[0].value["labels"].tolist() == ["'=HYPERLINK(\"x\")"]
    assert exported[-1]["id"].tolist() == [corpus.script_id]
    csv = real(exported[-1]).decode("utf-8-sig")
    assert "'=HYPERLINK" in csv and ",=HYPERLINK" not in csv


def test_overzicht_story_row_opens_the_item_in_berichten(corpus: Corpus) -> None:
    at = login("adviseur")
    listed = at.session_state["overzicht_verhalen__ids"]
    assert listed, "the fixture has stories this week"
    tick(at, "overzicht_verhalen", [listed[0]])
    assert [t.value for t in at.title] == ["Berichten"]
    assert at.selectbox(key="berichten_open").value == listed[0]
    # Its story members are listed; selecting one opens that member.
    member_key = f"berichten_verhaal_{listed[0]}"
    members = at.session_state[f"{member_key}__ids"]
    assert members and listed[0] not in members
    tick(at, member_key, [members[0]])
    assert at.selectbox(key="berichten_open").value == members[0]


def test_projecten_row_opens_the_item_in_berichten(corpus: Corpus) -> None:
    at = page(login("adviseur"), "projecten")
    at.selectbox(key="projecten_watch_id").set_value(corpus.zwembad_watch_id).run()
    listed = at.session_state["projecten_negatief_rijen__ids"]
    assert corpus.script_id in listed
    tick(at, "projecten_negatief_rijen", [corpus.script_id])
    assert [t.value for t in at.title] == ["Berichten"]
    assert at.selectbox(key="berichten_open").value == corpus.script_id


def test_project_lead_cannot_open_an_item_outside_their_projects(corpus: Corpus) -> None:
    outside = next(
        row[0] for row in open_db(corpus.store).execute(
            "SELECT id FROM documents WHERE id NOT IN "
            "(SELECT document_id FROM watch_scores WHERE watch_id = ?)",
            [corpus.zwembad_watch_id])
    )
    at = page(login("leider"), "overzicht")
    at.session_state["open_document"] = outside
    page(at, "berichten")
    assert any("buiten je projecten" in i.value for i in at.info)
    assert at.selectbox(key="berichten_open").value != outside
    assert "berichten_extra" not in at.session_state
