"""Kaart: wijken and buurten with how often they are mentioned and the mean sentiment."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import auth, data, ui

auth.page_guard()
path = data.db_path()
end_day = data.last_day(path)

st.title("Kaart")
start, end, _granularity = ui.period_picker("kaart", 90, end_day)
level_names = {"wijk": "wijken", "buurt": "buurten", "gemeente": "gemeenten"}
chosen = st.multiselect("Laat zien", list(level_names.values()),
                        default=["wijken", "buurten"], key="kaart_levels",
        placeholder="Alles")
levels = tuple(k for k, v in level_names.items() if v in chosen)

rows = data.place_counts(path, start, end, levels) if levels else []
frame = pd.DataFrame(rows)
if frame.empty:
    ui.no_data("Geen berichten over wijken of buurten in deze periode.")
else:
    located = frame.dropna(subset=["lat", "lon"])
    chart = (
        alt.Chart(located)
        .mark_circle(opacity=0.8, stroke="#000000", strokeWidth=0.5)
        .encode(
            longitude="lon:Q",
            latitude="lat:Q",
            size=alt.Size("n:Q", title="Berichten", scale=alt.Scale(range=[40, 1600])),
            color=alt.Color(
                "polarity:Q", title="Gemiddeld sentiment (-1 negatief, +1 positief)",
                scale=alt.Scale(domain=[-1, 0, 1], range=[ui.SENTIMENT_COLOURS["negatief"],
                                                           "#F0F0F0",
                                                           ui.SENTIMENT_COLOURS["positief"]]),
            ),
            tooltip=[alt.Tooltip("name:N", title="Gebied"), alt.Tooltip("level:N", title="Soort"),
                     alt.Tooltip("n:Q", title="Berichten"),
                     alt.Tooltip("share_neg:Q", title="Aandeel negatief", format=".0%")],
        )
        .project(type="mercator")
        .properties(height=480)
    )
    labels = (
        alt.Chart(located.head(15))
        .mark_text(dy=-14, fontSize=11)
        .encode(longitude="lon:Q", latitude="lat:Q", text="name:N")
        .project(type="mercator")
    )
    st.altair_chart(chart + labels, width="stretch",
                    alt="Kaart: gebieden met het aantal berichten en het sentiment")
    table = frame[["name", "level", "cbs_code", "n", "n_neg", "n_pos", "share_neg", "polarity"]]
    table.columns = ["gebied", "soort", "CBS-code", "berichten", "negatief", "positief",
                     "aandeel negatief", "gemiddeld sentiment"]
    ui.table_view(table, "kaart", "kaart_table")
st.caption("Bron gebiedsindeling: CBS (CC BY 4.0).")
