"""Projecten: watches (saved queries) — create and edit, and per watch its volume, its own
sentiment, the most positive and negative items, the outlets, and share of voice."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.records import Watch
from dashboard import actions, auth, data, item_link, ui
from storage.watch_edits import WatchNameTaken, WatchNotFound, WatchOwnerChanged

user = auth.page_guard()
path = data.db_path()
end_day = data.last_day(path)

st.title("Projecten")
st.caption("Een project volgt berichten met eigen zoekwoorden. Het sentiment is dat van de "
           "zinnen die over het project gaan.")
start, end, granularity = ui.period_picker("projecten", 90, end_day)

all_watches = data.watches(path)
visible = [w for w in all_watches if user.can_see_watch(w)]
QUERY_HELP = (
    'Zoekwoorden met OR (of), AND (en) en NOT (niet). Zet woorden die bij elkaar horen tussen '
    'aanhalingstekens. Voorbeeld: spoorzone OR "station zuid" NOT wedstrijd'
)


def watch_form(existing: Watch | None) -> None:
    """Create a new watch, or edit `existing`; the query is checked before saving."""
    form_key = f"watch_form_{existing.id if existing else 'new'}"
    with st.form(form_key):
        name = st.text_input("Naam", value=existing.name if existing else "", max_chars=100)
        query = st.text_area("Zoekvraag", value=existing.query if existing else "",
                             help=QUERY_HELP, max_chars=2000)
        active = st.checkbox("Actief", value=existing.active if existing else True)
        owner = existing.owner if existing else (
            user.username if user.role == "project_lead" else "")
        if user.role == "adviser":
            owner = st.text_input("Eigenaar (gebruikersnaam)", value=owner, max_chars=100)
        submitted = st.form_submit_button("Opslaan")
    if not submitted:
        return
    if not name.strip():
        st.error("Geef het project een naam.")
        return
    try:
        data.store_watch(path, user, Watch(name=name.strip(), query=query.strip(),
                                           owner=owner.strip(), active=active,
                                           id=existing.id if existing else None))
    except data.WatchQueryInvalid as exc:
        st.error(f"De zoekvraag klopt niet: {ui.md_plain(str(exc))}")
        return
    except WatchNameTaken:
        st.error("Er is al een project met deze naam. Kies een andere naam.")
        return
    except (actions.NotAllowed, WatchNotFound, WatchOwnerChanged):
        st.error("Dit project kun je niet (meer) bewerken. Laad de pagina opnieuw.")
        return
    st.success(f"Project '{ui.md_plain(name.strip())}' is opgeslagen. De cijfers komen na de "
               "volgende analyse-ronde.")


if user.can_create_watch:
    with st.expander("Nieuw project maken"):
        watch_form(None)

if not visible:
    st.info("Er zijn (nog) geen projecten die je mag zien.")
    st.stop()

by_id = {w.id: w for w in visible if w.id is not None}
chosen_id = st.selectbox("Project", list(by_id), format_func=lambda i: by_id[i].name,
                         key="projecten_watch_id")
watch = by_id[chosen_id] if chosen_id in by_id else next(iter(by_id.values()))
assert watch.id is not None
st.caption("Zoekvraag:")
st.code(watch.query, language=None)
if user.can_edit_watch(watch):
    with st.expander("Project bewerken"):
        watch_form(watch)

series = data.watch_series(path, watch.id, start, end, granularity)
ui.safe_heading(f"Berichten en sentiment over {watch.name}", 2)
if not series:
    ui.no_data("Nog geen berichten voor dit project in deze periode.")
else:
    frame = pd.DataFrame(series)
    frame["period"] = pd.to_datetime(frame["period"])
    st.altair_chart(ui.sentiment_stack_chart(frame, "Periode"), width="stretch",
                    alt=f"Staafdiagram: berichten over {watch.name} naar sentiment")
    ui.table_view(frame.drop(columns=["polarity_sum"], errors="ignore"),
                  f"project-{watch.id}", "projecten_series")

left, right = st.columns(2)
for column, most, title in ((left, "negatief", "Meest negatief"),
                            (right, "positief", "Meest positief")):
    with column:
        st.subheader(title)
        rows = data.watch_extremes(path, watch.id, start, end, most)
        if not rows:
            ui.no_data()
        else:
            extreme = pd.DataFrame(rows)[["title", "source_id", "time", "label", "p_neg", "p_pos"]]
            extreme.columns = ["titel", "bron", "tijd", "sentiment", "kans negatief",
                               "kans positief"]
            item_link.linked_table(extreme, [r["id"] for r in rows], f"projecten_{most}_rijen")
            ui.download_buttons(extreme, f"project-{watch.id}-{most}", f"projecten_{most}")

st.header("Welke bronnen schrijven erover")
outlets = pd.DataFrame(data.watch_outlets(path, watch.id, start, end))
if outlets.empty:
    ui.no_data()
else:
    st.altair_chart(ui.bar_chart(outlets, "name", "n", "Bron", "Berichten"), width="stretch",
                    alt=f"Staafdiagram: bronnen over {watch.name}")
    ui.table_view(outlets.drop(columns=["polarity_sum"], errors="ignore"),
                  f"project-{watch.id}-bronnen", "projecten_outlets")

st.header("Aandeel in de aandacht")
voice = pd.DataFrame(
    data.share_of_voice(path, start, end, tuple(w.id for w in visible if w.id is not None))
)
if voice.empty:
    ui.no_data()
else:
    st.altair_chart(ui.bar_chart(voice, "name", "n", "Project", "Berichten"), width="stretch",
                    alt="Staafdiagram: berichten per project")
    ui.table_view(voice[["name", "n", "share", "n_neg", "n_pos", "share_neg"]],
                  "share-of-voice", "projecten_voice")
