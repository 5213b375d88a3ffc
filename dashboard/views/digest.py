"""Digest: a preview of the weekly digest e-mail, as the scheduler's rollup job stored it."""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from dashboard import audit_trail, auth, data, ui

user = auth.page_guard()
path = data.db_path()
config = data.config()

st.title("Weekoverzicht")

end_day = data.last_day(path)
weeks: list[str] = []
for back in range(8):
    year, week_number, _weekday = (end_day - timedelta(days=7 * back)).isocalendar()
    weeks.append(f"{year}-W{week_number:02d}")
week = st.selectbox("Week", weeks, key="digest_week") or weeks[0]

# Management sees the full digest; a project lead the digest of a recipient with their projects.
recipients = list(config.mail.recipients)
if user.role == "project_lead":
    recipients = [r for r in recipients if set(r.watches) & set(user.watches)]
choices = ["Volledig weekoverzicht (management)"] if user.role != "project_lead" else []
choices += [r.email for r in recipients]
if not choices:
    st.info("Er is nog geen weekoverzicht voor je projecten "
            "([[mail.recipients]] in newsroom.toml).")
    st.stop()
chosen = st.selectbox("Voor", choices, key="digest_recipient")
recipient = next((r for r in recipients if r.email == chosen), None)
digest = data.digest_preview(path, week, recipient.email if recipient else None)
if digest is None:
    st.info(f"Voor week {week} is nog geen voorbeeld klaar. De planner maakt de voorbeelden "
            "van deze week en vorige week als hij de dagtotalen bijwerkt; start hem met "
            "`newsroom run`.")
    st.stop()
    raise SystemExit from None

ui.safe_heading(digest["subject"], 2)
caption = f"Opgebouwd op {digest['built_at']}."
if data.preview_outdated(path, digest["data_stamp"]):
    caption += (" Er zijn sindsdien nieuwe berichten, scores of duidingen: de planner "
                "vernieuwt het voorbeeld bij de volgende ronde.")
st.caption(caption)
preview, plain = st.tabs(["Voorbeeld", "Tekstversie"])
with preview:
    # The digest module escapes scraped text in its HTML; st.html also strips scripts.
    st.html(digest["html"])
with plain:
    st.text(digest["text"])
st.download_button("Download als HTML", digest["html"].encode("utf-8"),
                   file_name=f"digest-{week}.html", mime="text/html", key="digest_html",
                   on_click=audit_trail.record_export,
                   args=(user.username, f"digest-{week}", "html", 1))
