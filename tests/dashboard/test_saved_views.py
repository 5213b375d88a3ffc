"""Saved views on Berichten (AppTest, real SQLite file): save with a name, open by link as a
colleague (scope kept), delete by owner or adviser only, audit-logged, names plain text."""

from __future__ import annotations

from storage.audit import list_events
from storage.db import open_db
from storage.saved_views import get_view, list_views

from .app_steps import click, login, page
from .conftest import Corpus


def save_view(corpus: Corpus, user: str, name: str,  # type: ignore[no-untyped-def]
              **values: list[str]):
    at = page(login(user), "berichten")
    for key, value in values.items():
        at.multiselect(key=key).set_value(value)
    at = click(at, "Zoeken")
    at.text_input(key="berichten_view_name").input(name)
    at = click(at, "Filters bewaren als weergave")
    db = open_db(corpus.store)
    views = list_views(db, user, "berichten")
    db.conn.close()
    return at, views


def open_link(user: str, view_id: str):  # type: ignore[no-untyped-def]
    at = login(user)
    at.query_params["view"] = view_id
    return page(at, "berichten")


def test_save_open_by_link_and_delete(corpus: Corpus) -> None:
    at, views = save_view(corpus, "adviseur", "Boos over het zwembad",
                          berichten_labels=["negatief"], berichten_watches=["Zwembad"])
    assert [v.name for v in views] == ["Boos over het zwembad"]
    view = views[0]
    assert view.filters["berichten_labels"] == ["negatief"]
    assert view.filters["berichten_watches"] == ["Zwembad"]
    flash = [s.value for s in at.success]
    assert flash and f"/berichten?view={view.id}" in flash[0]

    colleague = open_link("baas", view.id)
    assert colleague.multiselect(key="berichten_labels").value == ["negatief"]
    assert colleague.multiselect(key="berichten_watches").value == ["Zwembad"]
    shown = colleague.dataframe[0].value
    assert set(shown["sentiment"]) == {"negatief"} and len(shown) >= 1
    assert not [b for b in colleague.button if b.label == "Deze weergave verwijderen"]

    owner = open_link("adviseur", view.id)
    owner = click(owner, "Deze weergave verwijderen")
    db = open_db(corpus.store)
    assert get_view(db, view.id) is None
    actions = [(e.action, e.actor, e.target) for e in list_events(db, action_prefix="view.")]
    db.conn.close()
    assert ("view.save", "adviseur", view.id) in actions
    assert ("view.delete", "adviseur", view.id) in actions
    gone = open_link("baas", view.id)
    assert any("bestaat niet" in w.value for w in gone.warning)


def test_project_lead_keeps_own_scope_when_opening_a_link(corpus: Corpus) -> None:
    _, views = save_view(corpus, "adviseur", "Spoor", berichten_watches=["Spoorzone", "Zwembad"],
                         berichten_labels=["positief"])
    lead = open_link("leider", views[0].id)
    assert lead.multiselect(key="berichten_watches").value == ["Zwembad"]
    assert lead.multiselect(key="berichten_labels").value == ["positief"]
    assert any("Niet alle filters" in i.value for i in lead.info)


def test_a_name_is_plain_text_and_an_empty_name_is_refused(corpus: Corpus) -> None:
    at, views = save_view(corpus, "leider", "")
    assert views == [] and any("naam" in e.value for e in at.error)
    tricky = "<b>vet</b> ![x](http://evil.invalid/x.png)"
    _, views = save_view(corpus, "leider", tricky)
    opened = open_link("leider", views[0].id)
    html = " ".join(str(getattr(e, "body", "")) for e in opened.get("html"))
    assert "&lt;b&gt;vet&lt;/b&gt;" in html and "<b>vet</b>" not in html
    assert not any("evil.invalid" in str(getattr(m, "value", "")) for m in opened.markdown)


def test_unknown_view_link_says_so(corpus: Corpus) -> None:
    at = open_link("baas", "bestaatniet")
    assert any("bestaat niet" in w.value for w in at.warning)
    assert at.dataframe  # the page still works with its usual filters
