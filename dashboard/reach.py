"""The "Bereik" section of Overzicht: which platforms, kinds of sources and how many voices
each week's picture rests on (figures from `storage.reach`, via `dashboard.data`)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from dashboard import data, ui
from storage.coordination_results import COORDINATION_DAYS

PLATFORM_NAMES = {"news": "nieuws", "official": "gemeente", "mastodon": "Mastodon",
                  "bluesky": "Bluesky", "reddit": "Reddit", "youtube": "YouTube"}


def reach_rows(weeks: list[dict]) -> list[dict]:
    """One table row per week, in Dutch, with shares in percent."""
    rows = []
    for week in weeks:
        total = week["total"]
        row: dict[str, object] = {"week vanaf": week["start"].strftime("%d-%m-%Y"),
                                  "berichten": total}
        for channel, count in sorted(week["by_platform"].items()):
            name = PLATFORM_NAMES.get(channel, channel)
            row[f"% {name}"] = round(100 * count / total) if total else 0
        row["sociale berichten"] = week["social_posts"]
        row["auteurs (pseudoniem)"] = week["authors"]
        share = week["top_share"]
        row["% van top 10 auteurs"] = None if share is None else round(100 * share)
        rows.append(row)
    return rows


def show_reach(path: str, start: date, end: date) -> None:
    """Render the section (widgets only; the figures come from the cached data layer)."""
    st.header("Bereik: op wie rust dit beeld?")
    weeks = [week for week in data.weekly_reach(path, start, end) if week["total"]]
    if not weeks:
        ui.no_data()
        return
    st.caption("Per week: aandeel per platform en soort bron, het aantal verschillende "
               "auteurs op sociale media (als pseudoniem) en welk deel van hun berichten van "
               "de 10 actiefste auteurs komt.")
    for week in weeks:
        if week["concentrated"]:
            st.warning(f"Week vanaf {week['start']:%d-%m}: {ui.percent(week['top_share'])} "
                       f"van de {week['social_posts']} sociale berichten komt van 10 accounts. "
                       "Een piek zegt dan vooral iets over die accounts.")
    frame = pd.DataFrame(reach_rows(weeks)).fillna(0)
    ui.table_view(frame, "bereik", "overzicht_reach")




def show_coordination(path: str, end: date) -> None:
    """Signals of possibly coordinated posting, with their evidence; never a verdict."""
    from datetime import timedelta

    st.header("Signaal: mogelijk gecoördineerd posten")
    st.caption("Veel bijna gelijke berichten van verschillende accounts in korte tijd, of "
               "dezelfde link van veel nieuwe accounts. Dit is een signaal om zelf te "
               "bekijken, geen oordeel over mensen: een petitie of actie ziet er net zo uit.")
    signals = data.coordination_signals(path, end - timedelta(days=COORDINATION_DAYS), end)
    if not signals:
        st.info(f"Geen signalen in de laatste {COORDINATION_DAYS} dagen.")
        return
    for signal in signals:
        with st.expander(signal["description"][:200]):
            st.text(signal["description"])  # untrusted post text: shown as plain text
            st.caption(f"{len(signal['document_ids'])} berichten; open ze op de pagina "
                       "Berichten om ze te lezen.")
