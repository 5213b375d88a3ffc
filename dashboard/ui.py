"""Widgets the pages share: period picker, charts with a table beside them, exports, and
safe rendering of scraped text.

Colours come from core.palette (Okabe–Ito, colour-blind safe): negative orange-red, neutral
grey, positive blue; every chart also has a "Toon als tabel" view and labels say the
sentiment in words, so colour is never the only carrier of meaning. Scraped text is never
given to Markdown: titles and sentences go through `html.escape` into `st.html`, or into
tables, which show plain text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from core import palette
from dashboard import audit_trail, auth, export
from dashboard.series import bar_height

SENTIMENT_COLOURS = palette.SENTIMENT
HIGHLIGHT_BACKGROUNDS = palette.HIGHLIGHT
CATEGORY_COLOURS = palette.CATEGORIES
KIND_NAMES = {"news": "nieuws", "social": "sociale media", "official": "gemeente"}
LABEL_ORDER = ["negatief", "neutraal", "positief"]
CORRECTED_BY = {"correction": "gecorrigeerd door een adviseur", "rule": "gezet door een regel"}
"""Where an effective label came from, when it is not the model's (storage.effective)."""


_MARKDOWN_SIGNS = re.compile(r"([!-/:-@\[-`{-~])")


def md_plain(text: str) -> str:
    """`text` with every ASCII sign backslash-escaped, for widgets that only take Markdown
    (st.error, st.subheader, labels): a name like `![t](http://…)` then shows as typed
    instead of becoming an image the browser fetches. CommonMark allows escaping any sign.
    """
    return _MARKDOWN_SIGNS.sub(r"\\\1", text or "")


def safe_heading(text: str, level: int = 3) -> None:
    """A heading made of scraped text: escaped, never Markdown or HTML."""
    st.html(f"<h{level} style='margin:0.3em 0'>{html.escape(text or '')}</h{level}>")


def safe_text(text: str) -> None:
    """A paragraph of scraped text: escaped, line breaks kept."""
    st.html(f"<p style='white-space:pre-wrap'>{html.escape(text or '')}</p>")


def safe_caption(text: str) -> None:
    """A small grey line holding names from config, users or scraped text: never Markdown."""
    st.html(f"<p style='font-size:0.875rem;color:#555;margin:0'>{html.escape(text or '')}</p>")


def table(frame: pd.DataFrame, **kwargs: Any) -> None:
    """st.dataframe fed with spreadsheet-safe cells.

    Streamlit's table toolbar offers its own "Download as CSV" that we cannot hook, so what
    it gets is already neutralised: a cell that would start a formula (also after leading
    spaces) shows with a leading apostrophe, on screen and in that download alike.
    """
    st.dataframe(export.safe_frame(frame), **kwargs)


def sentence_html(sentences: Sequence[dict[str, Any]]) -> str:
    """The document's sentences highlighted by sentiment, each with its label in words.

    Every scraped piece is escaped; the only markup is ours.
    """
    parts = []
    for sentence in sentences:
        label = sentence.get("label") or "niet gescoord"
        background = HIGHLIGHT_BACKGROUNDS.get(label, "#FFFFFF")
        border = SENTIMENT_COLOURS.get(label, "#666666")
        parts.append(
            f"<span style='background:{background};border-bottom:3px solid {border};"
            f"padding:0 2px'>{html.escape(sentence.get('text') or '')}</span> "
            f"<small style='color:#333'>[{html.escape(label)}]</small>"
        )
    return "<p style='line-height:1.9'>" + " ".join(parts) + "</p>"


def period_picker(key: str, default_days: int = 90, end: date | None = None
                  ) -> tuple[date, date, str]:
    """Period (start inclusive, end exclusive) and day/week toggle, in the sidebar."""
    last = end or date.today()
    with st.sidebar:
        st.header("Periode")
        choice = st.selectbox(
            "Laat zien",
            ["Laatste 7 dagen", "Laatste 30 dagen", "Laatste 90 dagen", "Laatste jaar"],
            index={7: 0, 30: 1, 90: 2}.get(default_days, 3),
            key=f"{key}_period",
        )
        days = {"Laatste 7 dagen": 7, "Laatste 30 dagen": 30, "Laatste 90 dagen": 90}.get(
            choice, 365
        )
        granularity = st.radio(
            "Per", ["dag", "week"], horizontal=True, key=f"{key}_granularity"
        )
    start = last - timedelta(days=days - 1)
    return start, last + timedelta(days=1), "day" if granularity == "dag" else "week"


def table_view(frame: pd.DataFrame, name: str, key: str) -> None:
    """The data behind a chart, in an expander, with CSV and Excel downloads."""
    with st.expander("Toon als tabel"):
        table(frame, hide_index=True, width="stretch")
        download_buttons(frame, name, key)


