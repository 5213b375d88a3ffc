"""Bronnen: is every source still delivering? Last success, items per day, errors, silence."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import auth, data, ui

auth.page_guard()
path = data.db_path()
config = data.config()
silent_after = config.alerts.silent_source_hours

st.title("Bronnen")
rows = data.source_health_rows(path)
if not rows:
    ui.no_data("Er zijn nog geen bronnen. Voeg ze toe in newsroom.toml en draai newsroom init.")
    st.stop()


def state(row: dict) -> str:
    if row["last_run"] is None:
        return "nog nooit opgehaald"
    if not row["healthy"]:
        return f"FOUT ({row['consecutive_failures']}x op rij)"
    if row["silent_hours"] is not None and row["silent_hours"] >= silent_after:
        return f"STIL (al {row['silent_hours']:.0f} uur niets nieuws)"
    return "gezond"


frame = pd.DataFrame(rows)
frame["status"] = [state(row) for row in rows]
problems = frame[frame["status"] != "gezond"]
col1, col2 = st.columns(2)
col1.metric("Bronnen", len(frame))
col2.metric("Bronnen met een probleem", len(problems))
if not problems.empty:
    st.warning("Let op: " + ui.md_plain("; ".join(
        f"{n}: {s}" for n, s in zip(problems["name"], problems["status"], strict=True))))
table = frame[["name", "kind", "status", "last_success", "items_per_day", "silent_hours",
               "documents_total", "consecutive_failures"]].copy()
table["kind"] = table["kind"].map(lambda k: ui.KIND_NAMES.get(k, k))
table.columns = ["bron", "soort", "status", "laatst gelukt", "berichten per dag",
                 "uren stil", "totaal", "fouten op rij"]
ui.table(table, hide_index=True, width="stretch")
ui.download_buttons(table, "bronnen", "bronnen_table")

st.header("Berichten per dag (gemiddelde laatste 14 dagen)")
st.altair_chart(ui.bar_chart(table, "bron", "berichten per dag", "Bron", "Berichten per dag",
                             whole_numbers=False),  # an average: 2.5 per day is real
                width="stretch", alt="Staafdiagram: berichten per dag per bron")

st.header("Recente fouten bij het ophalen")
issues = pd.DataFrame(data.crawl_issues(path, 50))
if issues.empty:
    st.success("Geen recente fouten.")
else:
    issues.columns = ["bron", "ronde gestart", "status", "reden", "adres", "details"]
    ui.table(issues, hide_index=True, width="stretch")
    ui.download_buttons(issues, "ophaalfouten", "bronnen_issues")

# Only with workers (issue 16): a queued task that failed after all its retries.
TASK_WORDS = {"crawl_source": "bron ophalen", "score_batch": "scoren", "rollup": "dagtotalen",
              "alerts": "meldingen", "digest": "weekoverzicht"}
letters = pd.DataFrame(data.dead_letters(path, 50))
if not letters.empty:
    st.subheader("Taken die bleven mislukken (wachtrij)")
    st.error(f"{len(letters)} taken zijn na alle nieuwe pogingen opgegeven. Los de fout op en "
             "start de taak opnieuw, bijvoorbeeld met `newsroom run --once crawl:BRON`.")
    letters["task"] = letters["task"].map(lambda t: TASK_WORDS.get(t, t))
    letters = letters[["task", "source_id", "attempts", "failed_at", "error"]]
    letters.columns = ["taak", "bron", "pogingen", "opgegeven op", "fout"]
    ui.table(letters, hide_index=True, width="stretch")
