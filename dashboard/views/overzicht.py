"""Overzicht: volume and sentiment over time, spikes, this week against last, top stories."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import streamlit as st

from dashboard import auth, data, item_link, reach, stats, ui, week_card
from dashboard.series import fill_periods, newest_first

auth.page_guard()
path = data.db_path()
config = data.config()
end_day = data.last_day(path)

st.title("Overzicht")
week_card.show(path)
start, end, granularity = ui.period_picker("overzicht", 90, end_day)
with st.sidebar:
    kind_names = {value: key for key, value in ui.KIND_NAMES.items()}
    chosen_kinds = st.multiselect("Soort bron", list(kind_names), key="overzicht_kinds",
        placeholder="Alles")
    kinds = tuple(kind_names[k] for k in chosen_kinds)

# This week against last week (weeks start on Monday).
week_start = end_day - timedelta(days=end_day.weekday())
this_week = data.period_totals(path, week_start, end_day + timedelta(days=1))
last_week = data.period_totals(path, week_start - timedelta(days=7), week_start)
st.header(f"Deze week (vanaf maandag {week_start:%d-%m}) tegenover vorige week")
col1, col2, col3 = st.columns(3)
col1.metric("Berichten deze week", this_week["n"], delta=this_week["n"] - last_week["n"])
share_now, share_before = this_week["share_neg"], last_week["share_neg"]
col2.metric(
    "Aandeel negatief", ui.percent(share_now),
    delta=None if share_now is None or share_before is None
    else f"{(share_now - share_before) * 100:+.0f} procentpunt",
    delta_color="inverse",
)
col3.metric("Berichten vorige week", last_week["n"])

series = data.volume_series(path, start, end, granularity, (), kinds)
st.header("Aantal berichten en sentiment")
if not series:
    ui.no_data()
else:
    frame = fill_periods(pd.DataFrame(series), start, end, granularity)
    floor = 1.0 if granularity == "day" else 5.0
    frame["piek_aantal"] = stats.spikes(frame["n"].tolist(), config.alerts.z_threshold,
                                        floor=floor)
    frame["piek_negatief"] = stats.spikes(frame["share_neg"].tolist(),
                                          config.alerts.z_threshold, floor=0.03)
    period_title = "Dag" if granularity == "day" else "Week (vanaf maandag)"
    st.altair_chart(ui.sentiment_stack_chart(frame, period_title), width="stretch",
                    alt="Staafdiagram: berichten per periode, verdeeld naar sentiment")
    left, right = st.columns(2)
    with left:
        st.caption("Aantal berichten (driehoek = piek)")
        st.altair_chart(ui.volume_line_chart(frame, "piek_aantal"), width="stretch",
                        alt="Lijn: aantal berichten per periode met pieken")
    with right:
        st.caption("Aandeel negatief (driehoek = piek)")
        st.altair_chart(ui.share_line_chart(frame, "share_neg", "Aandeel negatief",
                                            "piek_negatief"), width="stretch",
                        alt="Lijn: aandeel negatieve berichten per periode met pieken")
    peaks = frame[frame["piek_aantal"] | frame["piek_negatief"]]
    if not peaks.empty:
        st.warning(
            "Pieken (nieuwste eerst): "
            + ", ".join(f"{p:%d-%m-%Y}" for p in newest_first(peaks["period"]))
        )
    table = frame.rename(columns={
        "period": "periode", "n": "berichten", "n_neg": "negatief", "n_neu": "neutraal",
        "n_pos": "positief", "share_neg": "aandeel negatief", "polarity": "gemiddeld sentiment",
    }).drop(columns=["polarity_sum", "share_pos"], errors="ignore")
    ui.table_view(table, "overzicht", "overzicht_series")

st.header("Per soort bron en per bron")
left, right = st.columns(2)
with left:
    by_kind = pd.DataFrame(data.volume_by(path, start, end, "kind"))
    if by_kind.empty:
        ui.no_data()
    else:
        by_kind["soort"] = by_kind["name"].map(lambda k: ui.KIND_NAMES.get(k, k))
        st.altair_chart(ui.bar_chart(by_kind, "soort", "n", "Soort", "Berichten"),
                        width="stretch", alt="Staafdiagram: berichten per soort bron")
        ui.table_view(by_kind[["soort", "n", "n_neg", "n_neu", "n_pos", "share_neg"]],
                      "per-soort", "overzicht_kind")
with right:
    by_source = pd.DataFrame(data.volume_by(path, start, end, "source"))
    if by_source.empty:
        ui.no_data()
    else:
        st.altair_chart(ui.bar_chart(by_source, "name", "n", "Bron", "Berichten"),
                        width="stretch", alt="Staafdiagram: berichten per bron")
        ui.table_view(by_source[["name", "kind", "n", "n_neg", "n_neu", "n_pos", "share_neg"]],
                      "per-bron", "overzicht_source")

reach.show_reach(path, start, end)
reach.show_coordination(path, end)

st.header("Grootste verhalen van deze week")
stories = data.top_stories(path, week_start, end_day + timedelta(days=1), 10)
if not stories:
    ui.no_data("Deze week zijn er nog geen verhalen die door meer bronnen zijn gebracht.")
else:
    story_frame = pd.DataFrame([
        {"verhaal": s["title"], "berichten": s["n"], "bronnen": ", ".join(s["outlets"]),
         "negatief": s["n_neg"], "positief": s["n_pos"], "eerst gezien": s["first_seen"]}
        for s in stories
    ])
    # A selected row opens one of the story's items in Berichten, with the other outlets.
    item_link.linked_table(story_frame, [s["example_id"] for s in stories], "overzicht_verhalen")
    ui.download_buttons(story_frame, "verhalen-deze-week", "overzicht_stories")

st.header("Recente meldingen")
alerts = data.recent_alerts(path, 10)
if not alerts:
    st.info("Geen recente meldingen.")
else:
    ui.table(pd.DataFrame(alerts), hide_index=True, width="stretch")
