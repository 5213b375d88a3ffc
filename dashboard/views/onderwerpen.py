"""Onderwerpen: topic trends, rising topics, and emerging stories (copies shown once)."""

from __future__ import annotations

from datetime import timedelta

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import auth, data, ui
from dashboard.series import default_topics, fill_periods

auth.page_guard()
path = data.db_path()
end_day = data.last_day(path)

st.title("Onderwerpen")
start, end, granularity = ui.period_picker("onderwerpen", 90, end_day)

st.header("Onderwerpen door de tijd")
series = pd.DataFrame(data.topic_series(path, start, end, granularity))
if series.empty:
    ui.no_data()
else:
    series = fill_periods(series, start, end, granularity, by="topic")
    topics = sorted(series["topic"].unique())
    rising_now = [row["topic"] for row in data.emerging_topics(path, end_day)
                  if row["recent"] and (row["growth"] is None or row["growth"] > 1)]
    chosen = st.multiselect("Onderwerpen", topics, default=default_topics(series, rising_now),
                            key="onderwerpen_topics", placeholder="Alles",
                            help="Eerst gekozen: de onderwerpen die nu opkomen.")
    shown = series[series["topic"].isin(chosen)] if chosen else series
    chart = (
        alt.Chart(shown)
        .mark_line(point=True)
        .encode(
            x=alt.X("period:T", title="Periode", axis=alt.Axis(format="%d-%m")),
            y=alt.Y("n:Q", title="Aantal berichten", axis=ui.COUNT_AXIS),
            color=alt.Color("topic:N", title="Onderwerp",
                            scale=alt.Scale(range=ui.CATEGORY_COLOURS)),
            strokeDash=alt.StrokeDash("topic:N", title="Onderwerp"),
            tooltip=[alt.Tooltip("period:T", title="Periode"),
                     alt.Tooltip("topic:N", title="Onderwerp"),
                     alt.Tooltip("n:Q", title="Berichten"),
                     alt.Tooltip("polarity:Q", title="Gemiddeld sentiment", format=".2f")],
        )
        .properties(height=300)
    )
    st.altair_chart(chart, width="stretch", alt="Lijnen: berichten per onderwerp")
    ui.table_view(shown.drop(columns=["polarity_sum"], errors="ignore"), "onderwerpen",
                  "onderwerpen_series")

st.header("Onderwerpen die opkomen (laatste 7 dagen tegenover de 4 weken ervoor)")
rising = pd.DataFrame(data.emerging_topics(path, end_day))
if rising.empty:
    ui.no_data()
else:
    rising = rising[["topic", "recent", "recent_per_day", "baseline_per_day", "growth",
                     "share_neg"]]
    rising.columns = ["onderwerp", "berichten (7 dagen)", "per dag nu", "per dag eerder",
                      "groei (x)", "aandeel negatief"]
    ui.table(rising, hide_index=True, width="stretch")
    ui.download_buttons(rising, "opkomende-onderwerpen", "onderwerpen_rising")

st.header("Nieuwe verhalen (laatste 7 dagen)")
st.caption("Hetzelfde verhaal bij meer bronnen staat hier één keer, met de bronnen erbij.")
stories = data.emerging_stories(path, end_day - timedelta(days=6), 20)
if not stories:
    ui.no_data("Geen nieuwe verhalen in de laatste 7 dagen.")
else:
    frame = pd.DataFrame([
        {"verhaal": s["title"], "berichten": s["n"], "bronnen": ", ".join(s["outlets"]),
         "eerst gezien": s["first_seen"], "laatst gezien": s["last_seen"]}
        for s in stories
    ])
    ui.table(frame, hide_index=True, width="stretch")
    ui.download_buttons(frame, "nieuwe-verhalen", "onderwerpen_stories")
