"""The real dashboard (Streamlit AppTest) on a PostgreSQL 15 store (issue 16).

The same corpus as the SQLite tests, built through the same storage code in a real
PostgreSQL database (`pg_corpus`, from `[storage] url` in newsroom.toml). Every page runs for
every role and shows what the same page shows on SQLite for the same corpus; the adviser's
writes through the UI land in PostgreSQL and show after a reload; the SQLite tests of the
project lead's scope, the dead letters on Bronnen, saved views and the <script> title run
unchanged against PostgreSQL (their bodies are called with the PostgreSQL corpus).
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import data
from storage import dashboard_queries as q
from storage.adviser import list_annotations, list_watches
from storage.db import open_db
from storage.dialect import engine

from . import test_adviser_loop, test_app_pages, test_bronnen_dead_letters, test_saved_views
from .conftest import PASSWORDS, Corpus
from .test_adviser_loop import POOL_TITLE, search, tick
from .test_app_pages import PAGES, click, login, page

pytestmark = pytest.mark.postgres

_CLOCK = re.compile(r"\b\d{1,2}:\d{2}\b")
_CLOCK_COLUMNS = ("uren stil",)
"""Columns computed from the clock of the render (hours since a source's newest item)."""


def _visible(at: AppTest) -> dict[str, Any]:
    """What a reader sees on the current page, element by element (tables row by row)."""
    frames = [d.value.drop(columns=[c for c in _CLOCK_COLUMNS if c in d.value.columns])
              for d in at.dataframe]
    shown = {
        "titles": [t.value for t in at.title],
        "subheaders": [s.value for s in at.subheader],
        "metrics": [(m.label, m.value) for m in at.metric],
        "tables": [[list(map(str, f.columns)), f.astype(str).values.tolist()] for f in frames],
        "choices": [(s.key, list(map(str, s.options))) for s in at.selectbox],
        "messages": [[str(getattr(m, "value", "")) for m in at.get(kind)]
                     for kind in ("error", "warning", "info")],
        "captions": [c.value for c in at.caption],
        "markdown": [m.value for m in at.markdown],
        # Not the login's cookie script: it carries this session's random token.
        "html": [str(h.proto.body) for h in at.get("html")
                 if "/newsroom/session" not in str(h.proto.body)],
    }
    # The "Bijgewerkt … om 17:52" line and the audit log's login time read the clock of the
    # render; the two runs may fall on either side of a minute.
    return dict(json.loads(_CLOCK.sub("HH:MM", json.dumps(shown, default=str))))


def _first_difference(postgres: Any, sqlite: Any) -> str:
    """The innermost element where the two differ, for a readable failure."""
    if isinstance(postgres, list) and isinstance(sqlite, list) and len(postgres) == len(sqlite):
        for a, b in zip(postgres, sqlite, strict=True):
            if a != b:
                return _first_difference(a, b)
    return f"PostgreSQL {postgres!r} != SQLite {sqlite!r}"


def _every_page(user: str, store: str) -> dict[str, dict[str, Any]]:
    assert data.db_path() == store  # the app reads the store this run is meant for
    at = login(user)
    shown = {"landing": _visible(at)}
    pages = (*PAGES, "labels", "over", *(("auditlog",) if user == "baas" else ()))
    for name in pages:
        shown[name] = _visible(page(at, name))
        assert at.title, f"page {name} shows no title for {user}"
    return shown


@pytest.mark.parametrize("user", sorted(PASSWORDS))
def test_every_page_shows_the_same_as_on_sqlite(
    user: str, corpus: Corpus, pg_corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same items, counts, tables (row order included), choices and messages on both engines.

    The audit log (management) holds this run's own login on each engine: one row each, so a
    run that read or wrote the other engine's store would show here too.
    """
    pg = open_db(pg_corpus.store, migrate=False)
    assert engine(pg) == "postgresql"
    pg.conn.close()
    ids = ("script_id", "pool_id", "zwembad_watch_id", "built_at")
    assert [getattr(pg_corpus, i) for i in ids] == [getattr(corpus, i) for i in ids]
    on_postgres = _every_page(user, str(pg_corpus.store))
    monkeypatch.setenv("NEWSROOM_CONFIG", str(corpus.config_path))
    on_sqlite = _every_page(user, str(corpus.store))
    for name, shown in on_postgres.items():
        for part, value in shown.items():
            assert value == on_sqlite[name][part], (
                f"{user}: page {name} differs in {part}: "
                f"{_first_difference(value, on_sqlite[name][part])}")
    assert on_postgres["berichten"]["tables"][0][1], "Berichten lists items"
    if user == "baas":
        assert len(on_postgres["auditlog"]["tables"][0][1]) == 1


def test_adviser_writes_land_in_postgresql_and_show_after_a_reload(pg_corpus: Corpus) -> None:
    pool = pg_corpus.pool_id
    at = search(page(login("adviseur"), "berichten"), "zwembad")
    tick(at, "berichten_tabel", [pool])
    at.radio(key=f"berichten_correctie_{pool}").set_value("negatief")
    click(at, "Correctie opslaan")
    at.text_input(key=f"berichten_tag_{pool}").input("klacht")
    click(at, "Label opslaan")
    at.text_area(key=f"berichten_note_{pool}").input("Speelt al weken in Dubbeldam.")
    click(at, "Duiding opslaan")

    db = open_db(pg_corpus.store, migrate=False)
    assert engine(db) == "postgresql"
    assert {(a.kind, a.value, a.author) for a in list_annotations(db, pool)} == {
        ("correction", "negatief", "adviseur"), ("tag", "klacht", "adviseur"),
        ("note", "Speelt al weken in Dubbeldam.", "adviseur"),
    }
    item = q.document_item(db, pool)
    assert item is not None and item["label"] == "negatief"
    db.conn.close()

    # A reload (a new session): the table, the item and the tag filter read it from PG.
    at = search(page(login("adviseur"), "berichten"), "zwembad")
    table = at.dataframe[0].value
    row = table[table["titel"] == POOL_TITLE]
    assert row["sentiment"].tolist() == ["negatief"]
    assert row["model zei"].tolist() == ["positief"] and row["labels"].tolist() == ["klacht"]
    assert "klacht" in at.multiselect(key="berichten_tags").options
    tick(at, "berichten_tabel", [pool])
    assert at.radio(key=f"berichten_correctie_{pool}").value == "negatief"
    assert "Speelt al weken in Dubbeldam." in at.dataframe[-1].value["inhoud"].tolist()
    at.multiselect(key="berichten_labels").set_value(["negatief"])
    at.multiselect(key="berichten_tags").set_value(["klacht"])
    click(at, "Zoeken")
    assert at.dataframe[0].value["titel"].tolist() == [POOL_TITLE]


def test_a_new_watch_is_stored_in_postgresql_and_listed_after_a_reload(
    pg_corpus: Corpus
) -> None:
    test_app_pages.test_adviser_creates_a_watch_and_a_bad_query_is_refused(pg_corpus)
    at = page(login("adviseur"), "projecten")
    assert "Nieuwe brug" in at.selectbox(key="projecten_watch_id").options
    lead = page(login("leider"), "projecten")  # not the project lead's: not listed there
    assert lead.selectbox(key="projecten_watch_id").options == [pg_corpus.own_watch]
    names = {w.name for w in list_watches(open_db(pg_corpus.store, migrate=False))}
    assert {"Nieuwe brug", pg_corpus.own_watch, pg_corpus.other_watch} <= names


def test_saved_view_round_trip(pg_corpus: Corpus) -> None:
    test_saved_views.test_save_open_by_link_and_delete(pg_corpus)


def test_adviser_corrects_tags_and_notes(pg_corpus: Corpus) -> None:
    test_app_pages.test_adviser_corrects_tags_and_notes(pg_corpus)


def test_a_correction_shows_at_once_in_the_table_and_the_item(pg_corpus: Corpus) -> None:
    test_adviser_loop.test_a_correction_shows_at_once_in_the_table_and_the_item(pg_corpus)


def test_bronnen_lists_a_dead_letter(pg_corpus: Corpus) -> None:
    test_bronnen_dead_letters.test_bronnen_lists_a_dead_lettered_crawl_with_its_error(pg_corpus)


def test_project_lead_sees_and_edits_only_own_watches(pg_corpus: Corpus) -> None:
    test_app_pages.test_project_lead_sees_and_edits_only_own_watches(pg_corpus)


def test_project_lead_cannot_search_outside_own_watches(pg_corpus: Corpus) -> None:
    test_app_pages.test_project_lead_cannot_search_outside_own_watches(pg_corpus)


def test_scraped_script_title_is_shown_as_text(pg_corpus: Corpus) -> None:
    test_app_pages.test_scraped_script_title_is_shown_as_text(pg_corpus)
