"""Berichten: full-text search with filters, export, and the item view with its scored
sentences and the adviser's actions (correct the sentiment, tag, write a duiding note)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
import streamlit as st

from core import wording
from core.records import LABELS
from dashboard import actions, auth, data, item_link, saved_views, tags, ui
from dashboard.area_link import apply_area_link
from dashboard.bulk_form import bulk_actions
from storage.adviser import AnnotationError
from storage.documents import DocumentFilter

user = auth.page_guard()
path = data.db_path()
end_day = data.last_day(path)
TIMEZONE = data.config().schedule.timezone

st.title("Berichten")

sources = data.source_options(path)
source_names = {s["name"]: s["id"] for s in sources}
watches = [w for w in data.watches(path) if user.can_see_watch(w)]
watch_ids = {w.name: w.id for w in watches if w.id is not None}
places = data.place_names(path)
place_codes = {f"{p['name']} ({p['level']})": p["cbs_code"] for p in places}
kind_codes = {name: code for code, name in ui.KIND_NAMES.items()}
# A project lead's tags and opened items stay within their own projects.
lead_scope = (tuple(watch_ids.values()) or (-1,)) if user.role == "project_lead" else ()
requested = item_link.take_request()  # a row chosen on another page, or a story member
LIMITS = [50, 100, 200, 500]
# Saved views (?view=<id>) fill these widget keys; options the reader cannot see are dropped.
VIEW_FIELDS = {
    "berichten_query": "text", "berichten_period": "dates",
    "berichten_sources": list(source_names), "berichten_kinds": list(kind_codes),
    "berichten_labels": list(LABELS), "berichten_topics": data.topic_names(path),
    "berichten_watches": list(watch_ids), "berichten_places": list(place_codes),
    "berichten_limit": LIMITS, "berichten_tags": tags.tag_names(path, lead_scope),
}
opened_view = saved_views.apply_link("berichten", user, VIEW_FIELDS)
unknown_area = apply_area_link(place_codes)
if unknown_area:
    ui.safe_caption(f"Over gebied {unknown_area} zijn (nog) geen berichten gevonden.")

with st.form("zoeken"):
    text_query = st.text_input(
        "Zoek in titel en tekst", key="berichten_query", max_chars=500,
        help='Woorden worden samen gezocht. Gebruik "aanhalingstekens" voor een zinsdeel, OR '
             "voor of, NOT voor niet, en * achter een woord voor alles wat ermee begint.",
    )
    col1, col2, col3 = st.columns(3)
    period = col1.date_input(
        "Periode", value=(end_day - timedelta(days=29), end_day), key="berichten_period",
        format="DD-MM-YYYY",
    )
    chosen_sources = col2.multiselect("Bron", list(source_names), key="berichten_sources",
        placeholder="Alles")
    chosen_kinds = col3.multiselect("Soort bron", list(kind_codes), key="berichten_kinds",
        placeholder="Alles")
    col4, col5, col6, col7 = st.columns(4)
    chosen_labels = col4.multiselect("Sentiment", list(LABELS), key="berichten_labels",
        placeholder="Alles")
    chosen_topics = col5.multiselect("Onderwerp", data.topic_names(path), key="berichten_topics",
        placeholder="Alles", format_func=wording.topic_label)
    chosen_watches = col6.multiselect("Project", list(watch_ids), key="berichten_watches",
        placeholder="Alles")
    chosen_places = col7.multiselect("Wijk of buurt", list(place_codes), key="berichten_places",
        placeholder="Alles")
    chosen_tags = st.multiselect("Label (van adviseurs)", tags.tag_names(path, lead_scope),
                                 key="berichten_tags", placeholder="Alles")
    limit = st.select_slider("Hoeveel berichten", LIMITS, value=100, key="berichten_limit")
    st.form_submit_button("Zoeken")
saved_views.panel("berichten", user, list(VIEW_FIELDS), opened_view)

start_day, end_inclusive = (period if isinstance(period, tuple) and len(period) == 2
                            else (end_day - timedelta(days=29), end_day))
project_scope: tuple[int, ...] = tuple(watch_ids[w] for w in chosen_watches)
if user.role == "project_lead" and not project_scope:
    # A project lead sees the items of their own projects only.
    project_scope = tuple(watch_ids.values()) or (-1,)
flt = DocumentFilter(
    since=datetime.combine(start_day, datetime.min.time(), UTC),
    until=datetime.combine(end_inclusive + timedelta(days=1), datetime.min.time(), UTC),
    source_ids=tuple(source_names[s] for s in chosen_sources),
    kinds=tuple(kind_codes[k] for k in chosen_kinds),
    labels=tuple(chosen_labels),
    topics=tuple(chosen_topics),
    place_codes=tuple(place_codes[p] for p in chosen_places),
    watch_ids=project_scope,
    text_query=text_query.strip(),
    tags=tuple(chosen_tags),
)
rows = data.search(path, flt, int(limit))
st.caption(f"{len(rows)} berichten" + (" (de nieuwste; verfijn je zoekvraag voor meer)"
                                        if len(rows) >= int(limit) else ""))
if not rows:
    ui.no_data("Geen berichten gevonden. Probeer andere woorden of een langere periode.")
    st.stop()

results = pd.DataFrame(rows)
results["tijd"] = pd.to_datetime(
    results["published"].fillna(results["first_seen"]), utc=True, format="ISO8601"
).dt.tz_convert(TIMEZONE).dt.strftime("%d-%m-%Y %H:%M")
# A corrected row says what the model said, so the table and its export keep both.
results["model_zei"] = results["model_label"].where(results["corrected_by"].notna(), "")
results["tags"] = results["tags"].fillna("")
shown = results[["tijd", "title", "source_id", "kind", "label", "model_zei", "tags", "url",
                 "id"]].copy()
shown["kind"] = shown["kind"].map(lambda k: ui.KIND_NAMES.get(k, k))
shown.columns = ["tijd", "titel", "bron", "soort", "sentiment", "model zei", "labels", "adres",
                 "id"]
st.caption("Vink het vakje voor een rij aan om dat bericht te openen; vink meer rijen aan om ze "
           "samen aan te passen. Met het toetsenbord kies je een bericht bij 'Open bericht'.")
ticked = item_link.selectable_table(shown.drop(columns=["id"]), shown["id"].tolist(),
                                    "berichten_tabel", multi=True)
clicked = item_link.newly_selected("berichten_tabel", ticked)
ui.download_buttons(shown, "berichten", "berichten_export")
if user.can_note:
    bulk_actions(path, rows, user, ticked)

names = data.source_names(path)
titles = {row["id"]: f"{row['title'][:120]} — {names.get(row['source_id'], row['source_id'])}"
          for row in rows}
if requested and requested not in titles and (
        not lead_scope or data.in_watches(path, (requested,), lead_scope)):
    st.session_state["berichten_extra"] = requested  # stays choosable while it is open
elif requested and requested not in titles:
    st.info("Dat bericht valt buiten je projecten; je kunt het hier niet openen.")
extra = st.session_state.get("berichten_extra")
if extra and extra not in titles and (found := data.document_item(path, extra)):
    titles[extra] = f"{found['title'][:120]} — {names.get(found['source_id'], found['source_id'])}"
if clicked or requested in titles:
    st.session_state["berichten_open"] = clicked or requested
document_id = st.selectbox("Open bericht", list(titles), format_func=lambda i: titles[i],
                           key="berichten_open")
opened = data.document_item(path, document_id) if document_id else None
if opened is None:
    st.stop()
    raise SystemExit  # unreachable: st.stop() ends the run; tells mypy `opened` is set
item: dict = opened

st.divider()
ui.safe_heading(item["title"], 2)
when = pd.Timestamp(item["published"] or item["first_seen"]).tz_convert(TIMEZONE)
ui.safe_caption(f"{item['source_name'] or item['source_id']} · "
           f"{ui.KIND_NAMES.get(item['kind'], item['kind'])} · {when:%d-%m-%Y %H:%M}")
if str(item["url"]).startswith(("https://", "http://")):
    st.link_button("Open de bron", item["url"])
if item["corrected_by"]:
    st.markdown(f"**Sentiment van het bericht:** {item['label']} "
                f"({ui.CORRECTED_BY.get(item['corrected_by'], item['corrected_by'])})")
    if item["model_label"]:
        st.caption(f"Model zei {item['model_label']} (negatief {item['model_p_neg']:.0%}, "
                   f"neutraal {item['model_p_neu']:.0%}, positief {item['model_p_pos']:.0%}).")
elif item["label"]:
    st.markdown(
        f"**Sentiment van het bericht:** {item['label']} "
        f"(negatief {item['p_neg']:.0%}, neutraal {item['p_neu']:.0%}, "
        f"positief {item['p_pos']:.0%})"
    )
    ui.safe_caption(f"Gescoord door model {item['model_name']} versie {item['model_version']} "
               f"op {wording.local_time(item['scored_at'], TIMEZONE)}.")
else:
    st.info("Dit bericht is nog niet gescoord.")
if item["sentences"]:
    st.markdown("**Zinnen** (kleur en label tonen het sentiment per zin)")
    st.html(ui.sentence_html(item["sentences"]))
else:
    ui.safe_text(item["text"])
facts = []
if item["topics"]:
    facts.append("Onderwerpen: " + ", ".join(wording.topic_label(t["topic"])
                                             for t in item["topics"]))
if item["places"]:
    facts.append("Plaatsen: " + ", ".join(p["name"] for p in item["places"]))
if item["watches"]:
    facts.append("Projecten: " + ", ".join(f"{w['name']} ({w['label']})" for w in item["watches"]))
for fact in facts:
    ui.safe_text(fact)
if item["story"]:
    others = [d for d in item["story"]["documents"] if d["id"] != item["id"]]
    if user.role == "project_lead":  # only same-story items inside their own projects
        allowed = data.in_watches(path, tuple(d["id"] for d in others), project_scope)
        others = [d for d in others if d["id"] in allowed]
    if others:
        st.markdown("**Hetzelfde verhaal bij andere bronnen**")
        member_key = f"berichten_verhaal_{item['id']}"
        member = item_link.newly_selected(member_key, item_link.selectable_table(
            pd.DataFrame(others)[["source_id", "title", "url"]]
            .rename(columns={"source_id": "bron", "title": "titel", "url": "adres"}),
            [d["id"] for d in others], member_key))
        st.caption("Vink het vakje voor een rij aan om dat bericht te openen.")
        if member:
            st.session_state[item_link.OPEN_REQUEST] = member
            st.rerun()

st.header("Correcties, labels en duiding")
# The forms below start fresh for every item and after every save: a chosen sentiment or
# unsaved text must never be saved onto the next document by mistake. So their keys carry
# the document id (a new item gets new widgets, in the browser too), and a save clears them.
form_keys = {name: f"berichten_{name}_{item['id']}" for name in ("correctie", "tag", "note")}
if st.session_state.pop("berichten_form_reset", None) == item["id"]:
    for form_key in form_keys.values():
        st.session_state.pop(form_key, None)
flash = st.session_state.pop("berichten_flash", None)
if flash:
    st.success(flash)
notes = data.document_annotations(path, item["id"])
if notes:
    ui.table(
        pd.DataFrame([{"soort": {"correction": "correctie", "tag": "label", "note": "duiding"}
                       .get(a.kind, a.kind), "inhoud": a.value, "door": a.author,
                       "wanneer": a.created.strftime("%d-%m-%Y %H:%M")} for a in notes]),
        hide_index=True, width="stretch",
    )
else:
    st.caption("Nog geen correcties, labels of duiding.")


def save(kind: str, value: str, done: str) -> None:
    try:
        data.annotate(path, user, item["id"], kind, value)
    except (AnnotationError, actions.NotAllowed) as exc:
        st.error(f"Niet opgeslagen: {ui.md_plain(str(exc))}")
        return
    st.session_state["berichten_flash"] = done  # shown after the rerun below
    st.session_state["berichten_form_reset"] = item["id"]
    st.rerun()


if user.can_correct:
    with st.form(f"correctie_{item['id']}"):
        label_options: list[str] = list(LABELS)
        current = item["label"] if item["label"] in label_options else "neutraal"
        corrected = st.radio("Juiste sentiment", label_options,
                             index=label_options.index(current), horizontal=True,
                             key=form_keys["correctie"])
        if st.form_submit_button("Correctie opslaan"):
            save("correction", str(corrected), "Correctie opgeslagen.")
if user.can_note:
    left, right = st.columns(2)
    with left, st.form(f"label_{item['id']}", clear_on_submit=True):
        tag = st.text_input("Label toevoegen", max_chars=100, key=form_keys["tag"])
        if st.form_submit_button("Label opslaan"):
            save("tag", tag, "Label opgeslagen.")
    with right, st.form(f"duiding_{item['id']}", clear_on_submit=True):
        note = st.text_area("Duiding voor collega's", max_chars=5000, key=form_keys["note"])
        if st.form_submit_button("Duiding opslaan"):
            save("note", note, "Duiding opgeslagen.")
if not user.can_correct and not user.can_note:
    st.caption("Je kunt hier alleen meekijken.")
