"""Auditlog (management only): who logged in, exported, corrected, changed projects or
users, erased data or sent digests — filterable and downloadable."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import audit_trail, auth, data, ui

user = auth.page_guard()
path = data.db_path()

st.title("Auditlog")
if user.role != "management":
    st.warning("Alleen management kan het auditlog inzien.")
    st.stop()

KINDS = {"Alles": None, "Inloggen": "login.", "Exports": "export.", "Correcties en duiding":
         "annotation.", "Projecten": "watch.", "Gebruikers": "user.", "Verwijderingen": "erase",
         "Weekoverzichten": "digest."}
chosen = st.selectbox("Soort", list(KINDS), key="audit_kind") or "Alles"
rows = audit_trail.recent_events(path, KINDS[chosen])
if not rows:
    ui.no_data("Nog geen gebeurtenissen van deze soort.")
    st.stop()
frame = pd.DataFrame(rows)
st.caption(f"De nieuwste {len(frame)} gebeurtenissen. Het log kan niet worden gewijzigd; het "
           "wordt bewaard volgens retention.audit_days.")
ui.table(frame, hide_index=True, width="stretch")
ui.download_buttons(frame, "auditlog", "auditlog_export")
