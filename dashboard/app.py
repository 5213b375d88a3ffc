"""The newsroom dashboard: login, then the pages (st.navigation, one script per page).

Started by `newsroom dashboard` (streamlit run dashboard/app.py), which passes the config
file in $NEWSROOM_CONFIG. Pages live in dashboard/views/ (not pages/, which Streamlit would
list on its own, also before login); each page checks the login again.
"""

from __future__ import annotations

import importlib
import threading
from pathlib import Path

import streamlit as st

from core import redact
from core.config import ConfigError
from dashboard import auth, data, ui

VIEWS = Path(__file__).resolve().parent / "views"


@st.cache_resource(show_spinner=False)
def _warm_up_chart_library() -> threading.Thread:
    """Import matplotlib in the background once per server process.

    The Digest page draws its PNG charts with matplotlib, whose first import alone takes
    over a second; doing it while the user logs in keeps that page within its 1 s budget.
    """
    thread = threading.Thread(
        target=importlib.import_module, args=("matplotlib.backends.backend_agg",),
        name="warm-up-matplotlib", daemon=True,
    )
    thread.start()
    return thread


st.set_page_config(page_title="newsroom – mediamonitor", layout="wide")
redact.install()
_warm_up_chart_library()

try:
    config = data.config()
except ConfigError as exc:
    st.error(f"De configuratie klopt niet: {ui.md_plain(str(exc))}")
    st.stop()

user = auth.require_login(config)
if user is None:
    st.stop()
else:
    with st.sidebar:
        role_name = auth.ROLE_NAMES.get(user.role, user.role)
        ui.safe_caption(f"Ingelogd als {user.username} ({role_name})")
        if st.button("Uitloggen", key="logout"):
            auth.logout()
            if config.dashboard.oidc:
                st.logout()
            st.rerun()
    pages = [
        # No ":material/…:" icons: the browser would fetch them from fonts.gstatic.com.
        st.Page(VIEWS / "overzicht.py", title="Overzicht", default=True),
        st.Page(VIEWS / "projecten.py", title="Projecten"),
        st.Page(VIEWS / "onderwerpen.py", title="Onderwerpen"),
        st.Page(VIEWS / "berichten.py", title="Berichten"),
        st.Page(VIEWS / "labels.py", title="Labels"),
        st.Page(VIEWS / "kaart.py", title="Kaart"),
        st.Page(VIEWS / "regels.py", title="Regels"),
        st.Page(VIEWS / "bronnen.py", title="Bronnen"),
        st.Page(VIEWS / "digest.py", title="Weekoverzicht"),
        st.Page(VIEWS / "over.py", title="Over deze monitor"),
    ]
    if user.role == "management":
        pages.append(st.Page(VIEWS / "auditlog.py", title="Auditlog"))
    st.navigation(pages).run()