def download_buttons(frame: pd.DataFrame, name: str, key: str) -> None:
    """CSV and Excel export of a (filtered) list; each download is written to the audit log."""
    left, right = st.columns(2)
    user = auth.current_user()
    actor = user.username if user else ""
    left.download_button(
        "Download CSV", export.to_csv_bytes(frame), file_name=f"{name}.csv",
        mime="text/csv", key=f"{key}_csv",
        on_click=audit_trail.record_export, args=(actor, name, "csv", len(frame)),
    )
    right.download_button(
        "Download Excel", export.to_xlsx_bytes(frame), file_name=f"{name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx",
        on_click=audit_trail.record_export, args=(actor, name, "xlsx", len(frame)),
    )


COUNT_AXIS = alt.Axis(format="d", tickMinStep=1)
"""Axis for counts: whole numbers only (no "0.5 berichten")."""


def sentiment_stack_chart(frame: pd.DataFrame, period_title: str) -> alt.Chart:
    """Stacked bars of negative / neutral / positive counts per period."""
    long = frame.melt(
        id_vars=["period"], value_vars=["n_neg", "n_neu", "n_pos"],
        var_name="sentiment", value_name="berichten",
    )
    long["sentiment"] = long["sentiment"].map(
        {"n_neg": "negatief", "n_neu": "neutraal", "n_pos": "positief"}
    )
    return (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X("period:T", title=period_title, axis=alt.Axis(format="%d-%m")),
            y=alt.Y("berichten:Q", title="Aantal berichten", stack=True, axis=COUNT_AXIS),
            color=alt.Color(
                "sentiment:N", title="Sentiment",
                scale=alt.Scale(domain=LABEL_ORDER,
                                range=[SENTIMENT_COLOURS[label] for label in LABEL_ORDER]),
            ),
            tooltip=[alt.Tooltip("period:T", title="Periode"), "sentiment:N", "berichten:Q"],
        )
        .properties(height=260)
    )


def share_line_chart(frame: pd.DataFrame, column: str, title: str,
                     spike_column: str | None = None) -> alt.Chart:
    """A line over time (e.g. share negative), with spikes marked as large points."""
    base = alt.Chart(frame).encode(
        x=alt.X("period:T", title="Periode", axis=alt.Axis(format="%d-%m"))
    )
    line = base.mark_line(color=SENTIMENT_COLOURS["negatief"]).encode(
        y=alt.Y(f"{column}:Q", title=title, axis=alt.Axis(format="%")),
        tooltip=[alt.Tooltip("period:T", title="Periode"),
                 alt.Tooltip(f"{column}:Q", title=title, format=".0%")],
    )
    if spike_column is None:
        return line.properties(height=200)
    points = (
        base.transform_filter(alt.datum[spike_column])
        .mark_point(shape="triangle-up", size=140, filled=True, color=palette.MARKER)
        .encode(y=f"{column}:Q")
    )
    return (line + points).properties(height=200)


def volume_line_chart(frame: pd.DataFrame, spike_column: str | None = None) -> alt.Chart:
    """Volume per period with spikes marked (black triangles, also listed in the table)."""
    base = alt.Chart(frame).encode(
        x=alt.X("period:T", title="Periode", axis=alt.Axis(format="%d-%m"))
    )
    line = base.mark_line(color=SENTIMENT_COLOURS["positief"]).encode(
        y=alt.Y("n:Q", title="Aantal berichten", axis=COUNT_AXIS),
        tooltip=[alt.Tooltip("period:T", title="Periode"), alt.Tooltip("n:Q", title="Aantal")],
    )
    if spike_column is None:
        return line.properties(height=200)
    points = (
        base.transform_filter(alt.datum[spike_column])
        .mark_point(shape="triangle-up", size=140, filled=True, color=palette.MARKER)
        .encode(y="n:Q")
    )
    return (line + points).properties(height=200)


def bar_chart(frame: pd.DataFrame, category: str, value: str, category_title: str,
              value_title: str, whole_numbers: bool = True) -> alt.Chart:
    """Horizontal bars, tall enough for every label; counts get a whole-number axis."""
    return (
        alt.Chart(frame)
        .mark_bar(color=SENTIMENT_COLOURS["positief"])
        .encode(
            y=alt.Y(f"{category}:N", title=category_title, sort="-x",
                    axis=alt.Axis(labelLimit=0)),  # never cut a source or area name
            x=alt.X(f"{value}:Q", title=value_title,
                    axis=COUNT_AXIS if whole_numbers else alt.Axis()),
            tooltip=[f"{category}:N", f"{value}:Q"],
        )
        .properties(height=bar_height(len(frame)))
    )


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


def no_data(message: str = "Geen berichten in deze periode.") -> None:
    st.info(message)
