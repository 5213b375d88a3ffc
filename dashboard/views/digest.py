"""Digest: a preview of the weekly digest e-mail, as digest.build makes it."""

from __future__ import annotations

import importlib.util
from datetime import timedelta

import streamlit as st

from dashboard import actions, auth, data, ui

user = auth.page_guard()
path = data.db_path()
config = data.config()

st.title("Digest")
if importlib.util.find_spec("digest.build") is None:
    st.info("De wekelijkse digest is nog niet beschikbaar.")
    st.stop()

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
choices = ["Volledige digest (management)"] if user.role != "project_lead" else []
choices += [r.email for r in recipients]
if not choices:
    st.info("Er is nog geen digest voor jouw projecten ([[mail.recipients]] in newsroom.toml).")
    st.stop()
chosen = st.selectbox("Voor", choices, key="digest_recipient")
recipient = next((r for r in recipients if r.email == chosen), None)
try:
    digest = data.digest_preview(path, week, recipient.email if recipient else None)
except Exception as exc:  # a digest error is shown, it never breaks the dashboard
    st.error(f"De digest kon niet worden gemaakt: {ui.md_plain(str(exc))}")
    st.stop()
    raise SystemExit from None

ui.safe_heading(digest["subject"], 3)
built_line, rebuild_column = st.columns([4, 1])
built_line.caption(f"Opgebouwd op {digest['built_at']}. Het voorbeeld wordt vernieuwd zodra er "
                   "nieuwe berichten, scores of duidingen zijn.")
if user.can_rebuild_digest and rebuild_column.button("Opnieuw opbouwen", key="digest_rebuild"):
    actions.check_digest_rebuild(user)
    data.rebuild_digest_preview(path, week, recipient.email if recipient else None)
    st.rerun()
preview, plain = st.tabs(["Voorbeeld", "Tekstversie"])
with preview:
    # The digest module escapes scraped text in its HTML; st.html also strips scripts.
    st.html(digest["html"])
with plain:
    st.text(digest["text"])
st.download_button("Download als HTML", digest["html"].encode("utf-8"),
                   file_name=f"digest-{week}.html", mime="text/html", key="digest_html")
