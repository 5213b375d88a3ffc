"""Bulk correction on Berichten and the Regels page: writes land in the store, the role is
checked, and a correction shows at once with what the model said."""

from __future__ import annotations

from storage.db import open_db
from storage.documents import DocumentFilter, list_documents
from storage.rules import list_rules

from .app_steps import click, login, page
from .conftest import Corpus


def _labels(corpus: Corpus, ids: list[str]) -> dict[str, str]:
    rows = list_documents(open_db(corpus.db_path), DocumentFilter(), limit=None)
    return {r["id"]: r["label"] for r in rows if r["id"] in ids}


def test_adviser_bulk_corrects_and_tags_selected_items(corpus: Corpus) -> None:
    at = page(login("adviseur"), "berichten")
    at.text_input(key="berichten_query").input("zwembad")
    click(at, "Zoeken")
    ids = [corpus.script_id, corpus.pool_id]
    at.multiselect(key="bulk_selectie").set_value(ids)
    at.radio(key="bulk_sentiment").set_value("neutraal")
    at.text_input(key="bulk_tag").input("zwembadklacht")
    click(at, "Toepassen op de gekozen berichten")
    assert _labels(corpus, ids) == {corpus.script_id: "neutraal", corpus.pool_id: "neutraal"}
    assert any("2 berichten staan nu op neutraal" in s.value for s in at.success)
    tags = open_db(corpus.db_path).execute(
        "SELECT count(*) FROM annotations WHERE kind = 'tag' AND value = 'zwembadklacht'")
    assert tags.fetchone()[0] == 2
    # The item view shows the correction and what the model said.
    at.selectbox(key="berichten_open").select(corpus.pool_id).run()
    shown = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    assert "gecorrigeerd door een adviseur" in shown and "Model zei positief" in shown


def test_bulk_form_without_selection_saves_nothing(corpus: Corpus) -> None:
    at = page(login("adviseur"), "berichten")
    at.radio(key="bulk_sentiment").set_value("negatief")
    click(at, "Toepassen op de gekozen berichten")
    assert at.warning and "Kies eerst" in at.warning[0].value
    overrides = open_db(corpus.db_path).execute("SELECT count(*) FROM label_overrides")
    assert overrides.fetchone()[0] == 0


def test_project_lead_may_tag_but_not_set_sentiment(corpus: Corpus) -> None:
    at = page(login("leider"), "berichten")
    assert not [r for r in at.radio if r.key == "bulk_sentiment"]
    assert "Toepassen op de gekozen berichten" in {b.label for b in at.button}
    at = page(login("baas"), "berichten")
    assert "Toepassen op de gekozen berichten" not in {b.label for b in at.button}


def test_adviser_adds_and_removes_a_rule(corpus: Corpus) -> None:
    at = page(login("adviseur"), "regels")
    at.text_input(key="regel_tekst").input("ZWEMBAD")
    at.radio(key="regel_label").set_value("negatief")
    click(at, "Regel opslaan")
    rules = list_rules(open_db(corpus.db_path))
    assert len(rules) == 1 and rules[0].hits >= 2 and rules[0].author == "adviseur"
    assert _labels(corpus, [corpus.pool_id]) == {corpus.pool_id: "negatief"}
    assert at.dataframe and rules[0].hits in at.dataframe[0].value["geraakt"].tolist()
    click(at, "Regel verwijderen")
    assert list_rules(open_db(corpus.db_path)) == []
    assert _labels(corpus, [corpus.pool_id]) == {corpus.pool_id: "positief"}


def test_too_short_rule_is_refused_and_management_cannot_add(corpus: Corpus) -> None:
    at = page(login("adviseur"), "regels")
    at.text_input(key="regel_tekst").input("de")
    click(at, "Regel opslaan")
    assert at.error and "Niet opgeslagen" in at.error[0].value
    at = page(login("baas"), "regels")
    assert "Regel opslaan" not in {b.label for b in at.button}
    assert list_rules(open_db(corpus.db_path)) == []


def test_regels_page_lists_model_versions_with_the_decision(corpus: Corpus) -> None:
    from storage.model_versions import REJECTED, record_version

    record_version(
        open_db(corpus.db_path), path="/tmp/x.npz", name="newsroom-e5-sentiment", version="abc",
        method="head", n_train=30, n_corrections=12, corrections_upto=5,
        figures={"news.csv": {"macro_f1": 0.61, "neg_recall": 0.5, "n": 40}},
        champion={"news.csv": {"macro_f1": 0.70, "neg_recall": 0.6, "n": 40}},
        decision=REJECTED, reason="Afgewezen: op news.csv is macro-F1 0.610, lager dan het "
                                  "huidige model (0.700).")
    at = page(login("baas"), "regels")
    table = at.dataframe[-1].value
    assert table["besluit"].tolist() == [
        "Afgewezen: op news.csv is macro-F1 0.610, lager dan het huidige model (0.700)."]
    assert table["in gebruik"].tolist() == ["nee"]
