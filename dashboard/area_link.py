"""Opening Berichten from the map: `?gebied=CBS-code&van=…&tot=…` presets its filters.

Applied once per link (remembered in the session), so the adviser can change the filters
afterwards without the link putting them back on every rerun.
"""

from __future__ import annotations

from datetime import date

import streamlit as st


def apply_area_link(place_codes: dict[str, str]) -> str | None:
    """Preset the Berichten place and period widgets from the query parameters.

    Returns the name of the linked area when it has no messages at all (to say so), else None.
    """
    code = st.query_params.get("gebied", "")
    period = (st.query_params.get("van", ""), st.query_params.get("tot", ""))
    link = f"{code}|{period[0]}|{period[1]}"
    if not code or st.session_state.get("berichten_area_link") == link:
        return None
    st.session_state["berichten_area_link"] = link
    label = next((name for name, value in place_codes.items() if value == code), None)
    try:
        start, end = date.fromisoformat(period[0]), date.fromisoformat(period[1])
    except ValueError:
        start = end = None  # type: ignore[assignment]
    if start is not None and end is not None and start <= end:
        st.session_state["berichten_period"] = (start, end)
    if label is None:
        return code[:20]
    st.session_state["berichten_places"] = [label]
    return None
