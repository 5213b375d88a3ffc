"""Tables whose rows open a document: select a row and that item opens in Berichten.

Why row selection (`on_select="rerun"`) and not links in cells: Streamlit draws tables on a
canvas, and a selected row is the one thing the table reports back to the page. The
"Open bericht" choice on Berichten stays as the keyboard route to the same item.

A selection is a list of row numbers. When the rows change (a new search, another period),
an old selection would point at other documents, so it is dropped whenever the listed ids
differ from the last run. A click on a cell does not select its row; the box before it does.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import export, ui

OPEN_REQUEST = "open_document"
"""Session key: the document another page asked Berichten to open (not a widget key, so it
survives the page switch)."""
BERICHTEN = Path(__file__).resolve().parent / "views" / "berichten.py"


def selectable_table(frame: pd.DataFrame, ids: Sequence[str], key: str,
                     multi: bool = False) -> list[str]:
    """Draw `frame` (for people: Dutch words, source names, local times; spreadsheet-safe
    cells; no index) with row selection; return the ids of the selected rows, in the order
    they were selected. `ids[i]` belongs to row i."""
    listed = [str(i) for i in ids]
    if (st.session_state.get(f"{key}__ids") != listed
            or st.session_state.pop(f"{key}__clear", False)):
        st.session_state[key] = {"selection": {"rows": [], "columns": [], "cells": []}}
        st.session_state[f"{key}__seen"] = []
    st.session_state[f"{key}__ids"] = listed
    event = st.dataframe(
        export.safe_frame(ui.for_people(frame)), key=key, on_select="rerun", hide_index=True,
        selection_mode="multi-row" if multi else "single-row", width="stretch",
    )
    rows = event["selection"]["rows"] if event else []
    return [listed[row] for row in rows if 0 <= row < len(listed)]


def newly_selected(key: str, selected: list[str]) -> str | None:
    """The row ticked in this run (the last one, when several came in), else None; so
    unticking a row, or a rerun for another reason, does not open anything."""
    seen = st.session_state.get(f"{key}__seen", [])
    st.session_state[f"{key}__seen"] = list(selected)
    fresh = [i for i in selected if i not in seen]
    return fresh[-1] if fresh else None


def clear_selection(key: str) -> None:
    """Untick every row of the table `key` on the next run (after a bulk action)."""
    st.session_state[f"{key}__clear"] = True


def open_in_berichten(document_id: str) -> None:
    """Switch to Berichten with `document_id` opened in its item view."""
    st.session_state[OPEN_REQUEST] = document_id
    st.switch_page(BERICHTEN)


def take_request() -> str | None:
    """The document another page asked Berichten to open (once), or None."""
    requested = st.session_state.pop(OPEN_REQUEST, None)
    return str(requested) if requested else None


def linked_table(frame: pd.DataFrame, ids: Sequence[str], key: str) -> None:
    """A table on another page (Overzicht, Projecten) whose selected row opens in Berichten."""
    opened = newly_selected(key, selectable_table(frame, ids, key))
    st.caption("Vink het vakje voor een rij aan om dat bericht te openen op de pagina Berichten.")
    if opened:
        open_in_berichten(opened)
