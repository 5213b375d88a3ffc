"""The Berichten page's bulk form: select many listed items, then set their sentiment or tag.

Why rows ticked in the table plus a multiselect of the listed items (and "all listed"): an
adviser acts on what the search shows, ticking rows is the quickest, the multiselect is the
keyboard route, and the choice stays visible before anything is saved. Sentiment is offered
only to roles that may correct; storage checks the role again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st

from core.records import LABELS
from dashboard import item_link, labelling
from dashboard.auth import SessionUser
from storage.effective import LabelError

ALL = "Alle getoonde berichten"


def bulk_actions(path: str, rows: list[dict[str, Any]], user: SessionUser,
                 ticked: Sequence[str] = ()) -> None:
    """Draw the bulk form under the result table and save what the adviser asks, for the
    rows `ticked` in the table and those chosen in the form."""
    flash = st.session_state.pop("bulk_flash", None)
    if flash:
        st.success(flash)
    titles = {row["id"]: f"{(row['title'] or '')[:100]} — {row['source_id']}" for row in rows}
    ticked = [i for i in ticked if i in titles]
    with st.expander("Meerdere berichten tegelijk aanpassen", expanded=len(ticked) > 1), \
            st.form("bulk"):
        if ticked:
            st.caption(f"Aangevinkt in de tabel: {len(ticked)} berichten. Die doen mee.")
        chosen = st.multiselect("Kies berichten", [ALL, *titles], key="bulk_selectie",
                                format_func=lambda i: titles.get(i, i),
                                placeholder="Kies een of meer berichten")
        label = None
        if user.can_correct:
            label = st.radio("Zet sentiment op", ["niet veranderen", *LABELS], horizontal=True,
                             key="bulk_sentiment")
        tag = st.text_input("Label toevoegen (mag leeg blijven)", max_chars=100, key="bulk_tag")
        if st.form_submit_button("Toepassen op de gekozen berichten"):
            ids = list(titles) if ALL in chosen else list(dict.fromkeys(
                [*ticked, *(i for i in chosen if i in titles)]))
            _apply(path, ids, label, tag, user)


def _apply(path: str, ids: list[str], label: str | None, tag: str, user: SessionUser) -> None:
    if not ids:
        st.warning("Kies eerst een of meer berichten.")
        return
    done = []
    try:
        if label and label != "niet veranderen":
            count = labelling.correct_many(path, ids, label, user.username, user.role)
            done.append(f"{count} berichten staan nu op {label}")
        if tag.strip():
            count = labelling.tag_many(path, ids, tag, user.username, user.role)
            done.append(f"{count} berichten kregen het label {tag.strip()!r}")
    except LabelError as exc:
        st.error(f"Niet opgeslagen: {exc}")
        return
    if not done:
        st.warning("Kies een sentiment of vul een label in.")
        return
    st.session_state["bulk_flash"] = ". ".join(done) + "."
    item_link.clear_selection("berichten_tabel")
    st.rerun()
