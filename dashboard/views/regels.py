"""Regels: "bron X en tekst bevat Y -> sentiment Z", for past and future items.

Everyone sees the rules and how many items each touched; only an adviser adds or removes
one (storage checks the role again). Removing a rule undoes its labels.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.records import LABELS
from dashboard import auth, data, labelling, ui
from storage.effective import LabelError

user = auth.page_guard()
path = data.db_path()

st.title("Regels")
st.caption("Een regel zet het sentiment van elk bericht dat erop past, ook van berichten die "
           "later binnenkomen. Een correctie door een adviseur gaat altijd voor een regel.")
flash = st.session_state.pop("regels_flash", None)
if flash:
    st.success(flash)

rules = labelling.rules(path)
if rules:
    ui.table(
        pd.DataFrame([{"nr": r.id, "regel": r.describe(), "geraakt": r.hits,
                       "zet nu het sentiment van": r.labelled, "door": r.author,
                       "sinds": r.created.strftime("%d-%m-%Y")} for r in rules]),
        hide_index=True, width="stretch",
    )
else:
    ui.no_data("Er zijn nog geen regels.")

if user.can_correct:
    sources = {s["name"]: s["id"] for s in data.source_options(path)}
    with st.form("regel_nieuw"):
        st.markdown("**Nieuwe regel**")
        source = st.selectbox("Bron", ["Alle bronnen", *sources], key="regel_bron")
        contains = st.text_input("Tekst bevat", max_chars=200, key="regel_tekst",
                                 help="Hoofdletters maken niet uit. Minstens 3 tekens.")
        label = st.radio("Zet sentiment op", list(LABELS), horizontal=True, key="regel_label")
        if st.form_submit_button("Regel opslaan"):
            try:
                rule = labelling.new_rule(path, contains, str(label), user.username, user.role,
                                          sources.get(str(source)))
            except LabelError as exc:
                st.error(f"Niet opgeslagen: {exc}")
            else:
                st.session_state["regels_flash"] = (
                    f"Regel opgeslagen: {rule.hits} berichten passen erop.")
                st.rerun()
    if rules:
        with st.form("regel_weg"):
            chosen = st.selectbox("Regel verwijderen", [r.id for r in rules], key="regel_weg",
                                  format_func=lambda i: next(
                                      f"{r.id}: {r.describe()}" for r in rules if r.id == i))
            if st.form_submit_button("Regel verwijderen"):
                try:
                    undone = labelling.drop_rule(path, int(chosen), user.role,
                                                  user.username)
                except LabelError as exc:
                    st.error(f"Niet verwijderd: {exc}")
                else:
                    st.session_state["regels_flash"] = (
                        f"Regel verwijderd; {undone} berichten hebben weer hun eerdere sentiment.")
                    st.rerun()
else:
    st.caption("Alleen een adviseur kan regels maken of verwijderen.")

st.header("Bijleren van correcties")
st.caption("Als er genoeg nieuwe correcties zijn, leert het systeem een nieuw model. Dat wordt "
           "alleen gebruikt als het op de vaste testsets minstens zo goed is als het huidige.")
versions = labelling.model_versions(path)
if versions:
    ui.table(
        pd.DataFrame([{
            "wanneer": v.created.strftime("%d-%m-%Y %H:%M"), "versie": v.version,
            "in gebruik": "ja" if v.active else "nee", "besluit": v.reason,
            "correcties": v.n_corrections,
            "macro-F1 nieuw / oud": "; ".join(
                f"{name}: {fig['macro_f1']:.3f} / {v.champion.get(name, {}).get('macro_f1', 0):.3f}"
                for name, fig in v.figures.items()),
        } for v in versions]),
        hide_index=True, width="stretch",
    )
else:
    st.caption("Nog geen nieuw model geleerd.")
