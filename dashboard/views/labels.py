"""Labels: the tag report. How many items advisers tagged with each label per week, the
sentiment of those items, and the items behind one label (a row opens it in Berichten).

Labels are typed by users, so they are shown as plain table cells only (never Markdown or
HTML), and every download is made spreadsheet-safe (`dashboard.export`). Tables are long
(one row per label and week) so that no label becomes a column header of a download.
"""

from __future__ import annotations

from datetime import timedelta

import altair as alt
import pandas as pd
import streamlit as st

from dashboard import auth, data, item_link, tags, ui

user = auth.page_guard()
path = data.db_path()
end_day = data.last_day(path)
TIMEZONE = data.config().schedule.timezone

st.title("Labels")
st.caption("Labels zijn de woorden die adviseurs en projectleiders aan berichten hangen. "
           "Hier zie je per week hoe vaak elk label is gebruikt en hoe de berichten met dat "
           "label klinken. Een bericht telt in de week waarin het verscheen.")

scope: tuple[int, ...] = ()
if user.role == "project_lead":
    # A project lead sees the tags on items of their own projects only.
    scope = tuple(w.id for w in data.watches(path) if user.can_see_watch(w) and w.id) or (-1,)

weeks = {"Laatste 4 weken": 4, "Laatste 13 weken": 13, "Laatste 52 weken": 52}
col1, col2 = st.columns(2)
span = col1.selectbox("Periode", list(weeks), index=1, key="labels_periode")
start = end_day - timedelta(days=7 * weeks[span] - 1)
end = end_day + timedelta(days=1)
chosen = tuple(col2.multiselect("Alleen deze labels", tags.tag_names(path, scope),
                                key="labels_keuze", placeholder="Alle labels"))

per_tag = pd.DataFrame(tags.tag_sentiment(path, start, end, chosen, scope))
if per_tag.empty:
    ui.no_data("Er zijn in deze periode nog geen berichten met een label. Een label voeg je "
               "toe bij een bericht op de pagina Berichten.")
    st.stop()

st.subheader("Sentiment per label")
sentiment = pd.DataFrame({
    "label": per_tag["tag"], "berichten": per_tag["n"], "negatief": per_tag["n_neg"],
    "neutraal": per_tag["n_neu"], "positief": per_tag["n_pos"],
    "niet gescoord": per_tag["n_unscored"],
    "aandeel negatief": per_tag["share_neg"].map(lambda v: ui.percent(v)),
})
ui.table(sentiment, hide_index=True, width="stretch")
ui.download_buttons(sentiment, "labels-sentiment", "labels_sentiment")

st.subheader("Berichten per label per week")
per_week = pd.DataFrame(tags.tag_weeks(path, start, end, chosen, scope))
per_week["week"] = pd.to_datetime(per_week["week"])
top = per_tag["tag"].head(8).tolist()  # a readable chart; the table below has every label
chart = (
    alt.Chart(per_week[per_week["tag"].isin(top)])
    .mark_bar()
    .encode(
        x=alt.X("week:T", title="Week (vanaf maandag)", axis=alt.Axis(format="%d-%m")),
        y=alt.Y("n:Q", title="Aantal berichten", stack=True, axis=ui.COUNT_AXIS),
        color=alt.Color("tag:N", title="Label", scale=alt.Scale(range=ui.CATEGORY_COLOURS)),
        tooltip=[alt.Tooltip("week:T", title="Week", format="%d-%m-%Y"),
                 alt.Tooltip("tag:N", title="Label"), alt.Tooltip("n:Q", title="Berichten")],
    )
    .properties(height=260)
)
st.altair_chart(chart, width="stretch",
                alt="Staafdiagram: berichten per week, verdeeld naar label")
weekly = pd.DataFrame({"week": per_week["week"].dt.strftime("%d-%m-%Y"),
                       "label": per_week["tag"], "berichten": per_week["n"]})
ui.table_view(weekly.iloc[::-1], "labels-per-week", "labels_weeks")

st.subheader("De berichten achter een label")
tag = st.selectbox("Label", per_tag["tag"].tolist(), key="labels_label")
documents = tags.tag_documents(path, tag, start, end, scope) if tag else []
if documents:
    frame = pd.DataFrame(documents)
    frame["tijd"] = pd.to_datetime(frame["time"], utc=True, format="ISO8601").dt.tz_convert(
        TIMEZONE).dt.strftime("%d-%m-%Y %H:%M")
    listed = pd.DataFrame({"tijd": frame["tijd"], "titel": frame["title"],
                           "bron": frame["source_id"], "sentiment": frame["label"].fillna(""),
                           "adres": frame["url"]})
    item_link.linked_table(listed, frame["id"].tolist(), "labels_berichten")
    ui.download_buttons(listed.assign(**{"label van adviseur": tag}), "labels-berichten",
                        "labels_berichten_export")
