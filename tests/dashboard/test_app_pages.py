"""Every page runs for every role (AppTest, real SQLite file); login and role rules hold;
scraped text is escaped; adviser actions land in the store."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from core.records import Annotation, utcnow
from storage.adviser import add_annotation, list_annotations, list_watches
from storage.db import open_db

from .app_steps import app, click, login, open_found, page
from .conftest import PASSWORDS, SCRIPT_TITLE, Corpus

PAGES = ("overzicht", "projecten", "onderwerpen", "berichten", "kaart", "regels", "bronnen",
         "digest")


def test_without_login_only_the_login_form_shows(corpus: Corpus) -> None:
    at = app().run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Inloggen"]
    assert len(at.text_input) == 2
    assert not at.dataframe and not at.metric and not at.get("arrow_vega_lite_chart")


def test_wrong_password_is_refused(corpus: Corpus) -> None:
    at = login("adviseur", "verkeerd")
    assert [t.value for t in at.title] == ["Inloggen"]
    assert "klopt niet" in at.error[0].value
    assert not at.metric


def test_unknown_user_is_refused(corpus: Corpus) -> None:
    at = login("niemand", "adviseur-geheim")
    assert "klopt niet" in at.error[0].value


@pytest.mark.parametrize("user", sorted(PASSWORDS))
def test_every_page_runs_for_every_role(corpus: Corpus, user: str) -> None:
    at = login(user)
    assert not at.exception
    assert [t.value for t in at.title][:1] == ["Overzicht"]
    for name in PAGES:
        page(at, name)
        assert at.title, f"page {name} shows no title for {user}"


def test_overzicht_counts_match_the_store(corpus: Corpus) -> None:
    at = login("baas")
    db = open_db(corpus.store)
    metric = next(m for m in at.metric if m.label == "Berichten deze week")
    from datetime import UTC, datetime, timedelta

    today = datetime.now(UTC).date()
    monday = today - timedelta(days=today.weekday())
    expected = db.execute(
        "SELECT count(*) FROM documents WHERE substr(coalesce(published, first_seen), 1, 10) >= ?",
        [monday.isoformat()],
    ).fetchone()[0]
    assert int(metric.value) == expected
    assert any("Toon als tabel" in e.label for e in at.expander)


def test_scraped_script_title_is_shown_as_text(corpus: Corpus) -> None:
    at = page(login("adviseur"), "berichten")
    at.text_input(key="berichten_query").input("zwembad dicht")
    click(at, "Zoeken")
    at.selectbox(key="berichten_open").select(corpus.script_id).run()
    html_bodies = [h.proto.body for h in at.get("html")]
    assert any("&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in b for b in html_bodies)
    assert not any("<script" in b for b in html_bodies)
    assert not any("<script" in m.value for m in at.markdown)
    titles = at.dataframe[0].value["titel"].tolist()
    assert SCRIPT_TITLE in titles  # a table cell holds it as plain text


def test_adviser_corrects_tags_and_notes(corpus: Corpus) -> None:
    at = open_found(page(login("adviseur"), "berichten"), "zwembad", corpus.pool_id)
    at.radio(key=f"berichten_correctie_{corpus.pool_id}").set_value("negatief")
    click(at, "Correctie opslaan")
    at.text_input(key=f"berichten_tag_{corpus.pool_id}").input("klacht")
    click(at, "Label opslaan")
    at.text_area(key=f"berichten_note_{corpus.pool_id}").input("Let op: dit speelt al weken.")
    click(at, "Duiding opslaan")
    notes = list_annotations(open_db(corpus.store), corpus.pool_id)
    assert {(a.kind, a.value, a.author) for a in notes} == {
        ("correction", "negatief", "adviseur"),
        ("tag", "klacht", "adviseur"),
        ("note", "Let op: dit speelt al weken.", "adviseur"),
    }
    assert "Let op: dit speelt al weken." in at.dataframe[-1].value["inhoud"].tolist()


def test_empty_tag_is_refused_with_a_message(corpus: Corpus) -> None:
    at = page(login("adviseur"), "berichten")
    # Open an item with a title of its own: the synthetic corpus repeats titles, and AppTest
    # maps a selectbox value back through its label, so on a rerun a default item whose
    # label another item shares could come back as that other item (and its form).
    at.selectbox(key="berichten_open").select(corpus.pool_id).run()
    click(at, "Label opslaan")
    assert at.error and "Niet opgeslagen" in at.error[0].value
    assert list_annotations(open_db(corpus.store), kind="tag") == []


def test_management_reads_only(corpus: Corpus) -> None:
    at = page(login("baas"), "berichten")
    labels = {b.label for b in at.button}
    assert "Correctie opslaan" not in labels and "Duiding opslaan" not in labels
    page(at, "projecten")
    assert not any(e.label in ("Nieuw project maken", "Project bewerken") for e in at.expander)


def test_project_lead_sees_and_edits_only_own_watches(corpus: Corpus) -> None:
    at = page(login("leider"), "projecten")
    assert at.selectbox(key="projecten_watch_id").options == [corpus.own_watch]
    assert any(e.label == "Project bewerken" for e in at.expander)
    at = page(at, "berichten")
    labels = {b.label for b in at.button}
    assert "Correctie opslaan" not in labels and "Duiding opslaan" in labels
    shown = set(at.dataframe[0].value["titel"])
    allowed = {
        row[0] for row in open_db(corpus.store).execute(
            "SELECT d.title FROM documents d JOIN watch_scores w ON w.document_id = d.id "
            "WHERE w.watch_id = ?", [corpus.zwembad_watch_id])
    }
    assert shown and shown <= allowed


def test_adviser_creates_a_watch_and_a_bad_query_is_refused(corpus: Corpus) -> None:
    at = page(login("adviseur"), "projecten")
    form_inputs = [t for t in at.text_input if t.label == "Naam"]
    form_inputs[0].input("Nieuwe brug")
    [a for a in at.text_area if a.label == "Zoekvraag"][0].input('"nieuwe brug')
    click(at, "Opslaan")
    assert any("zoekvraag klopt niet" in e.value for e in at.error)
    assert "Nieuwe brug" not in {w.name for w in list_watches(open_db(corpus.store))}
    [a for a in at.text_area if a.label == "Zoekvraag"][0].input('"nieuwe brug" OR brugzaak')
    click(at, "Opslaan")
    stored = {w.name: w for w in list_watches(open_db(corpus.store))}
    assert stored["Nieuwe brug"].query == '"nieuwe brug" OR brugzaak'


def test_project_lead_cannot_search_outside_own_watches(corpus: Corpus) -> None:
    at = page(login("leider"), "berichten")
    at.text_input(key="berichten_query").input("spoorzone")
    click(at, "Zoeken")
    assert not at.dataframe  # Spoorzone items are not in the lead's projects


def test_digest_preview_is_built(corpus: Corpus) -> None:
    at = page(login("baas"), "digest")
    assert not at.error, [e.value for e in at.error]
    assert _page_html(at) and at.download_button


IMAGE_NAME = "![t](http://127.0.0.1:9/p.png)"


def _markdown_texts(at: AppTest) -> list[str]:
    kinds = ("markdown", "caption", "subheader", "title", "header", "error", "warning",
             "success", "info")
    return [str(getattr(element, "value", "")) for kind in kinds for element in at.get(kind)]


def test_names_are_never_rendered_as_markdown(corpus: Corpus) -> None:
    from core.records import Watch
    from storage.watch_edits import create_watch

    create_watch(open_db(corpus.store), Watch(name=IMAGE_NAME, query="zwembad"))
    at = page(login("adviseur"), "projecten")
    at.selectbox(key="projecten_watch_id").select_index(
        at.selectbox(key="projecten_watch_id").options.index(IMAGE_NAME)).run()
    assert not at.exception
    assert not [t for t in _markdown_texts(at) if "![t](" in t]  # only escaped or as HTML text
    headings = [str(h.proto.body) for h in at.get("html")]
    assert any("![t](http://127.0.0.1:9/p.png)" in h and "<img" not in h for h in headings)


def test_lockout_is_kept_by_the_server_across_reloads(corpus: Corpus) -> None:
    from storage.audit import list_events
    from storage.login_throttle import USER_LIMIT

    for _ in range(USER_LIMIT):
        at = login("adviseur", "verkeerd")  # a fresh AppTest each time: a page reload
    assert "Te veel mislukte pogingen" in at.error[0].value
    at = login("adviseur")  # the right password, but the name is locked for now
    assert [t.value for t in at.title] == ["Inloggen"]
    assert "met deze gebruikersnaam" in at.error[0].value and not at.metric
    events = list_events(open_db(corpus.store), action_prefix="login.")
    assert [e.action for e in events][:2] == ["login.refused", "login.failure"]
    assert all(e.client == "localhost" and e.actor == "adviseur" for e in events)
    assert all("verkeerd" not in e.detail and "geheim" not in e.detail for e in events)
    other = login("leider")  # another name from the same client still gets in
    assert not other.error and other.metric


def test_an_idle_session_ends_on_the_server(corpus: Corpus) -> None:
    from storage.db import transaction

    at = login("adviseur")
    assert at.metric  # logged in, on Overzicht
    db = open_db(corpus.store)
    with transaction(db) as conn:  # as if the last click was 31 minutes ago (idle limit 30)
        conn.execute("UPDATE dashboard_sessions SET last_seen = last_seen - 31 * 60")
    at.run()
    assert [t.value for t in at.title] == ["Inloggen"] and not at.metric
    assert "sessie is afgelopen" in at.info[0].value
    assert db.execute("SELECT count(*) FROM dashboard_sessions WHERE revoked_at IS NULL"
                      ).fetchone()[0] == 0


def test_logout_revokes_the_session_and_is_audited(corpus: Corpus) -> None:
    from storage.audit import list_events

    at = click(login("leider"), "Uitloggen")
    assert [t.value for t in at.title] == ["Inloggen"]
    db = open_db(corpus.store)
    assert [row[0] is not None for row in db.execute("SELECT revoked_at FROM dashboard_sessions")
            ] == [True]
    assert [e.action for e in list_events(db)][:2] == ["logout", "login.success"]


def test_project_lead_sees_same_story_items_only_inside_their_projects(corpus: Corpus) -> None:
    from storage.db import transaction

    db = open_db(corpus.store)
    outside_id, outside_title = db.execute(
        "SELECT id, title FROM documents WHERE id NOT IN (SELECT document_id FROM watch_scores "
        "WHERE watch_id = ?) LIMIT 1", [corpus.zwembad_watch_id]).fetchone()
    with transaction(db) as conn:
        conn.execute("INSERT INTO stories (id, label, first_seen, last_seen, size) "
                     "VALUES ('s-zwembad', 'Zwembad', '2026-01-01', '2026-01-02', 3)")
        for doc in (corpus.script_id, corpus.pool_id, outside_id):
            conn.execute("INSERT OR REPLACE INTO document_stories (document_id, story_id) "
                         "VALUES (?, 's-zwembad')", [doc])

    def story_titles(at: AppTest) -> set[str]:
        frames = [d.value for d in at.dataframe if list(d.value.columns) == ["bron", "titel",
                                                                             "adres"]]
        return set(frames[0]["titel"]) if frames else set()

    for name, expected in (("leider", False), ("adviseur", True)):
        at = page(login(name), "berichten")
        at.text_input(key="berichten_query").input("zwembad dicht")
        click(at, "Zoeken")
        assert at.selectbox(key="berichten_open").value == corpus.script_id
        titles = story_titles(at)
        assert "Nieuw zwembad in Dubbeldam geopend" in titles
        assert (outside_title in titles) is expected, name


def _page_html(at: AppTest) -> list:
    """HTML elements of the page itself (the sidebar's "Ingelogd als" line is HTML too)."""
    return [h for h in at.get("html") if "Ingelogd als" not in str(h.proto.body)]


def _stored_previews(corpus: Corpus) -> list[tuple[str, str, str]]:
    db = open_db(corpus.store)
    try:
        return [tuple(row) for row in db.execute(
            "SELECT week, recipient, data_stamp FROM digest_previews ORDER BY week").fetchall()]
    finally:
        db.conn.close()


def test_digest_page_only_reads_stored_previews(corpus: Corpus) -> None:
    before = _stored_previews(corpus)
    assert len(before) == 2  # the rollup job's two weeks, built by the fixture
    at = page(login("baas"), "digest")
    older = at.selectbox(key="digest_week").options[4]
    at.selectbox(key="digest_week").select(older).run()
    assert not at.exception
    assert any("nog geen voorbeeld" in info.value for info in at.info)
    assert not _page_html(at)
    assert _stored_previews(corpus) == before  # viewing built nothing


def test_digest_page_says_when_a_preview_is_outdated(corpus: Corpus) -> None:
    at = page(login("baas"), "digest")
    assert not any("nieuwe berichten" in c.value for c in at.caption)
    db = open_db(corpus.store)
    add_annotation(db, Annotation(document_id=corpus.pool_id, kind="note", value="Duiding",
                                  author="adviseur", created=utcnow()))
    db.conn.close()
    at = page(login("baas"), "digest")
    assert any("nieuwe berichten" in c.value for c in at.caption)
    assert _page_html(at)  # the stored preview still shows
