"""Issue 12 in the dashboard (AppTest, real SQLite file): the audit trail of logins,
corrections, notes and watches; the management-only Auditlog page; "Over deze monitor" for
every role, with configured text shown plain."""

from __future__ import annotations

import pytest

from storage.audit import list_events
from storage.db import open_db

from .app_steps import click, login, open_found, page
from .conftest import PASSWORDS, Corpus


def events(corpus: Corpus) -> list[tuple[str, str, str, str]]:
    return [(e.actor, e.action, e.target, e.detail)
            for e in reversed(list_events(open_db(corpus.db_path)))]


def test_logins_are_audited_success_and_failure(corpus: Corpus) -> None:
    login("adviseur", "verkeerd")
    login("baas")
    assert events(corpus) == [("adviseur", "login.failure", "", ""),
                              ("baas", "login.success", "", "management")]
    clients = {e.client for e in list_events(open_db(corpus.db_path))}
    # AppTest has no browser address: Streamlit's None means a local client, which the
    # login path records as "localhost" (also the throttle's key); never a stand-in object.
    assert clients == {"localhost"}


def test_corrections_notes_and_watch_changes_are_audited(corpus: Corpus) -> None:
    at = open_found(page(login("adviseur"), "berichten"), "zwembad", corpus.pool_id)
    at.radio(key=f"berichten_correctie_{corpus.pool_id}").set_value("negatief")
    click(at, "Correctie opslaan")
    at.text_area(key=f"berichten_note_{corpus.pool_id}").input("Vertrouwelijke duiding")
    click(at, "Duiding opslaan")
    at = page(at, "projecten")
    [t for t in at.text_input if t.label == "Naam"][0].input("Nieuwe brug")
    [a for a in at.text_area if a.label == "Zoekvraag"][0].input("brug")
    click(at, "Opslaan")
    logged = events(corpus)[1:]  # after the login
    assert logged[0] == ("adviseur", "annotation.correction", corpus.pool_id, "negatief")
    assert logged[1] == ("adviseur", "annotation.note", corpus.pool_id, "")  # no note text
    actor, action, target, detail = logged[2]
    assert (actor, action) == ("adviseur", "watch.create") and target.isdigit()
    assert detail.startswith("Nieuwe brug | brug")


@pytest.mark.parametrize("user", sorted(PASSWORDS))
def test_about_page_for_every_role(corpus: Corpus, user: str) -> None:
    at = page(login(user), "over")
    assert [t.value for t in at.title] == ["Over deze monitor"]
    sections = [s.value for s in at.header]  # h2 under the page's h1 (heading order)
    for heading in ("Wat we verzamelen en waarvandaan", "Hoe de toon wordt bepaald, en hoe goed",
                    "Grenzen", "Hoe lang we bewaren", "Verwijdering of inzage aanvragen"):
        assert heading in sections
    texts = [t.value for t in at.text]
    assert any(t.startswith("Contact:") for t in texts)
    retention = at.dataframe[-1].value
    assert "90 dagen" in retention["bewaartermijn"].tolist()


def test_about_page_shows_configured_strings_as_plain_text(corpus: Corpus) -> None:
    text = corpus.config_path.read_text(encoding="utf-8")
    corpus.config_path.write_text(
        text.replace("[dashboard]", '[privacy]\ncontact = "![x](http://127.0.0.1:9/p.png) '
                     '**vet**"\n\n[dashboard]', 1), encoding="utf-8")
    at = page(login("leider"), "over")
    assert "Contact: ![x](http://127.0.0.1:9/p.png) **vet**" in [t.value for t in at.text]
    assert not any("127.0.0.1:9" in m.value for m in at.markdown)


def test_auditlog_page_is_for_management_only(corpus: Corpus) -> None:
    login("adviseur", "verkeerd")
    at = page(login("baas"), "auditlog")
    assert [t.value for t in at.title] == ["Auditlog"]
    frame = at.dataframe[0].value
    assert frame["wat"].tolist()[:2] == ["login.success", "login.failure"]
    at.selectbox(key="audit_kind").select("Exports").run()
    assert not at.dataframe  # no exports yet
    for name in ("adviseur", "leider"):
        at = login(name)
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page("views/auditlog.py")  # not in their navigation at all
        assert not any("Auditlog" in str(t.value) for t in at.title)


def test_downloads_are_audited_with_what_and_how_many_rows(corpus: Corpus) -> None:
    at = page(login("adviseur"), "bronnen")
    at.download_button(key="bronnen_table_csv").click().run()
    assert not at.exception
    [export] = [e for e in events(corpus) if e[1].startswith("export.")]
    actor, action, target, detail = export
    assert (actor, action, target) == ("adviseur", "export.csv", "bronnen")
    assert detail.endswith(" rows") and int(detail.split()[0]) >= 1
